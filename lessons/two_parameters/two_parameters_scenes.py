"""The (w, b) lessons' scenes, drawn from their trace (``lessons/*.toml``).

``manim -qh lessons/two_parameters/two_parameters_scenes.py SlopeBias`` (or
``gdlesson build --config ...``):

- ``SlopeBiasCode``, ``BatchModesCode``, ``LearningRatesCode``: the lesson's PyTorch loop
  (listing.py) with the running line highlighted beside readouts of its variables, counting;
  each batch size's loop in turn; the chosen lr's, with both losses after each epoch.
- ``SlopeBias``: the path of (w, b) on the contour of the cost surface, step by step,
  beside the data with the fitted line and the loss per iteration.
- ``SlopeBiasSurface``: the same path on the 3D cost surface, the camera turning slowly
  to look down into the bowl from the side away from the start.
- ``BatchModes``: batch, stochastic and mini-batch paths on one contour, with an inset that
  magnifies the minimum's neighbourhood where they end (each run named there, with a line
  to its end), and their losses on one plot, all on one clock (epochs), so that they move
  in step.
- ``LearningRates``: training and validation loss for each learning rate, in step, over a
  table of the losses after the latest epoch; at the end the lowest validation loss marked.

Nothing is drawn in the outer 5% of the frame (``safe_area``).

The scenes read the trace only; the parameter file is ``$GDLESSON_CONFIG`` or the scene's
own lesson under ``lessons/``.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from functools import cached_property

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    Rectangle,
    Text,
    ThreeDAxes,
    Transform,
    Triangle,
    VGroup,
    VMobject,
    linear,
)
from scipy.interpolate import RectBivariateSpline

from gd_engine.config import check_view
from gdlesson.registry import lessons
from lessons.two_parameters.listing import BLOCKS, listing
from lessons.two_parameters.source import scene_config, scene_trace
from lessons.two_parameters.timing import (
    CODE_PLANS,
    EPOCH_TIME,
    HOLD,
    SURFACE_BUDGET,
    Move,
    code_plan,
    planned_seconds,
    step_time,
)
from lessons.two_parameters.trace import FollowUpTrace, Run, best_run
from lessons.two_parameters.trace import Surface as CostGrid
from scenes.code import CodeListing, code_blocks
from scenes.contour import ContourPanel
from scenes.layout import GUTTER, Box, columns, fit_panel, safe_area
from scenes.lesson_trace import config_source
from scenes.narrated import NarratedScene
from scenes.panels import DataPanel, MonoLine, Reading, fmt_tick, fmt_value, nice_step, ticks
from scenes.race import GrowingPath, LossOverTime, StillLines, race
from scenes.speedups import install as install_speedups
from scenes.surface import Bilinear, CostSurface, SurfaceScene

install_speedups()

DATA_SHARE = 0.5  # of the right column's height: the data panel's share (the loss below)
#: at least this between a run's arrowhead where it leaves a plot and any tick label (16 px
#: at 1080p: an arrowhead nearer than that reads as part of the label)
LEAVING_GAP = 0.12


class LeavingPath(GrowingPath):
    """A :class:`GrowingPath` whose last point is where it leaves its plot (on the edge):
    when it gets there an arrowhead, pointing the way it went, takes the dot's place, with
    ``note`` (a label that says so) beside it.

    The arrowhead keeps LEAVING_GAP from every box of ``keep_clear`` (the plot's tick
    labels): where it would come nearer, it slides along the edge, away from them, and the
    path's last point with it (the path still ends at its tip)."""

    def __init__(
        self, times, points: np.ndarray, color: str, width: float, dot_radius, note, keep_clear=()
    ):
        points = np.array(points, dtype=float)
        boxes = [screen_extent(m) for m in keep_clear]
        self.arrow = self.arrowhead(points, color, dot_radius)
        for _ in range(10):  # a slide turns the arrowhead a little: measured again
            if clearing_shift(screen_extent(self.arrow), boxes, LEAVING_GAP) == 0.0:
                break
            # a little past the gap, so that the turn does not take it back
            points[-1] += RIGHT * clearing_shift(
                screen_extent(self.arrow), boxes, 1.1 * LEAVING_GAP
            )
            self.arrow = self.arrowhead(points, color, dot_radius)
        self.note = note.next_to(self.arrow, RIGHT, buff=0.1).align_to(self.arrow, UP)
        super().__init__(times, points, color, width, dot_radius)
        self.add(self.arrow, self.note)

    @staticmethod
    def arrowhead(points: np.ndarray, color: str, dot_radius: float) -> Triangle:
        """A triangle pointing from the path's second last point to its last, its tip there."""
        way = points[-1] - points[-2] if len(points) > 1 else UP
        arrow = Triangle(fill_color=color, fill_opacity=1.0, stroke_width=0)
        arrow.scale_to_fit_height(dot_radius * 3.5)
        arrow.rotate(math.atan2(way[1], way[0]) - math.pi / 2)
        return arrow.shift(points[-1] - arrow.get_vertices()[0])  # its tip on the edge

    def at(self, t: float) -> LeavingPath:
        super().at(t)
        gone = self.head_at(t)[1] >= len(self.pts)
        self.head.set_opacity(0.0 if gone else 1.0)
        self.arrow.set_opacity(1.0 if gone else 0.0)
        self.note.set_opacity(1.0 if gone else 0.0)
        return self


def screen_extent(mob: VMobject) -> Box:
    """(left, bottom, right, top) of the points ``mob`` and its members draw."""
    points = mob.get_all_points()[:, :2]
    (left, bottom), (right, top) = points.min(axis=0), points.max(axis=0)
    return float(left), float(bottom), float(right), float(top)


def clearing_shift(box: Box, others: list[Box], gap: float) -> float:
    """How far across ``box`` must move to keep ``gap`` from each of ``others`` it comes
    nearer than that (0 if none): away from the nearest of those, past all of them on its
    side."""
    left, bottom, right, top = box
    near = [
        o
        for o in others
        if o[0] - gap < right and left < o[2] + gap and o[1] - gap < top and bottom < o[3] + gap
    ]
    if not near:
        return 0.0
    middle = (left + right) / 2
    on_left = [o for o in near if (o[0] + o[2]) / 2 <= middle]
    on_right = [o for o in near if (o[0] + o[2]) / 2 > middle]
    nearest = min(near, key=lambda o: abs((o[0] + o[2]) / 2 - middle))
    if nearest in on_left:
        return max(o[2] + gap - left for o in on_left)
    return -max(right - (o[0] - gap) for o in on_right)


