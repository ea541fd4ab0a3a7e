"""The lesson's plots as small builders, each made from a trace.

Scenes animate them; tests measure them. Every position is a point of the trace mapped
through the panel's axes, and every number shown is a value of the trace.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    ChangingDecimal,
    DecimalNumber,
    Dot,
    Line,
    Text,
    VGroup,
    VMobject,
)

from gd_engine import Trace

from .plotting import (
    COST_HEADROOM,
    DATA_X_PAD,
    DATA_Y_REACH,
    LOSS_HEADROOM,
    clip_segment,
    fmt_value,
    log_scale,
    verdict_text,
)
from .theme import PANEL_HEIGHT, PANEL_WIDTH, Theme

#: by default a y tick label wider than this shrinks to it, so that a panel placed by a
#: fixed layout keeps its place (``Panel(max_y_label_width=None)``: never shrink)
MAX_TICK_LABEL_WIDTH = 0.75


def nice_step(span: float, target: int = 5) -> float:
    """A tick spacing of 1, 2, 2.5 or 5 times a power of ten giving about ``target`` ticks."""
    raw = max(span, 1e-12) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


def ticks(lo: float, hi: float, step: float) -> list[float]:
    first = math.ceil(lo / step - 1e-9) * step
    count = int(math.floor((hi - first) / step + 1e-9)) + 1
    return [round(first + i * step, 10) for i in range(max(count, 0))]


SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def fmt_tick(v: float, step: float) -> str:
    """A tick label: as many decimals as the step needs; past 10 000 as m\u00b710\u207f."""
    if abs(v) >= 1e4:
        mantissa, exponent = f"{v:.1e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}\u00b710{str(int(exponent)).translate(SUPERSCRIPT)}"
        return text.replace("-", "\u2212")
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step == 2.5 * 10 ** math.floor(math.log10(step)) and step < 10:
        decimals += 1
    text = f"{v:.{decimals}f}"
    return "0" if float(text) == 0 else text.replace("-", "\u2212")


def fmt_power(exponent: int) -> str:
    """10 to an integer power as text: 1, 10, 100, then 10\u00b3 and so on."""
    if 0 <= exponent <= 2:
        return str(10**exponent)
    return "10" + str(exponent).translate(SUPERSCRIPT)


class SharesTrace:
    """Copies of a panel (Manim copies mobjects for every Transform and fade) share the
    trace and the theme instead of deep-copying them: they never change."""

    def __deepcopy__(self, memo):
        for name in ("trace", "theme"):
            value = self.__dict__.get(name)
            if value is not None:
                memo[id(value)] = value
        return super().__deepcopy__(memo)


class Panel(SharesTrace, VGroup):
    """Axes framed on the left and bottom (like a printed plot), with Text tick labels.

    ``self.axes`` is the coordinate system: ``axes.c2p`` and ``axes.p2c`` map data to the
    screen and back, whatever the panel has been moved or scaled to.

    ``x_step`` and ``y_step`` are the tick spacings (None: about five x ticks and four y
    ticks, :func:`nice_step`; on a log panel y_step is in decades). A y tick label wider
    than ``max_y_label_width`` shrinks to that width, still ending at its tick; None keeps
    every label at theme.tick_size (for a layout that measures the labels instead).
    """

    def __init__(
        self,
        theme: Theme,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        x_title: str,
        y_title: str,
        width: float = PANEL_WIDTH,
        height: float = PANEL_HEIGHT,
        x_step: float | None = None,
        center: tuple[float, float, float] = (0.0, 0.0, 0.0),
        log_y: bool = False,
        y_step: float | None = None,
        max_y_label_width: float | None = MAX_TICK_LABEL_WIDTH,
    ):
        super().__init__()
        self.theme = theme
        (x0, x1), (y0, y1) = x_range, y_range
        self.x_range, self.y_range = (x0, x1), (y0, y1)
        self.log_y = log_y  # y values are plotted as log10(y); y_range is in log10 units
        xs = x_step or nice_step(x1 - x0)
        ys = y_step or (
            max(1, round(nice_step(y1 - y0, target=4))) if log_y else nice_step(y1 - y0, target=4)
        )
        # Manim's own axes cross at 0; they stay invisible and serve as the coordinate map.
        self.axes = Axes(
            x_range=[x0, x1, xs],
            y_range=[y0, y1, ys],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"stroke_opacity": 0, "include_ticks": False},
        )
        # place the plot area first: everything below is drawn from the placed axes
        self.axes.shift(np.array(center) - self.axes.c2p((x0 + x1) / 2, (y0 + y1) / 2))
        c2p = self.axes.c2p
        color, sw = theme.muted, theme.axis_width
        frame = VGroup(
            Line(c2p(x0, y0), c2p(x1, y0), color=color, stroke_width=sw),
            Line(c2p(x0, y0), c2p(x0, y1), color=color, stroke_width=sw),
        )
        tick_len = 0.06
        labels = VGroup()
        for v in ticks(x0, x1, xs):
            p = c2p(v, y0)
            frame.add(Line(p, p + DOWN * tick_len, color=color, stroke_width=sw))
            labels.add(self._label(fmt_tick(v, xs)).next_to(p, DOWN, buff=0.1))
        for v in ticks(y0, y1, ys):
            p = c2p(x0, v)
            frame.add(Line(p, p + LEFT * tick_len, color=color, stroke_width=sw))
            label = self._label(fmt_power(round(v)) if log_y else fmt_tick(v, ys))
            if max_y_label_width is not None and label.width > max_y_label_width:
                label.scale_to_fit_width(max_y_label_width)
            labels.add(label.next_to(p, LEFT, buff=0.1))
        self.frame, self.tick_labels = frame, labels
        self.x_title = Text(x_title, font=theme.font, font_size=theme.label_size, color=color)
        self.x_title.next_to(c2p(x1, y0), DOWN, buff=0.12).align_to(c2p(x1, y0), RIGHT)
        self.x_title.shift(DOWN * 0.28)
        self.y_title = Text(y_title, font=theme.font, font_size=theme.label_size, color=color)
        self.y_title.next_to(c2p(x0, y1), UP, buff=0.12).align_to(c2p(x0, y1), LEFT)
        self.add(self.axes, frame, labels, self.x_title, self.y_title)

    def _label(self, text: str) -> Text:
        t = self.theme
        return Text(text, font=t.font, font_size=t.tick_size, color=t.muted)

    def clip_segment(self, x_a: float, slope: float, y_at_a: float, x_b: float):
        """The part of the line through (x_a, y_at_a) with ``slope`` over [x_a, x_b] inside
        the panel, as two data points (None if none of it is)."""
        return clip_segment(self.x_range, self.y_range, x_a, slope, y_at_a, x_b)

    def point_at(self, x: float, y: float) -> np.ndarray:
        """(x, y) on screen; outside the plot it is held at the plot's edge."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return self.axes.c2p(min(max(x, x0), x1), min(max(y, y0), y1))

    def on_plot(self, x: float, y: float) -> bool:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return x0 <= x <= x1 and y0 <= y <= y1

    def to_y(self, value: float) -> float:
        """A data value in the panel's y units (log10 on a log panel)."""
        return math.log10(max(value, 1e-300)) if self.log_y else value

    def data_slope(self, line: Line) -> float:
        """The slope of a drawn line, read back in data units."""
        (xa, ya), (xb, yb) = (self.axes.p2c(p)[:2] for p in line.get_start_and_end())
        return (yb - ya) / (xb - xa)


