"""The course's follow-up lessons, drawn from a follow-up trace (``lessons/*.toml``).

``manim -qh scenes/followup.py SlopeBias`` (or ``gdlesson build --config lessons/...``):

- ``SlopeBias``: the path of (w, b) on the contour of the cost surface, step by step,
  beside the data with the fitted line and the loss per iteration.
- ``SlopeBiasSurface``: the same path on the 3D cost surface, the camera turning slowly.
- ``BatchModes``: batch, stochastic and mini-batch paths on one contour and their losses on
  one plot, all on one clock (epochs), so that they move in step.
- ``LearningRates``: training and validation loss for each learning rate, in step, then the
  final losses side by side with the lowest validation loss marked.

The scenes read the trace only; the parameter file is ``$GDLESSON_CONFIG`` or the scene's
own lesson under ``lessons/``.
"""

from __future__ import annotations

import math
import os
from bisect import bisect_right
from functools import cached_property

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    Line,
    Scene,
    Surface,
    Text,
    ThreeDAxes,
    ThreeDScene,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from gd_engine.config import check_view
from gd_engine.followup import FollowUpTrace
from gd_engine.followup.trace import Run
from scenes.contour import ContourPanel
from scenes.lesson_trace import (
    bad_input_stops,
    config_source,
    followup_config,
    followup_trace,
)
from scenes.narration import (
    add_subtitles,
    followup_narration,
    spoken_seconds,
    write_vtt_beside,
)
from scenes.panels import DataPanel, Panel, fmt_value, nice_step
from scenes.still_frames import install as install_still_frames
from scenes.theme import THEMES, Theme

install_still_frames()

# layout: the contour on the left, data and loss on the right (Manim's 14.2 x 8 frame)
CONTOUR = dict(center=(-3.35, -0.35, 0), width=5.9, height=5.3)
DATA = dict(center=(3.85, 1.3, 0), width=5.3, height=2.3)
LOSS = dict(center=(3.85, -2.45, 0), width=5.3, height=1.75)
RACE_LOSS = dict(center=(3.85, -0.9, 0), width=5.3, height=4.2)
STEP_TIME = (1.1, 0.35)  # seconds for a step when there are few, and when there are many
STEPS_BUDGET = 10.0  # seconds for all the steps of the slope-and-bias run
EPOCH_TIME = 1.2  # seconds of animation per epoch when runs race on one clock
HOLD = 2.5  # seconds the last picture stays


def step_time(n: int) -> float:
    return min(STEP_TIME[0], max(STEP_TIME[1], STEPS_BUDGET / max(n, 1)))


def planned_seconds(trace: FollowUpTrace, scene: str, spoken: float = 0.0) -> float:
    """About how long ``scene`` runs: its animation, or its narration (``spoken`` seconds)
    when that is longer."""
    steps = len(trace.runs[0].steps)
    epochs = trace.config.train.epochs
    animation = {
        "SlopeBias": 2.0 + steps * step_time(steps) + HOLD,
        "SlopeBiasSurface": 2.3 + steps * step_time(steps) + HOLD + 1.0,
        "BatchModes": 1.8 + epochs * EPOCH_TIME + HOLD,
        "LearningRates": 3.4 + epochs * EPOCH_TIME + HOLD + 1.0,
    }[scene]
    return max(animation, spoken)


class LossOverTime(Panel):
    """Loss against epochs for one or more runs; log scale when the values span more than
    two decades. A diverging run leaves through the top."""

    def __init__(self, theme: Theme, t_max: float, values, x_title: str, y_title: str, **size):
        positive = [v for v in values if v > 0 and math.isfinite(v)] or [1.0]
        low, high = min(positive), max(positive)
        log_y = high / low > 100
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


