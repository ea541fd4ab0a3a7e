"""The lesson's PyTorch code as the viewer reads it, with the config's numbers written in.

:func:`listing` gives the whole program; its ``# data and model`` and ``# training`` blocks
are what the scenes show. The tests run it and compare what it prints with the trace, so
the code on screen is the code that ran. Lines stay within 34 characters: at the code size
of the theme, the listing leaves a column beside it.
"""

from __future__ import annotations

from string import Template

from .config import LogisticConfig

#: what ``criterion = ...`` says for each run
CRITERION_CODE = {"mse": "nn.MSELoss()", "bce": "nn.BCELoss()"}

TEMPLATE = Template(
    """\
import torch
from torch import nn

# data and model
x = torch.linspace($x_start, $x_stop, $points)
x = x.view(-1, 1)
y = (x > $threshold).float()
model = nn.Sequential(
    nn.Linear(1, 1), nn.Sigmoid())
with torch.no_grad():
    model[0].weight.fill_($w0)
    model[0].bias.fill_($b0)

# training
criterion = $criterion
optimizer = torch.optim.SGD(
    model.parameters(), lr=$lr)
for epoch in range($epochs):
    yhat = model(x)
    loss = criterion(yhat, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""
)

BLOCKS = ("data and model", "training")


def listing(cfg: LogisticConfig, criterion: str) -> str:
    """The program of one run (``criterion``: a key of CRITERION_CODE)."""
    d, t = cfg.data, cfg.train
    values = dict(
        x_start=d.x_start,
        x_stop=d.x_stop,
        threshold=d.threshold,
        w0=t.w0,
        b0=t.b0,
        lr=t.lr,
    )
    return TEMPLATE.substitute(
        {k: repr(v) for k, v in values.items()},
        points=cfg.points,
        epochs=t.epochs,
        criterion=CRITERION_CODE[criterion],
    )


def block(code: str, name: str) -> list[str]:
    """The lines of the block ``# name`` of ``code``, up to the next blank line."""
    lines = code.splitlines()
    start = lines.index(f"# {name}") + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]