class CostPanel(Panel):
    """The average loss over w (the cost curve), a red dot at an iterate, its tangent."""

    def __init__(
        self,
        trace: Trace,
        theme: Theme,
        w_range: tuple[float, float] | None = None,
        title: str = "average loss (cost)",
        **size,
    ):
        """The trace's cost curve; with ``w_range``, a close-up of it: the cost of the
        trace's data, mean((w x - y)^2), on a finer grid of that range."""
        if w_range is None:
            ws, losses = np.array(trace.cost_curve.w), np.array(trace.cost_curve.loss)
        else:
            ws = np.linspace(*w_range, 201)
            x, y = np.array(trace.data.x), np.array(trace.data.y)
            losses = ((ws[:, None] * x[None, :] - y[None, :]) ** 2).mean(axis=1)
        self.trace = trace
        super().__init__(
            theme, (ws[0], ws[-1]), (0.0, float(losses.max()) * COST_HEADROOM), "w", title, **size
        )
        self.ws, self.losses = ws, losses
        self.curve = VMobject(stroke_color=theme.foreground, stroke_width=theme.curve_width)
        self.curve.set_points_as_corners([self.axes.c2p(w, c) for w, c in zip(ws, losses)])

    def iterate(self, k: int) -> tuple[float, float]:
        """(w, loss) before epoch k; k = number of epochs gives the final w."""
        t = self.trace
        if k >= len(t.epochs):
            return t.final.w, t.final.loss
        return t.epochs[k].w, t.epochs[k].loss

    def verdict(self) -> Text | None:
        """'diverged' on the plot when the steps grow instead of shrinking."""
        text = verdict_text(self.trace)
        if text is None:
            return None
        label = Text(
            text, font=self.theme.font, font_size=self.theme.label_size, color=self.theme.fitted
        )
        # top centre, inside the plot: a bowl leaves that space empty
        top = self.axes.c2p(sum(self.x_range) / 2, self.y_range[1])
        return label.next_to(top, DOWN, buff=0.15)

    def off_plot_label(self) -> Text:
        t = self.theme
        return Text("off the plot", font=t.font, font_size=t.tick_size, color=t.fitted)

    def dot_at(self, k: int) -> Dot:
        w, loss = self.iterate(k)
        return Dot(self.point_at(w, loss), radius=self.theme.dot_radius, color=self.theme.fitted)

    def loss_between(self, k: int, s: float) -> tuple[float, float]:
        """A point on the drawn curve a fraction ``s`` of the way from iterate k to k+1,
        exactly the trace's (w, loss) at both ends."""
        (wa, la), (wb, lb) = self.iterate(k), self.iterate(k + 1)
        w = wa + s * (wb - wa)
        curve = np.interp(w, self.ws, self.losses)
        ends = (1 - s) * (la - np.interp(wa, self.ws, self.losses)) + s * (
            lb - np.interp(wb, self.ws, self.losses)
        )
        return w, float(curve + ends)

    def tangent_at(self, k: int, length: float = 2.6) -> Line | None:
        """The tangent at iterate k: slope grad_k in data units, ``length`` long on screen
        (half each side, whatever its slope), cut where it would leave the panel (None when
        the iterate is off it)."""
        e = self.trace.epochs[k]
        if not self.on_plot(e.w, e.loss):
            return None
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        per_w = self.axes.x_length / (x1 - x0)  # screen units per unit of w, of loss
        per_loss = self.axes.y_length / (y1 - y0)
        span = length / 2 / math.hypot(per_w, per_loss * e.grad)
        seg = self.clip_segment(e.w - span, e.grad, e.loss - e.grad * span, e.w + span)
        if seg is None:
            return None
        (xa, ya), (xb, yb) = seg
        return Line(
            self.axes.c2p(xa, ya),
            self.axes.c2p(xb, yb),
            color=self.theme.tangent,
            stroke_width=self.theme.tangent_width,
        )

    def slope_label(self, k: int) -> Text:
        """``slope = grad_k`` beside the tangent at iterate k."""
        e = self.trace.epochs[k]
        t = self.theme
        label = Text(
            f"slope {fmt_value(e.grad, 2)}", font=t.font, font_size=t.label_size, color=t.tangent
        )
        side = RIGHT if e.grad < 0 else LEFT
        return label.next_to(self.point_at(e.w, e.loss), side + UP * 0.4, buff=0.15)

    def step_arrow(self, k: int) -> VGroup:
        """The jump lr*grad along the w axis, from w_k to w_{k+1}, drawn under the curve."""
        from manim import Arrow

        e = self.trace.epochs[k]
        y = self.y_range[0]
        return Arrow(
            self.axes.c2p(e.w, y),
            self.axes.c2p(e.w_next, y),
            buff=0,
            color=self.theme.tangent,
            stroke_width=self.theme.tangent_width,
            max_tip_length_to_length_ratio=0.3,
            tip_length=0.15,
        ).shift(UP * 0.12)


