"""Learning rates compared: the four presets side by side on the same data.

``manim -qh scenes/regimes.py Regimes``: for each regime, the dot's path on its cost curve
(a creep, a smooth descent, a zig-zag, a climb out of the bowl), and the loss per
iteration of all four on one plot, log scale when the range demands it.

The layout is measured, not guessed: the four small panels (two rows of two) and the loss
plot are placed from their drawn extents (tick labels, titles, notes) so that nothing comes
within 5% of the frame's edges (``SAFE_X``, ``SAFE_Y``) and nothing touches anything else.
Every tick label is at theme.tick_size, large enough for a lecture hall; a small panel has
as many ticks as leave their labels TICK_GAP (side by side) or STACKED_TICK_GAP (one above
the other) apart at that size.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    Line,
    Mobject,
    Scene,
    Text,
    VGroup,
    VMobject,
    config,
)

from gd_engine import Trace
from gd_engine.regimes import PRESETS
from scenes.lesson_trace import regime_traces, scene_config
from scenes.panels import CostPanel, Panel, fmt_tick, fmt_value, nice_step, ticks
from scenes.plotting import LOSS_HEADROOM, log_scale
from scenes.speedups import install as install_speedups
from scenes.storyboard import REGIMES_TIMES
from scenes.theme import THEMES, Theme
from scenes.timing import WholeFrames

install_speedups()

#: the largest each regime's cost curve is drawn (its plot area); the layout shrinks it to
#: what the frame leaves once the loss plot has its LOSS_MIN_WIDTH
SMALL_PANEL = dict(width=2.9, height=2.0)
LOSS_MIN_WIDTH = 3.6  # the loss plot's plot area is at least this wide
#: nothing is drawn within 5% of the frame's edges: |x| <= SAFE_X, |y| <= SAFE_Y
SAFE_X, SAFE_Y = 0.45 * config.frame_width, 0.45 * config.frame_height
#: the layout keeps the points drawn this much further in: a line's stroke and the
#: antialiasing of its edge reach past its points by a pixel or two, and in the encoded
#: video (480p) the ringing of a text's edge by two or three more
STROKE_PAD = 0.06
COLUMN_GAP = 0.3  # between a panel's "w" and the tick labels or name of the one to its right
ROW_GAP = 0.3  # between the lowest thing of a panel and the name of the one below
HEAD_GAP = 0.15  # between a plot (its top y label) and the name or title over it
STACK_GAP = 0.25  # between the title, the legend and the loss plot's own title
TICK_GAP = 0.25  # at least this much room between two tick labels, or a label and w
#: between two y tick labels, one above the other: stacked numbers never run together as
#: side-by-side ones do ("10 20" read as "1020"); three quarters of a digit's height is
#: plenty, and on a small panel it keeps three labels where TICK_GAP left one
STACKED_TICK_GAP = 0.15
MAX_SMALL_TICKS = 4  # tick labels per axis on a small panel, at most
DOT_RADIUS = 0.07
LOSS_DOT_RADIUS = 0.05  # the loss plot's points: the last one is centred on the axis' end
#: a path that leaves the plot is drawn up to this far inside the plot's edge, and its dot
#: held there: clear of the axes, the tick labels beside them and the curve's ends
OFF_PLOT_INSET = 2 * DOT_RADIUS


class SharedLossPanel(Panel):
    """Loss per iteration for several runs on one plot (log scale past three decades)."""

    def __init__(self, traces: dict[str, Trace], theme: Theme, colors, **size):
        self.traces = traces
        n = max(len(t.epochs) for t in traces.values())
        losses = [v for t in traces.values() for v in t.loss_history if v > 0]
        log_y = log_scale(losses)
        if log_y:
            y_range = (math.floor(math.log10(min(losses))), math.ceil(math.log10(max(losses))))
        else:
            y_range = (0.0, max(losses) * LOSS_HEADROOM)
        super().__init__(
            theme,
            (0.0, float(max(n - 1, 1))),
            tuple(map(float, y_range)),
            "iteration",
            "loss (log scale)" if log_y else "loss",
            x_step=max(1, nice_step(max(n - 1, 1))),
            log_y=log_y,
            max_y_label_width=None,  # the layout measures the labels: none shrinks
            **size,
        )
        self.clear_labels()
        self.colors = dict(zip(traces, colors))

    def clear_labels(self) -> None:
        """At theme.tick_size the labels meet where Panel placed them for smaller ones: no
        x label within TICK_GAP of a y label (at the corner the iteration 0 gives way to the
        lowest decade), the title "iteration" under the x labels, the y title over the top
        y label."""
        x_labels, y_labels = split_tick_labels(self)
        for label in x_labels:
            if not all(boxes_apart(drawn_box(label), drawn_box(y), TICK_GAP) for y in y_labels):
                drop_tick(self, label)
        lo, hi = plot_area(self)
        below = min([lo[1] - 0.1, *(t.get_bottom()[1] for t in self.tick_labels)])
        self.x_title.next_to([hi[0], below, 0], DOWN, buff=HEAD_GAP).align_to(hi, RIGHT)
        above = max([hi[1], *(t.get_top()[1] for t in y_labels)])
        self.y_title.next_to([lo[0], above, 0], UP, buff=HEAD_GAP).align_to(lo, LEFT)

    def point(self, name: str, k: int):
        return self.axes.c2p(k, self.to_y(self.traces[name].epochs[k].loss))


class RegimePanel(VGroup):
    """One regime: its cost curve (a small CostPanel without the y title), its name, lr and
    error factor above it, and, once the run is over, what became of it below it.

    ``width`` and ``height`` are the plot area's; the x and y ticks are as many as fit at
    that width and height (:func:`fit_x_step`, :func:`fit_y_step`). The name, the lines
    under it and the verdict start at the left of the tick labels (:meth:`align_text`):
    written at the tick labels' size they are wider than the plot, and so they take the
    whole width of the panel. A verdict wider than ``text_max`` goes on two lines."""

    def __init__(
        self,
        name: str,
        trace: Trace,
        theme: Theme,
        color: str,
        width: float = SMALL_PANEL["width"],
        height: float = SMALL_PANEL["height"],
        text_max: float = math.inf,
    ):
        super().__init__()
        th, self.name, self.trace, self.color = theme, name, trace, color
        self.text_max = text_max
        ws = trace.cost_curve.w
        axis = dict(
            width=width,
            height=height,
            x_step=fit_x_step(ws[0], ws[-1], width, th),
            max_y_label_width=None,  # the layout measures the labels: none shrinks
        )
        self.cost = CostPanel(trace, theme, **axis)
        y_step = fit_y_step(*self.cost.y_range, height, th)  # the y range is the curve's
        if y_step != self.cost.axes.y_range[2]:
            self.cost = CostPanel(trace, theme, y_step=y_step, **axis)
        self.cost.remove(self.cost.y_title)  # the four share "average loss" by their names
        self.clear_corner()
        factor = f"{trace.analysis.shrink:+.2f}".replace("-", "\u2212")
        self.head = VGroup(
            Text(
                f"{name}   lr {trace.config.train.lr:.3f}",
                font=th.font,
                font_size=th.tick_size,
                color=th.muted,
                t2c={name: color},
            ),
            Text(
                f"error \u00d7{factor} a step",
                font=th.font,
                font_size=th.tick_size,
                color=th.muted,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        lo, hi = plot_area(self.cost)
        top = max(hi[1], drawn_box(self.cost.tick_labels)[1][1])  # the top y label's too
        self.head.next_to([lo[0], top, 0], UP, buff=HEAD_GAP)
        self.place_w_title()
        self.verdict = self.make_verdict()
        self.align_text(drawn_box(self.cost.tick_labels)[0][0])
        self.add(self.cost, self.cost.curve, self.head, self.verdict)

    def align_text(self, left: float) -> None:
        """The name, the lines under it and the verdict start at x = ``left``."""
        for text in (self.head, self.verdict):
            if len(text):
                text.shift(RIGHT * (left - drawn_box(text)[0][0]))

    def text_width(self) -> float:
        """The width of the widest of the name, the lines under it and the verdict."""
        return max(
            box[1][0] - box[0][0]
            for box in (drawn_box(t) for t in (self.head, self.verdict) if len(t))
        )

    def clear_corner(self) -> None:
        """No y tick label within TICK_GAP of an x label: at the corner, the axis' 0 can
        meet the first x label (w, where the runs go, keeps its labels). A tick's mark goes
        with its label."""
        c = self.cost
        x_labels, y_labels = split_tick_labels(c)
        for label in y_labels:
            if not all(boxes_apart(drawn_box(label), drawn_box(x), TICK_GAP) for x in x_labels):
                drop_tick(c, label)

    def place_w_title(self) -> None:
        """The axis' title, w, written as the tick labels are, on their line just past the
        axis' end (and TICK_GAP past the last label, so that "20 w" does not read "20w"):
        beside digits of its size it reads as the lower-case w it is (at the titles' size,
        beside the axis, it read as a capital W)."""
        c = self.cost
        lo, hi = plot_area(c)
        x_labels = VGroup(*(t for t in c.tick_labels if t.get_top()[1] < lo[1]))
        left = max(hi[0] + 0.1, x_labels.get_right()[0] + TICK_GAP)
        c.x_title.scale(c.theme.tick_size / c.theme.label_size)
        c.x_title.next_to([left, 0, 0], RIGHT, buff=0).align_to(x_labels, DOWN)

    def make_verdict(self) -> VGroup:
        """Below the plot and its tick labels: "diverging" for a divergent run, and where an
        iterate that left the plot went. Drawn there, never over the path."""
        th, c, trace = self.cost.theme, self.cost, self.trace
        lines = VGroup()
        if trace.analysis.regime == "divergent":
            lines.add(Text("diverging", font=th.font, font_size=th.label_size, color=self.color))
        w, v = c.iterate(len(trace.epochs))
        if not c.on_plot(w, v):
            note = f"off the plot: w = {fmt_value(w, 1)}"
            text = Text(note, font=th.font, font_size=th.tick_size, color=self.color)
            if text.width > self.text_max:  # on two lines, after the colon
                text = VGroup(
                    *(
                        Text(part, font=th.font, font_size=th.tick_size, color=self.color)
                        for part in (note[: note.index(":") + 1], note[note.index(":") + 2 :])
                    )
                ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
            lines.add(text)
        if len(lines):
            lines.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
            lines.next_to(c.tick_labels, DOWN, buff=0.15)
        return lines

    def held_point(self, k: int) -> np.ndarray:
        """Iterate k on screen. Off the plot it is where the path left it: the jump from
        the last iterate on the plot towards the first off it, cut OFF_PLOT_INSET inside
        the plot's edges (so the dot sits on neither an axis nor a tick label)."""
        c = self.cost
        if c.on_plot(*c.iterate(k)):
            return c.point_at(*c.iterate(k))
        lo, hi = plot_area(c)
        lo, hi = lo + OFF_PLOT_INSET, hi - OFF_PLOT_INSET
        inside = [j for j in range(k) if c.on_plot(*c.iterate(j))]
        if not inside:
            return np.clip(c.point_at(*c.iterate(k)), lo, hi) * [1, 1, 0]
        j = inside[-1]
        a, b = c.axes.c2p(*c.iterate(j)), c.axes.c2p(*c.iterate(j + 1))
        a = np.clip(a, lo, hi) * [1, 1, 0]
        t = 1.0
        for d in (0, 1):
            if b[d] > hi[d]:
                t = min(t, (hi[d] - a[d]) / (b[d] - a[d]))
            elif b[d] < lo[d]:
                t = min(t, (lo[d] - a[d]) / (b[d] - a[d]))
        return a + t * (b - a) * [1, 1, 0]

    def reach(self, direction) -> float:
        """How far past the plot area what is drawn reaches, towards ``direction``."""
        return reach(self, self.cost, direction)


