"""The logistic lesson's scenes, drawn from its trace (``lessons/logistic_mse_vs_ce.toml``).

``gdlesson build --config lessons/logistic_mse_vs_ce.toml`` renders them, one clip each:

- ``LogisticCode``: the labels and the sigmoid at the bad start beside the lesson's PyTorch
  code; one iteration of the loop with ``nn.MSELoss``, the band on the line being run and
  the numbers it leaves; the criterion line swapped for ``nn.BCELoss`` and the same
  iteration again.
- ``LogisticRace``: both runs from the same start, each on the contour map of its own
  cost, one at a time as the words name them (the other dimmed): the squared error's run
  marked "stalled", the cross-entropy's walking down; then the sigmoid of each over the
  labels, then the gradient's size per iteration on a log scale; at last all of it.
- ``LogisticSurfaces``: each cost as a surface in 3D with numbered axes, one after the
  other as the words name them, the run's path drawn on it while the camera turns; the
  squared error's stall marked.

A scene's beats start where its narration says their marks (``{mse}``, ``{bce}``, ...), and
never so late that the scene would outlast its plan.

Every number on screen comes from the trace; nothing is drawn in the outer 5% of the frame.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    FadeTransform,
    Indicate,
    Line,
    Rectangle,
    Text,
    ThreeDAxes,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    config,
    linear,
)

from gdlesson.registry import lessons
from lessons.logistic_mse_vs_ce.levels import cost_grid
from lessons.logistic_mse_vs_ce.listing import block, listing
from lessons.logistic_mse_vs_ce.source import DEFAULT, scene_config, scene_trace
from lessons.logistic_mse_vs_ce.timing import (
    BAND,
    CLIMB,
    GROW,
    HOLD,
    LOOP,
    READ,
    RUN,
    SHOW_SURFACES,
    STALL_NOTE,
    SWAP,
    SWEEP,
    VEIL,
    WRITE,
    planned_seconds,
    race_beats,
    surface_beats,
)
from lessons.logistic_mse_vs_ce.trace import CRITERIA, LogisticTrace, Run
from scenes.code import CodeListing
from scenes.contour import LevelMap
from scenes.layout import fit_panel, safe_area
from scenes.lesson_trace import config_source
from scenes.narrated import NarratedScene
from scenes.narration import mark_times
from scenes.panels import MonoLine, Panel, fmt_tick, fmt_value, nice_step, ticks
from scenes.race import GrowingPath, LossOverTime, StillLines
from scenes.speedups import install as install_speedups
from scenes.surface import Bilinear, CostSurface, SurfaceScene
from scenes.theme import Theme

install_speedups()

DIM = 0.7  # how much of a dimmed region the veil hides
#: the 3D surfaces: patches per side, the box (its floor this far below the middle), the
#: camera's height, zoom and the turn it makes while a path is drawn (back again for the next)
RESOLUTION = 12
BOX = dict(x_length=7.0, y_length=4.6, z_length=3.0)
FLOOR = -1.2
PHI, ZOOM = 55 * DEGREES, 0.84
TURN = (-45 * DEGREES, -85 * DEGREES)
TICK, GAP = 0.12, 0.38  # a tick's length, and from the axis to its numbers' centres
#: the sigmoid curves are drawn through this many x values
CURVE_POINTS = 80


def sci(v: float) -> str:
    """A gradient as shown: three significant digits, scientific when small, a true minus."""
    text = f"{v:.2e}" if v != 0 and (abs(v) < 1e-2 or abs(v) >= 1e4) else f"{v:.4f}"
    return text.replace("-", "\u2212")


def short(v: float) -> str:
    """A gradient's size in a narrow readout: two significant digits."""
    return f"{v:.2g}".replace("-", "\u2212")