class DataPanel(Panel):
    """The data as red points, the true line, and the fitted line w*x in blue."""

    def __init__(self, trace: Trace, theme: Theme, y_range=None, **size):
        x, y = np.array(trace.data.x), np.array(trace.data.y)
        self.trace = trace
        x_pad = DATA_X_PAD * (x.max() - x.min())
        y_abs = max(abs(y.min()), abs(y.max()), 1e-6) * DATA_Y_REACH
        super().__init__(
            theme, (x.min() - x_pad, x.max() + x_pad), y_range or (-y_abs, y_abs), "x", "y", **size
        )
        self.data_points = VGroup(
            *(
                Dot(self.axes.c2p(a, b), radius=theme.point_radius, color=theme.data)
                for a, b in zip(x, y)
            )
        )
        yt = trace.data.y_true
        true_slope = (yt[-1] - yt[0]) / (x[-1] - x[0])
        self.true_line = self._line(true_slope, yt[0] - true_slope * x[0], theme.true_line, 3)
        zero = Line(
            self.axes.c2p(self.x_range[0], 0),
            self.axes.c2p(self.x_range[1], 0),
            color=theme.muted,
            stroke_width=1,
            stroke_opacity=0.5,
        )
        self.add(zero)

    def _line(self, slope: float, intercept: float, color: str, width: float) -> Line:
        x0, x1 = self.x_range
        seg = self.clip_segment(x0, slope, intercept + slope * x0, x1)
        if seg is None:  # the line misses the panel: an invisible stand-in keeps its place
            p = self.axes.c2p(x0, self.y_range[0])
            return Line(p, p + RIGHT * 1e-3, color=color, stroke_width=width, stroke_opacity=0)
        (xa, ya), (xb, yb) = seg
        return Line(self.axes.c2p(xa, ya), self.axes.c2p(xb, yb), color=color, stroke_width=width)

    def fitted_line(self, w: float, b: float = 0.0, color: str | None = None) -> Line:
        """The model's line yhat = w * x + b, cut at the panel's edges."""
        return self._line(w, b, color or self.theme.fitted, self.theme.line_width)

    def residuals(self, w: float) -> VGroup:
        """Vertical segments from each point to the line: the errors the loss squares."""
        (y0, y1) = self.y_range
        segs = VGroup()
        for a, b in zip(self.trace.data.x, self.trace.data.y):
            top = min(max(w * a, y0), y1)
            segs.add(
                Line(
                    self.axes.c2p(a, b),
                    self.axes.c2p(a, top),
                    color=self.theme.fitted,
                    stroke_width=1.5,
                    stroke_opacity=0.6,
                )
            )
        return segs


