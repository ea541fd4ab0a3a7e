"""The logistic lesson's training: the loop of ``listing.py``, once with ``nn.MSELoss`` and
once with ``nn.BCELoss``, from the same start, every iteration recorded; and each
criterion's cost over a (w, b) grid around both paths.

The model is ``nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())``; its weight and bias are set
to (w0, b0), so the random initialisation of ``nn.Linear`` never reaches the trace.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from gd_engine.runs import W_BOUND, versions
from gd_engine.trace import content_hash

from .config import LogisticConfig
from .trace import CRITERIA, Data, LogisticTrace, Run, Step, Surface

#: each criterion as the training makes it; ``reduction="none"`` gives one loss per point
CRITERION = {"mse": nn.MSELoss, "bce": nn.BCELoss}
#: the surfaces reach this share of the paths' span beyond them, and at least PAD_MIN
PAD_SHARE, PAD_MIN = 0.15, 1.0


def make_data(cfg: LogisticConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """x as a column from x_start to x_stop (both included), and its labels."""
    d = cfg.data
    x = torch.linspace(d.x_start, d.x_stop, cfg.points).view(-1, 1)
    y = (x > d.threshold).float()
    return x, y


def accuracy(yhat: torch.Tensor, y: torch.Tensor) -> float:
    """The share of points classified right: yhat > 0.5 where the label is 1."""
    return ((yhat > 0.5).float() == y).float().mean().item()


def train_run(cfg: LogisticConfig, criterion_key: str, x, y) -> Run:
    """One training as the listing writes it, stopped where (w, b) leaves W_BOUND."""
    t = cfg.train
    model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
    with torch.no_grad():
        model[0].weight.fill_(t.w0)
        model[0].bias.fill_(t.b0)
    criterion = CRITERION[criterion_key]()
    optimizer = torch.optim.SGD(model.parameters(), lr=t.lr)
    weight, bias = model[0].weight, model[0].bias
    start = (weight.item(), bias.item())
    steps: list[Step] = []
    quiet = 0  # iterations in a row with the gradient's norm under stall_grad
    stalled_at = diverged_at = None
    for epoch in range(t.epochs):
        yhat = model(x)
        loss = criterion(yhat, y)
        optimizer.zero_grad()
        loss.backward()
        w, b = weight.item(), bias.item()
        grad_w, grad_b = weight.grad.item(), bias.grad.item()
        optimizer.step()
        w_next, b_next = weight.item(), bias.item()
        values = (loss.item(), grad_w, grad_b, w_next, b_next)
        if not all(map(math.isfinite, values)) or max(abs(w_next), abs(b_next)) > W_BOUND:
            diverged_at = epoch
            with torch.no_grad():  # the run ends where it last was inside the bound
                weight.fill_(w)
                bias.fill_(b)
            break
        norm = math.hypot(grad_w, grad_b)
        steps.append(
            Step(epoch, w, b, loss.item(), grad_w, grad_b, norm, accuracy(yhat, y), w_next, b_next)
        )
        quiet = quiet + 1 if norm < t.stall_grad else 0
        if quiet == t.stall_iterations and stalled_at is None:
            stalled_at = epoch
    with torch.no_grad():
        yhat = model(x)
        end_loss, end_accuracy = criterion(yhat, y).item(), accuracy(yhat, y)
    return Run(criterion_key, start, tuple(steps), end_loss, end_accuracy, stalled_at, diverged_at)


def train(cfg: LogisticConfig) -> LogisticTrace:
    """Both runs, and both cost surfaces over the (w, b) the paths cover."""
    x, y = make_data(cfg)
    runs = tuple(train_run(cfg, key, x, y) for key in CRITERIA)
    data = Data(tuple(x.view(-1).tolist()), tuple(y.view(-1).tolist()))
    ranges = surface_range(cfg, runs)
    return LogisticTrace(
        config=cfg,
        data=data,
        runs=runs,
        surfaces=tuple(cost_surface(key, x, y, *ranges, cfg.view.grid_points) for key in CRITERIA),
        versions=versions(),
        hash=content_hash(cfg, data),
    )


def surface_range(cfg: LogisticConfig, runs) -> tuple[tuple[float, float], tuple[float, float]]:
    """(w_min, w_max), (b_min, b_max): every run's path with a margin, unless the view
    gives a bound."""
    t, v = cfg.train, cfg.view
    points = [(t.w0, t.b0)] + [p for r in runs for p in r.path]

    def around(values: list[float]) -> tuple[float, float]:
        lo, hi = min(values), max(values)
        pad = max(PAD_SHARE * (hi - lo), PAD_MIN)
        return lo - pad, hi + pad

    (w_lo, w_hi), (b_lo, b_hi) = around([w for w, _ in points]), around([b for _, b in points])
    pick = lambda given, derived: derived if given is None else given  # noqa: E731
    return (pick(v.w_min, w_lo), pick(v.w_max, w_hi)), (pick(v.b_min, b_lo), pick(v.b_max, b_hi))


def cost_surface(key: str, x, y, w_range, b_range, n: int) -> Surface:
    """The training's criterion at every (w, b) of an n x n grid: sigmoid(w*x + b) for all
    the points at once, the criterion per point (``reduction="none"``), averaged over the
    points as the training's criterion averages them."""
    ws = torch.tensor(np.linspace(*w_range, n), dtype=torch.float32)
    bs = torch.tensor(np.linspace(*b_range, n), dtype=torch.float32)
    with torch.no_grad():
        # x: (points, 1) -> (points, b, w)
        yhat = torch.sigmoid(ws.view(1, 1, -1) * x.view(-1, 1, 1) + bs.view(1, -1, 1))
        target = y.view(-1, 1, 1).expand_as(yhat)
        loss = CRITERION[key](reduction="none")(yhat, target).mean(dim=0)
    return Surface(key, tuple(ws.tolist()), tuple(bs.tolist()), tuple(map(tuple, loss.tolist())))
