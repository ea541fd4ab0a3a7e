"""The optimizers lesson's scenes, drawn from its trace (``lessons/optimizers.toml``).

``gdlesson build --config lessons/optimizers.toml`` (or ``manim -qh
lessons/optimizers/optimizers_scenes.py WellScaled``):

- ``OptimizerLoop``: the lesson's PyTorch code (Adam on the well-scaled data), the line
  being run highlighted while the readouts under it take the trace's numbers; then the
  optimizer's line changes to each of the four.
- ``WellScaled`` and ``Elongated``: the four runs on one contour of their problem's cost,
  on one clock, their losses on one plot beside it; a run that diverged or stalled is
  marked where it did.
- ``AdamMoments``: Adam on the elongated problem, step by step: at the dot, the step
  along the mean gradient alone (lr m-hat, amber) and Adam's own step (blue); beside it,
  per parameter, the gradient, m-hat, the square root of v-hat and the step.

Nothing is drawn in the outer 5% of the frame (``safe_area``).
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
    FadeIn,
    FadeOut,
    ReplacementTransform,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    linear,
)

from gdlesson.registry import lessons
from lessons.optimizers.config import OPTIMIZERS
from lessons.optimizers.listing import listing
from lessons.optimizers.timing import (
    ADAM_CHUNK,
    ADAM_CHUNK_TIME,
    ADAM_SLOW,
    ADAM_SLOW_TIME,
    FAST,
    FAST_TIME,
    HOLD,
    LINE_TIME,
    LOOP_LINES,
    MARK_TIME,
    RACE_CHUNKS,
    RACE_SECONDS,
    RETITLE,
    SHOW,
    SWAP_READ,
    SWAP_TIME,
    WALKED,
    planned_seconds,
)
from lessons.optimizers.trace import OptimizersTrace, Problem, Run
from scenes.code import CodeListing, code_blocks
from scenes.contour import ContourPanel
from scenes.layout import columns, fit_panel, safe_area
from scenes.lesson_trace import config_source, read_config
from scenes.narrated import NarratedScene
from scenes.panels import MonoLine, fmt_value
from scenes.race import GrowingPath, LossOverTime, StillLines, race
from scenes.speedups import install as install_speedups
from scenes.timing import WholeFrames

install_speedups()

LESSON_FILE = "lessons/optimizers.toml"
SCENES = ("OptimizerLoop", "WellScaled", "Elongated", "AdamMoments")

ARROW_LENGTH = 1.0  # on screen: the -m-hat arrow, and Adam's first step as drawn
LONG_NAMES = {
    "sgd": "plain SGD",
    "momentum": "SGD with momentum",
    "rmsprop": "RMSProp",
    "adam": "Adam",
}


class OptimizersScene(WholeFrames, StillLines, NarratedScene):
    """A scene of the optimizers lesson: its trace, theme and narration (``NarratedScene``),
    on a clock of whole frames."""

    trace: OptimizersTrace
    heading_size = 0.8

    def load_config(self):
        return read_config(lessons()["optimizers"].load_config, LESSON_FILE)

    def load_trace(self, cfg) -> OptimizersTrace:
        return lessons()["optimizers"].train(cfg)

    def load_narrations(self, cfg):
        return lessons()["optimizers"].narration(config_source(LESSON_FILE), lambda: self.trace)

    def scene_seconds(self) -> float:
        return planned_seconds(self.trace, type(self).__name__, self.spoken)

    def colors(self) -> dict[str, str]:
        """One colour per optimizer: the theme's colours of compared runs."""
        palette = self.theme.runs[1:]
        return {o: palette[i % len(palette)] for i, o in enumerate(OPTIMIZERS)}