def split_tick_labels(panel: Panel) -> tuple[list[Text], list[Text]]:
    """A panel's x tick labels (under the plot) and y tick labels (beside it, lowest first)."""
    lo, _ = plot_area(panel)
    x_labels = [t for t in panel.tick_labels if t.get_top()[1] < lo[1]]
    y_labels = [t for t in panel.tick_labels if t.get_top()[1] >= lo[1]]
    return x_labels, sorted(y_labels, key=Mobject.get_y)


def drop_tick(panel: Panel, label: Text) -> None:
    """Take a tick label off ``panel``, and its tick's mark: the short line from the axis
    on the label's centre line (down to an x label, left to a y label)."""
    is_x = label in split_tick_labels(panel)[0]
    x, y = label.get_center()[:2]
    panel.tick_labels.remove(label)
    for mark in panel.frame.submobjects[2:]:  # the two axes, then a mark per tick
        (xa, ya), (xb, yb) = (p[:2] for p in mark.get_start_and_end())
        a, b, at = (xa, xb, x) if is_x else (ya, yb, y)
        if abs(a - at) < 1e-6 and abs(b - at) < 1e-6:
            panel.frame.remove(mark)
            return


def fit_step(lo: float, hi: float, length: float, theme: Theme, across: bool) -> float:
    """The tick spacing of a small panel's axis ``length`` long over [lo, hi]: the finest
    nice step with at most MAX_SMALL_TICKS labels at theme.tick_size, TICK_GAP apart side
    by side (``across``: the x axis) or STACKED_TICK_GAP one above the other (the y axis);
    the coarsest one if none is."""
    gap = TICK_GAP if across else STACKED_TICK_GAP
    for target in (5, 4, 3, 2) if across else (4, 3, 2):
        step = nice_step(hi - lo, target=target)
        values = ticks(lo, hi, step)
        labels = (
            Text(fmt_tick(v, step), font=theme.font, font_size=theme.tick_size) for v in values
        )
        extents = [t.width if across else t.height for t in labels]
        room = length * step / (hi - lo)  # between two ticks' centres
        if len(values) <= MAX_SMALL_TICKS and all(
            room - (a + b) / 2 >= gap for a, b in zip(extents, extents[1:])
        ):
            break
    return step