class GrowingPath(VGroup):
    """A polyline through ``points`` reached at ``times``, drawn up to a clock time, with a
    dot at its head: the one picture several runs share to move in step."""

    def __init__(self, times, points: np.ndarray, color: str, width: float, dot_radius: float):
        super().__init__()
        self.times, self.pts = list(times)[: len(points)], points
        self.line = VMobject(stroke_color=color, stroke_width=width)
        self.head = Dot(points[0], radius=dot_radius, color=color)
        self.add(self.line, self.head)
        self.at(0.0)

    def head_at(self, t: float) -> tuple[np.ndarray, int]:
        k = bisect_right(self.times, t)  # points reached by time t
        if k >= len(self.pts):
            return self.pts[-1], len(self.pts)
        a, b = self.times[k - 1], self.times[k]
        s = (t - a) / (b - a) if b > a else 1.0
        return self.pts[k - 1] + s * (self.pts[k] - self.pts[k - 1]), k

    def at(self, t: float) -> GrowingPath:
        head, k = self.head_at(t)
        corners = [*self.pts[:k], head]
        self.line.set_points_as_corners(corners if len(corners) > 1 else [head, head])
        self.head.move_to(head)
        return self


class FollowUpScene(Scene):
    """Reads the follow-up trace, the theme and the scene's narration (subtitles over the
    whole scene, and its recording if there is one); shared titles and legends."""

    lesson_file = "lessons/slope_and_bias.toml"

    def setup(self) -> None:
        cfg = followup_config(self.lesson_file)
        self.theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.trace: FollowUpTrace = followup_trace(cfg)
        name = type(self).__name__
        siblings = tuple(c.__name__ for c in SCENES if c.lesson_file == self.lesson_file)
        with bad_input_stops():
            overrides = os.environ.get("GDLESSON_SET", "").split(";")
            check_view(self.trace, config_source(self.lesson_file), overrides)
            narration = followup_narration(config_source(self.lesson_file), siblings)[name]
        self.spoken = spoken_seconds(narration)
        if narration.audio is not None:
            self.add_sound(str(narration.audio))
        add_subtitles(self, narration.text, planned_seconds(self.trace, name, self.spoken))

    def hold(self, seconds: float) -> None:
        """The last picture for ``seconds``, or until the narration is over."""
        self.wait(max(seconds, self.spoken - self.renderer.time))

    def tear_down(self) -> None:
        write_vtt_beside(self)

    def text(self, s: str, size: float | None = None, color: str | None = None, mono=False):
        t = self.theme
        return Text(
            s,
            font=t.mono if mono else t.font,
            font_size=size or t.label_size,
            color=color or t.foreground,
        )

    def title(self, s: str | None = None) -> Text:
        th = self.theme
        title = self.text(s or self.trace.config.title, th.title_size * 0.72, th.muted)
        return title.to_corner(UP + LEFT, buff=0.3)

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
        group = VGroup(*paths)
        for e in range(math.ceil(t_max)):
            start, end = e, min(e + 1, t_max)

            def grow(mob, alpha, start=start, end=end):
                for p in mob:
                    p.at(start + alpha * (end - start))

            self.play(UpdateFromAlphaFunc(group, grow), run_time=EPOCH_TIME, rate_func=linear)
            if on_epoch:
                on_epoch(e + 1)


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
        self.contour = ContourPanel(self.trace, th, **CONTOUR)
        self.data = DataPanel(self.trace, th, y_range=self.data_range(), **DATA)
        self.data.y_title.become(self.text("y", th.label_size, th.muted).move_to(self.data.y_title))
        path, losses = self.run.path, self.run.loss_full
        self.loss = LossOverTime(
            th, max(len(path) - 1, 1), losses, "iteration", "loss on all the data", **LOSS
        )
        self.loss_points = self.loss.screen_points(range(len(losses)), losses)
        w, b = path[0]
        self.dot = self.contour.dot(w, b, th.data)
        self.line = self.data.fitted_line(w, b)
        self.readout = self.readout_at(0)
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

    def readout_at(self, k: int) -> Text:
        """Iteration, w, b and the loss after k steps, under the title."""
        w, b = self.run.path[k]
        text = (
            f"iteration {k:>2}   w {fmt_value(w):>8}   b {fmt_value(b):>8}   "
            f"loss {fmt_value(self.run.loss_full[k])}"
        )
        readout = self.text(text, self.theme.tick_size + 2, mono=True)
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


