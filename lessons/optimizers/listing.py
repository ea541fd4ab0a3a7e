"""The lesson's PyTorch code as the viewer reads it: ``TEMPLATE`` with the numbers of a
config written in, for one optimizer on one problem. The tests run it and compare it with
the trace, so the code on screen is the code that ran. (The template lives here, not in a
file of its own, so that the build's hashes, which follow imports, cover it.)"""

from __future__ import annotations

from string import Template

from .config import OptimizersConfig

TEMPLATE = """\
import torch
from torch import nn

# data
g = torch.Generator().manual_seed(${seed})
x = torch.arange(${x_start}, ${x_stop}, ${x_step}).view(-1, 1)
y = ${slope} * x + ${intercept} + ${noise_std} * torch.randn(x.size(), generator=g)
x = ${x_scale} * x
# model and cost
w = torch.tensor(${w0}, requires_grad=True)
b = torch.tensor(${b0}, requires_grad=True)
criterion = nn.MSELoss()
optimizer = ${optimizer}
# training
for i in range(${iterations}):
    loss = criterion(w * x + b, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def optimizer_settings(cfg: OptimizersConfig, optimizer: str) -> tuple[str, dict]:
    """The ``torch.optim`` class of ``optimizer`` and its keyword arguments from the config
    (the engine builds the optimizer from these, the listing writes them out)."""
    o = getattr(cfg, optimizer)
    if optimizer == "sgd":
        return "SGD", {"lr": o.lr}
    if optimizer == "momentum":
        return "SGD", {"lr": o.lr, "momentum": o.momentum}
    if optimizer == "rmsprop":
        return "RMSprop", {"lr": o.lr, "alpha": o.alpha, "eps": o.eps}
    if optimizer == "adam":
        return "Adam", {"lr": o.lr, "betas": (o.beta1, o.beta2), "eps": o.eps}
    raise KeyError(optimizer)


def optimizer_call(cfg: OptimizersConfig, optimizer: str) -> str:
    """The constructor as the listing writes it, over two lines so that the widest (Adam's)
    fits the screen at the code size: ``torch.optim.SGD(\\n    [w, b], lr=0.1)``."""
    name, kwargs = optimizer_settings(cfg, optimizer)
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"torch.optim.{name}(\n    [w, b], {args})"


def listing(cfg: OptimizersConfig, optimizer: str, x_scale: float) -> str:
    """The whole program for ``optimizer`` on the problem whose x are scaled by ``x_scale``."""
    d, t = cfg.data, cfg.train
    values = {
        "seed": d.seed,
        "x_start": d.x_start,
        "x_stop": d.x_stop,
        "x_step": d.x_step,
        "slope": d.slope,
        "intercept": d.intercept,
        "noise_std": d.noise_std,
        "x_scale": x_scale,
        "w0": t.w0,
        "b0": t.b0,
        "iterations": t.iterations,
    }
    text = {k: repr(v) for k, v in values.items()}
    text["optimizer"] = optimizer_call(cfg, optimizer)
    return Template(TEMPLATE).substitute(text)
