"""The (w, b) lessons' PyTorch code as the viewer reads it, with one run's numbers written in.

The code scenes show it with the running line highlighted; a test runs it as text and
checks that it reproduces the engine's trace (training.py) bit for bit, so the code on
screen is the code that ran. Blocks are marked ``# data``, ``# model``, ``# training``
(``scenes/code.py``'s ``code_blocks``).
"""

from __future__ import annotations

from gd_engine.config import count_points

from .config import FollowUpConfig, Train

BLOCKS = ("data", "model", "training")


def listing(cfg: FollowUpConfig, run: Train) -> str:
    """The whole program of ``run``: the data (a validation set and outliers when the lesson
    has them), w and b, the loop over epochs and batches (a shuffled order each epoch when
    the batches are smaller than the data), and for a lesson with validation data, the
    losses on the training and the validation data after each epoch."""
    d = cfg.data
    n = len_x(cfg)
    size = run.batch_size or n
    validation = cfg.lesson.kind == "learning_rates" or d.outliers > 0
    lines = [
        "import torch",
        "",
        "# data",
        f"g = torch.Generator().manual_seed({d.seed})",
        f"x = torch.arange({d.x_start!r}, {d.x_stop!r}, {d.x_step!r}).view(-1, 1)",
        f"f = {d.slope!r} * x + {d.intercept!r}",
        f"y = f + {d.noise_std!r} * torch.randn(x.size(), generator=g)",
    ]
    if validation:
        lines.append(f"y_val = f + {d.noise_std!r} * torch.randn(x.size(), generator=g)")
    if d.outliers:
        lines.append(f"y[torch.randperm({n}, generator=g)[:{d.outliers}]] = {d.outlier_y!r}")
    lines += [
        "",
        "# model",
        f"w = torch.tensor({run.w0!r}, requires_grad=True)",
        f"b = torch.tensor({run.b0!r}, requires_grad=True)",
        "",
        "# training",
        "def cost(yhat, y):",
        "    return torch.mean((yhat - y) ** 2)",
    ]
    batched = size < n
    shuffled = batched and run.shuffle
    if shuffled:
        lines.append(f"gen = torch.Generator().manual_seed({d.seed + 1})")
    lines.append(f"for epoch in range({run.epochs}):")
    pad = "    "
    if shuffled:
        lines.append(f"    order = torch.randperm({n}, generator=gen)")
    if batched:
        lines.append(f"    for i in range(0, {n}, {size}):")
        pick = f"order[i:i + {size}]" if shuffled else f"slice(i, i + {size})"
        lines.append(f"        rows = {pick}")
        pad = "        "
        xb, yb = "x[rows]", "y[rows]"
    else:
        xb, yb = "x", "y"
    lines += [
        f"{pad}yhat = w * {xb} + b",
        f"{pad}loss = cost(yhat, {yb})",
        f"{pad}loss.backward()",
        f"{pad}w.data = w.data - {run.lr!r} * w.grad.data",
        f"{pad}b.data = b.data - {run.lr!r} * b.grad.data",
        f"{pad}w.grad.data.zero_()",
        f"{pad}b.grad.data.zero_()",
    ]
    if validation:
        lines += [
            "    with torch.no_grad():",
            "        train_loss = cost(w * x + b, y)",
            "        val_loss = cost(w * x + b, y_val)",
        ]
    return "\n".join(lines) + "\n"


def len_x(cfg: FollowUpConfig) -> int:
    """How many points ``torch.arange(x_start, x_stop, x_step)`` makes."""
    d = cfg.data
    return count_points(d.x_start, d.x_stop, d.x_step)
