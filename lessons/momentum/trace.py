"""The momentum lesson's trace: every step of every run, and each cost's curve. It does not
import torch, so a scene that reads a cached trace starts fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gd_engine.trace import TaggedTrace, table_number

from .config import MomentumConfig


@dataclass(frozen=True)
class Step:
    """One step: ``loss = cost(w)``, ``backward()``, (noise added), ``optimizer.step()``."""

    step: int
    w: float  # before the step
    loss: float  # cost(w)
    grad: float  # dcost/dw, as backward() left it in w.grad
    noise: float  # what was added to w.grad (0.0 without noise)
    velocity: float  # the momentum buffer after the step (the gradient itself without momentum)
    w_next: float  # w - lr * velocity


@dataclass(frozen=True)
class Run:
    landscape: str  # "saddle" or "minima"
    momentum: float  # 0.0: plain SGD
    noise_std: float  # 0.0: the exact gradient
    w0: float
    lr: float
    steps: tuple[Step, ...]
    stalled_at: int | None  # the step where |grad| had stayed small for stall_steps steps
    diverged_at: int | None  # the first step whose values left the bound; the run stops there

    @property
    def name(self) -> str:
        return "momentum" if self.momentum else "plain SGD"

    @property
    def path(self) -> list[float]:
        """w at the start and after every step."""
        return [self.w0] + [s.w_next for s in self.steps]


@dataclass(frozen=True)
class Curve:
    """``cost(w)`` for a grid of w: the cost the training calls, on a tensor of w values."""

    w: tuple[float, ...]
    loss: tuple[float, ...]


#: the scenes' pairs of runs, in order: (landscape, noisy)
SCENES = (("saddle", False), ("minima", False), ("minima", True))


@dataclass(frozen=True)
class MomentumTrace(TaggedTrace):
    KIND, NAME = "momentum", "a momentum"
    STEP_FIELDS = list(Step.__dataclass_fields__)

    config: MomentumConfig
    runs: tuple[Run, ...]  # for each of SCENES: plain SGD, then momentum
    curves: dict[str, Curve]  # landscape -> its curve
    versions: dict[str, str]
    hash: str

    def pair(self, landscape: str, noisy: bool) -> tuple[Run, Run]:
        """(plain SGD, momentum) on ``landscape``, with or without noise."""
        i = SCENES.index((landscape, noisy))
        return self.runs[2 * i], self.runs[2 * i + 1]

    def table(self) -> str:
        lines = [
            self.config.title,
            f"{'cost':<8} {'noise':>6} {'run':<10} {'steps':>5} "
            f"{'final w':>11} {'last loss':>11}  end",
        ]
        for r in self.runs:
            last = r.steps[-1] if r.steps else None
            loss = table_number(last.loss, 11) if last else f"{'-':>11}"
            end = []
            if r.stalled_at is not None:
                end.append(f"stalled at step {r.stalled_at}")
            if r.diverged_at is not None:
                end.append(f"diverged at step {r.diverged_at}")
            lines.append(
                f"{r.landscape:<8} {r.noise_std:>6g} {r.name:<10} {len(r.steps):>5} "
                f"{table_number(r.path[-1], 11)} {loss}  {', '.join(end)}".rstrip()
            )
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MomentumTrace:
        cls.check_tag(d)
        runs = tuple(
            Run(**{**r, "steps": tuple(Step(*row) for row in r["steps"])}) for r in d["runs"]
        )
        return cls(
            config=MomentumConfig.from_dict(d["config"]),
            runs=runs,
            curves={k: Curve(tuple(c["w"]), tuple(c["loss"])) for k, c in d["curves"].items()},
            versions=dict(d["versions"]),
            hash=d["hash"],
        )