class SlopeBiasSurface(ThreeDScene, FollowUpScene):
    """The cost surface in 3D with the run's path on it, the camera turning slowly."""

    # patches per side: a divisor of grid_points - 1 puts the corners on the grid. Unshaded
    # (colour by height instead): Cairo's 3D shading doubled the cost of every frame.
    RESOLUTION = 15
    Z_LENGTH = 3.6
    ROTATION = 0.12  # radians per second

    def construct(self) -> None:
        self.next_section("slope_bias_surface")
        self.run = self.trace.runs[0]
        self.show_surface()
        self.walk_down()
        self.hold(HOLD + 1.0)

    @cached_property
    def grid(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The trace's surface as arrays: w, b and loss[b][w]."""
        s = self.trace.surface
        return np.array(s.w), np.array(s.b), np.array(s.loss)

    def height(self, w: float, b: float) -> float:
        """The surface's loss at (w, b): bilinear between the trace's grid values (exact
        at the grid's nodes)."""
        ws, bs, z = self.grid
        i = int(np.clip(np.searchsorted(bs, b) - 1, 0, len(bs) - 2))
        j = int(np.clip(np.searchsorted(ws, w) - 1, 0, len(ws) - 2))
        u = (w - ws[j]) / (ws[j + 1] - ws[j])
        v = (b - bs[i]) / (bs[i + 1] - bs[i])
        return float(
            (1 - u) * (1 - v) * z[i, j]
            + u * (1 - v) * z[i, j + 1]
            + (1 - u) * v * z[i + 1, j]
            + u * v * z[i + 1, j + 1]
        )

    def build_surface(self) -> tuple[Surface, VGroup]:
        """The axes (``self.axes``), the surface over the trace's grid and the axis names."""
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
            axis_config={"color": th.muted, "stroke_width": 2, "include_tip": False},
        )
        surface = Surface(
            lambda u, v: self.axes.c2p(u, v, self.height(u, v)),
            u_range=(w0, w1),
            v_range=(b0, b1),
            resolution=(self.RESOLUTION, self.RESOLUTION),
            fill_opacity=0.75,
            stroke_width=0.3,
            stroke_color=th.muted,
        )
        surface.set_fill_by_value(
            axes=self.axes, colorscale=[th.surface_low, th.surface_high], axis=2
        )
        for patch in surface:
            patch.shade_in_3d = False
        ends = {  # each axis's name beyond its end (the axes cross at w = b = 0)
            "w": self.axes.c2p(w1, 0, 0) + RIGHT * 0.35,
            "b": self.axes.c2p(0, b1, 0) + UP * 0.35,
            "cost": self.axes.c2p(0, 0, z_max) + UP * 0.3,
        }
        labels = VGroup(
            *(self.text(n, th.label_size, th.muted).move_to(p) for n, p in ends.items())
        )
        return surface, labels

    def show_surface(self) -> None:
        th = self.theme
        surface, labels = self.build_surface()
        (w0, w1), (b0, b1) = self.axes.x_range[:2], self.axes.y_range[:2]
        z_max = self.axes.z_range[1]
        self.set_camera_orientation(
            phi=68 * DEGREES,
            theta=-115 * DEGREES,
            zoom=1.0,
            frame_center=self.axes.c2p((w0 + w1) / 2, (b0 + b1) / 2, z_max * 0.55),
        )
        title = self.title()
        self.readout = self.readout_at(0)
        self.add_fixed_in_frame_mobjects(title, self.readout)
        self.add_fixed_orientation_mobjects(*labels)
        self.play(FadeIn(self.axes), FadeIn(surface), FadeIn(labels), run_time=1.2)
        m = self.trace.minimum
        self.minimum = Dot(self.axes.c2p(m.w, m.b, m.loss), radius=0.07, color=th.true_line)
        self.add_fixed_orientation_mobjects(self.minimum)
        self.begin_ambient_camera_rotation(rate=self.ROTATION)
        self.play(FadeIn(self.minimum), run_time=0.6)

    def readout_at(self, k: int) -> Text:
        w, b = self.run.path[k]
        text = f"iteration {k:>2}   w {fmt_value(w, 3)}   b {fmt_value(b, 3)}"
        readout = self.text(text, self.theme.tick_size + 2, mono=True)
        return readout.next_to(self.title(), DOWN, buff=0.12, aligned_edge=LEFT)

    def point(self, k: int) -> np.ndarray:
        """Iterate k on the surface, lifted a little so that it is seen above it."""
        (w, b), loss = self.run.path[k], self.run.loss_full[k]
        return self.axes.c2p(w, b, loss) + np.array([0, 0, 0.04])

    def walk_down(self) -> None:
        th = self.theme
        dot = Dot(self.point(0), radius=0.09, color=th.data)
        self.add_fixed_orientation_mobjects(dot)  # a flat dot that always faces the camera
        self.play(FadeIn(dot), run_time=0.5)
        seconds = step_time(len(self.run.path) - 1)
        for k in range(1, len(self.run.path)):
            segment = Line(self.point(k - 1), self.point(k), color=th.tangent, stroke_width=4)
            self.play(Create(segment), dot.animate.move_to(self.point(k)), run_time=seconds)
            fresh = self.readout_at(k)
            self.remove(self.readout)
            self.readout = fresh
            self.add_fixed_in_frame_mobjects(self.readout)


