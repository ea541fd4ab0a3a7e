"""What the Manim panels, the matplotlib figures and the page's explorer share: the axes'
ranges, when a loss axis is logarithmic, a trace value as text, cutting a line to a plot,
and the words for a run that diverges."""

from __future__ import annotations

from gd_engine import Trace

COST_HEADROOM = 1.08  # the cost axis reaches 1.08 times the highest cost shown
DATA_X_PAD = 0.05  # of the data's x span, each side
DATA_Y_REACH = 1.25  # the data's y axis: +-1.25 * max|y|
LOSS_HEADROOM = 1.1  # a linear loss axis reaches 1.1 times the highest loss
LOG_SPAN = 1e3  # a loss axis is logarithmic when its values span more than this


def log_scale(values) -> bool:
    """Whether losses ``values`` (their positive ones) are drawn on a log axis: when they
    span more than three decades (a run that diverges, or a long one)."""
    positive = [v for v in values if v > 0]
    return bool(positive) and max(positive) / min(positive) > LOG_SPAN


def fmt_value(v: float, decimals: int = 4) -> str:
    """A trace value as shown on screen: fixed decimals (scientific past a million), a
    true minus sign."""
    text = f"{v:.3e}" if abs(v) >= 1e6 else f"{v:.{decimals}f}"
    return text.replace("-", "\u2212")


def short_number(v: float) -> str:
    """A value in a sentence (an alt text): four significant digits, small ones in
    scientific form, a true minus."""
    text = f"{v:.2e}" if v and abs(v) < 1e-3 else f"{v:.4g}"
    return text.replace("-", "\u2212")


def clip_segment(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    x_a: float,
    slope: float,
    y_at_a: float,
    x_b: float,
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The part of the line through (x_a, y_at_a) with ``slope`` over [x_a, x_b] that lies
    inside the axes, as two data points (None if none of it does)."""
    (x0, x1), (y0, y1) = x_range, y_range
    lo, hi = max(min(x_a, x_b), x0), min(max(x_a, x_b), x1)
    if slope != 0:
        xa = x_a + (y0 - y_at_a) / slope
        xb = x_a + (y1 - y_at_a) / slope
        lo, hi = max(lo, min(xa, xb)), min(hi, max(xa, xb))
    elif not y0 <= y_at_a <= y1:
        return None
    if hi <= lo:
        return None
    return (lo, y_at_a + slope * (lo - x_a)), (hi, y_at_a + slope * (hi - x_a))


def verdict_text(trace: Trace) -> str | None:
    """'diverged at epoch n' when the steps grow instead of shrinking."""
    if trace.diverged_at is not None:
        return f"diverged at epoch {trace.diverged_at}"
    return "diverging" if trace.analysis.regime == "divergent" else None
