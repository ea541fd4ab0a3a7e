"""The lesson's plots as still figures for slides and course pages (matplotlib, no Manim).

The same three views as the video, in the video's colours: the cost curve with the
current w and its tangent, the data with the fitted line, and the loss per iteration.
Figures are built with the object API (``Figure`` + ``FigureCanvasAgg``): no pyplot
state, no global backend. ``write_figures`` saves them as PNG and SVG, byte-identical
from one run to the next.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gd_engine import Trace
from gd_engine.trace import write_atomic

from .plotting import (
    COST_HEADROOM,
    DATA_X_PAD,
    DATA_Y_REACH,
    LOSS_HEADROOM,
    clip_segment,
    log_scale,
    verdict_text,
)
from .theme import Theme

# -- sizes: 16:9 slides, 1500 x 844 pixels at 150 dpi ------------------------------------
DPI = 150
FIGURE_PIXELS = (1500, 844)
FIGSIZE = (FIGURE_PIXELS[0] / DPI, FIGURE_PIXELS[1] / DPI)  # inches: 10 x 5.627
MARGINS = dict(left=0.09, right=0.97, bottom=0.12, top=0.90)  # of the figure

# -- type, in points -----------------------------------------------------------------
TITLE_SIZE = 17
LABEL_SIZE = 13
TICK_SIZE = 11
NOTE_SIZE = 12  # "off the plot", "diverged at epoch 3", the legend

# -- strokes and markers, in points --------------------------------------------------
AXIS_WIDTH = 1.2
CURVE_WIDTH = 2.5  # the cost curve
LINE_WIDTH = 3.0  # the fitted line
TANGENT_WIDTH = 2.5
TRUE_LINE_WIDTH = 1.5  # thin: the reference, not the model
ZERO_LINE_WIDTH = 0.8
ZERO_LINE_ALPHA = 0.5
DOT_SIZE = 11  # the current w on the cost curve
POINT_SIZE = 4.5  # a data point
LOSS_MARKER_SIZE = 6.0  # a point of the loss plot, for a few iterations
LOSS_MARKER_SMALL = 2.5  # ... and for more than MANY_ITERATIONS
MANY_ITERATIONS = 60
LOSS_WIDTH = 2.0

# -- ranges (the ones the panels share are in scenes/plotting.py) -----------------------
LOSS_X_PAD = 0.03  # of the iteration span, each side
TANGENT_REACH = 0.2  # the tangent spans this fraction of the w range each side
OFF_PLOT_OFFSET = 12  # points from the clamped dot to its "off the plot" note
SCIENTIFIC_FROM = 1e6  # values this large are shown as 1.234e+07
DECIMALS = 4

# -- output --------------------------------------------------------------------------
FORMATS = ("png", "svg")
SVG_HASH_SALT = "gdlesson"  # fixes the SVG's ids: same figure, same bytes
METADATA = {"png": {"Software": None}, "svg": {"Date": None}}

MINUS = "\u2212"  # a true minus sign, as on screen and on matplotlib's ticks


def format_value(v: float) -> str:
    """A trace value as shown on screen: 4 decimals, scientific past a million."""
    text = f"{v:.3e}" if abs(v) >= SCIENTIFIC_FROM else f"{v:.{DECIMALS}f}"
    return text.replace("-", MINUS)


# -- style in one place ------------------------------------------------------------------
def _rc(theme: Theme) -> dict[str, Any]:
    """matplotlib settings for the theme, applied while a figure is built and saved."""
    return {
        "font.family": theme.font,
        "font.size": TICK_SIZE,
        "text.color": theme.foreground,
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "axes.facecolor": theme.background,
        "axes.edgecolor": theme.muted,
        "axes.labelcolor": theme.muted,
        "axes.titlecolor": theme.foreground,
        "axes.linewidth": AXIS_WIDTH,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "legend.facecolor": theme.background,
        "legend.edgecolor": theme.muted,
        "legend.labelcolor": theme.foreground,
        "legend.fontsize": NOTE_SIZE,
        "svg.hashsalt": SVG_HASH_SALT,
    }


#: matplotlib's rcParams are one per process: a figure is made and saved under its theme's
#: settings by one thread at a time (a course build makes its lessons' figures at once; a
#: dark figure made while a light one was finished got the default, white, legend)
_RC_LOCK = threading.RLock()


@contextmanager
def _themed(theme: Theme) -> Iterator[None]:
    with _RC_LOCK, matplotlib.rc_context(_rc(theme)):
        yield


def _with_theme(build: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure under the theme's settings (restored afterwards)."""

    @functools.wraps(build)
    def wrapper(trace: Trace, theme: Theme, *args: Any, **kwargs: Any) -> Figure:
        with _themed(theme):
            return build(trace, theme, *args, **kwargs)

    return wrapper