class SigmoidPanel(Panel):
    """The labelled points (0 or 1 against x) and sigmoid(w*x + b) for a given (w, b)."""

    def __init__(self, trace: LogisticTrace, theme: Theme, **size):
        self.trace = trace
        x = trace.data.x
        pad = 0.15 * (x[-1] - x[0])  # the last tick label clear of the axis title
        super().__init__(
            theme,
            (x[0] - pad, x[-1] + pad),
            (-0.15, 1.15),
            "x",
            "label",
            x_step=nice_step(x[-1] - x[0], target=3),
            y_step=0.5,
            **size,
        )
        self.dots = VGroup(
            *(
                Dot(self.axes.c2p(xi, yi), radius=theme.point_radius * 1.6, color=theme.data)
                for xi, yi in zip(trace.data.x, trace.data.y)
            )
        )
        self.xs = np.linspace(x[0] - pad, x[-1] + pad, CURVE_POINTS)

    def curve_points(self, w: float, b: float) -> np.ndarray:
        with np.errstate(over="ignore"):
            p = 1.0 / (1.0 + np.exp(-(w * self.xs + b)))
        return np.array([self.axes.c2p(x, v) for x, v in zip(self.xs, p)])

    def curve(self, w: float, b: float, color: str) -> VMobject:
        line = VMobject(stroke_color=color, stroke_width=self.theme.line_width)
        return line.set_points_as_corners(self.curve_points(w, b))


class LogisticScene(StillLines, NarratedScene):
    """A scene of the logistic lesson: its trace, theme and narration (``NarratedScene``);
    its beats wait for the marks its words say, and its last hold lasts to the planned end."""

    trace: LogisticTrace
    heading_size = 0.85

    def load_config(self):
        return scene_config()

    def load_trace(self, cfg) -> LogisticTrace:
        return scene_trace(cfg)

    def load_narrations(self, cfg):
        return lessons()["logistic_mse_vs_ce"].narration(config_source(DEFAULT), lambda: self.trace)

    def scene_seconds(self) -> float:
        return planned_seconds(self.trace, type(self).__name__, self.spoken)

    def setup(self) -> None:
        super().setup()
        self.said = mark_times(self.narration, self.planned)  # mark -> (when said, its cue's end)

    def wait_for(self, mark: str, rest: float) -> None:
        """Until the words say ``mark``, but never so late that the ``rest`` seconds of
        animation after it would end past the scene's planned end."""
        if mark in self.said:
            gap = min(self.said[mark][0], self.planned - rest) - self.now
            if gap >= 1 / config.frame_rate:
                self.wait(gap)

    def rest(self, beat: str) -> float:
        """The seconds of animation from ``beat`` to the end of the scene (its ``beats``)."""
        beats = self.beats(self.trace)
        names = [b for b, _ in beats]
        return sum(seconds for _, seconds in beats[names.index(beat) :])

    def index(self, criterion: str) -> int:
        """Where the run of ``criterion`` is among the trace's runs (and its panels)."""
        return [r.criterion for r in self.trace.runs].index(criterion)

    def hold(self) -> None:
        """The last picture until the scene's planned end."""
        self.wait(max(HOLD, self.planned - self.now))

    def color_of(self, run: Run) -> str:
        return self.theme.runs[1] if run.criterion == "mse" else self.theme.runs[2]


