"""The lecture: linear regression training in PyTorch, the hard way.

``manim -qh scenes/lesson.py Lesson`` plays every beat; the other scenes play a group of
beats each. Each beat opens a section named after it, so ``--save_sections`` gives one clip
per beat, and each beat lasts exactly its planned time (``plan``), padded with a pause.
Everything drawn comes from the trace (``scenes/lesson_trace.py``).
"""

from __future__ import annotations

import math

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTypst,
    ReplacementTransform,
    Scene,
    SurroundingRectangle,
    Text,
    Transform,
    ValueTracker,
    VGroup,
    Write,
    config,
    logger,
)

from gd_engine import Trace
from scenes.lesson_trace import lesson_trace, scene_config
from scenes.panels import CostPanel, DataPanel, LossPanel, Readouts, fmt_value
from scenes.theme import (
    BOARD_TOP,
    BOTTOM_Y,
    LEFT_X,
    LOSS_BIG,
    LOSS_SMALL,
    READOUTS_BIG_Y,
    READOUTS_Y,
    RIGHT_COLUMN_LEFT,
    RIGHT_COLUMN_WIDTH,
    RIGHT_X,
    THEMES,
    TIMINGS,
    TOP_Y,
    Theme,
    Timings,
)

BEATS = (
    "data",
    "model_and_cost",
    "settings",
    "cost_at_start",
    "backward",
    "update_and_zero",
    "cost_curve",
    "fit",
    "iterate",
    "why_it_slows",
    "loss_history",
    "loss_plot",
    "all_together",
    "close",
)

TITLES = {
    "data": "1  Data",
    "model_and_cost": "2  Model and cost",
    "settings": "3  Settings",
    "cost_at_start": "4  The cost at the start",
    "backward": "5  Backward",
    "update_and_zero": "6  Update, then zero the gradient",
    "cost_curve": "7  The cost curve",
    "fit": "8  The fit",
    "iterate": "9  Iterate",
    "why_it_slows": "10  Why it slows down",
    "loss_history": "11  Loss per iteration",
    "loss_plot": "12  The loss plot",
    "all_together": "13  All together",
    "close": "14  The loss falls every iteration",
}

MAX_TANGENTS = 5  # tangents drawn in "why_it_slows"; with many epochs, the first ones


def tangent_epochs(trace: Trace) -> list[int]:
    return list(range(min(len(trace.epochs), MAX_TANGENTS)))


def plan(trace: Trace, t: Timings = TIMINGS) -> dict[str, float]:
    """Seconds per beat. Beats with one move per epoch grow with the number of epochs."""
    n = len(trace.epochs)
    move = t.epoch_time(n)
    return {
        "data": 9.0,
        "model_and_cost": 7.0,
        "settings": 7.0,
        "cost_at_start": 7.0,
        "backward": 6.0,
        "update_and_zero": 8.0,
        "cost_curve": 5.5,
        "fit": 4.5,
        "iterate": 2.0 + n * (move + 0.7),
        "why_it_slows": 2.5 + 2.4 * len(tangent_epochs(trace)),
        "loss_history": 6.5,
        "loss_plot": 6.0,
        "all_together": 3.0 + n * (move + 0.3),
        "close": 6.0,
    }


