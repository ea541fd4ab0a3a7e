"""The logistic lesson's scenes, drawn from its trace (``lessons/logistic_mse_vs_ce.toml``).

``gdlesson build --config lessons/logistic_mse_vs_ce.toml`` renders them, one clip each:

- ``LogisticCode``: the labels and the sigmoid at the bad start beside the lesson's PyTorch
  code; one iteration of the loop with ``nn.MSELoss``, the band on the line being run and
  the numbers it leaves; the criterion line swapped for ``nn.BCELoss`` and the same
  iteration again.
- ``LogisticRace``: both runs from the same start, each on the contour map of its own
  cost, in step: the sigmoid of each fitting (or not) the labels, the gradient's size per
  iteration on a log scale, the accuracy; the squared error's run marked "stalled".
- ``LogisticSurfaces``: both costs as surfaces in 3D, the same paths on them.

Every number on screen comes from the trace; nothing is drawn in the outer 5% of the frame.
"""

from __future__ import annotations

import math

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
    FadeOut,
    FadeTransform,
    Indicate,
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

from lessons.logistic_mse_vs_ce.levels import cost_grid
from lessons.logistic_mse_vs_ce.listing import block, listing
from lessons.logistic_mse_vs_ce.source import DEFAULT, scene_config, scene_trace
from lessons.logistic_mse_vs_ce.trace import CRITERIA, LogisticTrace, Run
from scenes.code import CodeListing
from scenes.contour import LevelMap
from scenes.layout import fit_panel, safe_area
from scenes.lesson_trace import bad_input_stops, config_source
from scenes.narration import add_subtitles, followup_narration, spoken_seconds, write_vtt_beside
from scenes.panels import Panel, fmt_value, nice_step
from scenes.race import GrowingPath, LossOverTime
from scenes.still_frames import install as install_still_frames
from scenes.theme import THEMES, Theme

install_still_frames()

#: what each scene's animations take, in seconds (a scene lasts at least its narration)
BAND = 0.6  # the band moving to the next line of code
WRITE = 1.0  # a listing or a panel coming in
READ = 1.2  # a pause to read a number that just appeared
RACE = 16.0  # all the iterations of both runs, in step
CHUNKS = 12  # the race is played in this many parts, the readouts updated between them
CLIMB = 7.0  # the paths drawn on the surfaces
SHOW_SURFACES = 1.5  # the surfaces coming in
STALL_NOTE = 0.4  # "stalled" written under a run's heading
HOLD = 2.0  # the last picture, at least
#: the lines of the training block the band visits in one iteration, and what each leaves
LOOP = ("yhat = model(x)", "loss = criterion", "optimizer.zero_grad", "loss.backward", "step()")
#: the 3D surfaces: patches per side, box size, and the camera's angles
RESOLUTION = 15
BOX = dict(x_length=5.4, y_length=3.6, z_length=3.0)
PHI, THETA = 58 * DEGREES, -90 * DEGREES
#: where each surface's box sits: left and right of the centre, its floor below the middle
PLACES = ((-3.3, 0.0, -1.3), (3.3, 0.0, -1.3))
#: the sigmoid curves are drawn through this many x values
CURVE_POINTS = 80


def code_seconds() -> float:
    """LogisticCode's animations, as its beats play them."""
    data_and_model = WRITE + 7 * BAND + READ  # the listing, six band moves and two reveals
    iteration = 2 * BAND + len(LOOP) * BAND + 3 * READ  # criterion, SGD, the loop's lines
    swap, compare = BAND, 2 * READ
    return data_and_model + WRITE + iteration + swap + iteration + compare + HOLD


def planned_seconds(trace: LogisticTrace, scene: str, spoken: float = 0.0) -> float:
    """How long ``scene`` lasts: its animations, or its narration when that is longer."""
    stalled = sum(run.stalled_at is not None for run in trace.runs)
    animation = {
        "LogisticCode": code_seconds(),
        "LogisticRace": 3 * WRITE + RACE + READ + HOLD,
        "LogisticSurfaces": SHOW_SURFACES + CLIMB + STALL_NOTE * stalled + HOLD,
    }[scene]
    return max(animation, spoken)


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


