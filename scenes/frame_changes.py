"""Where a frame differs from the one before it, so that only that part is redrawn and
converted.

During a play, Manim draws every frame by copying the play's still background over the whole
picture (8 MB at 1080p, 33 MB at 4K) and drawing the moving mobjects on it; the encoder then
converts the whole RGBA picture to YUV (about 7 ms a frame at 1080p). What moves is usually a
small part of the picture (a band on a line of code, a number counting, a dot on a curve):
between two frames of the code scenes, a tenth to a fifth of the frame.

``update_frame`` bounds what it draws: the boxes of the moving mobjects' points on the frame,
widened by the reach of their strokes (half a width, or five widths at a sharp mitre, Cairo's
limit) and two pixels of antialiasing, and merged where that adds little. It restores the
background only in the boxes the last frame drew in, and tells the encoder
(``renderer.frame_change``) that the new picture differs from the last one only inside the
boxes of both. ``still_frames`` converts only those and keeps the rest of the last frame's
conversion: the same bytes as a whole conversion (``tests/test_frame_changes.py`` renders a
scene that moves, counts, fades, races and waits both ways and compares the videos).

A frame is drawn whole, as Manim draws it, whenever the boxes cannot be known: the first
frame of a play (a new background), a 3-D or moving camera, a moving mobject that is not a
``VMobject`` (an image, a point cloud); and where they would not save anything: boxes that
cover most of the frame, a frame smaller than 720p.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from manim import VMobject
from manim.camera.camera import Camera
from manim.camera.moving_camera import MovingCamera
from manim.utils.iterables import list_update

#: pixels of antialiasing and rounding around what Cairo fills and strokes
ANTIALIAS = 2
#: Cairo's default mitre limit is 10: a corner reaches at most 10 half widths past its point
MITRE_HALF_WIDTHS = 10


class Box(NamedTuple):
    """Pixels x0 <= x < x1, y0 <= y < y1 of a frame; empty when x0 >= x1 or y0 >= y1."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def empty(self) -> bool:
        return self.x1 <= self.x0 or self.y1 <= self.y0

    @property
    def area(self) -> int:
        return 0 if self.empty else (self.x1 - self.x0) * (self.y1 - self.y0)


class Change(NamedTuple):
    """What ``update_frame`` (or a play that makes its own frames) tells the encoder of the
    picture it has just made: its number, and the boxes outside which it is the picture
    numbered one less (None: it can differ anywhere)."""

    serial: int
    boxes: tuple[Box, ...] | None


#: frames with fewer pixels than 720p are drawn whole: there, finding the boxes costs about
#: what they save (``Saddle`` and ``BatchModesCode`` at -q l, 480p)
SMALLEST_FRAME = 1280 * 720

#: more boxes than this are drawn as their union
MOST_BOXES = 24
INFINITE = float("inf")  # a slack that joins any two boxes


def _joined(a: tuple, b: tuple, slack: float) -> tuple | None:
    """Boxes ``a`` and ``b`` (x0, y0, x1, y1, area) as one, or None when that covers more
    than ``slack`` pixels beyond both."""
    u = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
    area = (u[2] - u[0]) * (u[3] - u[1])
    return (*u, area) if area <= a[4] + b[4] + slack else None


def merged(boxes, slack: int) -> tuple[Box, ...]:
    """``boxes`` (non-empty) as fewer boxes covering the same pixels: two become their union
    where that covers at most ``slack`` pixels more than both. (Plain tuples: this runs at
    every frame, over every moving mobject.)"""
    out: list[tuple] = []  # x0, y0, x1, y1, area
    for x0, y0, x1, y1 in boxes:  # neighbours first: a number's glyphs come one by one
        box = (x0, y0, x1, y1, (x1 - x0) * (y1 - y0))
        joined = _joined(out[-1], box, slack) if out else None
        if joined:
            out[-1] = joined
        else:
            out.append(box)
    if len(out) > MOST_BOXES:
        whole = out[0]
        for box in out[1:]:
            whole = _joined(whole, box, slack=INFINITE)
        out = [whole]
    again = True
    while again:  # then any two, until no two join
        again, i = False, 0
        while i < len(out):
            j = i + 1
            while j < len(out):
                joined = _joined(out[i], out[j], slack)
                if joined:
                    out[i] = joined
                    del out[j]
                    again = True
                else:
                    j += 1
            i += 1
    return tuple(Box(*b[:4]) for b in out)


def flat(camera) -> bool:
    """Whether ``camera`` draws points where they are (a 3-D camera projects them)."""
    return type(camera).transform_points_pre_display is Camera.transform_points_pre_display