class LessonScene(Scene):
    """Builds the panels from the trace and plays the beats named in ``beats``."""

    beats: tuple[str, ...] = BEATS
    timings: Timings = TIMINGS

    # -- set-up ----------------------------------------------------------------------
    def setup(self) -> None:
        cfg = scene_config()
        self.trace = lesson_trace(cfg)
        self.theme: Theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.plan = plan(self.trace, self.timings)
        th, tr = self.theme, self.trace

        self.cost = CostPanel(tr, th, center=(LEFT_X, TOP_Y, 0))
        self.data_panel = DataPanel(tr, th, center=(LEFT_X, BOTTOM_Y, 0))
        self.loss_panel = LossPanel(tr, th, **LOSS_SMALL)
        self.readouts = Readouts(tr, th).move_to([RIGHT_X, READOUTS_Y, 0])
        self.board = VGroup()  # equations and code of the current beat, top right
        self.marks: list = []  # highlight boxes on the board
        self.heading = VGroup()
        # progress p: iterate k at p = k, the final w at p = n; moves interpolate
        self.progress = ValueTracker(0.0)
        self.history = VGroup()  # loss panel: points and segments so far

    # -- storyboard ------------------------------------------------------------------
    def construct(self) -> None:
        for name in self.beats:
            self.play_beat(name)

    def play_beat(self, name: str) -> None:
        self.next_section(name)
        start = self.renderer.time
        self.show_heading(TITLES[name])
        getattr(self, name)()
        self.clear_updaters()
        elapsed = self.renderer.time - start
        budget = self.plan[name]
        if elapsed > budget + 1e-6:
            logger.warning(f"beat {name!r} takes {elapsed:.2f} s, over its plan of {budget} s")
        elif budget - elapsed >= 1 / config.frame_rate:
            self.wait(budget - elapsed)

    # -- helpers ---------------------------------------------------------------------
    def text(self, s: str, size: float | None = None, color: str | None = None, mono=False):
        th = self.theme
        return Text(s, font=th.mono if mono else th.font, font_size=size or th.body_size,
                    color=color or th.foreground)

    def code(self, *lines: str) -> VGroup:
        return VGroup(*(self.text(s, self.theme.code_size, mono=True) for s in lines)).arrange(
            DOWN, aligned_edge=LEFT, buff=0.16
        )

    def math(self, s: str, size: float = 36, color: str | None = None) -> MathTypst:
        return MathTypst(s, font_size=size, color=color or self.theme.foreground)

    def show_heading(self, title: str) -> None:
        new = self.text(title, self.theme.title_size * 0.75, self.theme.muted)
        new.to_edge(UP, buff=0.2).set_x(RIGHT_COLUMN_LEFT + new.width / 2)
        if self.heading in self.mobjects and len(self.heading):
            self.remove(self.heading)
        self.heading = new
        self.add(new)

    def show_board(self, *items, run_time: float | None = None) -> VGroup:
        """Replace the board (top right) with ``items``, stacked and written in."""
        rt = run_time or self.timings.write
        for item in items:
            if item.width > RIGHT_COLUMN_WIDTH:
                item.scale_to_fit_width(RIGHT_COLUMN_WIDTH)
        group = VGroup(*items).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        group.next_to([RIGHT_COLUMN_LEFT, BOARD_TOP, 0], DOWN + RIGHT, buff=0)
        old = [m for m in (self.board, *self.marks) if m in self.mobjects]
        self.play(*(FadeOut(m) for m in old), FadeIn(group, shift=UP * 0.1), run_time=rt)
        self.board, self.marks = group, []
        return group

    def highlight(self, mob, run_time: float = 0.8) -> SurroundingRectangle:
        """Box the line being run; the box belongs to the board and leaves with it."""
        box = SurroundingRectangle(mob, color=self.theme.highlight, buff=0.06, stroke_width=2.5)
        self.play(Create(box), run_time=run_time)
        self.marks.append(box)
        return box

    def pin_to_board(self, mob) -> None:
        self.remove(mob)
        self.board.add(mob)

    def ensure(self, *mobs) -> None:
        """Put on screen at once what an earlier beat would have shown (when a scene
        starts mid-lesson)."""
        for m in mobs:
            if m not in self.mobjects:
                self.add(m)

    def clear_updaters(self) -> None:
        for m in self.mobjects:
            m.clear_updaters()

    def title_card(self) -> VGroup:
        """The lesson's title, in the cost panel's place until the cost curve arrives."""
        th = self.theme
        card = VGroup(
            self.text("Linear regression in PyTorch,", th.title_size),
            self.text("the hard way", th.title_size, th.fitted),
            self.text("one parameter w \u00b7 batch gradient descent", th.label_size, th.muted),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.card = card.move_to([LEFT_X, TOP_Y, 0])
        return card

    # the moving parts, all driven by self.progress -------------------------------------
    def w_at_progress(self) -> float:
        p = self.progress.get_value()
        n = len(self.trace.epochs)
        k = min(int(math.floor(p)), max(n - 1, 0))
        return self.cost.loss_between(k, p - k)[0] if n else self.trace.final.w

    def moving_dot(self):
        dot = self.cost.dot_at(0)

        def follow(m):
            p = self.progress.get_value()
            n = len(self.trace.epochs)
            k = min(int(math.floor(p)), max(n - 1, 0))
            if n == 0:
                m.move_to(self.cost.point_at(self.trace.final.w, self.trace.final.loss))
            else:
                m.move_to(self.cost.point_at(*self.cost.loss_between(k, p - k)))

        dot.add_updater(follow)
        follow(dot)
        return dot

    def moving_line(self):
        line = self.data_panel.fitted_line(self.w_at_progress())
        line.add_updater(lambda m: m.become(self.data_panel.fitted_line(self.w_at_progress())))
        return line

    def step_epoch(self, k: int, move_time: float, extra=()) -> None:
        """One iteration: the dot and the line move from iterate k to k+1; the loss plot
        gets point k (and its segment); the readouts show the new numbers."""
        grow = [FadeIn(self.loss_panel.point_at(k), scale=0.5)]
        if k > 0:
            grow.append(Create(self.loss_panel.segment_to(k)))
        self.play(*grow, run_time=0.3)
        self.history.add(*(a.mobject for a in grow))
        self.play(self.progress.animate.set_value(k + 1), *extra, run_time=move_time)

    def still(self, k: int) -> None:
        """The three-panel layout at iterate k, put on screen without animation: the dot at
        (w_k, loss_k), the line w_k * x, losses 0..k-1 plotted. For tests and stills."""
        n = len(self.trace.epochs)
        self.loss_panel = LossPanel(self.trace, self.theme, **LOSS_BIG)
        self.readouts.move_to([RIGHT_X, READOUTS_BIG_Y, 0])
        self.readouts.values.become(self.readouts.values_at(k))
        self.progress.set_value(k)
        self._ensure_moving_parts()
        self.history = self.loss_panel.history_upto(min(k, n) - 1) if k > 0 else VGroup()
        self.add(self.loss_panel, self.history)

    # -- beats -----------------------------------------------------------------------
    def data(self) -> None:
        d = self.trace.config.data
        panel = self.data_panel
        self.play(FadeIn(panel), FadeIn(self.title_card()), run_time=0.8)
        self.show_board(
            self.code(f"X = torch.arange({d.x_start:g}, {d.x_stop:g}, {d.x_step:g}).view(-1, 1)",
                      f"f = {d.slope:g} * X"),
            self.text(f"{len(self.trace.data.x)} inputs as a column; the true line has slope "
                      f"{d.slope:g}", self.theme.label_size, self.theme.muted),
        )
        self.play(Create(panel.true_line), run_time=1.2)
        noise = self.code(f"Y = f + {d.noise_std:g} * torch.randn(X.size())")
        noise.next_to(self.board, DOWN, aligned_edge=LEFT, buff=0.3)
        self.play(FadeIn(noise), run_time=0.6)
        self.pin_to_board(noise)
        self.play(LaggedStart(*(FadeIn(p, scale=0.5) for p in panel.data_points), lag_ratio=0.03),
                  run_time=1.8)

    def model_and_cost(self) -> None:
        self.ensure(self.data_panel, self.data_panel.true_line, self.data_panel.data_points)
        th = self.theme
        self.show_board(
            self.code("def forward(x):", "    return w * x"),
            self.math("hat(y) = w x", color=th.fitted),
            self.math("ell(w) = 1/N sum_(n=1)^N (w x_n - y_n)^2"),
        )
        self.play(Indicate(self.board[2], color=th.highlight), run_time=1.0)

    def settings(self) -> None:
        tr = self.trace.config.train
        self.show_board(
            self.code(f"lr = {tr.lr:g}", f"epochs = {tr.epochs}",
                      f"w = torch.tensor({tr.w0:.1f}, requires_grad=True)"),
            self.text("One epoch uses every sample once: here, one iteration.",
                      self.theme.label_size, self.theme.muted),
            self.text("requires_grad: PyTorch treats w as a variable to differentiate.",
                      self.theme.label_size, self.theme.muted),
        )
        self.highlight(self.board[0][2])

    def cost_at_start(self) -> None:
        self.ensure(self.data_panel, self.data_panel.true_line, self.data_panel.data_points)
        e0 = self.trace.epochs[0]
        board = self.show_board(
            self.code("yhat = forward(X)", "loss = criterion(yhat, Y)"),
            self.math(f"ell({fmt_value(e0.w, 1)}) = {fmt_value(e0.loss)}", color=self.theme.data),
        )
        line = self.data_panel.fitted_line(e0.w)
        residuals = self.data_panel.residuals(e0.w)
        self.play(Create(line), run_time=0.8)
        self.play(Create(residuals), run_time=1.0)
        self.readouts.values.become(self.readouts.values_at(0, "loss"))
        self.play(FadeIn(self.readouts), run_time=0.6)
        self.play(FadeOut(residuals), Indicate(board[1], color=self.theme.highlight),
                  run_time=0.8)
        self.fitted = line

    def backward(self) -> None:
        self.ensure(self.readouts)
        e0 = self.trace.epochs[0]
        board = self.show_board(
            self.code("loss.backward()", "w.grad"),
            self.math(f"(d ell)/(d w) = 2/N sum_n x_n (w x_n - y_n) = {fmt_value(e0.grad)}"),
        )
        self.highlight(board[0][0], run_time=0.6)
        self.swap_values(0, "grad")

    def update_and_zero(self) -> None:
        self.ensure(self.readouts)
        e0, lr = self.trace.epochs[0], self.trace.config.train.lr
        board = self.show_board(
            self.code("w.data = w.data - lr * w.grad.data", "w.grad.data.zero_()"),
            self.math(f"{fmt_value(e0.w)} - {lr:g} dot ({fmt_value(e0.grad)}) = "
                      f"{fmt_value(e0.w_next)}", size=28),
            self.text("backward() adds to w.grad: zero it every iteration.",
                      self.theme.label_size, self.theme.muted),
        )
        box = self.highlight(board[0][0], run_time=0.5)
        self.play(Indicate(board[1], color=self.theme.highlight), run_time=1.0)
        self.play(FadeOut(box), run_time=0.3)
        self.highlight(board[0][1], run_time=0.5)
        self.swap_values(0, "zeroed")

    def cost_curve(self) -> None:
        # back to w0: the same numbers, now on the plots
        self.ensure(self.data_panel, self.data_panel.data_points, self.readouts)
        self.show_board(
            self.text("The average loss for many values of w:", self.theme.label_size,
                      self.theme.muted),
            self.text("a bowl, lowest at the best slope.", self.theme.label_size,
                      self.theme.muted),
        )
        card = [FadeOut(self.card)] if getattr(self, "card", None) in self.mobjects else []
        self.play(*card, FadeIn(self.cost), run_time=0.6)
        self.play(Create(self.cost.curve), run_time=1.2)
        self.progress.set_value(0)
        self.dot = self.moving_dot()
        self.play(FadeIn(self.dot, scale=0.5), run_time=0.4)
        self.swap_values(0, "grad")

    def fit(self) -> None:
        self.ensure(self.data_panel, self.data_panel.data_points, self.cost, self.cost.curve,
                    self.readouts)
        self.show_board(
            self.text("Red: the data.  Blue: the line w\u00b7x", self.theme.label_size,
                      self.theme.muted),
            self.text("for the current w; it starts far too steep.", self.theme.label_size,
                      self.theme.muted),
        )
        old = getattr(self, "fitted", None)
        self.fitted = self.moving_line()
        if old is not None and old in self.mobjects:
            self.remove(old)
            self.add(self.fitted)
            self.play(Indicate(self.fitted, color=self.theme.fitted), run_time=1.0)
        else:
            self.play(Create(self.fitted), run_time=1.0)

    def _ensure_moving_parts(self) -> None:
        """The cost and data panels on screen, with a dot and a line that follow progress."""
        self.ensure(self.data_panel, self.data_panel.data_points, self.cost, self.cost.curve,
                    self.readouts)
        for attr, make in (("fitted", self.moving_line), ("dot", self.moving_dot)):
            old = getattr(self, attr, None)
            if old is not None:
                self.remove(old)
            setattr(self, attr, make())
            self.add(getattr(self, attr))

    def iterate(self) -> None:
        self._ensure_moving_parts()
        self.ensure(self.loss_panel)
        self.show_board(
            self.code("for epoch in range(epochs):", "    ...one iteration as above"),
            run_time=0.6,
        )
        move = self.timings.epoch_time(len(self.trace.epochs))
        for k in range(len(self.trace.epochs)):
            self.step_epoch(k, move)
            self.swap_values(k + 1, run_time=0.4)

    def why_it_slows(self) -> None:
        self._ensure_moving_parts()
        self.show_board(
            self.text("The tangent's slope is the derivative.", self.theme.label_size,
                      self.theme.muted),
            self.text("Steep far from the minimum: a long step.", self.theme.label_size,
                      self.theme.muted),
            self.text("Flat near it: a short step.", self.theme.label_size, self.theme.muted),
            run_time=0.8,
        )
        self.progress.set_value(0)
        self.swap_values(0, run_time=0.3)
        drawn = VGroup()
        for k in tangent_epochs(self.trace):
            tangent, label = self.cost.tangent_at(k), self.cost.slope_label(k)
            arrow = self.cost.step_arrow(k)
            self.play(Create(tangent), FadeIn(label), run_time=0.7)
            self.play(Create(arrow), self.progress.animate.set_value(k + 1), run_time=1.0)
            self.swap_values(k + 1, run_time=0.3)
            self.play(FadeOut(label), tangent.animate.set_stroke(opacity=0.35), run_time=0.4)
            drawn.add(tangent, arrow)
        self.play(FadeOut(drawn), run_time=0.5)
        self.progress.set_value(len(self.trace.epochs))

    def loss_history(self) -> None:
        self.ensure(self.loss_panel, self.readouts)
        if not len(self.history):
            self.history = self.loss_panel.history_upto(len(self.trace.epochs) - 1)
            self.add(self.history)
        self.show_board(
            self.code("loss_history = []", "...", "    loss_history.append(loss.item())"),
            self.text("More parameters: no curve to draw. Track the cost per iteration.",
                      self.theme.label_size, self.theme.muted),
        )
        self.highlight(self.board[0][2])

    def loss_plot(self) -> None:
        self.ensure(self.loss_panel)
        if not len(self.history):
            self.history = self.loss_panel.history_upto(len(self.trace.epochs) - 1)
            self.add(self.history)
        self.show_board(
            self.text("Across: the iteration. Up: its loss.", self.theme.label_size,
                      self.theme.muted),
            self.text("Straight segments join the iterations.", self.theme.label_size,
                      self.theme.muted),
        )
        self.play(Indicate(self.history, color=self.theme.highlight, scale_factor=1.05),
                  run_time=1.2)

    def all_together(self) -> None:
        self._ensure_moving_parts()
        self.ensure(self.loss_panel)
        # the three-panel layout: the loss plot takes the whole right column
        bigger = LossPanel(self.trace, self.theme, **LOSS_BIG)
        fades = [FadeOut(m) for m in (self.board, self.history, *self.marks) if m in self.mobjects]
        self.play(*fades, ReplacementTransform(self.loss_panel, bigger),
                  self.readouts.animate.move_to([RIGHT_X, READOUTS_BIG_Y, 0]), run_time=0.8)
        self.board, self.history, self.loss_panel, self.marks = VGroup(), VGroup(), bigger, []
        self.progress.set_value(0)
        self.swap_values(0, run_time=0.3)
        move = self.timings.epoch_time(len(self.trace.epochs))
        for k in range(len(self.trace.epochs)):
            new = self.readouts.values_at(k + 1)
            self.step_epoch(k, move, extra=[Transform(self.readouts.values, new)])

    def close(self) -> None:
        self.ensure(self.cost, self.data_panel, self.loss_panel)
        self.ensure(self.readouts)
        self.swap_values(len(self.trace.epochs), run_time=0.4)
        first, last = self.trace.epochs[0].loss, self.trace.final.loss
        msg = self.text(f"Average loss: {fmt_value(first, 2)} \u2192 {fmt_value(last, 2)}",
                        self.theme.body_size, self.theme.data)
        msg2 = self.text("Both views: the loss falls with every iteration.",
                         self.theme.label_size, self.theme.muted)
        for m in (msg, msg2):
            if m.width > RIGHT_COLUMN_WIDTH:
                m.scale_to_fit_width(RIGHT_COLUMN_WIDTH)
        group = VGroup(msg, msg2).arrange(DOWN, buff=0.2)
        group.move_to([RIGHT_X, READOUTS_BIG_Y, 0])
        self.play(FadeOut(self.readouts), run_time=0.4)
        self.play(Write(msg), run_time=1.0)
        self.play(FadeIn(msg2), run_time=0.6)

    # readouts --------------------------------------------------------------------------
    def swap_values(self, k: int, stage: str = "grad", run_time: float = 0.4) -> None:
        """Show epoch k's numbers in the readouts (instantly when run_time is 0)."""
        new = self.readouts.values_at(k, stage)
        if run_time <= 0:
            self.readouts.values.become(new)
        else:
            self.play(Transform(self.readouts.values, new), run_time=run_time)


# -- one scene per group of beats ---------------------------------------------------------
class Lesson(LessonScene):
    """The whole lecture, every beat in order."""


class Data(LessonScene):
    beats = ("data",)


class ModelAndCost(LessonScene):
    beats = ("model_and_cost",)


class OneStep(LessonScene):
    beats = ("settings", "cost_at_start", "backward", "update_and_zero")


class Iterating(LessonScene):
    beats = ("cost_curve", "fit", "iterate")


class Tangents(LessonScene):
    beats = ("why_it_slows",)


class LossHistory(LessonScene):
    beats = ("loss_history", "loss_plot")


class AllTogether(LessonScene):
    beats = ("all_together", "close")


SCENES = (Lesson, Data, ModelAndCost, OneStep, Iterating, Tangents, LossHistory, AllTogether)