class LossPanel(Panel):
    """Loss per iteration: a point per iteration, joined by straight segments. On a log
    scale when the losses span more than three decades (a diverging or a long run)."""

    def __init__(self, trace: Trace, theme: Theme, **size):
        self.trace = trace
        n = len(trace.epochs)
        losses = [v for v in trace.loss_history if v > 0] or [trace.final.loss or 1.0]
        log_y = log_scale(losses)
        if log_y:
            lo = math.floor(math.log10(max(min(losses), 1e-300)))
            hi = math.ceil(math.log10(max(losses)) + 0.05)
            y_range = (float(lo), float(max(hi, lo + 1)))
        else:
            y_range = (0.0, max(trace.loss_history or [trace.final.loss]) * LOSS_HEADROOM or 1.0)
        super().__init__(
            theme,
            (0.0, float(max(n - 1, 1))),
            y_range,
            "iteration",
            "loss (log scale)" if log_y else "loss",
            x_step=max(1, nice_step(max(n - 1, 1))) if n > 1 else 1,
            log_y=log_y,
            **size,
        )

    def point(self, k: int):
        return self.axes.c2p(k, self.to_y(self.trace.epochs[k].loss))

    def dot_at(self, k: int) -> Dot:
        return Dot(self.point(k), radius=self.theme.dot_radius * 0.8, color=self.theme.loss)

    def segment_to(self, k: int) -> Line:
        """The straight segment from iteration k-1 to k."""
        return Line(
            self.point(k - 1),
            self.point(k),
            color=self.theme.loss,
            stroke_width=self.theme.curve_width * 0.8,
        )

    def history_upto(self, k: int) -> VGroup:
        """Points 0..k and the segments between them: the plot after iteration k."""
        group = VGroup(*(self.dot_at(i) for i in range(k + 1)))
        group.add(*(self.segment_to(i) for i in range(1, k + 1)))
        return group


def shown(v: float, decimals: int = 4) -> str:
    """A readout's value as text: fmt_value's, or '' for NaN (nothing held yet)."""
    return "" if math.isnan(v) else fmt_value(v, decimals)


GLYPHS: dict[tuple[str, str], np.ndarray] = {}  # (font, character) -> outline at size 48
ADVANCE: dict[str, float] = {}  # font -> width of a monospaced cell per unit of font size