class LogisticScene(Scene):
    """Reads the trace, the theme and the scene's narration (subtitles over the whole scene,
    and its recording if there is one); titles, texts and the last hold."""

    def setup(self) -> None:
        cfg = scene_config()
        self.theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.trace: LogisticTrace = scene_trace(cfg)
        name = type(self).__name__
        with bad_input_stops():
            narration = followup_narration(config_source(DEFAULT), SCENE_NAMES)[name]
        self.spoken = spoken_seconds(narration)
        if narration.audio is not None:
            self.add_sound(str(narration.audio))
        self.planned = planned_seconds(self.trace, name, self.spoken)
        add_subtitles(self, narration.text, self.planned)

    def tear_down(self) -> None:
        write_vtt_beside(self)

    def hold(self) -> None:
        """The last picture until the scene's planned end."""
        self.wait(max(HOLD, self.planned - self.renderer.time))

    def text(self, s: str, size: float | None = None, color: str | None = None, mono=False):
        t = self.theme
        return Text(
            s,
            font=t.mono if mono else t.font,
            font_size=size or t.label_size,
            color=color or t.foreground,
        )

    def heading(self, s: str) -> Text:
        left, _, _, top = safe_area()
        title = self.text(s, self.theme.title_size * 0.85)
        return title.move_to((left, top, 0.0), aligned_edge=UP + LEFT)

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
    """Both runs, on their own cost maps, in step."""

    def construct(self) -> None:
        self.next_section("race")
        self.show_maps()
        self.show_fit_and_gradients()
        self.race()
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
        split = bottom + 0.43 * (top - bottom)
        self.maps, self.paths = [], []
        for run, (x0, x1) in zip(self.trace.runs, self.columns):
            s = self.trace.surface(run.criterion)
            drawing = cost_grid(self.trace, run.criterion)
            level_map = fit_panel(
                lambda s=s, drawing=drawing, **size: LevelMap(
                    th, s.w, s.b, s.loss, drawing, **size
                ),
                (x0, split + 0.2, x1, top),
            )
            self.maps.append(level_map)
            points = level_map.path_points(run.path)
            self.paths.append(
                GrowingPath(range(len(points)), points, self.color_of(run), 4, th.dot_radius)
            )
        self.play(
            FadeIn(self.title),
            *(FadeIn(VGroup(m, m.contours)) for m in self.maps),
            *(FadeIn(n) for n in self.names),
            run_time=WRITE,
        )
        self.play(
            *(FadeIn(p) for p in self.paths), *(FadeIn(r) for r in self.readouts), run_time=WRITE
        )
        self.split = split

    def readout(self, run: Run, k: int) -> Text:
        """Iteration, accuracy and the gradient's size at point k of the run's path."""
        th = self.theme
        grad = run.steps[min(k, len(run.steps) - 1)].grad_norm
        text = f"it {k:>2}  acc {run.accuracies[k]:>4.0%}  |grad| {short(grad)}"
        i = self.trace.runs.index(run)
        out = self.text(text, th.tick_size, th.foreground, mono=True)
        return out.next_to(self.names[i], DOWN, buff=0.12, aligned_edge=LEFT)

    def show_fit_and_gradients(self) -> None:
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
        self.curves = [
            self.fit.curve(*run.path[0], self.color_of(run)) for run in reversed(self.trace.runs)
        ][::-1]
        self.play(
            FadeIn(VGroup(self.fit, self.fit.dots)),
            FadeIn(self.grads),
            *(Create(c) for c in self.curves),
            *(FadeIn(p) for p in self.grad_paths),
            run_time=WRITE,
        )

    def race(self) -> None:
        """All the iterations in CHUNKS parts on one clock; between parts, the readouts and,
        once a run has stalled, its mark."""
        runs = self.trace.runs
        n = max(len(r.path) for r in runs) - 1
        cuts = sorted({round(n * i / CHUNKS) for i in range(CHUNKS + 1)})
        stalls = {r.criterion: r.stalled_at for r in runs if r.stalled_at is not None}
        marked: set[str] = set()
        for a, b in zip(cuts, cuts[1:]):

            def move(_, alpha, a=a, b=b):
                t = a + alpha * (b - a)
                for run, path, grad, curve in zip(runs, self.paths, self.grad_paths, self.curves):
                    path.at(t)
                    grad.at(min(t, len(run.steps) - 1))
                    k = min(int(t), len(run.path) - 2)
                    s = t - k
                    (w0, b0), (w1, b1) = run.path[k], run.path[k + 1]
                    curve.set_points_as_corners(
                        self.fit.curve_points(w0 + s * (w1 - w0), b0 + s * (b1 - b0))
                    )

            group = VGroup(*self.paths, *self.grad_paths, *self.curves)
            self.play(
                UpdateFromAlphaFunc(group, move), run_time=RACE * (b - a) / n, rate_func=linear
            )
            for i, run in enumerate(runs):
                fresh = self.readout(run, min(b, len(run.path) - 1))
                self.remove(self.readouts[i])
                self.add(fresh)
                self.readouts[i] = fresh
                at = stalls.get(run.criterion)
                if at is not None and at + 1 <= b and run.criterion not in marked:
                    marked.add(run.criterion)
                    self.add(self.stalled_mark(i, at))
        self.wait(READ)

    def stalled_mark(self, i: int, at: int) -> VGroup:
        """The word "stalled" beside the run's dot on its map, and the iteration it stalled at."""
        th = self.theme
        run, level_map = self.trace.runs[i], self.maps[i]
        dot = level_map.point_at(*run.path[at + 1])
        label = self.text(f"stalled (iteration {at})", th.label_size, th.regimes[3])
        label.next_to(dot, UP + RIGHT, buff=0.15)
        return VGroup(label)


