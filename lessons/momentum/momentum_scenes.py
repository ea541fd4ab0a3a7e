"""The momentum lesson's scenes, drawn from its trace (``lessons/momentum.toml``).

``gdlesson build --config lessons/momentum.toml`` (or
``manim -ql lessons/momentum/momentum_scenes.py Saddle``):

- ``MomentumCode``: the lesson's loop in PyTorch with the line being run highlighted, and
  what its variables hold (w, loss, w.grad, the momentum buffer) for the first steps.
- ``Saddle``, ``LocalMinima``, ``NoisyGradient``: plain SGD and SGD with momentum from the
  same start on one cost curve, on one clock; at each dot an arrow shows the step its
  velocity makes next (lr times the buffer); a run whose slope stays small is marked
  "stalled", one that leaves the bound "diverged".

Nothing is drawn in the outer 5% of the frame. Every number comes from the trace.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Dot,
    FadeIn,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from lessons.momentum.listing import cost_expression, listing
from lessons.momentum.source import scene_config, scene_trace
from lessons.momentum.timing import (
    CODE_STEPS,
    HOLD,
    LINE_TIME,
    LOOP,
    MARK,
    RACES,
    SHOW,
    planned_seconds,
    race_clock,
    race_marks,
    race_steps,
)
from lessons.momentum.trace import MomentumTrace, Run
from scenes.code import CodeListing
from scenes.lesson_trace import config_source
from scenes.narrated import NarratedScene
from scenes.narration import followup_narration
from scenes.panels import Panel, Reading
from scenes.speedups import install as install_speedups
from scenes.theme import CODE_CORNER, SAFE_X, SAFE_Y

install_speedups()

LESSON_FILE = "lessons/momentum.toml"
#: the compared runs' colours: indices into the theme's palette of runs
PLAIN, MOMENTUM = 1, 3
MIN_ARROW = 0.2  # an arrow shorter than this on screen is not drawn


class MomentumScene(NarratedScene):
    """A scene of the momentum lesson: its trace, theme and narration (``NarratedScene``)."""

    trace: MomentumTrace
    heading_corner = CODE_CORNER[:2]

    def load_config(self):
        return scene_config(LESSON_FILE)

    def load_trace(self, cfg) -> MomentumTrace:
        return scene_trace(cfg)

    def load_narrations(self, cfg):
        return followup_narration(config_source(LESSON_FILE), SCENE_NAMES)

    def scene_seconds(self) -> float:
        return planned_seconds(self.trace, type(self).__name__, self.spoken)

    def reading(self, value: float, color: str, decimals: int = 4) -> Reading:
        r = Reading(value, self.theme, decimals, font_size=self.theme.body_size)
        return r.set_color(color)

    def rows(
        self,
        names: list[str],
        values: list[Reading],
        color: str,
        top: float,
        left: float,
        width: float,
    ) -> VGroup:
        """``name   value`` rows, names on the left, values right-aligned at ``left + width``."""
        group = VGroup()
        for i, (name, value) in enumerate(zip(names, values)):
            y = top - 0.25 - 0.5 * i
            label = self.text(name, self.theme.body_size, color, mono=True)
            label.move_to((left, y, 0), aligned_edge=LEFT)
            value.move_to((left + width, y, 0), aligned_edge=RIGHT)
            group.add(label)
        return group


class MomentumCode(MomentumScene):
    """The loop of the saddle's momentum run, line by line, for the first steps."""

    def construct(self) -> None:
        self.next_section("momentum_code")
        cfg, th = self.trace.config, self.theme
        self.run = self.trace.pair("saddle", False)[1]
        land = cfg.saddle
        code = listing(
            land.coefficients, land.w0, land.lr, land.steps, self.run.momentum, 0.0, cfg.train.seed
        )
        lines = [line for line in code.splitlines() if line != "import torch"]
        while not lines[0].strip():
            lines = lines[1:]
        self.listing = CodeListing(lines, th)
        self.listing.move_to(CODE_CORNER, aligned_edge=UP + LEFT)
        left = self.listing.get_right()[0] + 0.45
        width = SAFE_X - 0.1 - left
        heading = self.text("SGD with momentum", th.title_size * 0.8, th.foreground)
        heading.move_to((left, SAFE_Y - 0.1, 0), aligned_edge=UP + LEFT)
        nan = float("nan")
        self.values = {
            "step": self.reading(nan, th.foreground, 0),
            "w": self.reading(float(np.float32(self.run.w0)), th.fitted),
            "loss": self.reading(nan, th.loss),
            "w.grad": self.reading(nan, th.tangent),
            "velocity": self.reading(nan, th.runs[MOMENTUM]),
        }
        names = self.rows(
            list(self.values),
            list(self.values.values()),
            th.muted,
            heading.get_bottom()[1] - 0.2,
            left,
            width,
        )
        rule = VGroup(
            self.text(
                f"velocity = {self.run.momentum:g} \u00b7 velocity + w.grad",
                th.body_size,
                th.runs[MOMENTUM],
            ),
            self.text(f"w = w \u2212 {self.run.lr:g} \u00b7 velocity", th.body_size, th.fitted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rule.next_to(self.listing, DOWN, buff=0.35).align_to(self.listing, LEFT)
        if rule.get_bottom()[1] < -SAFE_Y + 0.1:  # a long listing: beside it, under the rows
            rule.scale_to_fit_width(min(rule.width, width)).next_to(names, DOWN, buff=0.5)
            rule.align_to(names, LEFT)
        self.play(
            FadeIn(self.listing),
            FadeIn(heading),
            FadeIn(names),
            FadeIn(VGroup(*self.values.values())),
            run_time=SHOW,
        )
        self.add(self.listing.band)
        for k in range(CODE_STEPS):
            self.walk_step(k)
        self.play(FadeIn(rule), run_time=1.0)
        self.hold(HOLD)

    def walk_step(self, k: int) -> None:
        """The band on each line of step k, the variable it sets changing as it runs."""
        s = self.run.steps[k]
        changes = {
            LOOP[0]: {"step": k, "loss": s.loss},
            LOOP[1]: {"w.grad": 0.0} if k else {},  # no grad before the first backward()
            LOOP[2]: {"w.grad": s.grad},
            LOOP[3]: {"velocity": s.velocity, "w": s.w_next},
        }
        for line in LOOP:
            counts = [
                anim
                for name, value in changes[line].items()
                if (anim := self.values[name].count_to(value)) is not None
            ]
            self.play(
                Transform(self.listing.band, self.listing.band_at(line)),
                *counts,
                run_time=LINE_TIME,
            )


class RaceScene(MomentumScene):
    """Plain SGD and momentum from the same start on one cost, on one clock."""

    scene = "Saddle"

    def construct(self) -> None:
        self.next_section(type(self).__name__.lower())
        landscape, noisy, heading = RACES[self.scene]
        self.runs = self.trace.pair(landscape, noisy)
        self.curve = self.trace.curves[landscape]
        self.lr = getattr(self.trace.config, landscape).lr
        self.show_curve(heading, landscape)
        self.race()
        self.hold(HOLD)

    def colors(self) -> tuple[str, str]:
        return self.theme.runs[PLAIN], self.theme.runs[MOMENTUM]

    def y_range(self) -> tuple[float, float]:
        """From the curve's lowest point to a little above the highest cost the runs visit
        (the start, most often): the dips stay deep enough to see."""
        ws, losses = np.array(self.curve.w), np.array(self.curve.loss)
        visited = [
            np.interp(w, ws, losses) for r in self.runs for w in r.path if ws[0] <= w <= ws[-1]
        ]
        lo, hi = float(losses.min()), float(max(visited))
        pad = 0.1 * (hi - lo or 1.0)
        return lo - pad, hi + pad

    def show_curve(self, heading: str, landscape: str) -> None:
        th = self.theme
        title = self.heading(heading)
        land = getattr(self.trace.config, landscape)
        formula = f"cost(w) = {cost_expression(land.coefficients)}"
        if self.runs[0].noise_std:
            formula += f",  w.grad + {self.runs[0].noise_std:g}\u00b7noise"
        formula = self.text(formula, th.tick_size, th.muted, mono=True)
        formula.next_to(title, DOWN, buff=0.15, aligned_edge=LEFT)
        ws = self.curve.w
        self.panel = Panel(
            th,
            (ws[0], ws[-1]),
            self.y_range(),
            "w",
            "cost",
            width=7.6,
            height=4.3,
            center=(-2.05, -0.55, 0),
        )
        self.line = self.curve_line()
        self.dots = VGroup(
            *(
                Dot(self.at(r, 0.0), radius=th.dot_radius * 1.2, color=c)
                for r, c in zip(self.runs, self.colors())
            )
        )
        self.arrows = VGroup(*(self.arrow(i, 0.0) for i in range(2)))
        self.show_readouts()
        self.play(
            FadeIn(title),
            FadeIn(formula),
            FadeIn(self.panel),
            FadeIn(self.line),
            FadeIn(self.readouts),
            run_time=SHOW * 0.6,
        )
        self.play(FadeIn(self.dots, scale=2), run_time=SHOW * 0.4)
        self.add(self.arrows)

    def curve_line(self) -> VGroup:
        """The cost curve, left out where it rises above the panel."""
        (y0, y1) = self.panel.y_range
        pieces, current = VGroup(), []
        for w, c in zip(self.curve.w, self.curve.loss):
            if y0 <= c <= y1:
                current.append(self.panel.axes.c2p(w, c))
            elif current:
                pieces.add(self._piece(current))
                current = []
        if current:
            pieces.add(self._piece(current))
        return pieces

    def _piece(self, points) -> VMobject:
        th = self.theme
        piece = VMobject(stroke_color=th.foreground, stroke_width=th.curve_width)
        return piece.set_points_as_corners(points) if len(points) > 1 else piece

    def state(self, run: Run, t: float) -> tuple[float, float, float]:
        """(w, cost, velocity) of ``run`` at time ``t`` in steps: at a whole t, the trace's
        own values (w_t, its loss, the buffer after step t - 1); between, w moves along the
        curve. A run that stopped early stays where it stopped."""
        path = run.path
        t = min(t, len(path) - 1)
        k = min(int(t), len(path) - 2) if len(path) > 1 else 0
        s = t - k
        w = path[k] + s * (path[k + 1] - path[k]) if len(path) > 1 else path[0]
        velocity = run.steps[math.ceil(t) - 1].velocity if t > 0 else float("nan")
        return w, self.cost_at(run, k, s, w), velocity

    def cost_at(self, run: Run, k: int, s: float, w: float) -> float:
        """The curve's cost at ``w``, matched at the ends to the costs the trace recorded
        (the curve is sampled, the trace exact)."""
        ws, losses = self.curve.w, self.curve.loss
        curve = float(np.interp(w, ws, losses))
        ends = []
        for j in (k, k + 1):
            if j < len(run.steps):
                ends.append(run.steps[j].loss - float(np.interp(run.path[j], ws, losses)))
            else:
                ends.append(0.0)
        return curve + (1 - s) * ends[0] + s * ends[1]

    def at(self, run: Run, t: float) -> np.ndarray:
        w, c, _ = self.state(run, t)
        return self.panel.point_at(w, c)

    def arrow(self, i: int, t: float) -> Arrow:
        """The step the velocity makes next, lr times the buffer, as an arrow from the dot
        along w; hidden (transparent) before the first step and while too short to see."""
        run = self.runs[i]
        w, c, velocity = self.state(run, t)
        start = self.panel.point_at(w, c) + UP * 0.28
        end = start + RIGHT * 0.2
        seen = not math.isnan(velocity)
        if seen:
            end = self.panel.point_at(w - self.lr * velocity, c) + UP * 0.28
            seen = abs(end[0] - start[0]) >= MIN_ARROW
        arrow = Arrow(
            start,
            end if seen else start + RIGHT * MIN_ARROW,
            buff=0,
            color=self.colors()[i],
            stroke_width=self.theme.tangent_width,
            tip_length=0.16,
            max_tip_length_to_length_ratio=0.5,
            max_stroke_width_to_length_ratio=100,
        )
        return arrow if seen else arrow.set_opacity(0.0)

    def show_readouts(self) -> None:
        th = self.theme
        left, width = 2.3, SAFE_X - 0.1 - 2.3
        nan = float("nan")
        self.clock = self.reading(0, th.foreground, 0)
        clock = self.rows(["step"], [self.clock], th.foreground, 2.35, left, width)
        blocks = VGroup(clock, self.clock)
        self.readings, self.marks_at = [], []
        top = 1.5
        for run, color in zip(self.runs, self.colors()):
            name = self.text(f"\u25cf {run.name}", th.body_size + 2, color)
            name.move_to((left, top, 0), aligned_edge=UP + LEFT)
            values = [self.reading(float(np.float32(run.w0)), th.fitted), self.reading(nan, color)]
            rows = self.rows(
                ["w", "velocity"], values, th.muted, top - 0.45, left + 0.3, width - 0.3
            )
            blocks.add(name, rows, *values)
            self.readings.append(values)
            self.marks_at.append((left + 0.3, top - 1.75))
            top -= 2.25
        self.readouts = blocks

    def set_readouts(self, t: float) -> None:
        whole = math.floor(t)
        self.clock.set_value(whole)
        for run, (w_value, v_value) in zip(self.runs, self.readings):
            w, _, velocity = self.state(run, whole)
            w_value.set_value(w)
            v_value.set_value(velocity)

    def race(self) -> None:
        """All the steps on one clock, stopping where a run is marked."""
        n = race_steps(self.trace, self.scene)
        clock = race_clock(n)
        t = 0
        for step, i, what in race_marks(self.trace, self.scene):
            if step > t:
                self.advance(t, step, clock)
                t = step
            self.mark(i, what, step)
        if n > t:
            self.advance(t, n, clock)

    def advance(self, t0: int, t1: int, clock: np.ndarray) -> None:
        """Steps t0 to t1, each taking its time on the race's clock."""
        steps = np.arange(len(clock))

        def move(group, alpha):
            t = float(np.interp(clock[t0] + alpha * (clock[t1] - clock[t0]), clock, steps))
            for i, run in enumerate(self.runs):
                self.dots[i].move_to(self.at(run, t))
                self.arrows[i].become(self.arrow(i, t))
            self.set_readouts(t)

        self.play(
            UpdateFromAlphaFunc(VGroup(self.dots, self.arrows, self.readouts), move),
            run_time=clock[t1] - clock[t0],
            rate_func=linear,
        )

    def mark(self, i: int, what: str, step: int) -> None:
        """``what`` ("stalled" or "diverged") over run i's dot and under its readouts."""
        th = self.theme
        color = self.colors()[i]
        over = self.text(what, th.label_size, color)
        over.next_to(self.dots[i], UP, buff=0.5)
        right = self.panel.axes.get_right()[0]  # not over the readouts beside the plot
        if over.get_right()[0] > right:
            over.shift(LEFT * (over.get_right()[0] - right))
        left, y = self.marks_at[i]
        under = self.text(f"{what} at step {step}", th.body_size, color)
        under.move_to((left, y, 0), aligned_edge=LEFT)
        self.play(FadeIn(over), FadeIn(under), run_time=MARK)


class Saddle(RaceScene):
    scene = "Saddle"


class LocalMinima(RaceScene):
    scene = "LocalMinima"


class NoisyGradient(RaceScene):
    scene = "NoisyGradient"


SCENES = (MomentumCode, Saddle, LocalMinima, NoisyGradient)
SCENE_NAMES = tuple(c.__name__ for c in SCENES)
