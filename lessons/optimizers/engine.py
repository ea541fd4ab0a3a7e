"""The optimizers lesson's training: the loop of ``listing.TEMPLATE``, run for each optimizer
on each problem, every step recorded with the optimizer's state.

For each run: ``w`` and ``b`` are float32 tensors with ``requires_grad``; each iteration
computes ``loss = criterion(w * x + b, y)`` on all the data (``nn.MSELoss``), calls
``optimizer.zero_grad()``, ``loss.backward()`` and ``optimizer.step()``. A run whose w or b
leaves W_BOUND (or whose numbers stop being finite) stops there, marked diverged.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import torch
from torch import nn

from gd_engine.runs import W_BOUND, versions

from .config import OPTIMIZERS, OptimizersConfig
from .listing import optimizer_settings
from .trace import STATE, Data, Minimum, OptimizersTrace, Problem, Run, Step, Surface

#: the surface reaches at most this many times the start's distance from the minimum
VIEW_REACH = 2.5


def make_data(cfg: OptimizersConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """x as a column and its noisy targets, as the listing makes them (before x is scaled)."""
    d = cfg.data
    g = torch.Generator().manual_seed(d.seed)
    x = torch.arange(d.x_start, d.x_stop, d.x_step).view(-1, 1)
    y = d.slope * x + d.intercept + d.noise_std * torch.randn(x.size(), generator=g)
    return x, y


def train_run(cfg: OptimizersConfig, optimizer_name: str, x, y, minimum: Minimum) -> Run:
    """One run of the listing's loop, every step recorded."""
    t, r = cfg.train, cfg.regimes
    w = torch.tensor(t.w0, requires_grad=True)
    b = torch.tensor(t.b0, requires_grad=True)
    criterion = nn.MSELoss()
    name, kwargs = optimizer_settings(cfg, optimizer_name)
    optimizer = getattr(torch.optim, name)([w, b], **kwargs)
    with torch.no_grad():
        start_loss = criterion(w * x + b, y).item()
    steps: list[Step] = []
    diverged_at = stalled_at = None
    quiet = 0  # iterations in a row with the gradient's norm under stall_grad
    for i in range(t.iterations):
        loss = criterion(w * x + b, y)
        optimizer.zero_grad()
        loss.backward()
        before = (w.item(), b.item(), loss.item(), w.grad.item(), b.grad.item())
        optimizer.step()
        with torch.no_grad():
            loss_next = criterion(w * x + b, y).item()
        state = {
            key: (optimizer.state[w][key].item(), optimizer.state[b][key].item())
            for key in STATE[optimizer_name]
        }
        values = (*before, w.item(), b.item(), loss_next, *(v for p in state.values() for v in p))
        if not all(math.isfinite(v) for v in values) or max(abs(w.item()), abs(b.item())) > W_BOUND:
            diverged_at = i
            break
        step = Step(i, *before[:2], *before[2:], w.item(), b.item(), loss_next, state)
        steps.append(step)
        quiet = quiet + 1 if step.grad_norm < r.stall_grad else 0
        if (
            stalled_at is None
            and quiet >= r.stall_iterations
            and step.loss - minimum.loss > r.stall_gap
        ):
            stalled_at = i
    return Run(
        optimizer_name,
        kwargs["lr"],
        (t.w0, t.b0),
        start_loss,
        tuple(steps),
        diverged_at,
        stalled_at,
    )


def least_squares(x: torch.Tensor, y: torch.Tensor) -> Minimum:
    """The (w, b) of least mean squared error, in closed form and float64."""
    xs, ys = x.double().view(-1), y.double().view(-1)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    w = float((dx * dy).sum() / (dx * dx).sum())
    b = float(ys.mean() - w * xs.mean())
    return Minimum(w, b, float(torch.mean((w * xs + b - ys) ** 2)))


def surface_range(cfg: OptimizersConfig, runs, minimum: Minimum) -> tuple[tuple, tuple]:
    """(w_min, w_max), (b_min, b_max) around the minimum: every path (up to VIEW_REACH times
    the start's distance from the minimum, so that a diverged run does not flatten the
    map), with a tenth to spare."""
    points = [p for r in runs for p in r.path]
    reach_w = VIEW_REACH * max(abs(cfg.train.w0 - minimum.w), 1.0)
    reach_b = VIEW_REACH * max(abs(cfg.train.b0 - minimum.b), 1.0)
    hw = 1.1 * max(min(max(abs(w - minimum.w) for w, _ in points), reach_w), 1.0)
    hb = 1.1 * max(min(max(abs(b - minimum.b) for _, b in points), reach_b), 1.0)
    return (minimum.w - hw, minimum.w + hw), (minimum.b - hb, minimum.b + hb)


def cost_surface(cfg: OptimizersConfig, x, y, runs, minimum: Minimum) -> Surface:
    """The training's criterion (mean squared error of w * x + b) at every node of a grid."""
    (w_lo, w_hi), (b_lo, b_hi) = surface_range(cfg, runs, minimum)
    n = cfg.view.grid_points
    ws = torch.tensor(np.linspace(w_lo, w_hi, n), dtype=torch.float32)
    bs = torch.tensor(np.linspace(b_lo, b_hi, n), dtype=torch.float32)
    criterion = nn.MSELoss(reduction="none")  # nn.MSELoss's terms, averaged over the points
    with torch.no_grad():
        yhat = ws.view(1, 1, -1) * x.view(-1, 1, 1) + bs.view(1, -1, 1)  # (points, b, w)
        loss = criterion(yhat, y.view(-1, 1, 1).expand_as(yhat)).mean(dim=0)
    return Surface(tuple(ws.tolist()), tuple(bs.tolist()), tuple(map(tuple, loss.tolist())))


def problem(cfg: OptimizersConfig, name: str, x_scale: float, x, y) -> Problem:
    x = x_scale * x  # the listing's "x = x_scale * x"
    minimum = least_squares(x, y)
    runs = tuple(train_run(cfg, o, x, y, minimum) for o in OPTIMIZERS)
    data = Data(tuple(x.view(-1).tolist()), tuple(y.view(-1).tolist()))
    surface = cost_surface(cfg, x, y, runs, minimum)
    return Problem(name, x_scale, data, surface, minimum, runs)


def train(cfg: OptimizersConfig) -> OptimizersTrace:
    """Both problems, each with every optimizer's run, its surface and its minimum."""
    x, y = make_data(cfg)
    problems = (
        problem(cfg, "well scaled", 1.0, x, y),
        problem(cfg, "elongated", cfg.elongated.x_scale, x, y),
    )
    blob = json.dumps(
        {"config": cfg.to_dict(), "data": [[p.data.x, p.data.y] for p in problems]},
        sort_keys=True,
    )
    return OptimizersTrace(cfg, problems, versions(), hashlib.sha256(blob.encode()).hexdigest())
