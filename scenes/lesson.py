"""The lecture: linear regression training in PyTorch, the hard way.

``manim -qh scenes/lesson.py Lesson`` plays every beat; the other scenes play a group of
beats each. Each beat opens a section named after it (``--save_sections`` gives one clip
per beat), speaks its narration as subtitles (and its recording, if there is one), and
lasts exactly its planned time (``plan``), padded with a pause.

Everything drawn comes from the trace (``scenes/lesson_trace.py``); the code shown is the
code that produced it (``scenes/lesson_code.py``).
"""

from __future__ import annotations

import math
import os
from types import SimpleNamespace

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    ChangingDecimal,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTypst,
    MoveToTarget,
    Rectangle,
    ReplacementTransform,
    Scene,
    Text,
    Transform,
    TransformMatchingShapes,
    UpdateFromFunc,
    ValueTracker,
    VGroup,
    Write,
    config,
)

from gd_engine.config import check_view
from scenes import regimes
from scenes.code import CodeListing
from scenes.lesson_code import code_blocks, lesson_code
from scenes.lesson_trace import (
    bad_input_stops,
    check_animatable,
    config_source,
    lesson_trace,
    scene_config,
)
from scenes.narration import add_subtitles, mark_times, write_vtt_beside
from scenes.panels import CostPanel, DataPanel, LossPanel, Reading, Readouts, fmt_value
from scenes.speedups import install as install_speedups
from scenes.storyboard import (
    BEATS,
    CODE_BEATS,
    LOOP_STEPS,
    TITLES,
    Board,
    beat_times,
    board_before,
    detailed,
    epoch,
    lesson_narration,
    plan,
    tangent_epochs,
    tidy_seconds,
    zoom_range,
    zoomed_epochs,
)
from scenes.theme import (
    BOARD_TOP,
    BOTTOM_Y,
    CLOSE_UP,
    CODE_BOARD_LEFT,
    CODE_BOARD_TOP,
    CODE_CORNER,
    HEADING_TOP,
    LEFT_X,
    LOSS_BIG,
    LOSS_SMALL,
    READOUTS_BIG_Y,
    READOUTS_WIDTH,
    READOUTS_Y,
    RIGHT_COLUMN_LEFT,
    RIGHT_COLUMN_WIDTH,
    RIGHT_X,
    ROW_PANELS,
    SAFE_X,
    SIDE_LEFT,
    SIDE_READOUTS_TOP,
    THEMES,
    TIMINGS,
    TOP_Y,
    Theme,
    Timings,
)
from scenes.timing import WholeFrames, frames

install_speedups()


def lesson_plan(cfg=None, fps: float | None = None) -> dict[str, float]:
    """The plan of the lesson as ``scenes/lesson.py`` renders it for ``cfg`` at ``fps``
    frames a second (Manim's, by default)."""
    return plan(lesson_trace(cfg), lesson_narration(), fps=fps or config.frame_rate)