class OptimizerLoop(OptimizersScene):
    """The loop with the executing line highlighted, Adam's first iterations read out; then
    each optimizer's line in turn."""

    def construct(self) -> None:
        self.next_section("loop")
        th = self.theme
        problem = self.trace.problems[0]
        self.run = problem.run("adam")
        code = code_blocks(listing(self.trace.config, "adam", problem.x_scale))
        self.lines = code["model and cost"] + code["training"]
        heading = self.heading("One loop for every optimizer")
        self.listing = CodeListing(self.lines, th)
        left, bottom, right, _ = safe_area()
        self.listing.next_to(heading, DOWN, buff=0.25).align_to(heading, LEFT)
        self.band = self.listing.band_at(None)
        self.readout = self.readout_at(0, "start")
        self.play(FadeIn(heading), FadeIn(self.listing), FadeIn(self.readout), run_time=SHOW)
        self.add(self.band)
        for k in range(min(WALKED, len(self.run.steps))):
            for line, stage in zip(LOOP_LINES, ("loss", "zero", "grad", "step")):
                self.play(
                    self.band.animate.become(self.listing.band_at(line)), run_time=LINE_TIME / 2
                )
                self.readout = self.swap(self.readout, self.readout_at(k, stage))
                self.wait(LINE_TIME / 2)
        fast = range(WALKED, min(WALKED + FAST, len(self.run.steps)))
        for k in fast:
            self.wait(FAST_TIME)
            self.readout = self.swap(self.readout, self.readout_at(k, "step"))
        self.remove(self.band)
        self.swap_optimizers(heading)
        self.hold(HOLD)

    def swap(self, old: VGroup, new: VGroup) -> VGroup:
        self.remove(old)
        self.add(new)
        return new

    def readout_at(self, k: int, stage: str) -> VGroup:
        """Under the listing: iteration k's numbers as far as the loop has got (``stage``:
        start, loss, zero, grad, step)."""
        th = self.theme
        s = self.run.steps[k]
        w, b = (s.w_next, s.b_next) if stage == "step" else (s.w, s.b)
        # what w.grad holds: backward's gradient until zero_grad() sets it to None again
        # (its default, set_to_none=True); the previous iteration's while the loss is computed
        held = {"grad": s, "step": s, "loss": self.run.steps[k - 1] if k else None}.get(stage)
        gw, gb = (
            ("None", "None") if held is None else (fmt_value(held.grad_w), fmt_value(held.grad_b))
        )
        loss = fmt_value(s.loss) if stage != "start" else ""
        rows = [
            (f"i = {k}", th.foreground),
            (f"w = {fmt_value(w):>9}   b = {fmt_value(b):>9}", th.fitted),
            (f"loss = {loss:>9}", th.loss),
            (f"w.grad = {gw:>9}   b.grad = {gb:>9}", th.tangent),
        ]
        group = VGroup(*(MonoLine(r, th.mono, th.tick_size + 2, c) for r, c in rows))
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        return group.next_to(self.listing, DOWN, buff=0.3).align_to(self.listing, LEFT)

    def swap_optimizers(self, heading: Text) -> None:
        """The optimizer's two lines become each optimizer's in turn."""
        problem = self.trace.problems[0]
        new_heading = self.heading("Only the optimizer changes")
        self.play(
            ReplacementTransform(heading, new_heading), FadeOut(self.readout), run_time=RETITLE
        )
        at = self.listing.index_of("optimizer = ")
        shown = VGroup(*self.listing.code_lines[at : at + 2])
        label = None
        for name in OPTIMIZERS:
            code = code_blocks(listing(self.trace.config, name, problem.x_scale))
            other = CodeListing(code["model and cost"] + code["training"], self.theme)
            other.move_to(self.listing, aligned_edge=UP + LEFT)
            lines = VGroup(*other.code_lines[at : at + 2])
            said = self.text(LONG_NAMES[name], self.theme.title_size, self.colors()[name])
            said.next_to(self.listing, DOWN, buff=0.5).align_to(self.listing, LEFT)
            if label is not None:  # the last name goes first: two names never overlap
                self.play(FadeOut(label), run_time=SWAP_TIME / 4)
            else:
                self.wait(SWAP_TIME / 4)
            self.play(ReplacementTransform(shown, lines), FadeIn(said), run_time=SWAP_TIME * 3 / 4)
            shown, label = lines, said
            self.wait(SWAP_READ)


