"""Runs on one clock: a path drawn up to a clock time (``GrowingPath``), and the plot of
their losses against time (``LossOverTime``). Several runs' paths and losses move in step
when they are drawn at the same time."""

from __future__ import annotations

import math
from bisect import bisect_right

import cairo
import numpy as np
from manim import Camera, Dot, UpdateFromAlphaFunc, VGroup, VMobject, linear

from .panels import Panel, nice_step
from .plotting import log_scale
from .theme import Theme


class LossOverTime(Panel):
    """Loss against epochs for one or more runs; log scale when the values span more than
    three decades (scenes/plotting.py). A diverging run leaves through the top; ``room`` > 1
    leaves space above the values for it to be seen climbing (the plot reaches ``room``
    times the highest)."""

    def __init__(
        self, theme: Theme, t_max: float, values, x_title: str, y_title: str, room=1.0, **size
    ):
        positive = [v for v in values if v > 0 and math.isfinite(v)] or [1.0]
        low, high = min(positive), max(positive) * room
        log_y = log_scale(positive)
        if log_y:
            y_range = (float(math.floor(math.log10(low))), float(math.ceil(math.log10(high))))
        else:
            y_range = (0.0, high * 1.1)
        super().__init__(
            theme,
            (0.0, float(t_max)),
            y_range,
            x_title,
            f"{y_title} (log scale)" if log_y else y_title,
            x_step=max(1, nice_step(t_max)),
            log_y=log_y,
            **size,
        )

    def screen_points(self, times, losses) -> np.ndarray:
        """Screen points of (time, loss); a path that leaves the top stops at the edge."""
        top = self.y_range[1]
        out = []
        for i, (t, v) in enumerate(zip(times, losses)):
            y = self.to_y(v) if math.isfinite(v) else math.inf
            if y > top:
                if i > 0:
                    t0, y0 = times[i - 1], self.to_y(losses[i - 1])
                    s = (top - y0) / (y - y0) if y != y0 else 0.0
                    out.append(self.axes.c2p(t0 + s * (t - t0), top))
                break
            out.append(self.axes.c2p(t, y))
        return np.array(out)


#: while a path is drawn in two parts, the second begins this many stroke widths before the
#: first ends: they overlap on a straight piece, and a corner there is drawn whole by the
#: second (Manim's Cairo camera draws a stroke width of 1 as 0.01 of a unit)
OVERLAP = 1.0
#: a path is drawn in two parts once it has this many points (a shorter one costs less to
#: stroke than its still picture costs to paste), and its still part takes in the moving
#: part's points when they are as many
STILL_POINTS = 48


class StillLine(VMobject):
    """A line whose picture :class:`RaceCamera` keeps from one frame to the next until
    ``drawn`` changes (another camera draws it as any line)."""

    drawn = 0  # counts the times its points were set


