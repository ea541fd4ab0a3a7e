"""Each criterion on a fine grid of (w, b), for tracing its level lines in the videos and
the figures alike."""

from __future__ import annotations

import numpy as np

from scenes.contour import refined

from .trace import LogisticTrace


def cost_grid(trace: LogisticTrace, criterion: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ws, bs, loss)`` on a finer copy of the trace's grid, for tracing level lines: the
    same criterion on the trace's data, in float64 (at the trace's own nodes it is the
    trace's value up to float32 rounding)."""
    s = trace.surface(criterion)
    ws, bs = refined(np.array(s.w)), refined(np.array(s.b))
    x, y = np.array(trace.data.x), np.array(trace.data.y)
    p = 1.0 / (1.0 + np.exp(-(ws[None, :, None] * x + bs[:, None, None])))
    if criterion == "mse":
        loss = ((p - y) ** 2).mean(axis=-1)
    else:  # nn.BCELoss clamps each log at -100
        with np.errstate(divide="ignore"):  # log(0) = -inf, clamped as torch clamps it
            logs = y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100)
        loss = -logs.mean(axis=-1)
    return ws, bs, loss