class MonoLine(VGroup):
    """A line of monospaced text put together from glyph outlines that Pango laid out once
    each, drawn as Text draws them: for numbers that change often (a Text costs a tenth of
    a second; a table rewritten every epoch would pay that for every row). As a Text's,
    ``original_text`` is the string and ``text`` the string without its spaces. Each
    character must be one glyph (no combining marks)."""

    OUTLINES: dict[tuple[str, float, str], np.ndarray] = {}
    ADVANCE: dict[tuple[str, float], float] = {}

    def __init__(self, s: str, font: str, size: float, color: str):
        super().__init__()
        self.original_text, self.text = s, s.replace(" ", "")
        step = self.advance(font, size)
        for i, char in enumerate(s):
            if char != " ":  # a plain shape with the glyph's outline: a copy costs more
                shape = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
                self.add(shape.set_points(self.outline(font, size, char) + RIGHT * i * step))

    @classmethod
    def advance(cls, font: str, size: float) -> float:
        """The width of a cell: how far the second "0" of "00" is from the first."""
        if (font, size) not in cls.ADVANCE:
            pair = Text("00", font=font, font_size=size)
            cls.ADVANCE[font, size] = pair[1].get_left()[0] - pair[0].get_left()[0]
        return cls.ADVANCE[font, size]

    @classmethod
    def outline(cls, font: str, size: float, char: str) -> np.ndarray:
        """``char``'s outline in the first cell of a line that starts at the origin (where
        a "0" there would start, on the baseline): laid out after a "0", moved back a cell."""
        if (font, size, char) not in cls.OUTLINES:
            pair = Text("0" + char, font=font, font_size=size)
            origin = pair[0].get_corner(DOWN + LEFT) + RIGHT * cls.advance(font, size)
            cls.OUTLINES[font, size, char] = pair[1].points - origin
        return cls.OUTLINES[font, size, char]