def fit_x_step(x0: float, x1: float, width: float, theme: Theme) -> float:
    """The x tick spacing of a small panel ``width`` wide over [x0, x1] (:func:`fit_step`)."""
    return fit_step(x0, x1, width, theme, across=True)


def fit_y_step(y0: float, y1: float, height: float, theme: Theme) -> float:
    """The y tick spacing of a small panel ``height`` tall over [y0, y1] (:func:`fit_step`)."""
    return fit_step(y0, y1, height, theme, across=False)


def boxes_apart(a: np.ndarray, b: np.ndarray, gap: float = 0.0) -> bool:
    """Two drawn boxes (``[[left, bottom], [right, top]]``) at least ``gap`` apart."""
    return bool(
        a[1][0] + gap <= b[0][0]
        or b[1][0] + gap <= a[0][0]
        or a[1][1] + gap <= b[0][1]
        or b[1][1] + gap <= a[0][1]
    )


def plot_area(panel: Panel) -> tuple[np.ndarray, np.ndarray]:
    """The lower-left and upper-right corners of a panel's plot area on screen."""
    (x0, x1), (y0, y1) = panel.x_range, panel.y_range
    return panel.axes.c2p(x0, y0), panel.axes.c2p(x1, y1)


def drawn_box(mob: Mobject) -> np.ndarray:
    """``[[left, bottom], [right, top]]`` of what ``mob`` draws: the points of the members
    that show (Manim's invisible axis lines, which cross at 0 wherever that is, do not)."""
    points = [
        m.points[:, :2]
        for m in mob.family_members_with_points()
        if isinstance(m, VMobject)
        and max(m.get_stroke_opacity() * (m.get_stroke_width() > 0), m.get_fill_opacity()) > 0
    ]
    allpoints = np.concatenate(points)
    return np.array([allpoints.min(axis=0), allpoints.max(axis=0)])