class Race(OptimizersScene):
    """The four runs of one problem on its contour and on one loss plot, on one clock."""

    problem_index = 0
    title = ""

    def construct(self) -> None:
        self.next_section(type(self).__name__)
        th = self.theme
        self.problem: Problem = self.trace.problems[self.problem_index]
        p, colors = self.problem, self.colors()
        heading = self.heading(self.title.format(scale=p.x_scale))
        self.iterations = max(len(r.steps) for r in p.runs)
        self.clock_text = self.clock(0, heading)
        contour_box, (left, bottom, right, top) = columns(float(heading.get_bottom()[1]) - 0.3, 0.5)
        self.contour = fit_panel(lambda **size: ContourPanel(p, th, **size), contour_box)
        legend = VGroup(
            *(self.text(f"\u25cf {r.name}", th.tick_size + 2, colors[r.optimizer]) for r in p.runs)
        ).arrange_in_grid(rows=2, cols=2, buff=(0.4, 0.12), col_alignments="ll")
        legend.move_to((left, top, 0.0), aligned_edge=UP + LEFT)
        start = max(r.start_loss for r in p.runs)
        shown = [v for r in p.runs for v in r.losses if v <= 10 * start]
        self.loss = fit_panel(
            lambda **size: LossOverTime(
                th, max(self.iterations, 1), shown, "iteration", "loss", room=1.2, **size
            ),
            (left, bottom, right, float(legend.get_bottom()[1]) - 0.45),
        )
        c = self.contour
        self.play(
            FadeIn(heading),
            FadeIn(self.clock_text),
            FadeIn(VGroup(c, c.contours, c.minimum)),
            FadeIn(legend),
            FadeIn(self.loss),
            run_time=SHOW,
        )
        self.race()
        self.mark_regimes()
        self.hold(HOLD)

    def clock(self, k: int, heading: Text | None = None) -> Text:
        heading = heading or self.heading_mob
        self.heading_mob = heading
        _, _, right, top = safe_area()
        t = self.text(f"iteration {k:>3}", self.theme.tick_size + 2, self.theme.muted, mono=True)
        return t.move_to((right, float(heading.get_center()[1]), 0.0), aligned_edge=RIGHT)

    def visible_path(self, run: Run) -> list[tuple[float, float]]:
        """The run's path up to where it leaves the map (a diverged run does)."""
        path = []
        for w, b in run.path:
            if not self.contour.on_plot(w, b):
                break
            path.append((w, b))
        return path or [run.path[0]]

    def race(self) -> None:
        colors = self.colors()
        paths = []
        for run in self.problem.runs:
            path = self.visible_path(run)
            points = self.contour.path_points(path)
            paths.append(GrowingPath(range(len(path)), points, colors[run.optimizer], 3.0, 0.075))
            losses = run.losses
            curve = self.loss.screen_points(range(len(losses)), losses)
            paths.append(GrowingPath(range(len(curve)), curve, colors[run.optimizer], 3.0, 0.05))
        self.add(*paths)
        n = self.iterations
        chunks = [(n * c / RACE_CHUNKS, n * (c + 1) / RACE_CHUNKS) for c in range(RACE_CHUNKS)]

        def tick(c: int) -> None:  # the clock in its place: under the paths, still
            clock = self.clock(round(chunks[c][1]))
            self.replace(self.clock_text, clock)
            self.clock_text = clock

        race(self, paths, chunks, RACE_SECONDS / RACE_CHUNKS, tick)
        self.paths = paths

    def mark_regimes(self) -> None:
        """A diverged run: "diverged" where it left the map; a stalled one: "stalled" at
        the iteration where the rule was met."""
        colors, marks = self.colors(), VGroup()
        for run in self.problem.runs:
            if run.regime == "diverged":
                w, b = self.visible_path(run)[-1]
                label = f"{run.name} diverged"
            elif run.regime == "stalled":
                w, b = run.path[run.stalled_at + 1]
                label = f"{run.name} stalled"
            else:
                continue
            at = self.contour.point_at(w, b)
            text = self.text(label, self.theme.tick_size, colors[run.optimizer])
            middle = self.contour.axes.get_center()[0]
            text.next_to(at, UP + (RIGHT if at[0] < middle else LEFT), buff=0.08)
            while any(overlap(text, m) for m in marks):  # runs that ended together: a column
                text.shift(DOWN * (text.height + 0.08))
            marks.add(text)
        if marks:
            self.play(FadeIn(marks), run_time=MARK_TIME)
        else:
            self.wait(MARK_TIME)


