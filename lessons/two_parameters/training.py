"""The follow-up lessons' training: the first lesson's loop with a bias and batches.

For each run: ``w`` and ``b`` are tensors with ``requires_grad``; each iteration takes a
batch, computes ``loss = criterion(forward(x, w, b), y)``, calls ``loss.backward()``,
updates ``w.data`` and ``b.data`` and zeroes both gradients. Batches come from a seeded
shuffle of the indices each epoch (SPEC 7: an explicit generator, never global state).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from gd_engine.runs import W_BOUND, versions
from gd_engine.trace import content_hash

from .config import FollowUpConfig, Train
from .trace import Data, FollowUpTrace, Minimum, Run, Step, Surface

#: the surface reaches at most this many times the start's distance from the minimum
VIEW_REACH = 2.5


def make_data(cfg: FollowUpConfig) -> dict[str, torch.Tensor]:
    """x as a column; the true line; noisy training targets with outliers; validation
    targets with their own noise. One generator, drawn from in that order."""
    d = cfg.data
    x = torch.arange(d.x_start, d.x_stop, d.x_step).view(-1, 1)
    f = d.slope * x + d.intercept
    generator = torch.Generator().manual_seed(d.seed)
    y = f + d.noise_std * torch.randn(x.size(), generator=generator)
    y_val = f + d.noise_std * torch.randn(x.size(), generator=generator)
    outliers = torch.randperm(len(x), generator=generator)[: d.outliers].sort().values
    y[outliers] = d.outlier_y
    return {"x": x, "f": f, "y": y, "y_val": y_val, "outliers": outliers}


def forward(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The model: a line with slope w and bias b."""
    return w * x + b


def criterion(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error over the batch (dim 0)."""
    return torch.mean((yhat - y) ** 2, dim=0)


def train_run(run: Train, x, y, y_val, seed: int) -> Run:
    """One training of (w, b) as the lesson writes it, every iteration recorded."""
    n = len(x)
    size = run.batch_size or n
    batches = math.ceil(n / size)
    w = torch.tensor(run.w0, requires_grad=True)
    b = torch.tensor(run.b0, requires_grad=True)
    shuffler = torch.Generator().manual_seed(seed + 1)  # the same shuffles for every run

    def full_losses() -> tuple[float, float]:
        with torch.no_grad():
            return (
                criterion(forward(x, w, b), y).item(),
                criterion(forward(x, w, b), y_val).item(),
            )

    start = full_losses()  # before any step: where every path starts
    steps: list[Step] = []
    diverged_at = None
    for epoch in range(run.epochs):
        order = torch.randperm(n, generator=shuffler) if run.shuffle and size < n else None
        for batch in range(batches):
            index = slice(batch * size, (batch + 1) * size)
            rows = order[index] if order is not None else index
            xb, yb = x[rows], y[rows]
            loss = criterion(forward(xb, w, b), yb)
            loss.backward()
            before = (w.item(), b.item(), w.grad.item(), b.grad.item())
            w.data = w.data - run.lr * w.grad.data
            b.data = b.data - run.lr * b.grad.data
            w.grad.data.zero_()
            b.grad.data.zero_()
            loss_full, loss_val = full_losses()
            values = (*before, loss.item(), w.item(), b.item(), loss_full, loss_val)
            if (
                not all(math.isfinite(v) for v in values)
                or max(abs(w.item()), abs(b.item())) > W_BOUND
            ):
                diverged_at = len(steps)
                break
            steps.append(
                Step(
                    iteration=len(steps),
                    epoch=epoch,
                    batch=batch,
                    size=len(xb),
                    w=before[0],
                    b=before[1],
                    loss=loss.item(),
                    grad_w=before[2],
                    grad_b=before[3],
                    w_next=w.item(),
                    b_next=b.item(),
                    loss_full=loss_full,
                    loss_val=loss_val,
                    rows=tuple(range(n)[index]) if order is None else tuple(rows.tolist()),
                )
            )
        if diverged_at is not None:
            break
    return Run(run.lr, run.batch_size, batches, (run.w0, run.b0), *start, tuple(steps), diverged_at)


def train(cfg: FollowUpConfig) -> FollowUpTrace:
    """Every run the lesson compares, the cost surface around them, and the minimum."""
    t = make_data(cfg)
    x, y, y_val = t["x"], t["y"], t["y_val"]
    runs = tuple(train_run(r, x, y, y_val, cfg.data.seed) for r in cfg.runs())
    minimum = least_squares(x, y)
    data = Data(
        _floats(x), _floats(y), _floats(t["f"]), _floats(y_val), tuple(t["outliers"].tolist())
    )
    return FollowUpTrace(
        config=cfg,
        data=data,
        runs=runs,
        surface=cost_surface(cfg, x, y, runs, minimum),
        minimum=minimum,
        versions=versions(),
        hash=content_hash(cfg, data),
    )


def least_squares(x: torch.Tensor, y: torch.Tensor) -> Minimum:
    """The (w, b) of least mean squared error, in closed form and float64."""
    xs, ys = x.double().view(-1), y.double().view(-1)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    w = float((dx * dy).sum() / (dx * dx).sum())
    b = float(ys.mean() - w * xs.mean())
    loss = float(torch.mean((w * xs + b - ys) ** 2))
    return Minimum(w, b, loss)


def surface_range(cfg: FollowUpConfig, runs, minimum: Minimum) -> tuple[tuple, tuple]:
    """(w_min, w_max), (b_min, b_max): every run's path (up to VIEW_REACH times the start's
    distance from the minimum) and the minimum, centred on the minimum."""
    v = cfg.view
    points = [p for r in runs for p in r.path]
    start_w, start_b = abs(cfg.train.w0 - minimum.w), abs(cfg.train.b0 - minimum.b)
    reach_w = min(max(abs(w - minimum.w) for w, _ in points), VIEW_REACH * max(start_w, 1.0))
    reach_b = min(max(abs(b - minimum.b) for _, b in points), VIEW_REACH * max(start_b, 1.0))
    hw, hb = 1.1 * max(reach_w, 1.0), 1.1 * max(reach_b, 1.0)
    pick = lambda given, derived: derived if given is None else given  # noqa: E731
    return (
        (pick(v.w_min, minimum.w - hw), pick(v.w_max, minimum.w + hw)),
        (pick(v.b_min, minimum.b - hb), pick(v.b_max, minimum.b + hb)),
    )


def cost_surface(cfg: FollowUpConfig, x, y, runs, minimum: Minimum) -> Surface:
    """The training's criterion at every (w, b) of a grid: forward and criterion are the
    ones the training calls, so the surface's lowest point is where training goes."""
    (w_lo, w_hi), (b_lo, b_hi) = surface_range(cfg, runs, minimum)
    n = cfg.view.grid_points
    ws = torch.tensor(np.linspace(w_lo, w_hi, n), dtype=torch.float32)
    bs = torch.tensor(np.linspace(b_lo, b_hi, n), dtype=torch.float32)
    with torch.no_grad():
        # x: (points, 1) -> broadcast to (points, b, w); criterion averages over the points
        grid_w, grid_b = ws.view(1, 1, -1), bs.view(1, -1, 1)
        loss = criterion(forward(x.view(-1, 1, 1), grid_w, grid_b), y.view(-1, 1, 1))
    return Surface(
        tuple(ws.tolist()), tuple(bs.tolist()), tuple(tuple(row) for row in loss.tolist())
    )


def _floats(t: torch.Tensor) -> tuple[float, ...]:
    return tuple(t.view(-1).tolist())