class Reading(DecimalNumber):
    """A readout's number. It changes by value (``count_to``), never glyph into glyph, and is
    written as :func:`fmt_value` writes it: fixed decimals, scientific past a million, a
    true minus sign; NaN is a blank (an en dash: the variable holds nothing yet)."""

    def __init__(
        self,
        value: float,
        theme: Theme,
        decimals: int = 4,
        font_size: float = 24,
        font: str | None = None,
    ):
        self.font, self.decimals = font or theme.mono, decimals
        super().__init__(
            value,
            num_decimal_places=decimals,
            mob_class=Text,
            font_size=font_size,
            color=theme.foreground,
            edge_to_fix=RIGHT,
        )

    def _get_num_string(self, number: float) -> str:
        if math.isnan(number):
            return "\u2013"
        return fmt_value(number, self.decimals).replace("\u2212", "-")  # Manim aligns "-"

    def _string_to_mob(self, string: str, mob_class=None, **kwargs) -> VMobject:
        """The glyph's outline as a bare VMobject: a number re-set at every frame of a count
        copies these, and copying a whole Text costs ten times as much."""
        mob = VMobject(fill_opacity=1.0, stroke_width=0)
        mob.set_points(self._outline(string) * (self._font_size / 48))
        return mob

    def _outline(self, char: str) -> np.ndarray:
        key = (self.font, char)
        if key not in GLYPHS:
            text = Text("\u2212" if char == "-" else char, font=self.font, font_size=48)
            GLYPHS[key] = np.concatenate([m.points for m in text.family_members_with_points()])
        return GLYPHS[key]

    def _advance(self) -> float:
        """The width of a monospaced cell at this size."""
        if self.font not in ADVANCE:  # measured once per font, at size 48
            ten, one = (Text("0" * n, font=self.font, font_size=48) for n in (10, 1))
            ADVANCE[self.font] = (ten.width - one.width) / 9 / 48
        return ADVANCE[self.font] * self._font_size

    def _set_submobjects_from_number(self, number: float) -> None:
        """Manim's glyphs, then one monospaced cell each: the digits do not jostle as the
        number counts."""
        super()._set_submobjects_from_number(number)
        advance = self._advance()
        for i, glyph in enumerate(self.submobjects):
            glyph.set_x(i * advance)

    def set_value(self, number: float) -> Reading:
        """The number ``number``, laid out where Manim's ``DecimalNumber.set_value`` lays it
        (its glyphs bottom-aligned and centred, a minus sign half a digit down, each in a
        monospaced cell; scaled as the number was, its right edge kept), in one pass over
        the glyphs' points: a count sets its number at every frame, and Manim makes new
        glyph mobjects and moves each several times. A number that shows as it shows
        already keeps its glyphs."""
        string = self._get_num_string(number)
        if string == self._get_num_string(self.number):
            self.number = number
            return self
        old = self.submobjects
        points = [m.points for m in old if len(m.points)]
        if not points or self.unit is not None or self.show_ellipsis:
            return super().set_value(number)
        was = np.concatenate(points)
        low, high = was.min(axis=0), was.max(axis=0)
        if high[1] - low[1] <= 0 or self.initial_height <= 0:
            return super().set_value(number)
        scale = (high[1] - low[1]) / self.initial_height  # font_size / _font_size, as Manim's
        outlines = [self._outline(c) * (self._font_size / 48) for c in string]
        bottoms = np.array([o[:, 1].min() for o in outlines])
        tops = np.array([o[:, 1].max() for o in outlines])
        lefts = np.array([o[:, 0].min() for o in outlines])
        rights = np.array([o[:, 0].max() for o in outlines])
        dy = bottoms[0] - bottoms  # arranged: every bottom on the first glyph's
        dy -= (bottoms[0] + (tops + dy).max()) / 2  # centred
        for i, c in enumerate(string):
            if c == "-" and i + 1 < len(string):  # top to the next glyph's, half of it down
                dy[i] += tops[i + 1] + dy[i + 1] - tops[i] - dy[i]
                dy[i] -= (tops[i + 1] - bottoms[i + 1]) / 2
            elif c == ",":
                dy[i] -= (tops[i] - bottoms[i]) / 2
        dx = np.arange(len(string)) * self._advance() - (lefts + rights) / 2  # in its cell
        self.initial_height = (tops + dy).max() - (bottoms + dy).min()
        # scaled as before about the new middle, the right edge's middle where it was
        xmax = (rights + dx).max()
        middle = ((bottoms + dy).min() + (tops + dy).max()) / 2
        anchor = np.array([high[0], (low[1] + high[1]) / 2, (low[2] + high[2]) / 2])
        offset = anchor - scale * np.array([xmax, middle, 0.0])
        glyphs = old[: len(string)]
        glyphs += [self._string_to_mob(c) for c in string[len(glyphs) :]]
        for glyph, outline, x, y in zip(glyphs, outlines, dx, dy):
            glyph.points = (outline + (x, y, 0.0)) * scale + offset
        for dropped in old[len(string) :]:  # Manim's: an old glyph left in a play's list
            dropped.points[:] = 0
        self.submobjects = glyphs
        self.number = number
        self.init_colors()
        return self

    def shown(self) -> str:
        """The text on screen, as fmt_value writes it ('' for a blank)."""
        return shown(self.get_value(), self.decimals)

    def count_to(self, target: float) -> ChangingDecimal | None:
        """The number running to ``target`` (None when it is there already); from or to a
        blank it changes at the first frame."""
        start = self.get_value()
        if start == target or (math.isnan(start) and math.isnan(target)):
            return None
        if math.isnan(start) or math.isnan(target):
            return ChangingDecimal(self, lambda a: target if a > 0 else start)
        return ChangingDecimal(self, lambda a: start + (target - start) * a)