def overlap(a, b, gap: float = 0.04) -> bool:
    """Whether the boxes of two mobjects come nearer than ``gap``."""
    return not (
        a.get_right()[0] + gap < b.get_left()[0]
        or b.get_right()[0] + gap < a.get_left()[0]
        or a.get_top()[1] + gap < b.get_bottom()[1]
        or b.get_top()[1] + gap < a.get_bottom()[1]
    )


class WellScaled(Race):
    problem_index = 0
    title = "Four optimizers, well-scaled data"


class Elongated(Race):
    problem_index = 1
    title = "The same data with x times {scale:g}"


class AdamMoments(OptimizersScene):
    """Adam's moments and its per-parameter step at the dot, on the elongated problem."""

    def construct(self) -> None:
        self.next_section("adam")
        th = self.theme
        p = self.problem = self.trace.problems[1]
        self.run = p.run("adam")
        heading = self.heading("Adam: each parameter scaled by its own gradients")
        top = float(heading.get_bottom()[1]) - 0.3
        contour_box, self.column = columns(top, 0.5)
        self.contour = c = fit_panel(lambda **size: ContourPanel(p, th, **size), contour_box)
        points = c.path_points(self.run.path)
        self.path = GrowingPath(
            range(len(points)), points, self.colors()["adam"], 3.0, th.dot_radius
        )
        self.scale = self.arrow_scale()
        self.table = self.table_at(0)
        self.arrows = self.arrows_at(0)
        self.play(
            FadeIn(heading),
            FadeIn(VGroup(c, c.contours, c.minimum)),
            FadeIn(self.path.head),
            FadeIn(self.table),
            FadeIn(self.key()),
            run_time=SHOW,
        )
        self.add(self.path)
        steps = len(self.run.steps)
        slow = min(ADAM_SLOW, steps)
        for k in range(slow):  # the arrows come up, then the dot takes the step
            self.show_step(k)
            self.play(FadeIn(self.arrows), run_time=ADAM_SLOW_TIME / 2)
            self.walk(k, k + 1, ADAM_SLOW_TIME / 2)
        chunks = [range(k, min(k + ADAM_CHUNK, steps)) for k in range(slow, steps, ADAM_CHUNK)]
        for chunk in chunks:
            self.show_step(chunk[0])
            self.add(self.arrows)
            self.walk(chunk[0], chunk[-1] + 1, ADAM_CHUNK_TIME)
        self.hold(HOLD)

    def show_step(self, k: int) -> None:
        """The table and the arrows of step k (the arrows still to be added)."""
        self.remove(self.table, self.arrows)
        self.table, self.arrows = self.table_at(k), self.arrows_at(k)
        self.add(self.table)

    def walk(self, a: int, b: int, seconds: float) -> None:
        """The dot from iterate a to iterate b along the path."""

        def grow(mob, alpha):
            mob.at(a + alpha * (b - a))

        self.path.freeze()  # what it has drawn: stroked once (scenes/race.py)
        self.play(UpdateFromAlphaFunc(self.path, grow), run_time=seconds, rate_func=linear)
        self.path.thaw()
        self.remove(self.path.head)
        self.add(self.path.head)  # on top of the arrows

    def moments(self, k: int) -> dict[str, tuple[float, float]]:
        """Step k's numbers, per parameter (w, b), from the trace: the gradient, the
        bias-corrected moments m-hat and v-hat, and the step taken."""
        a, s = self.trace.config.adam, self.run.steps[k]
        t = k + 1
        m, v = s.state["exp_avg"], s.state["exp_avg_sq"]
        return {
            "g": (s.grad_w, s.grad_b),
            "m_hat": tuple(x / (1 - a.beta1**t) for x in m),
            "v_hat": tuple(x / (1 - a.beta2**t) for x in v),
            "step": (s.w_next - s.w, s.b_next - s.b),
        }

    def table_at(self, k: int) -> VGroup:
        th = self.theme
        n = self.moments(k)
        rows = [
            (f"iteration {k}", None, None, th.foreground),
            ("Adam", "w", "b", th.muted),
            ("gradient", *n["g"], th.tangent),
            ("m\u0302", *n["m_hat"], th.tangent),
            ("\u221av\u0302", *(math.sqrt(v) for v in n["v_hat"]), th.loss),
            ("step", *n["step"], th.fitted),
        ]
        lines = []
        for name, w, b, color in rows:
            cells = [f"{name:<9}"]
            for v in (w, b):
                if v is not None:
                    cells.append(f"{v if isinstance(v, str) else fmt_value(v, 3):>9}")
            lines.append(self.text("".join(cells), th.tick_size + 2, color, mono=True))
        table = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        left, _, _, top = self.column
        return table.move_to((left, top, 0.0), aligned_edge=UP + LEFT)

    def key(self) -> VGroup:
        th = self.theme
        left, bottom, _, _ = self.column
        rows = VGroup(
            self.text("amber: the direction of \u2212m\u0302", th.tick_size, th.tangent),
            self.text(f"blue: Adam's step, drawn \u00d7{self.scale:g}", th.tick_size, th.fitted),
            self.text(
                "step = \u2212lr \u00b7 m\u0302 / (\u221av\u0302 + \u03b5)", th.tick_size, th.fitted
            ),
            self.text("for w and for b, each its own", th.tick_size, th.muted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        return rows.move_to((left, bottom, 0.0), aligned_edge=DOWN + LEFT)

    def screen_vector(self, dw: float, db: float) -> np.ndarray:
        """A change of (w, b) as a vector on screen."""
        c = self.contour
        return c.axes.c2p(dw, db) - c.axes.c2p(0.0, 0.0)

    def arrow_scale(self) -> float:
        """How many times Adam's steps are drawn: a round number that makes the first one
        about ARROW_LENGTH long on screen."""
        s = self.run.steps[0] if self.run.steps else None
        if s is None:
            return 1.0
        length = np.linalg.norm(self.screen_vector(s.w_next - s.w, s.b_next - s.b))
        wanted = ARROW_LENGTH / max(length, 1e-9)
        return float(max(1, min(100, round(wanted))))

    def arrows_at(self, k: int) -> VGroup:
        """At the dot of step k: the direction of -m-hat (amber, a fixed length) and Adam's
        step (blue, ``self.scale`` times)."""
        th = self.theme
        s, n = self.run.steps[k], self.moments(k)
        start = self.contour.axes.c2p(s.w, s.b)
        mean = -self.screen_vector(*n["m_hat"])
        step = self.screen_vector(s.w_next - s.w, s.b_next - s.b) * self.scale
        group = VGroup()
        if np.linalg.norm(mean) > 0:
            group.add(
                self.arrow(start, start + mean / np.linalg.norm(mean) * ARROW_LENGTH, th.tangent)
            )
        if np.linalg.norm(step) > 1e-3:
            group.add(self.arrow(start, start + step, th.fitted))
        return group

    @staticmethod
    def arrow(start, end, color) -> Arrow:
        return Arrow(
            start,
            end,
            buff=0,
            color=color,
            stroke_width=5,
            max_tip_length_to_length_ratio=0.3,
            max_stroke_width_to_length_ratio=20,
        )