class BatchModes(FollowUpScene):
    """Every batch size's path on one contour and its loss on one plot, on one clock."""

    lesson_file = "lessons/batch_modes.toml"

    def construct(self) -> None:
        self.next_section("batch_modes")
        th = self.theme
        runs = self.trace.runs
        colors = self.colors()
        contour = ContourPanel(self.trace, th, **CONTOUR)
        epochs = max(r.steps[-1].epoch + 1 if r.steps else 1 for r in runs)
        loss = LossOverTime(
            th,
            epochs,
            [v for r in runs for v in r.loss_full],
            "epoch",
            "loss on all the data",
            **RACE_LOSS,
        )
        names = [f"{r.mode.replace(' of ', ' ')}, {len(r.steps)} steps" for r in runs]
        legend = self.legend(names, colors).arrange_in_grid(
            rows=2, cols=2, col_alignments="ll", buff=(0.35, 0.12)
        )
        if legend.width > RACE_LOSS["width"]:
            legend.scale_to_fit_width(RACE_LOSS["width"])
        legend.next_to(loss.axes, UP, buff=0.55).align_to(loss.axes, LEFT)
        clock = self.clock(0, epochs)
        self.play(
            FadeIn(self.title()),
            FadeIn(VGroup(contour, contour.contours, contour.minimum)),
            FadeIn(self.minimum_label(contour)),
            FadeIn(loss),
            FadeIn(legend),
            FadeIn(clock),
            run_time=1.2,
        )
        paths = []
        for run, color in zip(runs, colors):
            paths.append(self.contour_path(contour, run, color))
            paths.append(
                GrowingPath(
                    run.times, loss.screen_points(run.times, run.loss_full), color, 2.5, 0.05
                )
            )
        self.play(*(FadeIn(p.head, scale=2) for p in paths), run_time=0.6)
        self.add(*paths)

        def on_epoch(e: int) -> None:
            nonlocal clock
            clock = self.replace_text(clock, self.clock(e, epochs))

        self.race(paths, epochs, on_epoch)
        self.contour, self.loss, self.paths = contour, loss, paths  # for tests and stills
        self.hold(HOLD)

    def contour_path(self, contour: ContourPanel, run: Run, color: str) -> GrowingPath:
        return GrowingPath(run.times, contour.path_points(run.path), color, 2.5, 0.07)

    def clock(self, e: int, epochs: int) -> Text:
        text = self.text(f"epoch {e} of {epochs}", self.theme.label_size, mono=True)
        return text.next_to(self.title(), DOWN, buff=0.15, aligned_edge=LEFT)