class LogisticCode(LogisticScene):
    """The data, the model and the loop; one iteration with each criterion."""

    def construct(self) -> None:
        self.next_section("code")
        self.show_data_and_model()
        self.iterate("mse")
        self.swap_criterion()
        self.iterate("bce")
        self.compare()
        self.hold()

    def show_data_and_model(self) -> None:
        th, cfg = self.theme, self.trace.config
        self.title = self.heading("One model, two criteria")
        code = listing(cfg, "mse")
        left, bottom, right, _ = safe_area()
        top = float(self.title.get_bottom()[1]) - 0.25
        self.listing = CodeListing(block(code, "data and model"), th)
        self.listing.move_to((left, top, 0.0), aligned_edge=UP + LEFT)
        column = float(self.listing.get_right()[0]) + 0.5
        self.panel = fit_panel(
            lambda **size: SigmoidPanel(self.trace, th, **size), (column, bottom + 1.0, right, top)
        )
        rule = self.text(f"label 1 where x > {cfg.data.threshold:g}", th.tick_size, th.data)
        rule.next_to(self.panel.axes, DOWN, buff=0.75).align_to(self.panel.axes, LEFT)
        self.play(FadeIn(self.title), FadeIn(self.listing), run_time=WRITE)
        self.add(self.listing.band)
        self.move_band(self.listing, "linspace")
        self.play(FadeIn(self.panel), run_time=BAND)
        self.move_band(self.listing, "y = (x >")
        self.play(FadeIn(self.panel.dots), FadeIn(rule), run_time=BAND)
        self.move_band(self.listing, "nn.Linear")
        self.move_band(self.listing, "weight.fill_")
        w, b = self.trace.runs[0].path[0]
        self.curve = self.panel.curve(w, b, th.fitted)
        start = f"start  w {w:g}  b {b:g}".replace("-", "\u2212")
        self.start_note = self.text(start, th.tick_size, th.fitted)
        self.start_note.next_to(rule, DOWN, buff=0.12, aligned_edge=LEFT)
        self.move_band(self.listing, "bias.fill_", Create(self.curve), FadeIn(self.start_note))
        self.wait(READ)

    def move_band(self, listing: CodeListing, fragment: str | None, *extra) -> None:
        self.play(Transform(listing.band, listing.band_at(fragment)), *extra, run_time=BAND)

    def training_listing(self, criterion: str) -> CodeListing:
        th = self.theme
        lines = block(listing(self.trace.config, criterion), "training")
        new = CodeListing(lines, th)
        return new.move_to(self.listing.get_corner(UP + LEFT), aligned_edge=UP + LEFT)

    def readouts(self, run: Run, stage: int) -> VGroup:
        """What the variables hold after the ``stage``-th line of LOOP ran in iteration 0."""
        th, s = self.theme, run.steps[0]
        rows = []
        if stage >= 1:
            rows.append(f"loss     {fmt_value(s.loss)}")
        if stage >= 3:
            rows.append(f"w.grad   {sci(s.grad_w)}")
            rows.append(f"b.grad   {sci(s.grad_b)}")
        if stage >= 4:
            rows.append(f"w {fmt_value(s.w, 2)} \u2192 {fmt_value(s.w_next, 5)}")
            rows.append(f"b {fmt_value(s.b, 2)} \u2192 {fmt_value(s.b_next, 5)}")
        group = VGroup(*(self.text(r, th.body_size, th.foreground, mono=True) for r in rows))
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        left, bottom, _, _ = safe_area()
        top = float(self.listing.get_bottom()[1]) - 0.3
        return group.move_to((left + 0.1, top, 0.0), aligned_edge=UP + LEFT)

    def iterate(self, criterion: str) -> None:
        """The training block with ``criterion``, and one pass of the band through it."""
        th = self.theme
        run = self.trace.run(criterion)
        if criterion == "mse":
            new = self.training_listing(criterion)
            self.play(
                FadeOut(self.listing), FadeOut(self.listing.band), FadeIn(new), run_time=WRITE
            )
            self.listing = new
            self.add(self.listing.band)
        self.move_band(self.listing, "criterion =")
        self.move_band(self.listing, "SGD(")
        shown = VGroup()
        for stage, fragment in enumerate(LOOP):
            extra = []
            if stage == 0:
                extra.append(Indicate(self.curve, color=th.fitted, scale_factor=1.0))
            fresh = self.readouts(run, stage) if stage in (1, 3, 4) else None
            if fresh is not None:
                extra += [FadeOut(shown), FadeIn(fresh)]
            if stage == 4:
                w, b = run.steps[0].w_next, run.steps[0].b_next
                extra.append(Transform(self.curve, self.panel.curve(w, b, self.color_of(run))))
            self.move_band(self.listing, fragment, *extra)
            if fresh is not None:
                shown = fresh
                self.wait(READ)
        self.shown = shown

    def swap_criterion(self) -> None:
        """The one line that changes: ``criterion = nn.BCELoss()``; the curve back at the start."""
        th = self.theme
        new = self.training_listing("bce")
        w, b = self.trace.runs[0].path[0]
        self.play(
            FadeTransform(self.listing.line("criterion ="), new.line("criterion =")),
            FadeOut(self.shown),
            Transform(self.curve, self.panel.curve(w, b, th.fitted)),
            Transform(self.listing.band, new.band_at("criterion =")),
            run_time=BAND,
        )
        self.remove(self.listing)
        self.add(new, self.listing.band)
        new.band = self.listing.band
        self.listing = new

    def compare(self) -> None:
        """The gradients' sizes at the start, side by side, from the trace."""
        th = self.theme
        mse, bce = (self.trace.run(c).steps[0].grad_norm for c in CRITERIA)
        ratio = bce / mse if mse > 0 else math.inf
        rows = VGroup(
            self.text("|gradient| at the start", th.body_size, th.muted),
            self.text(f"squared error  {sci(mse)}", th.body_size, self.theme.runs[1], mono=True),
            self.text(f"cross-entropy  {sci(bce)}", th.body_size, self.theme.runs[2], mono=True),
            self.text(f"{ratio:,.0f} times larger", th.body_size, th.foreground),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        rows.move_to(self.shown, aligned_edge=UP + LEFT)
        self.play(FadeOut(self.shown), FadeIn(rows), run_time=BAND)
        self.wait(READ * 2 - BAND)


class LogisticRace(LogisticScene):
    """Both runs on their own cost maps, one at a time: the squared error's stalls, the
    cross-entropy's walks down; then what its walk did to the sigmoid, then both gradients.
    What the words are not about is dimmed, not removed."""

    beats = staticmethod(race_beats)

    def construct(self) -> None:
        self.next_section("race")
        self.show_maps()
        self.run_alone("mse")
        self.run_alone("bce")
        self.show_fit()
        self.show_gradients()
        self.show_all()
        self.hold()

    def show_maps(self) -> None:
        th = self.theme
        self.title = self.heading("Same start, same lr: two criteria")
        left, bottom, right, _ = safe_area()
        middle = (left + right) / 2
        self.columns = [(left, middle - 0.35), (middle + 0.35, right)]
        self.names = []
        for run, (x0, _) in zip(self.trace.runs, self.columns):
            name = self.text(run.name, th.label_size + 2, self.color_of(run))
            name.next_to(self.title, DOWN, buff=0.3).set_x(x0 + name.width / 2)
            self.names.append(name)
        self.readouts = [self.readout(run, 0) for run in self.trace.runs]
        top = float(self.readouts[0].get_bottom()[1]) - 0.2
        self.split = bottom + 0.43 * (top - bottom)
        self.maps, self.paths = [], []
        for run, (x0, x1) in zip(self.trace.runs, self.columns):
            s = self.trace.surface(run.criterion)
            drawing = cost_grid(self.trace, run.criterion)
            level_map = fit_panel(
                lambda s=s, drawing=drawing, **size: LevelMap(
                    th, s.w, s.b, s.loss, drawing, **size
                ),
                (x0, self.split + 0.2, x1, top),
            )
            self.maps.append(level_map)
            points = level_map.path_points(run.path)
            self.paths.append(
                GrowingPath(range(len(points)), points, self.color_of(run), 4, th.dot_radius)
            )
        self.build_lower_panels()
        self.veils = {
            run.criterion: self.veil(VGroup(name, readout, m, m.contours))
            for run, name, readout, m in zip(self.trace.runs, self.names, self.readouts, self.maps)
        }
        self.play(
            FadeIn(self.title),
            *(FadeIn(VGroup(m, m.contours)) for m in self.maps),
            *(FadeIn(n) for n in self.names),
            run_time=WRITE,
        )
        self.play(
            *(FadeIn(p) for p in self.paths), *(FadeIn(r) for r in self.readouts), run_time=WRITE
        )
        self.add(*self.veils.values())

    def veil(self, region: VGroup) -> Rectangle:
        """A sheet of the background over ``region`` (once it is shown), clear until it dims
        what is under it."""
        pad = 0.08
        sheet = Rectangle(
            width=region.width + 2 * pad,
            height=region.height + 2 * pad,
            fill_color=self.theme.background,
            fill_opacity=0.0,
            stroke_width=0,
        )
        return sheet.move_to(region)

    def focus(self, *regions: str) -> None:
        """Dim every region of the race but ``regions`` (the veils over all, on top)."""
        self.bring_to_front(*self.veils.values())
        self.play(
            *(
                v.animate.set_fill(opacity=0.0 if name in regions else DIM)
                for name, v in self.veils.items()
            ),
            run_time=VEIL,
        )

    def readout(self, run: Run, k: int) -> MonoLine:
        """Iteration, accuracy and the gradient's size at point k of the run's path (a new
        line at every iteration: glyphs laid out once)."""
        th = self.theme
        grad = run.steps[min(k, len(run.steps) - 1)].grad_norm
        text = f"it {k:>2}  acc {run.accuracies[k]:>4.0%}  |grad| {short(grad)}"
        i = self.trace.runs.index(run)
        out = MonoLine(text, th.mono, th.tick_size, th.foreground)
        out.k = k  # the point it reads
        return out.next_to(self.names[i], DOWN, buff=0.12, aligned_edge=LEFT)

    def run_alone(self, criterion: str) -> None:
        """The run of ``criterion`` on its map, the other dimmed, its readout counting the
        iterations; a stall marked where it happens."""
        self.wait_for(criterion, self.rest(criterion))
        self.focus(criterion)
        i = self.index(criterion)
        run = self.trace.runs[i]
        n = len(run.path) - 1
        at = run.stalled_at
        if at is None:
            return self.move_run(i, 0, n, RUN)
        # the part up to the stall in whole frames (Manim plays whole frames): RUN in all
        frames = round(RUN * (at + 1) / n * config.frame_rate)
        self.move_run(i, 0, at + 1, frames / config.frame_rate)
        self.play(FadeIn(self.stalled_mark(i, at)), run_time=STALL_NOTE)
        self.move_run(i, at + 1, n, RUN - frames / config.frame_rate)

    def move_run(self, i: int, a: int, b: int, seconds: float) -> None:
        """Run ``i``'s dot from point ``a`` to ``b`` of its path, its readout counting."""
        run, path = self.trace.runs[i], self.paths[i]
        if b <= a or seconds <= 0:
            return
        readout = self.readouts[i]

        def move(_, alpha):
            t = a + alpha * (b - a)
            path.at(t)
            k = int(t + 1e-9)
            if k != readout.k:
                fresh = self.readout(run, k)
                readout.become(fresh)
                readout.original_text, readout.k = fresh.original_text, k

        group = VGroup(path, readout)
        for p in self.paths:  # what they have drawn: stroked once (scenes/race.py)
            p.freeze()
        self.play(UpdateFromAlphaFunc(group, move), run_time=seconds, rate_func=linear)
        for p in self.paths:
            p.thaw()

    def build_lower_panels(self) -> None:
        """The sigmoid of each run over the labels (left) and the gradient's size per
        iteration on a log scale (right), under the maps; not yet shown."""
        th = self.theme
        left, bottom, right, _ = safe_area()
        middle = (left + right) / 2
        self.fit = fit_panel(
            lambda **size: SigmoidPanel(self.trace, th, **size),
            (left, bottom, middle - 0.35, self.split - 0.3),
        )
        norms = [s.grad_norm for r in self.trace.runs for s in r.steps]
        n = max(len(r.steps) for r in self.trace.runs)
        self.grads = fit_panel(
            lambda **size: LossOverTime(
                th, max(n - 1, 1), norms, "iteration", "|gradient|", **size
            ),
            # the runs' dots end on the plot's right edge: their radius stays inside too
            (middle + 0.35, bottom, right - th.dot_radius, self.split - 0.3),
        )
        self.grad_paths = []
        for run in self.trace.runs:
            norms = [s.grad_norm for s in run.steps]
            points = self.grads.screen_points(range(len(norms)), norms)
            self.grad_paths.append(
                GrowingPath(range(len(points)), points, self.color_of(run), 3, th.dot_radius * 0.6)
            )

    def show_fit(self) -> None:
        """The sigmoid of each run over the labels: the squared error's where it stopped, the
        cross-entropy's turning round as it walked, from its start."""
        self.wait_for("fit", self.rest("fit"))
        self.curves = [self.fit.curve(*run.path[0], self.color_of(run)) for run in self.trace.runs]
        mse, bce = (self.index(c) for c in ("mse", "bce"))
        self.curves[mse].set_points_as_corners(
            self.fit.curve_points(*self.trace.runs[mse].path[-1])
        )
        self.veils["fit"] = self.veil(VGroup(self.fit, self.fit.dots))
        self.bring_to_front(*self.veils.values())
        self.play(
            self.veils["bce"].animate.set_fill(opacity=DIM),
            FadeIn(VGroup(self.fit, self.fit.dots), *self.curves),
            run_time=WRITE,
        )
        run, curve = self.trace.runs[bce], self.curves[bce]
        n = len(run.path) - 1

        def sweep(_, alpha):
            t = alpha * n
            k = min(int(t), n - 1)
            s = t - k
            (w0, b0), (w1, b1) = run.path[k], run.path[k + 1]
            curve.set_points_as_corners(
                self.fit.curve_points(w0 + s * (w1 - w0), b0 + s * (b1 - b0))
            )

        self.play(UpdateFromAlphaFunc(curve, sweep), run_time=SWEEP, rate_func=linear)

    def show_gradients(self) -> None:
        """Both gradients' sizes, iteration by iteration, on the log scale."""
        self.wait_for("gradients", self.rest("gradients"))
        self.veils["gradients"] = self.veil(self.grads)
        self.bring_to_front(*self.veils.values())
        self.play(
            self.veils["fit"].animate.set_fill(opacity=DIM),
            FadeIn(self.grads),
            *(FadeIn(p) for p in self.grad_paths),
            run_time=WRITE,
        )
        n = max(len(r.steps) for r in self.trace.runs) - 1

        def grow(_, alpha):
            for run, path in zip(self.trace.runs, self.grad_paths):
                path.at(min(alpha * n, len(run.steps) - 1))

        for p in self.grad_paths:
            p.freeze()
        self.play(
            UpdateFromAlphaFunc(VGroup(*self.grad_paths), grow), run_time=GROW, rate_func=linear
        )
        for p in self.grad_paths:
            p.thaw()

    def show_all(self) -> None:
        """Every panel, undimmed: the whole race at its end (held till the words end)."""
        self.focus(*self.veils)

    def stalled_mark(self, i: int, at: int) -> VGroup:
        """The word "stalled" beside the run's dot on its map, and the iteration it stalled at."""
        th = self.theme
        run, level_map = self.trace.runs[i], self.maps[i]
        dot = level_map.point_at(*run.path[at + 1])
        label = self.text(f"stalled (iteration {at})", th.label_size, th.regimes[3])
        label.next_to(dot, UP + RIGHT, buff=0.15)
        return VGroup(label)


class LogisticSurfaces(SurfaceScene, LogisticScene):
    """Each cost as a surface over (w, b) with its run's path, one after the other, the
    camera turning slowly while the path is drawn: the squared error's plateau, where the
    run stalls, then the cross-entropy's wall and valley. The axes carry their numbers."""

    beats = staticmethod(surface_beats)

    def construct(self) -> None:
        self.next_section("surfaces")
        self.set_camera_orientation(phi=PHI, theta=TURN[0], zoom=ZOOM)
        self.show_surface("mse")
        self.climb("mse", TURN)
        self.mark_stall("mse")
        self.swap_to("bce")
        self.climb("bce", TURN[::-1])
        self.mark_stall("bce")
        self.hold()

    def height(self, criterion: str) -> Bilinear:
        """The trace's surface at (w, b): bilinear between its nodes (exact at a node)."""
        s = self.trace.surface(criterion)
        return Bilinear(s.w, s.b, s.loss)

    def toward_camera(self) -> np.ndarray:
        """A unit vector from the scene towards the camera, as it is now."""
        phi, theta = self.camera.get_phi(), self.camera.get_theta()
        return np.array(
            [math.sin(phi) * math.cos(theta), math.sin(phi) * math.sin(theta), math.cos(phi)]
        )

    def surface_of(self, criterion: str) -> VGroup:
        """The criterion's axes (``self.axes``), its surface and the box's edges with their
        numbers (``self.labels``, which always face the camera), and its heading."""
        th = self.theme
        s = self.trace.surface(criterion)
        w0, w1, b0, b1 = s.w[0], s.w[-1], s.b[0], s.b[-1]
        z_max = max(max(row) for row in s.loss)
        steps = (nice_step(w1 - w0, 4), nice_step(b1 - b0, 3), nice_step(z_max, 4))
        axes = ThreeDAxes(
            x_range=[w0, w1, steps[0]],
            y_range=[b0, b1, steps[1]],
            z_range=[0, z_max, steps[2]],
            axis_config={"stroke_opacity": 0, "include_ticks": False, "include_tip": False},
            **BOX,
        ).shift(FLOOR * OUT)
        self.axes = axes
        surface = CostSurface(
            axes,
            self.height(criterion),
            (w0, w1),
            (b0, b1),
            RESOLUTION,
            th,
            fill_opacity=0.8,
        )
        self.surface = surface
        self.far_first()
        line = dict(color=th.muted, stroke_width=th.axis_width)
        # as in a printed 3D plot, for a camera in front and to the right: w along the front
        # edge of the floor, b along its right edge, the cost up the front left corner
        edges = VGroup(
            Line(axes.c2p(w0, b0, 0), axes.c2p(w1, b0, 0), **line),
            Line(axes.c2p(w1, b0, 0), axes.c2p(w1, b1, 0), **line),
            Line(axes.c2p(w0, b0, 0), axes.c2p(w0, b0, z_max), **line),
        )
        labels = []

        def tick(v: float, step: float, at: np.ndarray, out: np.ndarray) -> None:
            edges.add(Line(at, at + TICK * out, **line))
            label = self.number(fmt_tick(v, step), at)
            clear = GAP if out is DOWN else TICK + 0.2 + label.width / 2  # beside: its edge
            labels.append(label.shift(clear * out))

        for v in ticks(w0, w1, steps[0]):
            tick(v, steps[0], axes.c2p(v, b0, 0), DOWN)
        for v in ticks(b0, b1, steps[1]):
            tick(v, steps[1], axes.c2p(w1, v, 0), RIGHT)
        for v in ticks(steps[2], z_max, steps[2]):  # not 0: the corner has w's numbers
            tick(v, steps[2], axes.c2p(w0, b0, v), LEFT)
        labels += [
            self.number("w", axes.c2p((w0 + w1) / 2, b0, 0) + 2.2 * GAP * DOWN, th.label_size),
            self.number("b", axes.c2p(w1, (b0 + b1) / 2, 0) + 2.6 * GAP * RIGHT, th.label_size),
            self.number("cost", axes.c2p(w0, b0, z_max) + 1.4 * GAP * OUT, th.label_size),
        ]
        self.labels = VGroup(*labels)
        return VGroup(surface, edges, self.labels)

    def far_first(self) -> None:
        """The surface's patches ordered for the camera as it is: unshaded, they are drawn in
        order, the far ones first."""
        self.surface.far_first(self.toward_camera())

    def number(self, s: str, at: np.ndarray, size: float | None = None) -> Text:
        """A tick's number (or an axis's name) at ``at``, upright to the camera."""
        return self.text(s, size or self.theme.tick_size, self.theme.muted).move_to(at)

    def title_of(self, run: Run) -> Text:
        left, _, _, top = safe_area()
        title = self.text(run.name, self.theme.title_size * 0.85, self.color_of(run))
        return title.move_to((left, top, 0.0), aligned_edge=UP + LEFT)

    def show_surface(self, criterion: str) -> None:
        """The criterion's surface in its box, its heading, the run's start on it."""
        run = self.trace.run(criterion)
        self.box = self.surface_of(criterion)
        self.title = self.title_of(run)
        self.path = self.path_of(run)
        # upright to the camera, drawn where they stand in the scene: over the surface (the
        # labels stay where they are: their centres taken once)
        camera = self.renderer.camera
        camera.add_fixed_orientation_mobjects(*self.labels, use_static_center_func=True)
        camera.add_fixed_orientation_mobjects(self.path.head)
        self.add_fixed_in_frame_mobjects(self.title)
        self.play(FadeIn(self.box), FadeIn(self.title), FadeIn(self.path), run_time=SHOW_SURFACES)

    def path_of(self, run: Run):
        points = np.array([self.point(run, k) for k in range(len(run.path))])
        return GrowingPath(range(len(points)), points, self.color_of(run), 5, 0.09)

    def point(self, run: Run, k: int) -> np.ndarray:
        w, b = run.path[k]
        return self.axes.c2p(w, b, run.losses[k]) + np.array([0, 0, 0.05])

    def climb(self, criterion: str, turn: tuple[float, float]) -> None:
        """The run's path drawn on its surface while the camera turns from ``turn[0]`` to
        ``turn[1]``, where the words speak of it."""
        self.wait_for(criterion, self.rest(criterion))
        n = len(self.trace.run(criterion).path) - 1

        def draw(path, alpha):
            path.at(alpha * n)
            self.far_first()

        self.play(
            UpdateFromAlphaFunc(self.path, draw),
            self.camera.theta_tracker.animate.set_value(turn[1]),
            run_time=CLIMB,
            rate_func=linear,
        )

    def mark_stall(self, criterion: str) -> None:
        """A stalled run: a ring round its dot, the iteration under the heading."""
        run = self.trace.run(criterion)
        if run.stalled_at is None:
            return
        th = self.theme
        ring = Circle(radius=0.2, color=th.regimes[3], stroke_width=4).move_to(self.path.head)
        note = self.text(f"stalled (iteration {run.stalled_at})", th.label_size, th.regimes[3])
        note.next_to(self.title, DOWN, buff=0.15, aligned_edge=LEFT)
        self.renderer.camera.add_fixed_orientation_mobjects(ring)
        self.add_fixed_in_frame_mobjects(note)
        self.play(Create(ring), FadeIn(note), run_time=STALL_NOTE)
        self.stall = VGroup(ring, note)

    def swap_to(self, criterion: str) -> None:
        """The surface before gives way to ``criterion``'s, where the words name it."""
        self.wait_for(criterion, self.rest(criterion))
        gone = [self.box, self.title, self.path, *getattr(self, "stall", [])]
        self.play(*(FadeOut(m) for m in gone), run_time=SWAP)
        self.remove(*gone)
        self.show_surface(criterion)