def _figure(theme: Theme, title: str, x_title: str, y_title: str) -> tuple[Figure, Axes]:
    """A slide-sized figure with one axes framed left and bottom, in the theme."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI, facecolor=theme.background)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(**MARGINS)
    ax = fig.add_subplot()
    ax.set_facecolor(theme.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(theme.muted)
        ax.spines[side].set_linewidth(AXIS_WIDTH)
    # explicit, so that ticks made later (at save time) keep the theme without rcParams
    ax.tick_params(
        which="both",
        colors=theme.muted,
        labelcolor=theme.muted,
        labelsize=TICK_SIZE,
        labelfontfamily=theme.font,
    )
    ax.set_title(title, color=theme.foreground, fontsize=TITLE_SIZE, family=theme.font)
    ax.set_xlabel(x_title, color=theme.muted, fontsize=LABEL_SIZE, family=theme.font)
    ax.set_ylabel(y_title, color=theme.muted, fontsize=LABEL_SIZE, family=theme.font)
    return fig, ax


def _epoch_title(k: int, w: float, loss: float | None = None) -> str:
    title = f"epoch {k}: w = {format_value(w)}"
    return title if loss is None else f"{title}, loss = {format_value(loss)}"


# -- the lesson's geometry -----------------------------------------------------------------
def _check_epoch(trace: Trace, k: int) -> None:
    if not 0 <= k <= len(trace.epochs):
        raise ValueError(f"epoch {k} is not between 0 and {len(trace.epochs)}")


def iterate(trace: Trace, k: int) -> tuple[float, float]:
    """(w, loss) before epoch k; k = number of epochs gives the final w and loss."""
    _check_epoch(trace, k)
    if k == len(trace.epochs):
        return trace.final.w, trace.final.loss
    e = trace.epochs[k]
    return e.w, e.loss


# -- the three figures ---------------------------------------------------------------------
@_with_theme
def cost_figure(trace: Trace, theme: Theme, k: int) -> Figure:
    """The cost curve with a red dot at iterate k and, before the last update, the tangent
    there (slope = the gradient). An iterate beyond the axes is held at the edge."""
    w, loss = iterate(trace, k)
    fig, ax = _figure(theme, _epoch_title(k, w, loss), "w", "average loss (cost)")
    ws, costs = trace.cost_curve.w, trace.cost_curve.loss
    x_range = (ws[0], ws[-1])
    y_range = (0.0, COST_HEADROOM * max(costs))
    ax.plot(ws, costs, color=theme.foreground, linewidth=CURVE_WIDTH, gid="cost curve")
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)

    on_plot = x_range[0] <= w <= x_range[1] and y_range[0] <= loss <= y_range[1]
    if on_plot and k < len(trace.epochs):
        grad = trace.epochs[k].grad
        span = TANGENT_REACH * (x_range[1] - x_range[0])
        seg = clip_segment(x_range, y_range, w - span, grad, loss - grad * span, w + span)
        if seg is not None:
            (xa, ya), (xb, yb) = seg
            ax.plot([xa, xb], [ya, yb], color=theme.tangent, linewidth=TANGENT_WIDTH, gid="tangent")

    shown_w = min(max(w, x_range[0]), x_range[1])
    shown_loss = min(max(loss, y_range[0]), y_range[1])
    ax.plot(
        [shown_w],
        [shown_loss],
        marker="o",
        linestyle="none",
        markersize=DOT_SIZE,
        color=theme.fitted,
        clip_on=False,
        zorder=4,
        gid="iterate",
    )
    if not on_plot:
        # the note sits inside the axes, away from the edge the dot is held at
        dx = -1 if w > x_range[1] else (1 if w < x_range[0] else 0)
        dy = -1 if loss > y_range[1] else 1
        ax.annotate(
            "off the plot",
            (shown_w, shown_loss),
            xytext=(dx * OFF_PLOT_OFFSET, dy * OFF_PLOT_OFFSET),
            textcoords="offset points",
            ha={-1: "right", 0: "center", 1: "left"}[dx],
            va="top" if dy < 0 else "bottom",
            color=theme.fitted,
            fontsize=NOTE_SIZE,
            gid="off the plot",
        )
    verdict = verdict_text(trace)
    if verdict:
        ax.text(
            0.5,
            0.97,
            verdict,
            transform=ax.transAxes,
            ha="center",
            va="top",
            color=theme.fitted,
            fontsize=NOTE_SIZE,
            gid="verdict",
        )
    return fig


@_with_theme
def fit_figure(trace: Trace, theme: Theme, k: int) -> Figure:
    """The data (red), the true line (thin) and the fitted line y = w_k * x (blue)."""
    w, _ = iterate(trace, k)
    fig, ax = _figure(theme, _epoch_title(k, w), "x", "y")
    x, y = trace.data.x, trace.data.y
    pad = DATA_X_PAD * (max(x) - min(x))
    x_range = (min(x) - pad, max(x) + pad)
    y_reach = DATA_Y_REACH * max(max(abs(v) for v in y), 1e-6)
    y_range = (-y_reach, y_reach)
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    ax.axhline(0.0, color=theme.muted, linewidth=ZERO_LINE_WIDTH, alpha=ZERO_LINE_ALPHA)

    y_true = trace.data.y_true
    run = x[-1] - x[0]
    true_slope = (y_true[-1] - y_true[0]) / run if run else 0.0
    true_at_0 = y_true[0] - true_slope * x[0]
    lines = (
        (true_slope, true_at_0, theme.true_line, TRUE_LINE_WIDTH, "true line", "true line"),
        (w, 0.0, theme.fitted, LINE_WIDTH, "fitted line", "fitted line \u0177 = w\u00b7x"),
    )
    ax.plot(
        x,
        y,
        marker="o",
        linestyle="none",
        markersize=POINT_SIZE,
        color=theme.data,
        gid="data",
        label="data",
    )
    for slope, at_0, color, width, gid, label in lines:
        x0, x1 = x_range
        seg = clip_segment(x_range, y_range, x0, slope, at_0 + slope * x0, x1)
        if seg is not None:
            (xa, ya), (xb, yb) = seg
            ax.plot([xa, xb], [ya, yb], color=color, linewidth=width, gid=gid, label=label)
    # a falling true line leaves the top right empty, a rising one the top left
    ax.legend(loc="upper right" if true_slope <= 0 else "upper left", frameon=False)
    return fig


@_with_theme
def loss_figure(trace: Trace, theme: Theme) -> Figure:
    """The loss per iteration, points joined by straight segments; a log scale when the
    losses span more than three decades."""
    losses = trace.loss_history
    n = len(losses)
    positive = [v for v in losses if v > 0]
    log_y = log_scale(positive)
    fig, ax = _figure(
        theme, "Loss per iteration", "iteration", "loss (log scale)" if log_y else "loss"
    )
    marker_size = LOSS_MARKER_SIZE if n <= MANY_ITERATIONS else LOSS_MARKER_SMALL
    ax.plot(
        list(range(n)),
        losses,
        marker="o",
        markersize=marker_size,
        linewidth=LOSS_WIDTH,
        color=theme.loss,
        gid="loss",
    )
    last = max(n - 1, 1)
    ax.set_xlim(-LOSS_X_PAD * last, last + LOSS_X_PAD * last)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log_y:
        ax.set_yscale("log")
    else:
        ax.set_ylim(0.0, LOSS_HEADROOM * max(losses or [trace.final.loss]) or 1.0)
    if n == 0:
        ax.text(
            0.5,
            0.5,
            f"no iteration completed: {verdict_text(trace) or 'no epochs'}",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=theme.data,
            fontsize=NOTE_SIZE,
            gid="verdict",
        )
    return fig


# -- files ---------------------------------------------------------------------------------
def figure_bytes(fig: Figure, fmt: str, theme: Theme) -> bytes:
    """The figure as PNG or SVG bytes, with no date or version stamp in them."""
    buf = io.BytesIO()
    with _themed(theme):
        fig.savefig(buf, format=fmt, dpi=DPI, facecolor=theme.background, metadata=METADATA[fmt])
    return buf.getvalue()


def write_figures(trace: Trace, theme: Theme, out_dir: Path) -> list[Path]:
    """Write cost_epochKK and fit_epochKK for every iterate, then loss_per_iteration, each
    as PNG and SVG, atomically. Returns the paths in that order."""
    out_dir = Path(out_dir)
    written: list[Path] = []

    def save(fig: Figure, stem: str) -> None:
        for fmt in FORMATS:
            path = out_dir / f"{stem}.{fmt}"
            write_atomic(path, figure_bytes(fig, fmt, theme))
            written.append(path)
        fig.clear()  # not registered with pyplot: clearing frees it, nothing to close

    for k in range(len(trace.epochs) + 1):
        save(cost_figure(trace, theme, k), f"cost_epoch{k:02d}")
        save(fit_figure(trace, theme, k), f"fit_epoch{k:02d}")
    save(loss_figure(trace, theme), "loss_per_iteration")
    return written