class LessonScene(WholeFrames, Scene):
    """Builds the panels from the trace and plays the beats named in ``beats``, each play
    taking the seconds its beat declares (``self.times``: storyboard.BEAT_TIMES) in whole
    frames, as the plan counts them."""

    beats: tuple[str, ...] = BEATS
    timings: Timings = TIMINGS

    # -- set-up ----------------------------------------------------------------------
    def setup(self) -> None:
        cfg = scene_config()
        self.trace = lesson_trace(cfg)
        with bad_input_stops():
            check_animatable(self.trace, config_source())
            check_view(self.trace, config_source(), os.environ.get("GDLESSON_SET", "").split(";"))
            self.narration = lesson_narration()
        self.theme: Theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.plan = plan(self.trace, self.narration, self.timings, config.frame_rate)
        self.beat_times: dict[str, tuple[float, float]] = {}  # beat -> (start, end) seconds
        self.reveals: list = []  # (mark, time shown, end of the cue that says it, mobjects)
        self.overruns: dict[str, float] = {}
        th, tr = self.theme, self.trace

        self.code_text = lesson_code(tr.config)
        self.blocks = code_blocks(self.code_text)
        self.cost, self.data_panel, self.loss_panel = self.panels()
        self.readouts = Readouts(tr, th).scale_to_fit_width(READOUTS_WIDTH)
        self.place_readouts(self.readouts, "right")
        self.board = VGroup()  # equations and code of the current beat, top right
        self.listing: CodeListing | None = None  # the code, top left, in beats 1-6
        self.bands: list = []  # the highlight bands on code lines now on screen
        # progress p: iterate k at p = k, the final w at p = n; moves interpolate
        self.progress = ValueTracker(0.0)
        self.history = VGroup()  # loss panel: points and segments so far
        self.heading = VGroup()
        self.dot = self.fitted = self.off_plot = None
        self.loss_big = False  # the loss plot has taken the right column (all_together)
        self.verdict = None  # 'diverged' on the cost plot, once said

    # -- storyboard ------------------------------------------------------------------
    def construct(self) -> None:
        for name in self.beats:
            self.play_beat(name)

    def play_beat(self, name: str) -> None:
        self.next_section(name)
        self.times = beat_times(name, self.trace, self.timings)
        start, budget = self.now, self.plan[name]
        tidy = frames(tidy_seconds(name), config.frame_rate) / config.frame_rate
        self.narrate(name, budget - tidy)
        self.put_up(board_before(name))
        self.show_beat_heading(name)
        self.entered(name)
        getattr(self, name)()
        # the board stays to be read (times.read, less what waiting for the words' marks
        # took) and while the words speak of it; it goes in the beat's last moment, and a
        # beat that changed the layout for its code puts the panels back then
        self.hold_until(start + budget - tidy)
        self.tidy(getattr(self, f"leave_{name}", list)(), tidy_seconds(name))
        self.hold_until(start + budget)
        if self.now - start > budget + 1e-6:
            self.overruns[name] = self.now - start - budget
        self.beat_times[name] = (start, self.now)

    def at_mark(self, mark: str) -> None:
        """Wait for the words to reach ``{mark}`` (no wait once they have, or when the
        words carry no such mark)."""
        self.hold_until(self.beat_start + self.marks.get(mark, (0.0, 0.0))[0])
        self.mark_reached = self.now

    def revealed(self, mark: str, *mobjects) -> None:
        """Note what ``{mark}`` revealed: when the words say it, when its reveal began, and
        until when its cue speaks of it (tests check that it stays up that long)."""
        said, cue_end = (self.beat_start + t for t in self.marks.get(mark, (0.0, 0.0)))
        self.reveals.append((mark, said, self.mark_reached, cue_end, mobjects))

    def reveal(self, mark: str, *animations, run_time: float, line: str | None = None) -> None:
        """Play ``animations`` (with the code band moving to ``line``) on ``{mark}``."""
        self.at_mark(mark)
        if line is None:
            self.play(*animations, run_time=run_time)
        else:
            self.run_line(line, run_time=run_time, extra=list(animations))
        self.revealed(mark, *(a.mobject for a in animations))

    def hold_until(self, t: float) -> None:
        """A pause until time ``t`` of the scene (to the nearest frame), if any is left."""
        if left := self.frames_until(t):
            self.wait(left / config.frame_rate)

    def narrate(self, name: str, seconds: float) -> None:
        """The beat's recording from its start; its words as subtitle cues over the beat,
        and when each of its marks is said."""
        n = self.narration.get(name)
        self.beat_start, self.marks = self.now, {}
        if n is None:
            return
        self.marks = mark_times(n, seconds)
        if n.audio is not None:
            self.add_sound(str(n.audio))
        add_subtitles(self, n.text, seconds, n.speech)

    def tear_down(self) -> None:
        write_vtt_beside(self)

    # -- helpers ---------------------------------------------------------------------
    def play(self, *animations, **kwargs) -> None:
        """Manim's play in whole frames (WholeFrames), what moves drawn last."""
        self.moving_last(animations)
        super().play(*animations, **kwargs)

    def moving_last(self, animations) -> None:
        """Put what moves at the end of the scene's list. Manim redraws every frame all that
        comes after the first moving mobject; the rest it draws once per animation."""
        animated = set()
        for animation in animations:
            mob = getattr(animation, "mobject", None)
            if mob is not None:
                animated.update(id(m) for m in mob.get_family())

        def moves(m) -> bool:
            return any(id(f) in animated or f.updaters for f in m.get_family())

        still = [m for m in self.mobjects if not moves(m)]
        self.mobjects = still + [m for m in self.mobjects if moves(m)]

    def text(self, s: str, size: float | None = None, color: str | None = None) -> Text:
        th = self.theme
        return Text(s, font=th.font, font_size=size or th.body_size, color=color or th.foreground)

    def note(self, s: str) -> Text:
        """A short line of explanation under the board's code or math."""
        return self.text(s, self.theme.label_size, self.theme.muted)

    def math(self, s: str, size: float = 36, color: str | None = None) -> MathTypst:
        return MathTypst(s, font_size=size, color=color or self.theme.foreground)

    def show_heading(self, title: str, beside_code: bool = False) -> None:
        """The beat's title, top right; beside the code (in two lines if need be) in the
        beats that show code across the top."""
        left = SIDE_LEFT if beside_code else RIGHT_COLUMN_LEFT
        width = SAFE_X - 0.1 - left
        size, color = self.theme.title_size * 0.75, self.theme.muted
        new = self.text(title, size, color)
        if new.width > width:
            new = self.two_lines(title, size, color)
        if new.width > width:
            new.scale_to_fit_width(width)
        new.move_to([left, HEADING_TOP, 0], aligned_edge=UP + LEFT)
        self.remove(self.heading)
        self.heading = new
        self.add(new)

    def show_beat_heading(self, name: str) -> None:
        self.show_heading(TITLES[name], beside_code=name in CODE_BEATS)

    def two_lines(self, s: str, size: float, color: str) -> VGroup:
        """``s`` broken at the space that makes its longer line shortest."""
        words = s.split(" ")
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        lines = min(
            ((self.text(a, size, color), self.text(b, size, color)) for a, b in splits),
            key=lambda pair: max(m.width for m in pair),
        )
        return VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def board_corner(self) -> tuple[float, float]:
        """Where the board's top left corner goes: top right, or under the readouts in the
        code layout."""
        if self.listing is not None and self.listing in self.mobjects:
            return CODE_BOARD_LEFT, CODE_BOARD_TOP
        return RIGHT_COLUMN_LEFT, BOARD_TOP

    def show_board(self, *items, run_time: float, corner=None) -> VGroup:
        """Replace the board (top right; in the code layout, bottom right) with ``items``,
        stacked and faded in."""
        left, top = corner or self.board_corner()
        for item in items:
            if item.width > SAFE_X - 0.1 - left:
                item.scale_to_fit_width(SAFE_X - 0.1 - left)
        group = VGroup(*items).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        group.align_to([left, 0, 0], LEFT).align_to([0, top, 0], UP)
        old = [m for m in (self.board, *self.bands) if m in self.mobjects]
        self.play(
            *(FadeOut(m) for m in old),
            FadeIn(group, shift=UP * 0.1),
            run_time=run_time,
        )
        self.board, self.bands = group, []
        return group

    def show_listing(self, block: str, run_time: float) -> CodeListing:
        """The code block ``block`` in the top-left slot (beats 1-6)."""
        listing = self.placed_listing(block)
        old = [
            m
            for m in (self.listing, getattr(self, "card", None), *self.bands)
            if m is not None and m in self.mobjects
        ]
        self.play(*(FadeOut(m) for m in old), FadeIn(listing), run_time=run_time)
        self.listing, self.bands = listing, []
        return listing

    def run_line(
        self,
        fragment: str | None,
        listing: CodeListing | None = None,
        *,
        run_time: float,
        extra=(),
    ) -> None:
        """Move the band to the code line containing ``fragment`` (``None``: hide it),
        with ``extra`` animations that show what the line does."""
        listing = listing or self.listing
        if listing.band not in self.mobjects:  # on top of the code, apart from it: see
            self.add(listing.band)  # moving_last
            self.bands.append(listing.band)
        self.play(Transform(listing.band, listing.band_at(fragment)), *extra, run_time=run_time)

    def ensure(self, *mobs) -> None:
        """Put on screen at once what an earlier beat would have shown (when a scene
        starts mid-lesson)."""
        for m in mobs:
            if m is not None and m not in self.mobjects:
                self.add(m)

    def title_card(self) -> VGroup:
        th = self.theme
        card = VGroup(
            self.text("Linear regression in PyTorch,", th.title_size),
            self.text("the hard way", th.title_size, th.fitted),
            self.note("one parameter w \u00b7 batch gradient descent"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.card = card.move_to(CODE_CORNER, aligned_edge=UP + LEFT)
        return card

    # -- the moving parts, all driven by self.progress --------------------------------
    def _iterate_at(self) -> tuple[int, float]:
        p = self.progress.get_value()
        k = min(int(math.floor(p)), max(len(self.trace.epochs) - 1, 0))
        return k, p - k

    def w_at_progress(self) -> float:
        if not self.trace.epochs:
            return self.trace.final.w
        return self.cost.loss_between(*self._iterate_at())[0]

    def place_dot(self, dot) -> None:
        if self.trace.epochs:
            dot.move_to(self.cost.point_at(*self.cost.loss_between(*self._iterate_at())))
        else:
            dot.move_to(self.cost.point_at(self.trace.final.w, self.trace.final.loss))

    def place_line(self, line) -> None:
        line.become(self.data_panel.fitted_line(self.w_at_progress()))

    def place_off_plot(self, label) -> None:
        """Beside the dot, inside the plot's width; seen only while the dot is held at the
        plot's edge because its iterate is outside."""
        w = self.w_at_progress()
        k, s = self._iterate_at()
        loss = self.cost.loss_between(k, s)[1] if self.trace.epochs else self.trace.final.loss
        label.next_to(self.dot, DOWN, buff=0.12)
        left, right = self.cost.axes.get_left()[0], self.cost.axes.get_right()[0]
        label.shift(RIGHT * max(0.0, left - label.get_left()[0]))
        label.shift(LEFT * max(0.0, label.get_right()[0] - right))
        label.set_opacity(0.0 if self.cost.on_plot(w, loss) else 1.0)

    def moving_parts(self) -> list:
        """(mobject, what places it) for each part on screen that follows progress: the dot
        first, since the label goes beside it."""
        parts = (
            (self.dot, self.place_dot),
            (self.fitted, self.place_line),
            (self.off_plot, self.place_off_plot),
        )
        return [(m, place) for m, place in parts if m is not None and m in self.mobjects]

    def set_progress(self, p: float) -> None:
        """Progress to p at once, the moving parts with it."""
        self.progress.set_value(p)
        for m, place in self.moving_parts():
            place(m)

    def progress_to(self, p: float) -> list:
        """Animations that take progress to p, the moving parts following frame by frame.
        Nothing follows progress between these, so other animations leave the dot, the line
        and the label in the picture Manim draws once, and pauses are still frames."""
        follow = [UpdateFromFunc(m, place) for m, place in self.moving_parts()]
        return [self.progress.animate.set_value(p), *follow]

    def moving_dot(self):
        dot = self.cost.dot_at(0)
        self.place_dot(dot)
        return dot

    def off_plot_marker(self):
        """'off the plot' beside the dot, for a run whose iterates leave the cost plot."""
        iterates = (self.cost.iterate(k) for k in range(len(self.trace.epochs) + 1))
        if all(self.cost.on_plot(w, loss) for w, loss in iterates):
            return None
        label = self.cost.off_plot_label()
        self.place_off_plot(label)
        return label

    def show_verdict(self) -> None:
        """Say 'diverged' on the cost plot when the run diverges."""
        verdict = self.cost.verdict()
        if verdict is not None:
            self.play(FadeIn(verdict), run_time=self.times.verdict)
            self.verdict = verdict

    def moving_line(self):
        return self.data_panel.fitted_line(self.w_at_progress())

    def ensure_moving_parts(self) -> None:
        """The cost and data panels on screen, with a dot and a line placed by progress."""
        dp = self.data_panel
        self.ensure(dp, dp.true_line, dp.data_points, self.cost, self.cost.curve, self.readouts)
        makers = (
            ("fitted", self.moving_line),
            ("dot", self.moving_dot),
            ("off_plot", self.off_plot_marker),
        )
        for attr, make in makers:
            old = getattr(self, attr)
            if old is not None:
                self.remove(old)
            setattr(self, attr, make())
            if getattr(self, attr) is not None:
                self.add(getattr(self, attr))

    def grow_loss_plot(self, k: int) -> list:
        """Animations that add iteration k's point (and its segment) to the loss plot."""
        parts = [self.loss_panel.dot_at(k)]
        if k > 0:
            parts.append(self.loss_panel.segment_to(k))
        self.history.add(*parts)
        return [FadeIn(parts[0], scale=0.5), *(Create(p) for p in parts[1:])]

    def swap_values(self, k: int, run_time: float, stage: str = "grad") -> None:
        """Run the readouts to epoch k's numbers (a pause while they are not shown)."""
        changes = self.value_change(k, stage) if self.readouts in self.mobjects else []
        if changes:
            self.play(*changes, run_time=run_time)
        else:
            self.wait(run_time)

    def value_change(self, k: int, stage: str = "grad") -> list:
        """The readouts counting to what the variables hold at epoch k after ``stage``."""
        return self.readouts.count_to(k, stage)

    def still(self, k: int) -> None:
        """The three-panel layout at iterate k, put on screen without animation: the dot at
        (w_k, loss_k), the line w_k * x, losses 0..k-1 plotted. For tests and stills."""
        n = len(self.trace.epochs)
        self.loss_panel = LossPanel(self.trace, self.theme, **LOSS_BIG)
        self.readouts.move_to([RIGHT_X, READOUTS_BIG_Y, 0])
        self.readouts.set_state(k)
        self.set_progress(k)
        self.ensure_moving_parts()
        self.history = self.loss_panel.history_upto(min(k, n) - 1) if k > 0 else VGroup()
        self.add(self.loss_panel, self.history)

    # -- the board between beats -------------------------------------------------------
    def put_up(self, board: Board) -> None:
        """Put on screen, at once, what ``board`` holds (what is up already stays).

        A beat starts from what the beats before it leave (``board_before``). Played in
        order, that is on screen already, and only what the beat changes as it starts
        happens here; played alone (one clip per beat, rendered in parallel by ``gdlesson
        build``), it all goes up, so that the clips cut together without a jump.
        """
        n, dp = len(self.trace.epochs), self.data_panel
        if self.progress.get_value() != epoch(board.progress, n):
            self.set_progress(epoch(board.progress, n))
        if board.data:
            self.ensure(dp, dp.true_line, dp.data_points)
        if board.code is not None and self.listing not in self.mobjects:
            self.listing = self.placed_listing(board.code)
            self.add(self.listing)
        if board.fitted and self.fitted is None:
            self.fitted = self.moving_line()
            self.add(self.fitted)
        if board.readouts is not None:
            k, stage = board.reading
            self.readouts.set_state(epoch(k, n), stage)
            self.place_readouts(self.readouts, board.readouts)
            self.ensure(self.readouts)
        if board.cost:
            self.ensure(self.cost, self.cost.curve)
            if self.dot is None:
                self.dot = self.moving_dot()
            self.ensure(self.dot)
        if board.off_plot and self.off_plot is None:
            self.off_plot = self.off_plot_marker()
            self.ensure(self.off_plot)
        if board.loss == "big" and not self.loss_big:
            self.remove(self.loss_panel, self.history)
            self.loss_panel, self.history = LossPanel(self.trace, self.theme, **LOSS_BIG), VGroup()
            self.loss_big = True
        if board.loss is not None:
            self.ensure(self.loss_panel)
        if board.history:
            if not len(self.history):
                self.history = self.loss_panel.history_upto(n - 1)
            self.ensure(self.history)
        if board.verdict and self.verdict is None:
            self.verdict = self.cost.verdict()
            self.ensure(self.verdict)

    def entered(self, name: str) -> None:
        """Called when a beat starts, its board up (tests look at the picture here)."""

    def tidy(self, leaving, run_time: float) -> None:
        """End a beat clean, in its last moment (after its words): the board and the code
        band go (and ``leaving`` plays: the panels coming back after a code layout), so the
        next beat (or clip) starts from the board it declares (``board_before``)."""
        fades = [FadeOut(m) for m in (self.board, *self.bands) if m in self.mobjects]
        if fades or leaving:
            self.play(*fades, *leaving, run_time=run_time)
        else:
            self.wait(run_time)
        self.board, self.bands = VGroup(), []

    # -- beats -----------------------------------------------------------------------
    def data(self) -> None:
        d, panel, t = self.trace.config.data, self.data_panel, self.times
        self.play(FadeIn(self.title_card()), run_time=t.title)
        self.play(FadeIn(panel), run_time=t.panel)
        self.show_listing("data", run_time=t.listing)
        self.at_mark("inputs")
        self.run_line("arange", run_time=t.arange)
        inputs = self.show_board(
            self.note(
                f"{len(self.trace.data.x)} inputs in a column, from "
                f"{d.x_start:g} in steps of {d.x_step:g}".replace("-", "\u2212")
            ),
            run_time=t.inputs,
        )
        self.revealed("inputs", inputs)
        self.reveal("line", Create(panel.true_line), line="f = ", run_time=t.true_line)
        self.run_line("gen = ", run_time=t.noise)
        self.run_line("Y = ", run_time=t.targets)
        points = LaggedStart(*(FadeIn(p, scale=0.5) for p in panel.data_points), lag_ratio=0.03)
        self.reveal("points", points, run_time=t.points)

    def model_and_cost(self) -> None:
        t = self.times
        self.show_listing("model and cost", run_time=t.listing)
        self.at_mark("model")
        self.run_line("return w * x", run_time=t.model_line)
        model = self.math("hat(y) = w x", color=self.theme.fitted)
        self.show_board(model, run_time=t.model)
        self.revealed("model", model)
        self.at_mark("cost")
        self.run_line("torch.mean", run_time=t.cost_line)
        cost = self.math("ell(w) = 1/N sum_(n=1)^N (w x_n - y_n)^2")
        self.add_to_board(cost, run_time=t.cost)
        self.revealed("cost", cost)
        self.play(Indicate(cost, color=self.theme.highlight), run_time=t.stress)

    def add_to_board(self, item, run_time: float):
        """``item`` faded in under what the board holds, and part of it from now on."""
        if item.width > RIGHT_COLUMN_WIDTH:
            item.scale_to_fit_width(RIGHT_COLUMN_WIDTH)
        item.next_to(self.board, DOWN, aligned_edge=LEFT, buff=0.25)
        self.play(FadeIn(item, shift=UP * 0.1), run_time=run_time)
        self.board.add(item)
        self.regroup_board()
        return item

    def settings(self) -> None:
        t = self.times
        self.show_listing("settings", run_time=t.listing)
        self.show_board(
            self.note("One epoch uses every sample once:"),
            self.note("here, one epoch is one iteration."),
            self.note("requires_grad=True: PyTorch will"),
            self.note("differentiate the loss in w."),
            run_time=t.notes,
        )
        self.run_line("epochs = ", run_time=t.epochs)
        self.run_line("requires_grad", run_time=t.requires_grad)

    def cost_at_start(self) -> None:
        e0, th, t = self.trace.epochs[0], self.theme, self.times
        w, n = fmt_value(e0.w, 1), len(self.trace.data.x)
        self.show_listing("training", run_time=t.listing)
        line = self.data_panel.fitted_line(e0.w)
        residuals = self.data_panel.residuals(e0.w)
        # the forward pass: the expression, then the numbers of the first and last sample
        first, last = self.sample(0, e0.w), self.sample(n - 1, e0.w)
        self.run_line("forward(X)", extra=[Create(line)], run_time=t.forward)
        self.show_board(
            self.math("hat(y)_n = w x_n", color=th.fitted),
            self.math(f"hat(y)_1 = {w} dot ({first.x}) = {first.yhat}", size=30),
            self.math(f"hat(y)_{n} = {w} dot ({last.x}) = {last.yhat}", size=30),
            run_time=t.predictions,
        )
        # the criterion: the mean of the squared gaps, its terms, then its value counting
        self.run_line("criterion(", extra=[Create(residuals)], run_time=t.criterion)
        cost = self.math("ell(w) = 1/N sum_(n=1)^N (hat(y)_n - y_n)^2")
        self.show_board(cost, run_time=t.cost)
        terms = self.math(f"ell({w}) = 1/{n} [({first.yhat} - {first.y})^2 + dots]")
        self.morph_board(0, terms, run_time=t.terms)
        self.count_on_board(e0.loss, th.loss)
        self.readouts.set_state(0, "loss")
        self.place_readouts(self.readouts, "side")
        self.play(FadeIn(self.readouts), FadeOut(residuals), run_time=t.readouts)
        self.fitted = line

    def sample(self, i: int, w: float) -> SimpleNamespace:
        """Sample i's x, target y and prediction w*x, as the board writes them."""
        x, y = self.trace.data.x[i], self.trace.data.y[i]
        return SimpleNamespace(x=f"{x:.1f}", y=f"{y:.2f}", yhat=f"{w * x:.2f}")

    def morph_board(self, i: int, new, run_time: float) -> None:
        """Line i of the board turns into ``new`` (shapes that match move, the rest fade)."""
        old = self.board[i]
        if new.width > RIGHT_COLUMN_WIDTH:
            new.scale_to_fit_width(RIGHT_COLUMN_WIDTH)
        new.align_to(old, LEFT).align_to(old, UP)
        self.play(TransformMatchingShapes(old, new), run_time=run_time)
        self.board.submobjects[i] = new
        self.regroup_board()

    def regroup_board(self) -> None:
        """The board back as one group in the scene, whatever animations took out of it or
        added beside it, so that it leaves as one (tidy)."""
        self.regroup(self.board)

    def regroup(self, group: VGroup) -> None:
        """``group`` in the scene as one, its parts no longer on their own."""
        family = set(group.get_family())
        self.mobjects = [m for m in self.mobjects if m not in family]
        self.add(group)

    def count_on_board(self, value: float, color: str) -> Reading:
        """``= value`` under the board (in ``times.equals``), the number counting up to it
        (in ``times.count``)."""
        equals = self.math("=", color=color)
        number = Reading(
            0.0, self.theme, font=self.theme.font, font_size=self.theme.body_size * 1.3
        )
        number.set_color(color)
        number.edge_to_fix = LEFT  # it grows to the right, away from the "="
        row = VGroup(equals, number).arrange(RIGHT, buff=0.2)
        row.next_to(self.board, DOWN, aligned_edge=LEFT, buff=0.3)
        self.play(FadeIn(equals), run_time=self.times.equals)
        self.add(number)
        self.play(ChangingDecimal(number, lambda a: value * a), run_time=self.times.count)
        self.board.add(row)
        self.regroup_board()
        return number

    def backward(self) -> None:
        e0, n, t = self.trace.epochs[0], len(self.trace.data.x), self.times
        w = fmt_value(e0.w, 1)
        first = self.sample(0, e0.w)
        self.run_line("backward()", extra=self.value_change(0, "grad"), run_time=t.backward)
        derivative = self.math("(d ell)/(d w) = 2/N sum_(n=1)^N x_n (w x_n - y_n)")
        self.show_board(derivative, run_time=t.derivative)
        terms = self.math(f"ell'({w}) = 2/{n} [({first.x}) ({first.yhat} - {first.y}) + dots]")
        self.morph_board(0, terms, run_time=t.terms)
        self.count_on_board(e0.grad, self.theme.tangent)
        self.run_line("w.grad.item()", run_time=t.grad)

    def update_and_zero(self) -> None:
        e0, lr, t = self.trace.epochs[0], self.trace.config.train.lr, self.times
        self.run_line("w.data = ", extra=self.value_change(0, "updated"), run_time=t.update)
        self.show_board(self.math('w <- w - "lr" dot (d ell)/(d w)', size=32), run_time=t.rule)
        numbers = self.math(f"w <- {fmt_value(e0.w)} - {lr:g} dot ({fmt_value(e0.grad)})", size=32)
        self.morph_board(0, numbers, run_time=t.numbers)
        self.count_on_board(e0.w_next, self.theme.fitted)
        self.run_line("zero_()", extra=self.value_change(0, "zeroed"), run_time=t.zero)
        note = self.note("backward() adds to w.grad: zero it every iteration.")
        if note.width > RIGHT_COLUMN_WIDTH:
            note.scale_to_fit_width(RIGHT_COLUMN_WIDTH)
        note.next_to(self.board, DOWN, aligned_edge=LEFT, buff=0.3)
        self.play(FadeIn(note), run_time=t.note)
        self.board.add(note)  # now part of the board, and leaves with it
        self.regroup_board()

    def placed_listing(self, block: str | list[str]) -> CodeListing:
        """The code block ``block`` (or these lines) across the top from the left, at the
        theme's code size (the code layout)."""
        lines = self.blocks[block] if isinstance(block, str) else block
        listing = CodeListing(lines, self.theme)
        if listing.width > 2 * SAFE_X - 0.2:  # a config's long numbers: never off screen
            listing.scale_to_fit_width(2 * SAFE_X - 0.2)
        return listing.move_to(CODE_CORNER, aligned_edge=UP + LEFT)

    def place_readouts(self, readouts: Readouts, where: str) -> Readouts:
        """The readouts in one of their places: ``"side"`` (one column beside the code),
        ``"right"`` (two columns, right, between the board and the loss plot) or ``"big"``
        (above the large loss plot)."""
        if where == "side":  # as large as the strip beside the code allows
            readouts.layout(1).scale_to_fit_width(SAFE_X - 0.2 - SIDE_LEFT)
            readouts.move_to([SIDE_LEFT + 0.1, SIDE_READOUTS_TOP, 0], aligned_edge=UP + LEFT)
        else:
            y = READOUTS_BIG_Y if where == "big" else READOUTS_Y
            readouts.layout(2).scale_to_fit_width(READOUTS_WIDTH).move_to([RIGHT_X, y, 0])
        return readouts

    def readouts_to(self, where: str):
        """An animation that takes the readouts to ``where`` (see ``place_readouts``)."""
        self.readouts.generate_target()
        self.place_readouts(self.readouts.target, where)
        return MoveToTarget(self.readouts)

    def panels(self, row: bool = False) -> tuple[CostPanel, DataPanel, LossPanel]:
        """The cost, data and loss panels: cost over data on the left and the loss plot
        bottom right; or (``row``) side by side under the code, in the iterate beat."""
        tr, th = self.trace, self.theme
        if not row:
            return (
                CostPanel(tr, th, center=(LEFT_X, TOP_Y, 0)),
                DataPanel(tr, th, center=(LEFT_X, BOTTOM_Y, 0)),
                LossPanel(tr, th, **LOSS_SMALL),
            )
        # three slots of the safe width; each panel's axes leave room for its tick labels
        slot = (2 * SAFE_X - 0.2) / 3
        top, height = ROW_PANELS["top"], ROW_PANELS["height"]
        y = top - 0.45 - height / 2  # a title's room above the axes
        size = dict(width=slot - 1.25, height=height)
        x = [-SAFE_X + 0.1 + slot * (i + 0.5) + 0.3 for i in range(3)]
        return (
            CostPanel(tr, th, center=(x[0], y, 0), **size),
            DataPanel(tr, th, center=(x[1], y, 0), **size),
            LossPanel(tr, th, center=(x[2], y, 0), **size),
        )

    def cost_curve(self) -> None:
        # back to w0: the same numbers, now on the plots; the code makes way for them
        old = [
            m
            for m in (self.listing, getattr(self, "card", None))
            if m is not None and m in self.mobjects
        ]
        moves = [self.readouts_to("right")] if self.readouts in self.mobjects else []
        t = self.times
        self.play(*(FadeOut(m) for m in old), FadeIn(self.cost), *moves, run_time=t.panels)
        self.listing = None
        self.show_board(
            self.note("The average loss for many values of w:"),
            self.note("a bowl, lowest at the best slope."),
            run_time=t.notes,
        )
        self.reveal("curve", Create(self.cost.curve), run_time=t.curve)
        self.set_progress(0)
        self.dot = self.moving_dot()
        self.reveal("dot", FadeIn(self.dot, scale=0.5), *self.value_change(0), run_time=t.dot)

    def fit(self) -> None:
        t = self.times
        self.show_board(
            self.note("Red: the data. Blue: the line w\u00b7x"),
            self.note("for the current w: far too steep."),
            run_time=t.notes,
        )
        old, self.fitted = self.fitted, self.moving_line()
        if old is not None and old in self.mobjects:
            self.remove(old)
            self.add(self.fitted)
            self.reveal("line", Indicate(self.fitted, color=self.theme.fitted), run_time=t.line)
        else:
            self.reveal("line", Create(self.fitted), run_time=t.line)

    def iterate(self) -> None:
        self.ensure_moving_parts()
        # the code layout: the loop across the top, the readouts beside it, and the three
        # panels side by side under it
        loop = self.listing = self.placed_listing("training")
        self.play(
            *self.move_panels(row=True),
            FadeIn(loop),
            self.readouts_to("side"),
            run_time=self.times.entry,
        )
        n, t = len(self.trace.epochs), self.times
        for k in range(n):
            if not detailed(k, n):
                self.play(*self.grow_loss_plot(k), run_time=t.grow)
                moves = [*self.progress_to(k + 1), *self.value_change(k, "zeroed")]
                self.play(*moves, run_time=t.move)
                continue
            for fragment, name in LOOP_STEPS:
                extra = []
                if fragment in LINE_STAGES:
                    extra = self.value_change(k, LINE_STAGES[fragment])
                if fragment == "w.data = ":
                    extra += self.progress_to(k + 1)
                elif fragment == "append(":
                    extra = self.grow_loss_plot(k)
                self.run_line(fragment, loop, run_time=getattr(t, name), extra=extra)
        self.run_line(None, loop, run_time=t.band_off)
        self.show_verdict()

    def leave_iterate(self) -> list:
        """The panels back in their places, the loop gone (at the end of the beat)."""
        gone = [FadeOut(m) for m in (self.listing,) if m is not None and m in self.mobjects]
        self.listing = None
        return [*self.move_panels(row=False), self.readouts_to("right"), *gone]

    def move_panels(self, row: bool) -> list:
        """Animations that take the cost, data and loss panels (with the dot, the lines, the
        loss so far and any label on them) to their places in a row under the code
        (``row``) or back to the panels layout."""
        if self.history in self.mobjects or len(self.history):  # the points it grew
            self.regroup(self.history)
        before = self.panel_parts()
        self.cost, self.data_panel, self.loss_panel = self.panels(row)
        self.dot, self.fitted = self.moving_dot(), self.moving_line()
        if self.off_plot is not None:
            self.off_plot = self.off_plot_marker()
        if self.verdict is not None:
            self.verdict = self.cost.verdict()
        if len(self.history):
            self.history = self.loss_panel.history_upto((len(self.history) - 1) // 2)
        after = self.panel_parts()
        return [
            ReplacementTransform(a, b)
            for a, b in zip(before, after)
            if a is not None and b is not None and a is not b and a in self.mobjects
        ]

    def panel_parts(self) -> list:
        """The panels and what is drawn on them, in a fixed order."""
        c, d = self.cost, self.data_panel
        return [
            *(c, c.curve, self.dot, self.off_plot, self.verdict),
            *(d, d.true_line, d.data_points, self.fitted),
            *(self.loss_panel, self.history),
        ]

    def why_it_slows(self) -> None:
        self.ensure_moving_parts()
        t = self.times
        self.show_board(
            self.note("The tangent's slope is the derivative."),
            self.note("Steep far from the minimum: a long step."),
            self.note("Flat near it: a short step."),
            run_time=t.notes,
        )
        self.set_progress(0)
        self.swap_values(0, run_time=t.values)
        zoomed, close_up = zoomed_epochs(self.trace), None
        for k in tangent_epochs(self.trace):
            if k in zoomed and close_up is None:
                close_up = self.show_close_up()
            panel = close_up.panel if close_up else self.cost
            tangent, label = panel.tangent_at(k), panel.slope_label(k)
            arrow = panel.step_arrow(k)
            shown = [tangent, label] if tangent is not None else [label]  # off the plot: none
            drawn = [Create(m) if m is tangent else FadeIn(m) for m in shown]
            self.play(*drawn, run_time=t.tangent)
            follow = [UpdateFromFunc(close_up.dot, self.place_close_up_dot)] if close_up else []
            self.play(Create(arrow), *self.progress_to(k + 1), *follow, run_time=t.step)
            self.swap_values(k + 1, run_time=t.values)
            self.play(*(FadeOut(m) for m in (*shown, arrow)), run_time=t.clear)  # old ones go
        if close_up:
            self.readouts.set_state(len(self.trace.epochs))
            self.play(FadeOut(close_up), *(FadeIn(m) for m in self.make_way), run_time=t.unzoom)
        else:
            self.wait(t.unzoom)
        self.set_progress(len(self.trace.epochs))

    def show_close_up(self) -> VGroup:
        """The cost near the minimum, large, in place of the readouts: where the steps get
        too small to see on the whole curve. A frame on the curve shows where it is."""
        panel = CostPanel(
            self.trace,
            self.theme,
            w_range=zoom_range(self.trace),
            title="near the minimum",
            **CLOSE_UP,
        )
        (a, b), top = panel.x_range, panel.y_range[1]
        where = Rectangle(
            width=abs(self.cost.axes.c2p(b, 0)[0] - self.cost.axes.c2p(a, 0)[0]),
            height=abs(self.cost.axes.c2p(a, top)[1] - self.cost.axes.c2p(a, 0)[1]),
            stroke_color=self.theme.muted,
            stroke_width=2,
        )
        where.move_to(self.cost.axes.c2p((a + b) / 2, top / 2))
        close_up = VGroup(panel, panel.curve, where)
        close_up.panel, close_up.dot = panel, panel.dot_at(0)
        self.place_close_up_dot(close_up.dot, panel)
        close_up.add(close_up.dot)
        # one focal point: the readouts and the loss plot make way while it is up
        self.make_way = [
            m for m in (self.readouts, self.loss_panel, self.history) if m in self.mobjects
        ]
        self.play(*(FadeOut(m) for m in self.make_way), FadeIn(close_up), run_time=self.times.zoom)
        return close_up

    def place_close_up_dot(self, dot, panel=None) -> None:
        panel = panel or self.close_up_panel
        self.close_up_panel = panel
        dot.move_to(panel.point_at(*panel.loss_between(*self._iterate_at())))

    def loss_history(self) -> None:
        settings, training = self.blocks["settings"], self.blocks["training"]
        lines = [
            next(s for s in settings if s.startswith("loss_history")),
            training[0],
            "    ...",
            next(s for s in training if "append(" in s),
        ]
        # no cost curve with more parameters: the code that keeps the list takes its place
        listing = self.placed_listing(lines)
        self.cost_parts = [
            m for m in self.panel_parts()[:5] if m is not None and m in self.mobjects
        ]
        t = self.times
        self.play(*(FadeOut(m) for m in self.cost_parts), run_time=t.cost_out)
        notes = VGroup(
            self.note("More parameters: no curve to draw."),
            self.note("Track the cost of every iteration instead."),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        notes.next_to(listing, DOWN, aligned_edge=LEFT, buff=0.3)
        self.show_board(listing, notes, corner=CODE_CORNER[:2], run_time=t.listing)
        self.at_mark("list")
        self.run_line("append(", listing, run_time=t.append)
        self.play(
            Indicate(self.history, color=self.theme.highlight, scale_factor=1.05), run_time=t.stress
        )
        self.revealed("list", listing, self.history)
        self.run_line(None, listing, run_time=t.band_off)

    def leave_loss_history(self) -> list:
        """The cost curve back (at the end of the beat, as the code goes)."""
        return [FadeIn(m) for m in self.cost_parts]

    def loss_plot(self) -> None:
        self.show_board(
            self.note("Across: the iteration. Up: its loss."),
            self.note("Straight segments join the iterations."),
            run_time=self.times.notes,
        )
        self.play(
            Indicate(self.history, color=self.theme.highlight, scale_factor=1.05),
            run_time=self.times.stress,
        )

    def all_together(self) -> None:
        self.ensure_moving_parts()
        # the three-panel layout: the loss plot takes the whole right column
        bigger = LossPanel(self.trace, self.theme, **LOSS_BIG)
        fades = [FadeOut(m) for m in (self.board, self.history) if m in self.mobjects]
        self.play(
            *fades,
            ReplacementTransform(self.loss_panel, bigger),
            self.readouts.animate.move_to([RIGHT_X, READOUTS_BIG_Y, 0]),
            run_time=self.times.layout,
        )
        self.board, self.history, self.loss_panel = VGroup(), VGroup(), bigger
        self.loss_big = True
        self.set_progress(0)
        self.swap_values(0, run_time=self.times.values)
        self.descend()

    def descend(self) -> None:
        """Every epoch in the three panels: the loss point appears, then the dot, the line
        and the readouts move to the next iterate; 'diverged' at the end if it did."""
        t = self.times
        for k in range(len(self.trace.epochs)):
            self.play(*self.grow_loss_plot(k), run_time=t.grow)
            self.play(*self.progress_to(k + 1), *self.value_change(k + 1), run_time=t.move)
        self.show_verdict()

    def close(self) -> None:
        first = self.trace.epochs[0].loss if self.trace.epochs else self.trace.final.loss
        msg = self.text(
            f"Average loss: {fmt_value(first, 2)} \u2192 {fmt_value(self.trace.final.loss, 2)}",
            color=self.theme.loss,
        )
        if self.trace.final.loss < first:
            msg2 = self.note("Both views: the loss falls with every iteration.")
        else:
            msg2 = self.note("The loss grows: this learning rate is too large.")
        for m in (msg, msg2):
            if m.width > RIGHT_COLUMN_WIDTH:
                m.scale_to_fit_width(RIGHT_COLUMN_WIDTH)
        VGroup(msg, msg2).arrange(DOWN, buff=0.2).move_to([RIGHT_X, READOUTS_BIG_Y, 0])
        fade = [FadeOut(self.readouts)] if self.readouts in self.mobjects else []
        t = self.times
        self.play(*fade, run_time=t.readouts_out)
        self.play(Write(msg), run_time=t.loss)
        self.play(FadeIn(msg2), run_time=t.summary)


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


class Descent(LessonScene):
    """The descent alone in the three-panel layout, epoch by epoch: loops as a GIF."""

    beats = ("descent",)

    def play_beat(self, name: str) -> None:
        self.next_section(name)
        self.times = beat_times(name, self.trace, self.timings)
        start = self.now
        self.still(0)
        self.remove(self.history)
        self.history = VGroup()
        self.add(self.history)
        self.show_heading("Gradient descent, epoch by epoch")
        self.wait(self.times.hold)
        self.descend()
        self.wait(self.times.hold)
        self.beat_times[name] = (start, self.now)


#: the loop's lines after which the readouts change, and the stage they show then
LINE_STAGES = {
    "forward(X)": "forward",
    "criterion(": "loss",
    "backward()": "grad",
    "w.data = ": "updated",
    "zero_()": "zeroed",
}


def _camel(beat: str) -> str:
    return "".join(part.capitalize() for part in beat.split("_"))


#: one scene per beat (BeatData, BeatModelAndCost, ...): what `gdlesson build` renders,
#: in parallel, and cuts together into the lesson
BEAT_SCENES = {
    beat: type(f"Beat{_camel(beat)}", (LessonScene,), {"beats": (beat,), "__module__": __name__})
    for beat in BEATS
}
globals().update({cls.__name__: cls for cls in BEAT_SCENES.values()})


class Regimes(regimes.Regimes):
    """The learning-rate comparison of scenes/regimes.py, here too so that one manim
    process can render it with the beats (gdlesson build)."""


SCENES = (Lesson, Data, ModelAndCost, OneStep, Iterating, Tangents, LossHistory, AllTogether)