class Readouts(SharesTrace, VGroup):
    """What the lesson's variables hold: epoch, w, loss, w.grad and the step lr*grad, in two
    columns of ``name  value``, values right-aligned, each a :class:`Reading`.

    ``stage`` says which line of iteration k ran last, and the values are what the code's
    variables hold after it: ``"forward"`` (the epoch begun, ``loss`` still the last one's),
    ``"loss"`` (the loss computed; w.grad is still None in the first iteration, 0 after a
    zero_()), ``"grad"`` (after backward), ``"updated"`` (after
    ``w.data = ...``: w is w_next) and ``"zeroed"`` (after ``w.grad.data.zero_()``).
    k = len(epochs) is after the last update: the final w and its loss.
    """

    ROWS = ("epoch", "w", "loss", "w.grad", "lr\u00b7grad")
    STAGES = ("forward", "loss", "grad", "updated", "zeroed")
    CELL_WIDTHS = (2.7, 3.0)  # per column: name on the left, value right-aligned
    COLUMN_GAP = 0.45
    ROW_HEIGHT = 0.46

    def __init__(self, trace: Trace, theme: Theme, k: int = 0, stage: str = "loss"):
        super().__init__()
        self.trace, self.theme = trace, theme
        self.names = VGroup()
        self.values = VGroup()
        for i, (n, v) in enumerate(zip(self.ROWS, self.state(k, stage))):
            self.names.add(Text(n, font=theme.mono, font_size=theme.body_size, color=theme.muted))
            self.values.add(
                Reading(v, theme, decimals=0 if i == 0 else 4, font_size=theme.body_size)
            )
        self.add(self.names, self.values)
        self.natural_height = self.names[0].height  # "epoch" at unit scale
        self.columns = 2
        self.layout(2)

    @property
    def unit(self) -> float:
        """The scale the readouts are drawn at, read off the glyphs (an animation that moves
        them to a copy of themselves carries the glyphs, not an attribute)."""
        return self.names[0].height / self.natural_height

    def layout(self, columns: int) -> Readouts:
        """The rows in two columns (three rows, then two) or in one, the top left corner
        kept where it is."""
        corner = self.get_corner(UP + LEFT)
        u, gap = self.unit, self.COLUMN_GAP
        for i, (name, value) in enumerate(zip(self.names, self.values)):
            col, row = (0, i) if columns == 1 or i < 3 else (1, i - 3)
            width = max(self.CELL_WIDTHS) if columns == 1 else self.CELL_WIDTHS[col]
            name.move_to(
                [col * (self.CELL_WIDTHS[0] + gap) * u, -row * self.ROW_HEIGHT * u, 0],
                aligned_edge=LEFT,
            )
            value.set_y(name.get_y())
            value.shift(RIGHT * (name.get_left()[0] + width * u - value.get_right()[0]))
        self.columns = columns
        return self.move_to(corner, aligned_edge=UP + LEFT)

    def state(self, k: int, stage: str = "grad") -> list[float]:
        """The values the variables hold at epoch k after the line ``stage`` (NaN: none)."""
        return readout_values(self.trace, k, stage)

    def numbers(self, k: int | None = None, stage: str = "grad") -> list[str]:
        """The strings shown (at epoch k and ``stage``; by default, now)."""
        if k is None:
            return [v.shown() for v in self.values]
        return readout_numbers(self.trace, k, stage)

    def set_state(self, k: int, stage: str = "grad") -> None:
        """Show epoch k after ``stage`` at once."""
        for value, v in zip(self.values, self.state(k, stage)):
            value.set_value(v)

    def count_to(self, k: int, stage: str = "grad") -> list:
        """Animations that run the values that change to epoch k after ``stage``."""
        changes = (value.count_to(v) for value, v in zip(self.values, self.state(k, stage)))
        return [c for c in changes if c is not None]


def readout_values(trace: Trace, k: int, stage: str = "grad") -> list[float]:
    """What the readouts hold (``Readouts.ROWS``) at epoch k after the line ``stage`` of the
    loop (``Readouts.STAGES``; NaN: the variable holds nothing yet)."""
    t, nan = trace, math.nan
    if stage not in Readouts.STAGES:
        raise ValueError(f"stage {stage!r} is not one of {Readouts.STAGES}")
    if k >= len(t.epochs):
        return [len(t.epochs), t.final.w, t.final.loss, nan, nan]
    e = t.epochs[k]
    # before this epoch's criterion and backward: the last epoch's loss, and w.grad
    # zeroed (in the first epoch, neither exists yet)
    loss_before, grad_before = (t.epochs[k - 1].loss, 0.0) if k > 0 else (nan, nan)
    w = e.w_next if stage in ("updated", "zeroed") else e.w
    loss = loss_before if stage == "forward" else e.loss
    grad = {"forward": grad_before, "loss": grad_before, "zeroed": 0.0}.get(stage, e.grad)
    return [e.epoch, w, loss, grad, t.config.train.lr * grad]


def readout_numbers(trace: Trace, k: int, stage: str = "grad") -> list[str]:
    """The readouts' values at epoch k after ``stage`` as they are written on screen."""
    values = readout_values(trace, k, stage)
    return [shown(v, 0 if i == 0 else 4) for i, v in enumerate(values)]