class LogisticSurfaces(ThreeDScene, LogisticScene):
    """Both costs as surfaces over (w, b), the same paths on them, side by side."""

    def construct(self) -> None:
        self.next_section("surfaces")
        self.show_surfaces()
        self.climb()
        self.hold()

    def height(self, criterion: str, w: float, b: float) -> float:
        """The trace's surface at (w, b): bilinear between its nodes (exact at a node)."""
        s = self.trace.surface(criterion)
        ws, bs, z = np.array(s.w), np.array(s.b), np.array(s.loss)
        i = int(np.clip(np.searchsorted(bs, b) - 1, 0, len(bs) - 2))
        j = int(np.clip(np.searchsorted(ws, w) - 1, 0, len(ws) - 2))
        u = min(max((w - ws[j]) / (ws[j + 1] - ws[j]), 0.0), 1.0)
        v = min(max((b - bs[i]) / (bs[i + 1] - bs[i]), 0.0), 1.0)
        return float(
            (1 - u) * (1 - v) * z[i, j]
            + u * (1 - v) * z[i, j + 1]
            + (1 - u) * v * z[i + 1, j]
            + u * v * z[i + 1, j + 1]
        )

    def show_surfaces(self) -> None:
        th = self.theme
        self.set_camera_orientation(phi=PHI, theta=THETA, zoom=0.95)
        self.axes, self.surfaces, flat = {}, [], []
        left, _, right, top = safe_area()
        for i, run in enumerate(self.trace.runs):
            s = self.trace.surface(run.criterion)
            z_max = max(max(row) for row in s.loss)
            axes = ThreeDAxes(
                x_range=[s.w[0], s.w[-1], 1],
                y_range=[s.b[0], s.b[-1], 1],
                z_range=[0, z_max, z_max],
                axis_config={"stroke_opacity": 0, "include_ticks": False, "include_tip": False},
                **BOX,
            ).shift(np.array(PLACES[i]))
            self.axes[run.criterion] = axes
            surface = Surface(
                lambda u, v, c=run.criterion, a=axes: a.c2p(u, v, self.height(c, u, v)),
                u_range=(s.w[0], s.w[-1]),
                v_range=(s.b[0], s.b[-1]),
                resolution=(RESOLUTION, RESOLUTION),
                fill_opacity=0.8,
                stroke_width=0.3,
                stroke_color=th.muted,
            )
            surface.set_fill_by_value(
                axes=axes, colorscale=[th.surface_low, th.surface_high], axis=2
            )
            toward = np.array(
                [math.sin(PHI) * math.cos(THETA), math.sin(PHI) * math.sin(THETA), math.cos(PHI)]
            )
            for patch in surface:
                patch.shade_in_3d = False
            surface.submobjects.sort(key=lambda patch: float(patch.get_center() @ toward))
            self.surfaces.append(surface)
            name = self.text(run.name, th.label_size + 4, self.color_of(run))
            scale = self.text(
                f"cost from {fmt_value(min(min(r) for r in s.loss), 2)} to {fmt_value(z_max, 2)}",
                th.tick_size,
                th.muted,
            )
            heading = VGroup(name, scale).arrange(DOWN, buff=0.1)
            quarter = 0.25 * (right - left)
            heading.move_to((left + quarter if i == 0 else right - quarter, top - 0.35, 0.0))
            flat.append(heading)
        self.headings = flat
        _, bottom, _, _ = safe_area()
        axes_note = self.text("w across, b going back, the cost up", th.tick_size, th.muted)
        flat.append(axes_note.move_to((0.0, bottom + 0.3, 0.0)))
        self.add_fixed_in_frame_mobjects(*flat)
        self.play(
            *(FadeIn(s) for s in self.surfaces), *(FadeIn(h) for h in flat), run_time=SHOW_SURFACES
        )

    def point(self, run: Run, k: int) -> np.ndarray:
        w, b = run.path[k]
        return self.axes[run.criterion].c2p(w, b, run.losses[k]) + np.array([0, 0, 0.05])

    def climb(self) -> None:
        th = self.theme
        runs = self.trace.runs
        paths = []
        for run in runs:
            points = np.array([self.point(run, k) for k in range(len(run.path))])
            paths.append(GrowingPath(range(len(points)), points, self.color_of(run), 5, 0.09))
        for p in paths:
            self.add_fixed_orientation_mobjects(p.head)
        self.add(*paths)
        n = max(len(r.path) for r in runs) - 1

        def move(_, alpha):
            for p in paths:
                p.at(alpha * n)

        self.play(UpdateFromAlphaFunc(VGroup(*paths), move), run_time=CLIMB, rate_func=linear)
        for i, run in enumerate(runs):
            if run.stalled_at is not None:
                label = self.text("stalled", th.label_size, th.regimes[3])
                label.next_to(self.headings[i], DOWN, buff=0.15)
                self.add_fixed_in_frame_mobjects(label)
                self.play(FadeIn(label), run_time=STALL_NOTE)


SCENES = (LogisticCode, LogisticRace, LogisticSurfaces)
SCENE_NAMES = tuple(s.__name__ for s in SCENES)