def reach(mob: Mobject, panel: Panel, direction) -> float:
    """How far past ``panel``'s plot area what ``mob`` draws reaches, towards ``direction``."""
    (left, bottom), (right, top) = drawn_box(mob)
    lo, hi = plot_area(panel)
    if direction is LEFT:
        return lo[0] - left
    if direction is RIGHT:
        return right - hi[0]
    if direction is UP:
        return top - hi[1]
    return lo[1] - bottom


def fit_cells(cells: list[RegimePanel], width: float, height: float) -> tuple[float, float]:
    """The plot size (at most SMALL_PANEL's) at which ``cells``, two columns of two rows
    placed as :meth:`Regimes.layout` places them, fill at most ``width`` x ``height``.

    What a cell draws around its plot is measured on ``cells``, and taken to be the same at
    any plot size: the tick labels and w reach out as far, and the names and verdicts,
    which start at the column's left, are as wide (a top y label, and the x ticks that fit,
    change a little with the size: :meth:`Regimes.layout` measures again)."""
    columns, rows = (cells[0::2], cells[1::2]), (cells[0:2], cells[2:4])
    # per column: the tick labels left of the plot and w right of it, and the widest text
    around = [
        (
            max(c.reach(LEFT) for c in column) + max(reach(c.cost, c.cost, RIGHT) for c in column),
            max(c.text_width() for c in column),
        )
        for column in columns
    ]

    def columns_width(plot_width: float) -> float:
        gaps = COLUMN_GAP * (len(columns) - 1)
        return gaps + sum(max(side + plot_width, text) for side, text in around)

    plot_width = SMALL_PANEL["width"]
    if columns_width(plot_width) > width:  # the widest that fits: columns_width only grows
        lo, hi = 0.0, plot_width
        for _ in range(40):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if columns_width(mid) <= width else (lo, mid)
        plot_width = lo
    above_below = sum(
        max(c.reach(UP) for c in row) + max(c.reach(DOWN) for c in row) for row in rows
    )
    plot_height = (height - above_below - ROW_GAP * (len(rows) - 1)) / len(rows)
    return plot_width, min(SMALL_PANEL["height"], plot_height)


