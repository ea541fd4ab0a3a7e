"""The momentum lesson's training: ``torch.optim.SGD`` with and without momentum on costs
of one weight, as the lesson's code (listing.py) writes it.

For each run: ``w = torch.tensor(w0, requires_grad=True)``; each step computes
``loss = cost(w)``, zeroes the gradient, calls ``loss.backward()``, adds seeded noise to
``w.grad`` in the noisy runs (an explicit generator, never global state) and calls
``optimizer.step()``. Every step is recorded with the optimizer's momentum buffer (the
velocity). A run stops, marked, when a value leaves the bound (W_BOUND) or is not finite.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import torch

from gd_engine.runs import W_BOUND, versions

from .config import LANDSCAPES, Landscape, MomentumConfig
from .listing import terms
from .trace import SCENES, Curve, MomentumTrace, Run, Step

#: the curve reaches at most this many times the start's distance beyond the paths' start
VIEW_REACH = 3.0


def make_cost(coefficients):
    """The cost of w: the polynomial's terms, highest power first, as listing.py writes it."""
    parts = terms(coefficients)

    def cost(w):
        total = None  # the first term is never the constant: the cost depends on w
        for k, c in parts:
            term = c if k == 0 else c * w if k == 1 else c * w**k
            total = term if total is None else total + term
        return total

    return cost


def train_run(land: Landscape, name: str, momentum: float, noise_std: float, cfg) -> Run:
    """One run as the lesson writes it, every step recorded."""
    t = cfg.train
    cost = make_cost(land.coefficients)
    w = torch.tensor(land.w0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=land.lr, momentum=momentum)
    gen = torch.Generator().manual_seed(t.seed)
    steps: list[Step] = []
    stalled_at = diverged_at = None
    small = 0  # steps running with |grad| under stall_grad
    for step in range(land.steps):
        loss = cost(w)
        optimizer.zero_grad()
        loss.backward()
        before = (w.item(), loss.item(), w.grad.item())
        added = 0.0
        if noise_std > 0:
            noise = torch.randn((), generator=gen)
            kick = noise_std * noise
            w.grad += kick
            added = kick.item()
        optimizer.step()
        buffer = optimizer.state[w].get("momentum_buffer") if momentum else None
        velocity = buffer.item() if buffer is not None else w.grad.item()
        values = (*before, added, velocity, w.item())
        if not all(math.isfinite(v) for v in values) or abs(w.item()) > W_BOUND:
            diverged_at = step
            break
        steps.append(Step(step, *values))
        small = small + 1 if abs(before[2]) < t.stall_grad else 0
        if stalled_at is None and small >= t.stall_steps:
            stalled_at = step
    return Run(name, momentum, noise_std, land.w0, land.lr, tuple(steps), stalled_at, diverged_at)


def curve_range(land: Landscape, runs: list[Run]) -> tuple[float, float]:
    """Every w the runs visit, held within VIEW_REACH times max(|w0|, 1) of the start (a
    diverging run widens the range to that reach, no further), with a margin."""
    reach = VIEW_REACH * max(abs(land.w0), 1.0)
    ws = [min(max(w, land.w0 - reach), land.w0 + reach) for r in runs for w in r.path]
    lo, hi = min(ws), max(ws)
    pad = 0.08 * max(hi - lo, 1.0)
    return lo - pad, hi + pad


def cost_curve(land: Landscape, runs: list[Run], points: int) -> Curve:
    """The training's own cost, evaluated on a tensor of w values."""
    lo, hi = curve_range(land, runs)
    ws = torch.tensor(np.linspace(lo, hi, points), dtype=torch.float32)
    with torch.no_grad():
        loss = make_cost(land.coefficients)(ws)
    return Curve(tuple(ws.tolist()), tuple(loss.tolist()))


def train(cfg: MomentumConfig) -> MomentumTrace:
    """Plain SGD and SGD with momentum on each scene's cost, and each cost's curve."""
    t = cfg.train
    runs: list[Run] = []
    for name, noisy in SCENES:
        land = getattr(cfg, name)
        noise = t.noise_std if noisy else 0.0
        runs += [train_run(land, name, m, noise, cfg) for m in (0.0, t.momentum)]
    curves = {
        name: cost_curve(
            getattr(cfg, name), [r for r in runs if r.landscape == name], cfg.view.curve_points
        )
        for name in LANDSCAPES
    }
    blob = json.dumps(cfg.to_dict(), sort_keys=True)
    return MomentumTrace(
        config=cfg,
        runs=tuple(runs),
        curves=curves,
        versions=versions(),
        hash=hashlib.sha256(blob.encode()).hexdigest(),
    )
