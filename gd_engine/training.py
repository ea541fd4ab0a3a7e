"""The engine: the lesson's PyTorch training loop, run exactly as taught, recorded as a trace.

Pure and seeded: no globals, no plotting, no I/O. ``trace = train(cfg)``.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import torch

from . import regimes
from .config import LessonConfig
from .runs import W_BOUND, versions
from .trace import Analysis, CostCurve, Data, Epoch, Final, Trace, content_hash


def make_data(cfg: LessonConfig) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """x as a column, the true line f = slope * x, and y = f + noise_std * noise."""
    d = cfg.data
    x = torch.arange(d.x_start, d.x_stop, d.x_step).view(-1, 1)
    f = d.slope * x
    generator = torch.Generator().manual_seed(d.seed)
    noise = torch.randn(x.size(), generator=generator)
    y = f + d.noise_std * noise
    return x, f, y


def forward(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """The model: a line through the origin with slope w."""
    return w * x


def criterion(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error: the average loss, which the lesson calls the cost."""
    return torch.mean((yhat - y) ** 2)


def train(cfg: LessonConfig) -> Trace:
    """Run batch gradient descent on w as the lesson does and record every epoch.

    With ``train.preset`` set, lr comes from the preset and the data's mean(x^2); the
    trace's config then holds that lr."""
    x, f, y = make_data(cfg)
    if cfg.train.preset:
        lr = regimes.preset_lr(cfg.train.preset, float(torch.mean(x.double() ** 2)))
        cfg = replace(cfg, train=replace(cfg.train, lr=lr))
    lr = cfg.train.lr

    w = torch.tensor(cfg.train.w0, requires_grad=True)
    epochs: list[Epoch] = []
    diverged_at = None
    for epoch in range(cfg.train.epochs):
        yhat = forward(x, w)
        loss = criterion(yhat, y)
        loss.backward()
        w_before, grad = w.item(), w.grad.item()
        w.data = w.data - lr * w.grad.data
        w.grad.data.zero_()
        w_next = w.item()
        finite = all(math.isfinite(v) for v in (loss.item(), grad, w_next))
        if not finite or abs(w_next) > W_BOUND:
            w.data.fill_(w_before)  # keep the last w that is still on the plot
            diverged_at = epoch
            break
        epochs.append(Epoch(epoch, w_before, loss.item(), grad, w_next))

    with torch.no_grad():
        final = Final(w.item(), criterion(forward(x, w), y).item())

    data = Data(_floats(x), _floats(y), _floats(f))
    return Trace(
        config=cfg,
        data=data,
        epochs=tuple(epochs),
        final=final,
        cost_curve=_cost_curve(cfg, x, y, [e.w for e in epochs] + [final.w]),
        analysis=_analysis(x, y, lr),
        diverged_at=diverged_at,
        versions=versions(),
        hash=content_hash(cfg, data),
    )


def _analysis(x: torch.Tensor, y: torch.Tensor, lr: float) -> Analysis:
    # In float64, independent of the float32 training, as the closed-form reference.
    xs, ys = x.double(), y.double()
    mean_x2 = float(torch.mean(xs**2))
    lr_oscillate, lr_diverge = regimes.bounds(mean_x2)
    return Analysis(
        w_star=float(torch.sum(xs * ys) / torch.sum(xs**2)),
        mean_x2=mean_x2,
        shrink=regimes.factor(lr, mean_x2),
        lr_oscillate=lr_oscillate,
        lr_diverge=lr_diverge,
        regime=regimes.regime(lr, mean_x2),
    )


#: the cost curve reaches at most this many times the starting distance from the minimum;
#: iterates beyond it (a diverging run) are drawn at the edge as "off the plot"
VIEW_REACH = 2.5


def cost_range(cfg: LessonConfig, path: list[float], w_star: float) -> tuple[float, float]:
    """The w range of the cost curve: the view's if set, else every iterate (up to
    VIEW_REACH times the starting distance) and the minimum, symmetric about the minimum
    so the whole bowl shows."""
    v = cfg.view
    start = abs(path[0] - w_star)
    reach = min(max(abs(w - w_star) for w in path), VIEW_REACH * start)
    half = max(reach, 1.0)
    lo, hi = w_star - 1.1 * half, w_star + 1.1 * half
    return (v.w_min if v.w_min is not None else lo, v.w_max if v.w_max is not None else hi)


def _cost_curve(cfg: LessonConfig, x: torch.Tensor, y: torch.Tensor, path) -> CostCurve:
    w_star = float(torch.sum(x.double() * y.double()) / torch.sum(x.double() ** 2))
    lo, hi = cost_range(cfg, path, w_star)
    grid = np.linspace(lo, hi, cfg.view.cost_points)
    with torch.no_grad():
        ws = torch.tensor(grid, dtype=torch.float32).view(1, -1)
        losses = torch.mean((forward(x, ws) - y) ** 2, dim=0)
    return CostCurve(tuple(float(w) for w in ws.view(-1)), tuple(losses.tolist()))


def _floats(t: torch.Tensor) -> tuple[float, ...]:
    return tuple(t.view(-1).tolist())