def bounds_flat(camera) -> bool:
    """Whether ``camera`` draws a mobject's points where they are on a frame that stays put
    (Manim's Camera and the race's; a 3-D camera projects them, a moving one moves)."""
    return (
        flat(camera)
        and type(camera).capture_mobjects is Camera.capture_mobjects
        and not isinstance(camera, MovingCamera)
    )


def slack(camera) -> int:
    """Pixels two boxes may add by being drawn as one (a quarter of a percent of the frame)."""
    return camera.pixel_width * camera.pixel_height // 400


def _with_points(mobjects) -> list:
    """``mobjects`` and their submobjects that have points, each once, parents first (what
    Manim's camera draws of them, here in a walk that visits each mobject once)."""
    seen: set[int] = set()
    out = []
    stack = list(reversed(mobjects))
    while stack:
        mob = stack.pop()
        if id(mob) in seen:
            continue
        seen.add(id(mob))
        if len(mob.points):
            out.append(mob)
        stack.extend(reversed(mob.submobjects))
    return out


def drawn_boxes(camera, mobjects) -> tuple[Box, ...] | None:
    """The pixels drawing ``mobjects`` (and their submobjects) can touch, as a few boxes, or
    None when that cannot be known from their points."""
    if not bounds_flat(camera) or camera.pixel_width * camera.pixel_height < SMALLEST_FRAME:
        return None
    family = _with_points(mobjects)
    if not family:
        return ()
    widths = []
    for mob in family:
        if not isinstance(mob, VMobject):
            return None
        widths.append(max(mob.get_stroke_width(), mob.get_stroke_width(background=True)))
    starts = np.cumsum([0] + [len(mob.points) for mob in family[:-1]])
    points = np.concatenate([mob.points for mob in family])[:, :2]
    low, high = np.minimum.reduceat(points, starts), np.maximum.reduceat(points, starts)
    pw, ph = camera.pixel_width, camera.pixel_height
    scale = np.array([pw / camera.frame_width, -ph / camera.frame_height])
    centre = np.array([pw / 2, ph / 2]) - camera.frame_center[:2] * scale
    reach = MITRE_HALF_WIDTHS / 2 * camera.cairo_line_width_multiple * scale[0] * np.array(widths)
    reach = (reach + ANTIALIAS)[:, None]
    a, b = low * scale + centre, high * scale + centre  # y grows downwards on the frame
    corners = np.hstack([np.floor(np.minimum(a, b) - reach), np.ceil(np.maximum(a, b) + reach)])
    if not np.isfinite(corners).all():
        return None
    x0, y0, x1, y1 = np.clip(corners, 0, [pw, ph, pw, ph]).astype(int).T
    shown = (x1 > x0) & (y1 > y0)
    boxes = zip(x0[shown].tolist(), y0[shown].tolist(), x1[shown].tolist(), y1[shown].tolist())
    return merged(boxes, slack(camera))


def update_frame(renderer, scene, mobjects=None, include_submobjects=True, **kwargs) -> None:
    """Manim's ``CairoRenderer.update_frame`` (background, then ``mobjects`` on it), putting
    the background back only in the boxes the last frame's moving mobjects were drawn in when
    it can, and setting ``renderer.frame_change`` for the encoder."""
    moving_only = bool(mobjects)
    if not mobjects:
        mobjects = list_update(scene.mobjects, scene.foreground_mobjects)
    camera, background = renderer.camera, renderer.static_image
    boxes = None
    if moving_only and include_submobjects and not kwargs and background is not None:
        boxes = drawn_boxes(camera, mobjects)
    last = getattr(renderer, "drawn_over", None)  # (background, boxes drawn on it) or None
    if boxes is not None and last is not None and last[0] is background:
        for x0, y0, x1, y1 in last[1]:
            camera.pixel_array[y0:y1, x0:x1] = background[y0:y1, x0:x1]
        changed = merged(last[1] + boxes, slack(camera))
    else:
        if background is not None:
            camera.set_frame_to_background(background)
        else:
            camera.reset()
        changed = None
    camera.capture_mobjects(mobjects, include_submobjects=include_submobjects, **kwargs)
    renderer.drawn_over = (background, boxes) if boxes is not None else None
    made_picture(renderer, changed)


def made_picture(renderer, changed: tuple[Box, ...] | None) -> None:
    """Number the picture just made in ``renderer``'s camera; ``changed``: the boxes where it
    can differ from the picture before (None: anywhere)."""
    serial = getattr(renderer, "frame_change", Change(0, None)).serial + 1
    renderer.frame_change = Change(serial, changed)


def forget(renderer) -> None:
    """Something drew on the camera's picture outside ``update_frame``: the next frame is
    drawn whole."""
    renderer.drawn_over = None