class LearningRates(FollowUpScene):
    """Training and validation loss for each learning rate, then the final losses."""

    lesson_file = "lessons/learning_rates.toml"
    PANEL = dict(width=5.6, height=3.0)

    def construct(self) -> None:
        self.next_section("learning_rates")
        th = self.theme
        runs = self.trace.runs
        colors = self.colors()
        epochs = self.trace.config.train.epochs
        start = [r.start_loss_full for r in runs] + [r.start_loss_val for r in runs]
        finite = [v for r in runs for v in (*r.loss_full, *r.loss_val) if v <= 10 * max(start)]
        panels = {}
        for key, x in (("training", -3.45), ("validation", 3.75)):
            panels[key] = LossOverTime(
                th,
                epochs,
                finite,
                "epoch",
                f"loss on the {key} data",
                center=(x, 0.45, 0),
                **self.PANEL,
            )
        legend = VGroup(
            *(self.text(f"\u25cf lr {r.lr:g}", th.tick_size + 2, c) for r, c in zip(runs, colors))
        ).arrange(RIGHT, buff=0.4)
        legend.next_to(self.title(), DOWN, buff=0.2, aligned_edge=LEFT)
        self.play(
            FadeIn(self.title()),
            *(FadeIn(p) for p in panels.values()),
            FadeIn(legend),
            run_time=1.2,
        )
        paths = []
        for run, color in zip(runs, colors):
            ends = run.epoch_ends()  # the loss after each epoch: the curves a lab plots
            times = [run.times[i] for i in ends]
            for key, losses in (("training", run.loss_full), ("validation", run.loss_val)):
                points = panels[key].screen_points(times, [losses[i] for i in ends])
                paths.append(GrowingPath(times, points, color, 3, 0.06))
        self.play(*(FadeIn(p.head, scale=2) for p in paths), run_time=0.6)
        self.add(*paths)
        self.race(paths, epochs)
        self.play(FadeIn(self.verdicts(panels, colors)), run_time=0.6)
        self.results = self.table(colors)
        self.play(FadeIn(self.results), run_time=1.0)
        self.hold(HOLD + 1.0)

    def verdicts(self, panels, colors) -> VGroup:
        """'diverged at iteration k' at the top of the plots for runs that left the bound."""
        notes = VGroup()
        for run, color in zip(self.trace.runs, colors):
            if run.diverged_at is None:
                continue
            notes.add(
                self.text(
                    f"lr {run.lr:g} diverged at iteration {run.diverged_at}",
                    self.theme.tick_size,
                    color,
                )
            )
        if len(notes):  # inside the training plot, top right: the curves start far below
            p = panels["training"]
            notes.arrange(DOWN, aligned_edge=RIGHT, buff=0.08)
            notes.next_to(p.axes.c2p(p.x_range[1], p.y_range[1]), DOWN + LEFT, buff=0.1)
        return notes

    def table(self, colors) -> VGroup:
        """lr, final training loss and final validation loss; the lowest validation loss
        marked: the learning rate to choose."""
        th = self.theme
        runs = self.trace.runs
        val = [r.loss_val[-1] if r.diverged_at is None else math.inf for r in runs]
        best = int(np.argmin(val))
        rows = VGroup(
            self.text("lr          training    validation", th.tick_size + 2, th.muted, mono=True)
        )
        for i, (run, color) in enumerate(zip(runs, colors)):
            if run.diverged_at is None:
                cells = (
                    f"{run.lr:<10g}  {fmt_value(run.loss_full[-1], 3):>9}  "
                    f"{fmt_value(run.loss_val[-1], 3):>11}"
                )
            else:
                cells = f"{run.lr:<10g}  {'diverged':>9}  {'diverged':>11}"
            mark = "  \u2190 lowest validation loss" if i == best else ""
            rows.add(self.text(cells + mark, th.tick_size + 2, color, mono=True))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        return rows.to_edge(DOWN, buff=0.3).set_x(0)


SCENES = (SlopeBias, SlopeBiasSurface, BatchModes, LearningRates)