class RaceCamera(Camera):
    """Manim's Cairo camera, which strokes a :class:`StillLine` once for as long as it stays
    the same and pastes that picture in its place in every frame: a path of hundreds of
    points that has stopped growing costs a copy of the pixels it covers. Pasting is what
    stroking does (the stroke's colour times its coverage, over what is there), so the
    frame is the one the camera would draw."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stills: dict[int, tuple] = {}  # id of a line: (drawn, its picture, where)

    def display_vectorized(self, vmobject, ctx):
        if not isinstance(vmobject, StillLine) or len(vmobject.points) == 0:
            return super().display_vectorized(vmobject, ctx)
        kept = self.stills.get(id(vmobject))
        if kept is None or kept[0] != (vmobject.drawn, self.pixel_width, self.pixel_height):
            kept = self.stills[id(vmobject)] = (
                (vmobject.drawn, self.pixel_width, self.pixel_height),
                *self.still_picture(vmobject),
            )
        _, picture, box = kept
        if picture is not None:
            x0, y0, x1, y1 = box
            ctx.save()
            ctx.identity_matrix()
            ctx.new_path()
            ctx.set_source_surface(picture, x0, y0)
            ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
            ctx.fill()
            ctx.restore()
        return self

    def still_picture(self, vmobject: StillLine):
        """The line stroked on a clear picture of the pixels it can reach (its points'
        box, with room for its width and its corners' mitres), and that box on the frame
        (left, top, right, bottom): whole pixels, so that each pixel is drawn as the frame
        would draw it."""
        pw, ph, fw, fh = self.pixel_width, self.pixel_height, self.frame_width, self.frame_height
        (cx, cy), (sx, sy) = self.frame_center[:2], (pw / fw, ph / fh)
        xs = (vmobject.points[:, 0] - cx) * sx + pw / 2
        ys = (cy - vmobject.points[:, 1]) * sy + ph / 2
        # a mitre reaches at most 10 half widths (Cairo's limit) past its corner
        room = 5 * vmobject.get_stroke_width() * self.cairo_line_width_multiple * sx + 2
        x0, y0 = max(0, math.floor(xs.min() - room)), max(0, math.floor(ys.min() - room))
        x1, y1 = min(pw, math.ceil(xs.max() + room)), min(ph, math.ceil(ys.max() + room))
        if x1 <= x0 or y1 <= y0:
            return None, None
        picture = cairo.ImageSurface(cairo.FORMAT_ARGB32, x1 - x0, y1 - y0)  # clear
        ctx = cairo.Context(picture)
        ctx.set_matrix(cairo.Matrix(sx, 0, 0, -sy, pw / 2 - cx * sx - x0, ph / 2 + cy * sy - y0))
        super().display_vectorized(vmobject, ctx)
        picture.flush()
        return picture, (x0, y0, x1, y1)


class GrowingPath(VGroup):
    """A polyline through ``points`` reached at ``times``, drawn up to a clock time, with a
    dot at its head: the one picture several runs share to move in step.

    While it plays (from ``freeze`` to ``thaw``) a long path is drawn in two parts:
    ``grown``, what it had drawn a while ago (with a :class:`RaceCamera`, stroked once), and
    ``line``, the rest from a little before (from ``since`` along the path), the only part
    stroked again each frame."""

    def __init__(self, times, points: np.ndarray, color: str, width: float, dot_radius: float):
        super().__init__()
        self.times, self.pts = list(times)[: len(points)], points
        steps = np.linalg.norm(np.diff(np.asarray(points, dtype=float), axis=0), axis=1)
        self.arc = np.concatenate([[0.0], np.cumsum(steps)])  # along the path to each point
        self.overlap = OVERLAP * width / 100
        self.still = False  # drawn in two parts (between ``freeze`` and ``thaw``)
        self.since: float | None = None  # where ``line`` starts while ``grown`` is drawn
        self.frozen = 0  # the points ``grown`` has
        self.t = 0.0  # the time the path is drawn to
        self.grown = StillLine(stroke_color=color, stroke_width=width)
        self.line = VMobject(stroke_color=color, stroke_width=width)
        self.head = Dot(points[0], radius=dot_radius, color=color)
        self.add(self.grown, self.line, self.head)
        self.at(0.0)

    def head_at(self, t: float) -> tuple[np.ndarray, int]:
        k = bisect_right(self.times, t)  # points reached by time t
        if k >= len(self.pts):
            return self.pts[-1], len(self.pts)
        a, b = self.times[k - 1], self.times[k]
        s = (t - a) / (b - a) if b > a else 1.0
        return self.pts[k - 1] + s * (self.pts[k] - self.pts[k - 1]), k

    def corners(self, t: float, since: float | None = None) -> tuple[np.ndarray, float]:
        """The polyline drawn by time ``t``, from the start or from ``since`` along it: its
        points from the start of the step ``since`` falls in, and how far along that step
        (0 to 1) the drawing starts."""
        head, k = self.head_at(t)
        if since is None:
            return np.vstack([self.pts[:k], head]), 0.0
        j = bisect_right(self.arc, since)  # the first point past ``since``
        if j >= len(self.pts):
            return np.vstack([head, head]), 0.0
        cut = (since - self.arc[j - 1]) / (self.arc[j] - self.arc[j - 1])
        return np.vstack([self.pts[j - 1 : k], head]), cut

    def draw(self, mob: VMobject, corners: np.ndarray, cut: float = 0.0) -> None:
        if cut > 0:
            corners = corners.copy()
            corners[0] += cut * (corners[1] - corners[0])
        mob.set_points_as_corners(corners)

    def at(self, t: float) -> GrowingPath:
        head, k = self.head_at(t)
        if self.still and k - self.frozen >= STILL_POINTS:
            self.take_in(t)
        self.draw(self.line, *self.corners(t, self.since))
        self.head.move_to(head)
        self.t = t
        return self

    def freeze(self, t: float | None = None) -> GrowingPath:
        """From time ``t`` (by default, what is drawn now), ``grown`` holds what the path
        has drawn, once that is STILL_POINTS points, and again each time ``line`` has as
        many more: ``line`` starts a little before its end."""
        t = self.t if t is None else t
        self.still = True
        if self.head_at(t)[1] - self.frozen >= STILL_POINTS:
            self.take_in(t)
        return self

    def take_in(self, t: float) -> None:
        """``grown`` the path drawn by time ``t``; ``line`` from a little before its end."""
        head, self.frozen = self.head_at(t)
        along = self.arc[self.frozen - 1] + float(np.linalg.norm(head - self.pts[self.frozen - 1]))
        corners, _ = self.corners(t)
        if len(corners) > 2 and np.array_equal(corners[-1], corners[-2]):
            # the head on a point: a last step of no length would be stroked as a spike
            # (a frame shows one only for an instant; the still part would keep it)
            corners = corners[:-1]
        self.draw(self.grown, corners)
        self.grown.drawn += 1
        self.since = max(0.0, along - self.overlap)

    def thaw(self, t: float | None = None) -> GrowingPath:
        """One line again, drawn up to ``t`` (by default where it is drawn to)."""
        self.still, self.since, self.frozen = False, None, 0
        self.grown.clear_points()
        self.grown.drawn += 1
        return self.at(self.t if t is None else t)


def race(scene, paths: list[GrowingPath], spans, seconds: float, after=None) -> None:
    """Play ``paths`` on one clock, a span (start, end) of their time at a time, each in
    ``seconds``; ``after(i)`` changes what it gives at the end of span ``i`` (a readout).
    What they have drawn is still while they play (``GrowingPath.freeze``)."""
    group = VGroup(*paths)
    for p in paths:
        p.freeze(spans[0][0])
    for i, (start, end) in enumerate(spans):

        def grow(mob, alpha, start=start, end=end):
            for p in mob:
                p.at(start + alpha * (end - start))

        scene.play(UpdateFromAlphaFunc(group, grow), run_time=seconds, rate_func=linear)
        if after:
            after(i)
    for p in paths:
        p.thaw()


class StillLines:
    """A Scene mixin: the scene's camera is a :class:`RaceCamera` (a scene that names its
    own, as Manim's ThreeDScene does, keeps it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("camera_class", RaceCamera)
        super().__init__(*args, **kwargs)
