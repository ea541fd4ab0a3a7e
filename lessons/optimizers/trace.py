"""The optimizers lesson's trace: for each problem (well scaled, elongated) its data, its
cost surface, its minimum, and every step of every optimizer's run, with the optimizer's
state after the step. This module does not import torch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gd_engine.trace import TaggedTrace, table_number

from .config import NAMES, OptimizersConfig

#: the names of each optimizer's state, as torch.optim keeps it per parameter
STATE = {
    "sgd": (),
    "momentum": ("momentum_buffer",),
    "rmsprop": ("square_avg",),
    "adam": ("exp_avg", "exp_avg_sq"),
}


@dataclass(frozen=True)
class Step:
    """One full-batch step: loss at (w, b), backward(), optimizer.step()."""

    iteration: int  # from 0
    w: float  # before the step
    b: float
    loss: float  # the criterion at (w, b): what backward() differentiated
    grad_w: float
    grad_b: float
    w_next: float  # after optimizer.step()
    b_next: float
    loss_next: float  # the criterion at (w_next, b_next)
    #: the optimizer's state after the step, per name of STATE: (for w, for b)
    state: dict[str, tuple[float, float]]

    @property
    def grad_norm(self) -> float:
        return math.hypot(self.grad_w, self.grad_b)


@dataclass(frozen=True)
class Run:
    optimizer: str  # a key of config.OPTIMIZERS
    lr: float
    start: tuple[float, float]
    start_loss: float
    steps: tuple[Step, ...]
    diverged_at: int | None  # the first iteration whose values left W_BOUND, else None
    stalled_at: int | None  # the iteration where the stall rule was first met, else None

    @property
    def name(self) -> str:
        return NAMES[self.optimizer]

    @property
    def path(self) -> list[tuple[float, float]]:
        return [self.start] + [(s.w_next, s.b_next) for s in self.steps]

    @property
    def losses(self) -> list[float]:
        return [self.start_loss] + [s.loss_next for s in self.steps]

    @property
    def regime(self) -> str:
        if self.diverged_at is not None:
            return "diverged"
        return "stalled" if self.stalled_at is not None else ""


@dataclass(frozen=True)
class Data:
    x: tuple[float, ...]  # as the model sees them (times x_scale for the elongated problem)
    y: tuple[float, ...]


@dataclass(frozen=True)
class Surface:
    """The training's criterion over a (w, b) grid: ``loss[i][j]`` is at ``(w[j], b[i])``."""

    w: tuple[float, ...]
    b: tuple[float, ...]
    loss: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Minimum:
    """Least squares in float64: where the cost is lowest."""

    w: float
    b: float
    loss: float


@dataclass(frozen=True)
class Problem:
    """One problem the optimizers race on (what scenes.contour.ContourPanel draws)."""

    name: str  # "well scaled" or "elongated"
    x_scale: float
    data: Data
    surface: Surface
    minimum: Minimum
    runs: tuple[Run, ...]

    def run(self, optimizer: str) -> Run:
        return next(r for r in self.runs if r.optimizer == optimizer)


@dataclass(frozen=True)
class OptimizersTrace(TaggedTrace):
    KIND, NAME = "optimizers", "an optimizers"

    config: OptimizersConfig
    problems: tuple[Problem, ...]
    versions: dict[str, str]
    hash: str

    def table(self) -> str:
        """A line per run: where it ended, its loss, its regime (``gdlesson trace``)."""
        lines = [self.config.title]
        for p in self.problems:
            m = p.minimum
            lines.append(
                f"{p.name} (x times {p.x_scale:g}): minimum w = {m.w:.4f}, b = {m.b:.4f}, "
                f"loss = {m.loss:.4f}"
            )
            lines.append(
                f"  {'optimizer':<10} {'lr':>8} {'steps':>6} {'w':>11} {'b':>11} {'loss':>11}"
            )
            for r in p.runs:
                w, b = r.path[-1]
                cells = " ".join(table_number(v, 11) for v in (w, b, r.losses[-1]))
                lines.append(
                    f"  {r.name:<10} {r.lr:>8g} {len(r.steps):>6} {cells} {r.regime}".rstrip()
                )
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OptimizersTrace:
        cls.check_tag(d)
        problems = []
        for p in d["problems"]:
            runs = []
            for r in p["runs"]:
                steps = tuple(
                    Step(**{**s, "state": {k: tuple(v) for k, v in s["state"].items()}})
                    for s in r["steps"]
                )
                runs.append(Run(**{**r, "start": tuple(r["start"]), "steps": steps}))
            s = p["surface"]
            problems.append(
                Problem(
                    name=p["name"],
                    x_scale=p["x_scale"],
                    data=Data(tuple(p["data"]["x"]), tuple(p["data"]["y"])),
                    surface=Surface(
                        tuple(s["w"]), tuple(s["b"]), tuple(tuple(row) for row in s["loss"])
                    ),
                    minimum=Minimum(**p["minimum"]),
                    runs=tuple(runs),
                )
            )
        return cls(
            config=OptimizersConfig.from_dict(d["config"]),
            problems=tuple(problems),
            versions=dict(d["versions"]),
            hash=d["hash"],
        )