def clip_segments(a: np.ndarray, b: np.ndarray, window: Box):
    """The parts of the segments a[i] to b[i] inside ``window`` (left, bottom, right, top),
    all at once (Liang and Barsky): their starts, their ends, and which are not empty."""
    left, bottom, right, top = window
    d = b - a
    t0, t1 = np.zeros(len(a)), np.ones(len(a))
    keep = np.ones(len(a), dtype=bool)
    for p, q in (
        (-d[:, 0], a[:, 0] - left),
        (d[:, 0], right - a[:, 0]),
        (-d[:, 1], a[:, 1] - bottom),
        (d[:, 1], top - a[:, 1]),
    ):
        parallel = p == 0
        keep &= ~(parallel & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
        t0 = np.where(p < 0, np.maximum(t0, r), t0)
        t1 = np.where(p > 0, np.minimum(t1, r), t1)
    keep &= t0 <= t1
    return a + t0[:, None] * d, a + t1[:, None] * d, keep


class ClippedPath(GrowingPath):
    """A :class:`GrowingPath` seen through a window (left, bottom, right, top on screen):
    only its parts inside are drawn, and its head while it is inside."""

    def __init__(self, times, points: np.ndarray, color: str, width: float, dot_radius, window):
        self.window = window
        super().__init__(times, points, color, width, dot_radius)

    def freeze(self, t: float | None = None) -> ClippedPath:
        """Stroked whole every frame: the window shows little of it, and a still part would
        join the rest differently where the path turns back on itself."""
        return self

    def draw(self, mob: VMobject, corners: np.ndarray, cut: float = 0.0) -> None:
        starts, ends, keep = clip_segments(corners[:-1], corners[1:], self.window)
        starts, ends = starts[keep], ends[keep]
        # a cubic curve per straight piece; Manim joins those that meet into one stroke
        curves = np.stack([starts, (2 * starts + ends) / 3, (starts + 2 * ends) / 3, ends], 1)
        mob.set_points(curves.reshape(-1, 3))

    def at(self, t: float) -> ClippedPath:
        super().at(t)
        (x, y, _), (left, bottom, right, top) = self.head_at(t)[0], self.window
        seen = left <= x <= right and bottom <= y <= top
        self.head.set_opacity(1.0 if seen else 0.0)
        return self


def stack(
    wanted: dict[int, float], heights: dict[int, float], room: tuple[float, float], gap: float
) -> dict[int, float]:
    """Heights (centres) for labels in a column: each at its ``wanted`` y where it can be,
    the next one down at least ``gap`` below it (in the order of wanted, top first), all
    between room = (bottom, top) if they fit (pushed down from the top, then back up from
    the bottom)."""
    order = sorted(wanted, key=lambda i: -wanted[i])
    ys, limit = {}, room[1]
    for i in order:
        ys[i] = min(wanted[i], limit - heights[i] / 2)
        limit = ys[i] - heights[i] / 2 - gap
    limit = room[0]
    for i in reversed(order):
        ys[i] = max(ys[i], limit + heights[i] / 2)
        limit = ys[i] + heights[i] / 2 + gap
    return ys


def run_name(run: Run) -> str:
    """A run as the lesson names it: "batch", "stochastic", "mini-batch 5"."""
    return run.mode.replace(" of ", " ")


def near(trace: FollowUpTrace, w_range, b_range, nodes: int = 41) -> FollowUpTrace:
    """The trace, its cost surface cut to a small box of (w, b), for a second
    :class:`ContourPanel` that magnifies it. The trace's grid is coarse at that scale: its
    values are interpolated onto ``nodes`` x ``nodes`` by a bicubic spline, which reproduces
    a cost quadratic in w and b (this one) exactly."""
    s = trace.surface
    spline = RectBivariateSpline(s.b, s.w, np.array(s.loss))  # loss[i][j] at (w[j], b[i])
    ws, bs = np.linspace(*w_range, nodes), np.linspace(*b_range, nodes)
    loss = spline(bs, ws)
    surface = CostGrid(tuple(map(float, ws)), tuple(map(float, bs)), tuple(map(tuple, loss)))
    return replace(trace, surface=surface)


class FollowUpScene(StillLines, NarratedScene):
    """A scene of a (w, b) lesson: its trace, theme and narration (``NarratedScene``), its
    view checked against the trace first; shared titles and legends."""

    trace: FollowUpTrace
    lesson_file = "lessons/slope_and_bias.toml"
    heading_size = 0.72

    def load_config(self):
        return scene_config(self.lesson_file)

    def load_trace(self, cfg) -> FollowUpTrace:
        return scene_trace(cfg)

    def load_narrations(self, cfg):
        """The lesson's narration, once the view it asks for is checked against the trace
        (``$GDLESSON_SET`` may have changed it)."""
        source = config_source(self.lesson_file)
        check_view(self.trace, source, os.environ.get("GDLESSON_SET", "").split(";"))
        return lessons()[cfg.lesson.kind].narration(source, lambda: self.trace)

    def scene_seconds(self) -> float:
        return planned_seconds(self.trace, type(self).__name__, self.spoken)

    def title(self) -> Text:
        """The lesson's title, muted; made once (a Text costs a tenth of a second, and
        readouts and clocks are placed under it again and again)."""
        if getattr(self, "_title", None) is None:
            self._title = self.heading(self.trace.config.title, self.theme.muted)
        return self._title

    def body_top(self, header: VMobject) -> float:
        """Where the panels may start: a little below ``header`` (the lines under the title)."""
        return float(header.get_bottom()[1]) - 0.2

    def colors(self) -> list[str]:
        palette = self.theme.runs
        return [palette[i % len(palette)] for i in range(len(self.trace.runs))]

    def legend(self, names: list[str], colors: list[str]) -> VGroup:
        rows = VGroup(
            *(self.text(f"\u25cf {n}", self.theme.tick_size + 2, c) for n, c in zip(names, colors))
        )
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def minimum_label(self, contour: ContourPanel) -> Text:
        m = self.trace.minimum
        label = self.text(
            f"minimum  w {fmt_value(m.w, 2)}  b {fmt_value(m.b, 2)}",
            self.theme.tick_size,
            self.theme.true_line,
        )
        return label.next_to(contour.axes, UP, buff=0.1).align_to(contour.axes, RIGHT)

    def replace_text(self, old: Text, new: Text) -> Text:
        """Swap a readout for its next value at once (no animation to pay for)."""
        self.remove(old)
        self.add(new)
        return new

    def race(self, paths: list[GrowingPath], t_max: float, on_epoch=None) -> None:
        """Play every path on one clock, an epoch at a time; ``on_epoch(e)`` gives what to
        change at the end of epoch ``e`` (a readout)."""
        epochs = [(e, min(e + 1, t_max)) for e in range(math.ceil(t_max))]
        race(self, paths, epochs, EPOCH_TIME, on_epoch and (lambda i: on_epoch(i + 1)))


# -- the code scenes: the lesson's loop with the running line and what its variables hold ----
#: the code is never drawn smaller (capitals about 29 px tall at 1080p); the theme's code
#: size when it fits beside the readouts
MIN_CODE_SIZE = 21


class LoopCode(FollowUpScene):
    """The lesson's PyTorch loop (lessons/two_parameters/listing.py) with a band on the line
    being run, beside readouts of what its variables hold, counting: the first iterations
    line by line, then some at speed; in a lesson with validation data, the losses after
    each epoch. A lesson of several runs shows each run's loop in turn."""

    CODE_SHARE = 0.64  # of the safe width: the listing's (the readouts beside it)
    ROW_PITCH = 0.5  # between two readouts

    def construct(self) -> None:
        self.next_section(type(self).__name__.lower())
        self.plan = code_plan(self.trace, type(self).__name__)
        for move in self.plan:
            getattr(self, move.kind)(move)
        self.hold(HOLD)

    def code_for(self, i: int, box: Box) -> CodeListing:
        """Run ``i``'s code, fitted to ``box``: the model and the training, or the training
        alone when both would be drawn smaller than MIN_CODE_SIZE."""
        th, cfg = self.theme, self.trace.config
        blocks = code_blocks(listing(cfg, cfg.runs()[i]), BLOCKS)
        left, bottom, right, top = box
        for lines in ([*blocks["model"], "", *blocks["training"]], blocks["training"]):
            code = CodeListing(lines, th)
            scale = min(1.0, (right - left) / code.width, (top - bottom) / code.height)
            if code.font_size * scale >= MIN_CODE_SIZE or lines is blocks["training"]:
                return code.scale(scale).move_to((left, top, 0.0), aligned_edge=UP + LEFT)
        raise AssertionError("unreachable")

    def names(self, run: Run) -> list[str]:
        rows = ["rows"] if run.batches > 1 else []
        close = ["train_loss", "val_loss"] if CODE_PLANS[type(self).__name__][2] else []
        return ["epoch", *rows, "loss", "w.grad", "b.grad", "w", "b", *close]

    def heading_for(self, run: Run) -> Text:
        th = self.theme
        n = run.steps[0].size if run.steps else 0
        points = f"{n} point{'s' if n != 1 else ''} per step"
        if run.batches == 1:
            points = f"all {n} points"
        text = f"{run.mode.split(' of ')[0]}: {points}, lr {run.lr:g}"
        return self.text(text, th.label_size, self.colors()[self.trace.runs.index(run)])

    def build_code(self, i: int) -> None:
        """Run ``i``'s listing under the title at the left, its heading and readouts at
        the right (``self.listing``, ``self.side``, ``self.values``)."""
        th, run = self.theme, self.trace.runs[i]
        left, bottom, right, _ = safe_area()
        top = self.body_top(self.title())
        self.listing = self.code_for(
            i, (left, bottom, left + self.CODE_SHARE * (right - left), top)
        )
        column = self.listing.get_right()[0] + 0.45
        heading = self.heading_for(run)
        heading.scale_to_fit_width(min(heading.width, right - column))
        heading.move_to((column, top, 0.0), aligned_edge=UP + LEFT)
        nan = float("nan")
        w0, b0 = run.start
        start = {"w": float(np.float32(w0)), "b": float(np.float32(b0))}
        self.values, labels = {}, VGroup()
        digit = self.text("0", th.tick_size, mono=True).height  # the numbers' glyphs' height
        for j, name in enumerate(self.names(run)):
            y = heading.get_bottom()[1] - 0.35 - self.ROW_PITCH * j
            label = self.text(name, th.tick_size, th.muted, mono=True)
            label.move_to((column, y, 0.0), aligned_edge=LEFT)
            # on the numbers' baseline (the first letter of every name sits on it)
            labels.add(label.shift(UP * (y - digit / 2 - label[0].get_bottom()[1])))
            if name == "rows":
                value = self.text("\u2013", th.tick_size, th.foreground, mono=True)
            else:
                value = Reading(start.get(name, nan), th, 0 if name == "epoch" else 3, th.tick_size)
                value.set_color(self.readout_color(name))
            self.values[name] = value.move_to((right, y, 0.0), aligned_edge=RIGHT)
        self.side = VGroup(heading, labels)
        d = self.trace.config.data
        if d.outliers:  # what the data lines above the loop did: the outliers, in y only
            note = self.text(
                f"y: {d.outliers} points set to {d.outlier_y:g}\ny_val: none",
                th.label_size,
                th.muted,
            )
            note.next_to(labels, DOWN, buff=0.35, aligned_edge=LEFT)
            self.side.add(note)
        # the listing and the readouts in the middle of the room under the title
        block = VGroup(self.listing, self.side, *self.values.values())
        block.shift(UP * ((top + bottom) / 2 - block.get_center()[1]))

    def readout_color(self, name: str) -> str:
        th = self.theme
        return {
            "loss": th.loss,
            "train_loss": th.loss,
            "val_loss": th.loss,
            "w.grad": th.tangent,
            "b.grad": th.tangent,
            "w": th.fitted,
            "b": th.fitted,
        }.get(name, th.foreground)

    def show(self, move: Move) -> None:
        self.build_code(move.run)
        self.play(
            FadeIn(self.title()),
            FadeIn(self.listing),
            FadeIn(self.side),
            *(FadeIn(v) for v in self.values.values()),
            run_time=move.seconds,
        )
        self.add(self.listing.band)

    def swap(self, move: Move) -> None:
        """The next run's loop and readouts in place of the last's."""
        old = VGroup(self.listing, self.listing.band, self.side, *self.values.values())
        self.build_code(move.run)
        self.play(
            FadeOut(old),
            FadeIn(self.listing),
            FadeIn(self.side),
            *(FadeIn(v) for v in self.values.values()),
            run_time=move.seconds,
        )
        self.add(self.listing.band)

    def changes(self, move: Move) -> dict[str, float]:
        """What the move's line sets, from the trace (``fast``: all of an iteration)."""
        run = self.trace.runs[move.run]
        s = run.steps[move.step]
        first = "rows = " if run.batches > 1 else "yhat = "
        sets = {
            first: {"epoch": s.epoch},
            "loss = cost": {"loss": s.loss},
            "loss.backward()": {"w.grad": s.grad_w, "b.grad": s.grad_b},
            "w.data = ": {"w": s.w_next},
            "b.data = ": {"b": s.b_next},
            "w.grad.data.zero_()": {"w.grad": 0.0},
            "b.grad.data.zero_()": {"b.grad": 0.0},
            "train_loss = ": {"train_loss": s.loss_full},
            "val_loss = ": {"val_loss": s.loss_val},
        }
        if move.kind == "fast":  # the iteration's values, its gradients as backward() left them
            return {
                "epoch": s.epoch,
                "loss": s.loss,
                "w.grad": s.grad_w,
                "b.grad": s.grad_b,
                "w": s.w_next,
                "b": s.b_next,
            }
        return sets.get(move.line, {})

    def rows_text(self, move: Move) -> Text:
        rows = self.trace.runs[move.run].steps[move.step].rows
        shown = ", ".join(str(r) for r in rows[:2]) + (", \u2026" if len(rows) > 2 else "")
        text = self.text(f"[{shown}]", self.theme.tick_size, mono=True)
        return text.move_to(self.values["rows"], aligned_edge=RIGHT)

    def counts(self, move: Move) -> list:
        moves = []
        for name, value in self.changes(move).items():
            if name in self.values and (count := self.values[name].count_to(value)) is not None:
                moves.append(count)
        if "rows" in self.values and (move.kind == "fast" or move.line == "rows = "):
            self.values["rows"] = self.replace_text(self.values["rows"], self.rows_text(move))
        return moves

    def line(self, move: Move) -> None:
        band = self.listing.band_at(move.line)
        self.play(Transform(self.listing.band, band), *self.counts(move), run_time=move.seconds)

    close = line

    def fast(self, move: Move) -> None:
        """An iteration (or the rest of an epoch) at speed: the band on the loop's head."""
        run = self.trace.runs[move.run]
        head = "for i in range" if run.batches > 1 else "for epoch in"
        band = self.listing.band_at(head)
        self.play(Transform(self.listing.band, band), *self.counts(move), run_time=move.seconds)


class SlopeBiasCode(LoopCode):
    """The full-batch loop of (w, b), its first iterations line by line."""


class BatchModesCode(LoopCode):
    """The loops of full batch, one sample and mini-batches, each run's first iterations."""

    lesson_file = "lessons/batch_modes.toml"


class LearningRatesCode(LoopCode):
    """The stochastic loop at the learning rate that ends with the lowest validation loss,
    and the training and validation losses after each of its first epochs."""

    lesson_file = "lessons/learning_rates.toml"


class SlopeBias(FollowUpScene):
    """One run of (w, b): its path on the contour, the fitted line, the loss."""

    def construct(self) -> None:
        self.next_section("slope_bias")
        self.run = self.trace.runs[0]
        self.show_map()
        self.walk_down()
        self.hold(HOLD)

    def show_map(self) -> None:
        th = self.theme
        self.readout = self.readout_at(0)
        contour_box, (left, bottom, right, top) = columns(self.body_top(self.readout))
        self.contour = fit_panel(lambda **size: ContourPanel(self.trace, th, **size), contour_box)
        split = top - DATA_SHARE * (top - bottom)
        self.data = fit_panel(
            lambda **size: DataPanel(self.trace, th, y_range=self.data_range(), **size),
            (left, split + 0.15, right, top),
        )
        self.data.y_title.become(self.text("y", th.label_size, th.muted).move_to(self.data.y_title))
        path, losses = self.run.path, self.run.loss_full
        self.loss = fit_panel(
            lambda **size: LossOverTime(
                th, max(len(path) - 1, 1), losses, "iteration", "loss on all the data", **size
            ),
            (left, bottom, right, split - 0.15),
        )
        self.loss_points = self.loss.screen_points(range(len(losses)), losses)
        w, b = path[0]
        self.dot = self.contour.dot(w, b, th.fitted)
        self.line = self.data.fitted_line(w, b)
        self.play(
            FadeIn(self.title()),
            FadeIn(VGroup(self.contour, self.contour.contours, self.contour.minimum)),
            FadeIn(self.minimum_label(self.contour)),
            FadeIn(VGroup(self.data, self.data.true_line, self.data.data_points)),
            FadeIn(self.loss),
            run_time=1.2,
        )
        self.play(
            FadeIn(self.dot, scale=2),
            Create(self.line),
            FadeIn(self.readout),
            FadeIn(self.loss_dot(0)),
            run_time=0.8,
        )

    def data_range(self) -> tuple[float, float]:
        """The data's y range, stretched to every iterate's bias (the fitted line's height
        at x = 0), so that the line stays in sight as it climbs to the data."""
        values = [*self.trace.data.y, *(b for _, b in self.run.path)]
        lo, hi = min(values), max(values)
        pad = 0.12 * (hi - lo)
        return lo - pad, hi + pad

    def readout_at(self, k: int) -> MonoLine:
        """Iteration, w, b and the loss after k steps, under the title (a new line each
        step: glyphs laid out once)."""
        w, b = self.run.path[k]
        text = (
            f"iteration {k:>2}   w {fmt_value(w):>8}   b {fmt_value(b):>8}   "
            f"loss {fmt_value(self.run.loss_full[k])}"
        )
        readout = MonoLine(text, self.theme.mono, self.theme.tick_size + 2, self.theme.foreground)
        return readout.next_to(self.title(), DOWN, buff=0.12, aligned_edge=LEFT)

    def loss_dot(self, k: int) -> Dot:
        return Dot(self.loss_points[k], radius=self.theme.dot_radius * 0.6, color=self.theme.loss)

    def walk_down(self) -> None:
        th = self.theme
        path = self.contour.path_points(self.run.path)
        seconds = step_time(len(path) - 1)
        self.trail = VGroup()  # the steps drawn so far, from (w_k, b_k) to (w_k+1, b_k+1)
        for k in range(1, len(path)):
            w, b = self.run.path[k]
            self.trail.add(Line(path[k - 1], path[k], color=th.tangent, stroke_width=3))
            moves = [
                Create(self.trail[-1]),
                self.dot.animate.move_to(path[k]),
                Transform(self.line, self.data.fitted_line(w, b)),
            ]
            if k < len(self.loss_points):
                moves.append(FadeIn(self.loss_dot(k)))
                moves.append(
                    Create(
                        Line(
                            self.loss_points[k - 1],
                            self.loss_points[k],
                            color=th.loss,
                            stroke_width=3,
                        )
                    )
                )
            self.play(*moves, run_time=seconds)
            self.remove(self.dot)
            self.add(self.dot)  # the dot stays on top of the path it draws
            self.readout = self.replace_text(self.readout, self.readout_at(k))


class SlopeBiasSurface(SurfaceScene, FollowUpScene):
    """The cost surface in 3D with the run's path on it, the camera turning slowly.

    The camera looks down into the bowl from the side opposite the run's start, so that
    the path runs down the far wall, which faces the camera, and the near rim hides none of
    it. The axes are the edges of the box on the floor nearest the camera (w and b) and
    its vertical edge at the left (cost), with numbers, as in a printed 3D plot.
    """

    # patches per side: a divisor of grid_points - 1 puts the corners on the grid. Unshaded
    # (colour by height instead): Cairo's 3D shading doubled the cost of every frame.
    RESOLUTION = 15
    Z_LENGTH = 3.2
    PHI = 50 * DEGREES  # the camera's angle from straight above: high enough to see the bottom
    TURN = 30 * DEGREES  # how far the camera turns while the path is drawn; it ends facing it
    TICK = 0.12  # tick length, in the axes' units on screen before the camera's zoom
    GAP = 0.3  # from an axis to its tick labels, likewise

    def construct(self) -> None:
        self.next_section("slope_bias_surface")
        self.run = self.trace.runs[0]
        self.show_surface()
        self.walk_down()
        self.hold(HOLD + 1.0)

    @cached_property
    def height(self) -> Bilinear:
        """The surface's loss at (w, b): bilinear between the trace's grid values (exact
        at the grid's nodes)."""
        s = self.trace.surface
        return Bilinear(s.w, s.b, s.loss)

    @property
    def theta(self) -> float:
        """Where the camera ends up: on the side of the minimum away from the run's start
        (the path comes down the far wall, towards the camera)."""
        m = self.trace.minimum
        dx, dy = (self.axes.c2p(m.w, m.b, 0) - self.axes.c2p(*self.run.path[0], 0))[:2]
        return math.atan2(dy, dx) if dx or dy else -math.pi / 2

    def camera_direction(self, theta: float) -> np.ndarray:
        """A unit vector from the frame centre towards the camera."""
        phi = self.PHI
        return np.array(
            [math.sin(phi) * math.cos(theta), math.sin(phi) * math.sin(theta), math.cos(phi)]
        )

    def build_surface(self) -> tuple[CostSurface, VGroup]:
        """The axes (``self.axes``, a coordinate map drawn as ``self.frame``), the surface
        over the trace's grid, its patches ordered from the back to the front for the final
        view, and the labels: numbers and names (``self.labels``)."""
        th = self.theme
        s = self.trace.surface
        w0, w1, b0, b1 = s.w[0], s.w[-1], s.b[0], s.b[-1]
        z_max = max(max(row) for row in s.loss)
        self.axes = ThreeDAxes(
            x_range=[w0, w1, nice_step(w1 - w0, 4)],
            y_range=[b0, b1, nice_step(b1 - b0, 4)],
            z_range=[0, z_max, nice_step(z_max, 3)],
            x_length=7.0,
            y_length=5.5,
            z_length=self.Z_LENGTH,
            axis_config={"stroke_opacity": 0, "include_ticks": False, "include_tip": False},
        )
        surface = CostSurface(
            self.axes, self.height, (w0, w1), (b0, b1), self.RESOLUTION, th, fill_opacity=0.75
        )
        toward = self.camera_direction(self.theta)
        surface.far_first(toward)  # for the final view (the camera turns a little towards it)
        self.frame, self.labels = self.box_axes(toward)
        return surface, self.labels

    def box_axes(self, toward: np.ndarray) -> tuple[VGroup, VGroup]:
        """The w and b axes along the floor's edges nearest the camera, the cost axis up
        the corner at the left, ticks and their numbers outside the box, and the names."""
        th, c2p = self.theme, self.axes.c2p
        (w0, w1, ws), (b0, b1, bs), (_, z1, zs) = (
            self.axes.x_range,
            self.axes.y_range,
            self.axes.z_range,
        )
        w_near, w_far = (w1, w0) if toward[0] > 0 else (w0, w1)
        b_near, b_far = (b1, b0) if toward[1] > 0 else (b0, b1)
        out_w = RIGHT if w_near == w1 else LEFT  # away from the box, across the b axis
        out_b = UP if b_near == b1 else DOWN  # across the w axis
        right = np.array([-toward[1], toward[0], 0.0])  # the screen's right, on the floor
        corner = min(((w_near, b_far), (w_far, b_near)), key=lambda c: c2p(*c, 0) @ right)
        out_z = c2p(*corner, 0) - c2p((w0 + w1) / 2, (b0 + b1) / 2, 0)
        out_z /= np.linalg.norm(out_z)

        line = dict(color=th.muted, stroke_width=th.axis_width)
        frame = VGroup(
            Line(c2p(w0, b_near, 0), c2p(w1, b_near, 0), **line),
            Line(c2p(w_near, b0, 0), c2p(w_near, b1, 0), **line),
            Line(c2p(*corner, 0), c2p(*corner, z1), **line),
        )
        labels = VGroup()

        # the screen's across and up, in the axes' space, seen from the final angle
        across = right / np.linalg.norm(right)
        up = np.cross(toward, across)

        def seen(out: np.ndarray) -> tuple[float, np.ndarray]:
            """``out`` on screen: its length there (foreshortened; at least 0.3, for the
            axes that point nearly at the camera) and its direction."""
            s = np.array([out @ across, out @ up])
            n = float(np.linalg.norm(s))
            return max(n, 0.3), s / max(n, 1e-9)

        def half(label: Text, out: np.ndarray) -> float:
            """From ``label``'s centre to its edge, along ``out`` on screen."""
            u = seen(out)[1]
            return abs(u[0]) * label.width / 2 + abs(u[1]) * label.height / 2

        reach = {}  # per axis: how far its numbers reach out from the ticks' ends, on screen

        def place(label: Text, at: np.ndarray, out: np.ndarray, clear: float) -> None:
            """``label`` out from ``at``, ``clear`` (on screen) between them."""
            span = clear + half(label, out)
            labels.add(label.move_to(at + out * (self.TICK + span / seen(out)[0])))

        def number(axis: str, v: float, step: float, at: np.ndarray, out: np.ndarray) -> None:
            frame.add(Line(at, at + out * self.TICK, **line))
            label = self.text(fmt_tick(v, step), th.tick_size, th.muted)
            place(label, at, out, self.GAP)
            reach[axis] = max(reach.get(axis, 0.0), self.GAP + 2 * half(label, out))

        for v in ticks(w0, w1, ws):
            number("w", v, ws, c2p(v, b_near, 0), out_b)
        for v in ticks(b0, b1, bs):
            number("b", v, bs, c2p(w_near, v, 0), out_w)
        for v in ticks(zs, z1, zs):  # not 0: the floor's corner has the b or w numbers
            number("cost", v, zs, c2p(*corner, v), out_z)
        # the names beyond their numbers, at the middle of the axis; the cost's above it
        for name, at, out in (
            ("w", c2p((w0 + w1) / 2, b_near, 0), out_b),
            ("b", c2p(w_near, (b0 + b1) / 2, 0), out_w),
        ):
            place(self.text(name, th.label_size, th.muted), at, out, reach[name] + self.GAP / 2)
        cost = self.text("cost", th.label_size, th.muted)
        labels.add(cost.move_to(c2p(*corner, z1) + OUT * 0.45))
        return frame, labels

    def place_camera(self, thetas: list[float], box: Box) -> tuple[float, np.ndarray]:
        """The zoom and frame centre at which the surface's box and its labels fit ``box``
        (left, bottom, right, top on screen) at every camera angle in ``thetas``: the
        largest zoom that fits, the picture centred in the box."""
        (w0, w1), (b0, b1), z1 = self.axes.x_range[:2], self.axes.y_range[:2], self.axes.z_range[1]
        corners = np.array(
            [self.axes.c2p(w, b, z) for w in (w0, w1) for b in (b0, b1) for z in (0, z1)]
        )
        anchors = np.array([label.get_center() for label in self.labels])
        halves = np.array([(label.width / 2, label.height / 2) for label in self.labels])
        left, bottom, right, top = box

        def extents(zoom: float, pivot: np.ndarray) -> tuple[float, float, float, float]:
            lo, hi = np.full(2, np.inf), np.full(2, -np.inf)
            for theta in thetas:
                self.set_camera_orientation(
                    phi=self.PHI, theta=theta, zoom=zoom, frame_center=pivot
                )
                self.camera.reset_rotation_matrix()  # Manim refreshes it only when drawing
                a = self.camera.project_points(corners)[:, :2]
                c = self.camera.project_points(anchors)[:, :2]
                lo = np.minimum(lo, np.minimum(a.min(axis=0), (c - halves).min(axis=0)))
                hi = np.maximum(hi, np.maximum(a.max(axis=0), (c + halves).max(axis=0)))
            return lo[0], lo[1], hi[0], hi[1]

        pivot = self.axes.c2p((w0 + w1) / 2, (b0 + b1) / 2, z1 / 2)
        for _ in range(4):  # the shifts change the perspective a little: settle them
            low, high = 0.1, 4.0
            for _ in range(30):
                zoom = (low + high) / 2
                x0, y0, x1, y1 = extents(zoom, pivot)
                fits = x0 >= left and x1 <= right and y1 - y0 <= top - bottom
                low, high = (zoom, high) if fits else (low, zoom)
            zoom = low
            x0, y0, x1, y1 = extents(zoom, pivot)
            # centre the picture: the pivot moves the other way, along the last view's
            # right (on the floor) and up (vertical, seen foreshortened)
            across, up = (left + right - x0 - x1) / 2, (top + bottom - y0 - y1) / 2
            theta = thetas[-1]
            right_on_floor = np.array([-math.sin(theta), math.cos(theta), 0.0])
            pivot = pivot - (right_on_floor * across + OUT * up / math.sin(self.PHI)) / zoom
        return zoom, pivot

    def show_surface(self) -> None:
        th = self.theme
        surface, labels = self.build_surface()
        self.surface = surface
        title = self.title()
        self.readout = self.readout_at(0)
        left, bottom, right, _ = safe_area()
        end = self.theta
        self.thetas = [end + self.TURN * (1 - i / 6) for i in range(7)]
        box = (left, bottom, right, self.body_top(self.readout))
        zoom, center = self.place_camera(self.thetas, box)
        # Manim's Cairo context keeps the frame centre's x and y it first drew with (the
        # title's place depends on them): the picture moves instead, the camera only up
        across = np.array([center[0], center[1], 0.0])
        for mob in (self.axes, surface, self.frame, labels):
            mob.shift(-across)
        self.set_camera_orientation(
            phi=self.PHI, theta=self.thetas[0], zoom=zoom, frame_center=center - across
        )
        self.add_fixed_in_frame_mobjects(title, self.readout)
        # they stay where they are in the scene: their centres taken once
        self.add_fixed_orientation_mobjects(*labels, use_static_center_func=True)
        self.play(FadeIn(surface), FadeIn(self.frame), FadeIn(labels), run_time=1.2)
        m = self.trace.minimum
        self.minimum = Dot(self.axes.c2p(m.w, m.b, m.loss), radius=0.07, color=th.true_line)
        self.add_fixed_orientation_mobjects(self.minimum, use_static_center_func=True)
        self.play(FadeIn(self.minimum), run_time=0.6)

    def readout_at(self, k: int) -> MonoLine:
        """Iteration k's w and b, under the title: a new line each step, put together from
        glyphs laid out once (a Text costs a tenth of a second)."""
        th, (w, b) = self.theme, self.run.path[k]
        text = f"iteration {k:>2}   w {fmt_value(w, 3)}   b {fmt_value(b, 3)}"
        readout = MonoLine(text, th.mono, th.tick_size + 2, th.foreground)
        return readout.next_to(self.title(), DOWN, buff=0.12, aligned_edge=LEFT)

    def point(self, k: int) -> np.ndarray:
        """Iterate k on the surface, lifted a little so that it is seen above it."""
        (w, b), loss = self.run.path[k], self.run.loss_full[k]
        return self.axes.c2p(w, b, loss) + np.array([0, 0, 0.04])

    def walk_down(self) -> None:
        """The path, a step at a time, while the camera turns to its last angle."""
        th = self.theme
        dot = Dot(self.point(0), radius=0.09, color=th.fitted)
        self.add_fixed_orientation_mobjects(dot)  # a flat dot that always faces the camera
        self.play(FadeIn(dot), run_time=0.5)
        steps = len(self.run.path) - 1
        seconds = step_time(steps, SURFACE_BUDGET)
        start, end = self.thetas[0], self.thetas[-1]
        turn = self.camera.theta_tracker
        self.path = VGroup()
        for k in range(1, steps + 1):
            segment = Line(self.point(k - 1), self.point(k), color=th.tangent, stroke_width=4)
            self.path.add(segment)
            self.play(
                Create(segment),
                dot.animate.move_to(self.point(k)),
                turn.animate(rate_func=linear).set_value(start + (end - start) * k / steps),
                run_time=seconds,
            )
            fresh = self.readout_at(k)
            self.remove(self.readout)
            self.readout = fresh
            self.add_fixed_in_frame_mobjects(self.readout)
        self.dot = dot


class BatchModes(FollowUpScene):
    """Every batch size's path on one contour and its loss on one plot, on one clock; an
    inset on the contour shows the minimum's neighbourhood, where the paths end."""

    lesson_file = "lessons/batch_modes.toml"
    MAP_SHARE = 0.52  # of the width: the contour and its inset (the loss beside them)
    INSET = 0.44  # of the contour's plot area, each way (wider if its caption needs it)
    ZOOM_ROOM = 1.35  # the inset spans this many times what the runs' ends and minimum span
    ZOOM_LIMITS = (3.0, 40.0)  # its magnification, at least and at most
    FOCUS = 0.72  # the runs' ends this far across the inset (or 1 - this): names beside them
    END_RADIUS = 0.06  # a run's dot in the inset
    NAMES_TIME = 0.6  # the runs' names come up in the inset (taken from the last hold)
    NAME_LEADER = 0.45  # across from the nearest run's end to the runs' names in the inset
    NAME_GAP = 0.08  # between two names' patches, and from the inset's frame or caption

    def construct(self) -> None:
        self.next_section("batch_modes")
        self.epochs = max(r.steps[-1].epoch + 1 if r.steps else 1 for r in self.trace.runs)
        self.show_board()
        self.race_down()
        self.name_ends()
        self.hold(HOLD - self.NAMES_TIME)

    def show_board(self) -> None:
        th = self.theme
        runs, colors = self.trace.runs, self.colors()
        self.clock_text = self.clock(0)
        contour_box, (left, bottom, right, top) = columns(
            self.body_top(self.clock_text), self.MAP_SHARE
        )
        self.contour = fit_panel(lambda **size: ContourPanel(self.trace, th, **size), contour_box)
        names = [f"{run_name(r)}, {len(r.steps)} steps" for r in runs]
        legend = self.legend(names, colors)  # a row each, so that it keeps its size
        if legend.width > right - left:
            legend.scale_to_fit_width(right - left)
        legend.move_to((left, top, 0.0), aligned_edge=UP + LEFT)
        self.loss = fit_panel(
            lambda **size: LossOverTime(
                th,
                self.epochs,
                [v for r in runs for v in r.loss_full],
                "epoch",
                "loss on all the data",
                **size,
            ),
            (left, bottom, right, float(legend.get_bottom()[1]) - 0.35),
        )
        self.inset, zoom_marks = self.zoom_inset()
        contour, inset = self.contour, self.inset
        self.play(
            FadeIn(self.title()),
            FadeIn(VGroup(contour, contour.contours, contour.minimum)),
            FadeIn(self.minimum_label(contour)),
            FadeIn(VGroup(zoom_marks, inset.window, inset.contours, inset.minimum)),
            FadeIn(inset.caption),
            FadeIn(self.loss),
            FadeIn(legend),
            FadeIn(self.clock_text),
            run_time=1.2,
        )

    def zoom_inset(self) -> tuple[ContourPanel, VGroup]:
        """A second contour, the minimum's neighbourhood magnified, in the corner of the
        map that the paths cross least (``inset.window`` its frame, ``inset.caption`` its
        magnification), and the box on the map that it shows with a line to the inset."""
        th, contour = self.theme, self.contour
        (w0, w1), (b0, b1) = contour.x_range, contour.y_range
        x0, y0 = contour.axes.c2p(w0, b0)[:2]
        x1, y1 = contour.axes.c2p(w1, b1)[:2]
        pad = 0.12  # from the map's axes
        # wide enough for its caption (the text depends on the magnification, found below:
        # measured on a stand-in of the same length), which keeps a band at the top
        stand_in = self.text("near the minimum, \u00d700", th.tick_size)
        band = stand_in.height + 0.2
        width = max(self.INSET * (x1 - x0), stand_in.width + 0.3)
        height = self.INSET * (y1 - y0)
        steps = [contour.path_points(r.path) for r in self.trace.runs]

        def centre(corner) -> tuple[float, float]:
            sx, sy = corner
            cx = x1 - pad - width / 2 if sx > 0 else x0 + pad + width / 2
            cy = y1 - pad - height / 2 if sy > 0 else y0 + pad + height / 2
            return cx, cy

        def crossings(corner) -> int:
            """Steps that cross the inset, its caption or the room around them."""
            cx, cy = centre(corner)
            room = (width / 2 + pad, height / 2 + pad)
            window = (cx - room[0], cy - room[1], cx + room[0], cy + room[1])
            return sum(
                int(clip_segments(p[:-1], p[1:], window)[2].sum()) for p in steps if len(p) > 1
            )

        sx, sy = min(((1, 1), (-1, 1), (1, -1), (-1, -1)), key=crossings)  # ties: top right
        cx, cy = centre((sx, sy))
        # what the inset shows: the minimum and every run's end, with room, at one scale,
        # below the caption's band
        m = self.trace.minimum
        ends = np.array([(m.w, m.b), *(r.path[-1] for r in self.trace.runs)])
        per_w, per_b = (w1 - w0) / (x1 - x0), (b1 - b0) / (y1 - y0)  # the map's data per unit
        span = ends.max(axis=0) - ends.min(axis=0)
        room = np.array([width * per_w, (height - band) * per_b])  # the map's data in it
        need = max(span[0] / room[0], span[1] / room[1]) * self.ZOOM_ROOM
        lo, hi = self.ZOOM_LIMITS
        magnification = min(max(1 / need, lo), hi) if need > 0 else hi
        size = np.array([width * per_w, height * per_b]) / magnification
        middle = (ends.max(axis=0) + ends.min(axis=0)) / 2
        if need * lo > 1:  # the runs ended too far apart to show them all: the minimum, then
            middle = np.array([m.w, m.b])
        # the content centred below the band, and across to one side of the middle: the
        # runs' names go on the other (``end_labels``)
        view = room / magnification
        seen = ends[(np.abs(ends - middle) <= view / 2).all(axis=1)]
        across = self.names_side(seen, middle, view)
        start = middle - np.array([across * view[0], view[1] / 2])
        start = np.clip(start, (w0, b0), (w1 - size[0], b1 - size[1]))
        (wa, ba), (wb, bb) = start, start + size
        inset = ContourPanel(
            near(self.trace, (wa, wb), (ba, bb)),
            th,
            center=(cx, cy, 0.0),
            width=width,
            height=height,
        )
        inset.window = Rectangle(
            width=width,
            height=height,
            stroke_color=th.muted,
            stroke_width=th.axis_width,
            fill_color=th.background,
            fill_opacity=1.0,
        ).move_to((cx, cy, 0.0))
        inset.bounds = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        inset.magnification = magnification
        caption = self.text(f"near the minimum, \u00d7{magnification:.0f}", th.tick_size, th.muted)
        caption.add_background_rectangle(color=th.background, opacity=0.85, buff=0.04)
        inset.caption = caption.move_to(
            inset.window.get_corner(UP + LEFT) + np.array([0.1, -0.1, 0]),
            aligned_edge=UP + LEFT,
        )
        # the box on the map, and a line from it to the inset
        a, b = contour.axes.c2p(wa, ba), contour.axes.c2p(wb, bb)
        box = Rectangle(
            width=b[0] - a[0], height=b[1] - a[1], stroke_color=th.muted, stroke_width=1.5
        ).move_to((a + b) / 2)
        toward = np.array([sx, sy, 0.0])
        link = Line(
            box.get_corner(toward),
            inset.window.get_corner(-toward),
            color=th.muted,
            stroke_width=1.5,
        )
        return inset, VGroup(box, link)

    def names_side(self, ends: np.ndarray, middle: np.ndarray, view: np.ndarray) -> float:
        """Where across the inset (0 left, 1 right) ``middle`` goes, for a view ``view``
        wide and high in data units: FOCUS or 1 - FOCUS, leaving the runs' names the side
        of ``ends`` (what the inset shows) that fewer of the paths' points cross (the left
        on a tie); no further from the middle than keeps every end inside."""
        reach = np.abs(ends[:, 0] - middle[0]).max()  # in data units, from the middle
        focus = max(0.5, min(self.FOCUS, 1 - reach / view[0] - 0.02))
        points = np.array([p for r in self.trace.runs for p in r.path])
        level = points[np.abs(points[:, 1] - middle[1]) <= view[1] / 2, 0]
        left = ((middle[0] - focus * view[0] <= level) & (level < middle[0] - reach)).sum()
        right = ((middle[0] + reach < level) & (level <= middle[0] + focus * view[0])).sum()
        return focus if left <= right else 1 - focus

    def race_down(self) -> None:
        """The runs on one clock: on the map, in the inset and on the loss plot."""
        contour, inset, loss = self.contour, self.inset, self.loss
        paths, near = [], []
        for run, color in zip(self.trace.runs, self.colors()):
            paths.append(GrowingPath(run.times, contour.path_points(run.path), color, 2.5, 0.07))
            paths.append(
                GrowingPath(
                    run.times, loss.screen_points(run.times, run.loss_full), color, 2.5, 0.05
                )
            )
            points = np.array([inset.axes.c2p(w, b) for w, b in run.path])  # not held in
            near.append(ClippedPath(run.times, points, color, 2.5, self.END_RADIUS, inset.bounds))
        self.play(*(FadeIn(p.head, scale=2) for p in paths), run_time=0.6)
        self.add(*paths, *near)

        def on_epoch(e: int) -> None:  # the clock in its place: under the paths, still
            clock = self.clock(e)
            self.replace(self.clock_text, clock)
            self.clock_text = clock

        self.race([*paths, *near], self.epochs, on_epoch)
        self.paths, self.near = paths, near  # for tests and stills

    def name_ends(self) -> None:
        """Each run's name in its colour where it ended in the inset, with a line to its
        dot: runs that end on top of each other at the minimum are told apart."""
        self.end_names = self.end_labels()
        self.play(FadeIn(self.end_names), run_time=self.NAMES_TIME)

    def end_labels(self) -> VGroup:
        """A name and a leader line for every run whose end the inset shows (``.names``,
        ``.leaders`` and ``.ends``, in the runs' order).

        The names make a column beside the ends, on the side ``names_side`` left free,
        NAME_LEADER across from the nearest end; each is at the height of its run's end
        where it can be, NAME_GAP from the next (``stack``), inside the inset below its
        caption. Runs that end on top of each other get names one under the other, and
        each a leader to the same spot."""
        th, inset, colors = self.theme, self.inset, self.colors()
        left, bottom, right, top = inset.bounds
        shown = {}  # run index: its end on screen
        for i, run in enumerate(self.trace.runs):
            end = inset.axes.c2p(*run.path[-1])
            if left <= end[0] <= right and bottom <= end[1] <= top:
                shown[i] = end
        labels = VGroup()
        labels.names, labels.leaders, labels.ends = VGroup(), VGroup(), list(shown.values())
        labels.add(labels.leaders, labels.names)
        if not shown:
            return labels
        names = {}
        for i in shown:  # each on a patch of the background: the contour lines stop at it
            names[i] = self.text(run_name(self.trace.runs[i]), th.tick_size, colors[i])
            names[i].add_background_rectangle(color=th.background, opacity=0.85, buff=0.04)
        heights = {i: names[i].height for i in shown}
        widest = max(name.width for name in names.values())
        # beside the ends and the minimum, inside the frame (nearer them if it must)
        xs = [*(end[0] for end in shown.values()), inset.minimum.get_x()]
        if min(xs) - left >= right - max(xs):
            edge = max(min(xs) - self.NAME_LEADER, left + self.NAME_GAP + widest)
            side = RIGHT
        else:
            edge = min(max(xs) + self.NAME_LEADER, right - self.NAME_GAP - widest)
            side = LEFT
        room = (bottom + self.NAME_GAP, inset.caption.get_bottom()[1] - self.NAME_GAP)
        ys = stack({i: end[1] for i, end in shown.items()}, heights, room, self.NAME_GAP)
        for i, end in shown.items():
            name = names[i].move_to((edge, ys[i], 0.0), aligned_edge=side)
            tail = np.array([edge + side[0] * 0.05, ys[i], 0.0])  # just off the name's edge
            way = (tail - end) / max(np.linalg.norm(tail - end), 1e-9)
            head = end + way * (self.END_RADIUS + 0.03)  # just off the dot
            leader = DashedLine(head, tail, color=colors[i], dash_length=0.06)
            labels.names.add(name)
            labels.leaders.add(leader.set_stroke(width=2.5))
        return labels

    def clock(self, e: int) -> Text:
        text = self.text(f"epoch {e} of {self.epochs}", self.theme.label_size, mono=True)
        return text.next_to(self.title(), DOWN, buff=0.15, aligned_edge=LEFT)


class LearningRates(FollowUpScene):
    """Training and validation loss for each learning rate, in step, over a table of the
    losses after the latest epoch; at the end the lowest validation loss is marked."""

    lesson_file = "lessons/learning_rates.toml"
    MARKER_GAP = 0.3  # between the best row and its marker

    def construct(self) -> None:
        self.next_section("learning_rates")
        self.epochs = self.trace.config.train.epochs
        self.show_plots()
        self.race_epochs()
        self.choose()
        self.hold(HOLD + 2.0)

    def show_plots(self) -> None:
        """The two loss plots side by side, the table under them (its rows in the runs'
        colours: the legend), the clock at the top right."""
        th, runs = self.theme, self.trace.runs
        self.clock_text = self.clock(0)
        self.results = self.table(0)
        left, _, right, _ = safe_area()
        top, bottom = self.body_top(self.title()), float(self.results.get_top()[1]) + 0.3
        # one y range for both, from every run that stayed in bounds: those are never cut
        shown = [v for r in runs if r.diverged_at is None for v in (*r.loss_full, *r.loss_val)]
        shown += [v for r in runs for v in (r.start_loss_full, r.start_loss_val)]
        room = 10.0 if any(r.diverged_at is not None for r in runs) else 1.0
        self.panels = {}
        for key, (a, b) in (("training", (left, -GUTTER / 2)), ("validation", (GUTTER / 2, right))):
            self.panels[key] = fit_panel(
                lambda key=key, **size: LossOverTime(
                    th, self.epochs, shown, "epoch", f"{key} loss", room, **size
                ),
                (a, bottom, b, top),
            )
        self.play(
            FadeIn(self.title()),
            FadeIn(self.clock_text),
            *(FadeIn(p) for p in self.panels.values()),
            FadeIn(self.results),
            run_time=1.2,
        )

    def race_epochs(self) -> None:
        """Every run's losses after each epoch, all on one clock; a run that diverges leaves
        through the top of the plots with an arrowhead where it left."""
        paths = []
        for run, color in zip(self.trace.runs, self.colors()):
            ends = run.epoch_ends()  # the loss after each epoch: the curves a lab plots
            times = [run.times[i] for i in ends]
            for key, losses in (("training", run.loss_full), ("validation", run.loss_val)):
                points = self.panels[key].screen_points(times, [losses[i] for i in ends])
                if len(points) < len(times):  # cut where it left through the top
                    note = self.text(f"lr {run.lr:g} off the plot", self.theme.tick_size, color)
                    labels = self.panels[key].tick_labels
                    paths.append(LeavingPath(times, points, color, 3, 0.06, note, labels))
                else:
                    paths.append(GrowingPath(times, points, color, 3, 0.06))
        self.play(*(FadeIn(p.head, scale=2) for p in paths), run_time=0.6)
        self.add(*paths)

        def on_epoch(e: int) -> None:  # the clock and the table in their places: still
            clock, results = self.clock(e), self.table(e)
            self.replace(self.clock_text, clock)
            self.replace(self.results, results)
            self.clock_text, self.results = clock, results

        self.race(paths, self.epochs, on_epoch)
        self.paths = paths

    def choose(self) -> None:
        """The lowest validation loss marked: the learning rate to choose."""
        self.best = best_run(self.trace)
        row = self.results[1 + self.best]
        color = self.colors()[self.best]
        self.marker = self.marker_text(color).next_to(row, RIGHT, buff=self.MARKER_GAP)
        self.play(FadeIn(self.marker, shift=LEFT * 0.2), run_time=0.6)

    def losses_after(self, run: Run, e: int) -> tuple[float, float] | None:
        """Training and validation loss after epoch ``e``; None once the run diverged."""
        ends = run.epoch_ends()
        if run.diverged_at is not None and e >= len(ends) - 1:
            return None
        i = ends[min(e, len(ends) - 1)]
        return run.loss_full[i], run.loss_val[i]

    def table(self, e: int) -> VGroup:
        """lr, training and validation loss after epoch ``e``, a row per run in its colour,
        centred under the plots."""
        th = self.theme
        size = th.tick_size + 2
        rows = VGroup(self.table_header.copy())
        for run, color in zip(self.trace.runs, self.colors()):
            losses = self.losses_after(run, e)
            lr = f"{run.lr:<{self.lr_cell}g}"
            if losses is None:
                cells = f"{lr}  diverged at iteration {run.diverged_at}"
            else:
                cells = f"{lr}  {fmt_value(losses[0], 3):>9}  {fmt_value(losses[1], 3):>11}"
            rows.add(MonoLine(cells, th.mono, size, color))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        _, bottom, right, _ = safe_area()
        width = self.table_header.width  # the numbers' columns centred, the marker inside
        room = width + self.MARKER_GAP + self.marker_width
        return rows.move_to((min(-width / 2, right - room), bottom, 0.0), aligned_edge=DOWN + LEFT)

    @cached_property
    def lr_cell(self) -> int:
        """The lr column's width in characters: the longest learning rate's (the table and
        the marker beside it take the width of the frame at the theme's sizes)."""
        return max(len("lr"), *(len(f"{r.lr:g}") for r in self.trace.runs))

    @cached_property
    def table_header(self) -> Text:
        header = f"{'lr':<{self.lr_cell}}  {'training':>9}  {'validation':>11}"
        return self.text(header, self.theme.tick_size + 2, self.theme.muted, mono=True)

    @cached_property
    def marker_width(self) -> float:
        return self.marker_text().width

    def marker_text(self, color: str | None = None) -> Text:
        return self.text(
            "\u2190 lowest validation loss", self.theme.tick_size + 2, color, mono=True
        )

    def clock(self, e: int) -> Text:
        text = self.text(f"epoch {e} of {self.epochs}", self.theme.label_size, mono=True)
        _, _, right, top = safe_area()
        return text.move_to((right, top, 0.0), aligned_edge=UP + RIGHT)


SCENES = (
    SlopeBiasCode,
    SlopeBias,
    SlopeBiasSurface,
    BatchModesCode,
    BatchModes,
    LearningRatesCode,
    LearningRates,
)