def move_plot_to(group: Mobject, panel: Panel, left: float, top: float) -> None:
    """Shift ``group`` so that ``panel``'s plot area has its upper-left corner at (left, top)."""
    lo, hi = plot_area(panel)
    group.shift([left - lo[0], top - hi[1], 0])


class Regimes(WholeFrames, Scene):
    """Plays REGIMES_TIMES in whole frames: as long as storyboard.regimes_seconds says."""

    times = SimpleNamespace(**REGIMES_TIMES)

    def setup(self) -> None:
        cfg = scene_config()
        self.theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.traces = regime_traces(cfg)
        self.colors = dict(zip(PRESETS, self.theme.regimes))

    # -- layout --------------------------------------------------------------------------
    def layout(self) -> None:
        """The four regimes in two rows of two on the left, the shared loss plot on the right
        under the title and the legend; all inside the safe area.

        The panels are built at SMALL_PANEL to measure what is drawn around their plots
        (tick labels, w, names, verdicts), which gives the plot size that leaves the loss
        plot LOSS_MIN_WIDTH (:func:`fit_cells`); built again at that size (and measured
        again, until the size holds), they are placed by their measured extents, and the
        loss plot takes the width left."""
        th = self.theme
        edge_x, edge_y = SAFE_X - STROKE_PAD, SAFE_Y - STROKE_PAD
        self.title = Text(
            "Learning rates compared",
            font=th.font,
            font_size=th.title_size * 0.75,
            color=th.muted,
        )
        self.legend = VGroup(
            *(
                Text(f"\u25cf {name}", font=th.font, font_size=th.tick_size, color=c)
                for name, c in self.colors.items()
            )
        ).arrange_in_grid(rows=2, cols=2, buff=(0.35, 0.12), col_alignments="ll")
        # the loss plot: built once to measure its labels, then at the width that is left
        probe = SharedLossPanel(self.traces, th, th.regimes)
        loss_left = reach(probe, probe, LEFT)
        loss_right = max(reach(probe, probe, RIGHT), LOSS_DOT_RADIUS)
        loss_column = max(
            loss_left + LOSS_MIN_WIDTH + loss_right, self.title.width, self.legend.width
        )

        cells_width = 2 * edge_x - loss_column - COLUMN_GAP
        # a verdict wider than half of that goes on two lines
        text_max = (cells_width - COLUMN_GAP) / 2

        def build(width: float, height: float) -> dict[str, RegimePanel]:
            return {
                name: RegimePanel(name, trace, th, self.colors[name], width, height, text_max)
                for name, trace in self.traces.items()
            }

        # what a panel draws around its plot hardly depends on the plot's size (a top y
        # label stands a little higher above a shorter plot): measured again until it holds
        size = (SMALL_PANEL["width"], SMALL_PANEL["height"])
        self.panels = build(*size)
        for _ in range(4):
            fitted = fit_cells(list(self.panels.values()), cells_width, 2 * edge_y)
            if np.allclose(fitted, size, atol=1e-4):
                break
            size = fitted
            self.panels = build(*size)
        width, height = size
        cells = list(self.panels.values())
        columns, rows = (cells[0::2], cells[1::2]), (cells[0:2], cells[2:4])
        lefts, text_lefts, x = [], [], -edge_x
        for column in columns:
            text_lefts.append(x)  # the names and verdicts start at the column's left
            x += max(c.reach(LEFT) for c in column)
            lefts.append(x)
            right = max(
                x + width + max(reach(c.cost, c.cost, RIGHT) for c in column),
                text_lefts[-1] + max(c.text_width() for c in column),
            )
            x = right + COLUMN_GAP
        right_of_cells = x - COLUMN_GAP
        tops, y = [], edge_y
        for row in rows:
            y -= max(c.reach(UP) for c in row)
            tops.append(y)
            y -= height + max(c.reach(DOWN) for c in row) + ROW_GAP
        # the height left over goes in thirds above, between and below the rows
        spare = (y + ROW_GAP + edge_y) / 3
        for i, column in enumerate(columns):
            for j, cell in enumerate(column):
                move_plot_to(cell, cell.cost, lefts[i], tops[j] - spare * (j + 1))
                cell.align_text(text_lefts[i])
        for row in rows:  # the names of a row on one line, over the top y label that is highest
            bottom = max(drawn_box(c.head)[0][1] for c in row)
            for c in row:
                c.head.shift(UP * (bottom - drawn_box(c.head)[0][1]))

        left = right_of_cells + COLUMN_GAP + loss_left
        right = edge_x - loss_right
        stack = self.title.height + STACK_GAP + self.legend.height + STACK_GAP
        top = edge_y - stack - reach(probe, probe, UP)
        bottom = -edge_y + reach(probe, probe, DOWN)
        self.loss = SharedLossPanel(
            self.traces,
            th,
            th.regimes,
            center=((left + right) / 2, (top + bottom) / 2, 0),
            width=right - left,
            height=top - bottom,
        )
        (box_left, _), (box_right, _) = drawn_box(self.loss)
        title_x = min((box_left + box_right) / 2, edge_x - self.title.width / 2)
        self.title.move_to([title_x, edge_y - self.title.height / 2, 0])
        self.legend.next_to(self.title, DOWN, buff=STACK_GAP)
        legend_left = min(box_left, edge_x - self.legend.width)
        self.legend.shift(RIGHT * (legend_left - self.legend.get_left()[0]))

    # -- the scene -----------------------------------------------------------------------
    def construct(self) -> None:
        self.next_section("regimes")
        self.layout()
        panels, loss = self.panels, self.loss
        self.play(
            FadeIn(self.title),
            *(FadeIn(VGroup(p.cost, p.head, p.cost.curve)) for p in panels.values()),
            FadeIn(loss),
            FadeIn(self.legend),
            run_time=self.times.entry,
        )

        self.dots = {
            name: Dot(p.held_point(0), radius=DOT_RADIUS, color=p.color)
            for name, p in panels.items()
        }
        self.play(*(FadeIn(d) for d in self.dots.values()), run_time=self.times.dots)

        self.paths = {name: VGroup() for name in panels}
        steps = max(len(t.epochs) for t in self.traces.values())
        for k in range(steps):
            anims = []
            for name, trace in self.traces.items():
                if k >= len(trace.epochs):  # this run stopped (diverged past the bound)
                    continue
                p, color = panels[name], self.colors[name]
                if p.cost.on_plot(*p.cost.iterate(k)):
                    # the path: a straight jump from iterate to iterate over the bowl (to
                    # the plot's edge, for the jump that leaves it)
                    segment = Line(p.held_point(k), p.held_point(k + 1), color=color)
                    segment.set_stroke(width=2.5)
                    self.paths[name].add(segment)
                    anims.append(Create(segment))
                anims.append(self.dots[name].animate.move_to(p.held_point(k + 1)))
                anims.append(FadeIn(Dot(loss.point(name, k), radius=LOSS_DOT_RADIUS, color=color)))
                if k > 0:
                    line = Line(loss.point(name, k - 1), loss.point(name, k), color=color)
                    anims.append(Create(line.set_stroke(width=3)))
            self.play(*anims, run_time=self.times.step)
        verdicts = [p.verdict for p in panels.values() if len(p.verdict)]
        if verdicts:
            self.play(*(FadeIn(v) for v in verdicts), run_time=self.times.verdict)
        self.wait(self.times.hold)
