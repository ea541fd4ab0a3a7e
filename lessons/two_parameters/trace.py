"""A follow-up lesson's trace: every iteration of every run, the cost surface, the minimum.

Like :mod:`gd_engine.trace`, this module does not import torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gd_engine.trace import TaggedTrace, table_number

from .config import FollowUpConfig


@dataclass(frozen=True)
class Step:
    """One iteration: a batch's loss, backward(), the update through .data, zero_()."""

    iteration: int  # counted over the whole run, from 0
    epoch: int
    batch: int  # the batch's place in its epoch
    size: int  # samples in the batch
    w: float  # before the update
    b: float
    loss: float  # the batch's average loss at (w, b): what backward() differentiated
    grad_w: float
    grad_b: float
    w_next: float
    b_next: float
    loss_full: float  # the criterion on all the training data at (w_next, b_next)
    loss_val: float  # the same on the validation data
    rows: tuple[int, ...]  # the training points in the batch


@dataclass(frozen=True)
class Run:
    lr: float
    batch_size: int  # 0: the full batch
    batches: int  # iterations per epoch
    start: tuple[float, float]  # (w0, b0)
    start_loss_full: float  # the criterion on all the training data at (w0, b0)
    start_loss_val: float
    steps: tuple[Step, ...]
    diverged_at: int | None  # the first iteration whose values left the bound, else None

    @property
    def mode(self) -> str:
        if self.batches == 1:
            return "batch"
        return "stochastic" if self.batch_size == 1 else f"mini-batch of {self.batch_size}"

    @property
    def path(self) -> list[tuple[float, float]]:
        """(w, b) at the start and after every iteration."""
        return [self.start] + [(s.w_next, s.b_next) for s in self.steps]

    @property
    def times(self) -> list[float]:
        """Epoch time of every point of :attr:`path` (0.0 for the start)."""
        return [0.0] + [s.epoch + (s.batch + 1) / self.batches for s in self.steps]

    @property
    def loss_full(self) -> list[float]:
        """The full-data loss at every point of :attr:`path`."""
        return [self.start_loss_full] + [s.loss_full for s in self.steps]

    @property
    def loss_val(self) -> list[float]:
        return [self.start_loss_val] + [s.loss_val for s in self.steps]

    def epoch_ends(self) -> list[int]:
        """Indices into :attr:`path` where an epoch ends (the start included), and the last
        point of a run that diverged in mid-epoch."""
        ends = [0] + [i + 1 for i, s in enumerate(self.steps) if s.batch == self.batches - 1]
        return ends if ends[-1] == len(self.steps) else [*ends, len(self.steps)]


@dataclass(frozen=True)
class Data:
    x: tuple[float, ...]
    y: tuple[float, ...]  # training targets (noise and outliers)
    y_true: tuple[float, ...]  # slope * x + intercept
    y_val: tuple[float, ...]  # validation targets: the same x, their own noise
    outliers: tuple[int, ...]  # indices of the training points set to outlier_y


@dataclass(frozen=True)
class Surface:
    """The average loss on the training data over a (w, b) grid: ``loss[i][j]`` is at
    ``(w[j], b[i])``; computed with the training's own forward and criterion."""

    w: tuple[float, ...]
    b: tuple[float, ...]
    loss: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Minimum:
    """Least squares in float64: where the cost surface is lowest."""

    w: float
    b: float
    loss: float


@dataclass(frozen=True)
class FollowUpTrace(TaggedTrace):
    KIND, NAME = "followup", "a follow-up"
    STEP_FIELDS = list(Step.__dataclass_fields__)

    config: FollowUpConfig
    data: Data
    runs: tuple[Run, ...]
    surface: Surface
    minimum: Minimum
    versions: dict[str, str]
    hash: str

    def table(self) -> str:
        """A line per run, where it ended, and the cost's minimum (``gdlesson trace``)."""
        lines = [
            f"{self.config.title}",
            f"{'run':<18} {'lr':>8} {'steps':>6} {'w':>11} {'b':>11} {'loss':>11} {'val loss':>11}",
        ]
        for r in self.runs:
            w, b = r.path[-1]
            end = "diverged" if r.diverged_at is not None else ""
            ends = (w, b, r.loss_full[-1], r.loss_val[-1])
            cells = " ".join(table_number(v, 11) for v in ends)
            lines.append(f"{r.mode:<18} {r.lr:>8g} {len(r.steps):>6} {cells} {end}".rstrip())
        m = self.minimum
        lines.append(f"minimum of the cost: w = {m.w:.4f}, b = {m.b:.4f}, loss = {m.loss:.4f}")
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FollowUpTrace:
        cls.check_tag(d)
        runs = []
        for r in d["runs"]:
            steps = tuple(Step(*row[:-1], tuple(row[-1])) for row in r["steps"])
            runs.append(Run(**{**r, "start": tuple(r["start"]), "steps": steps}))
        s = d["surface"]
        return cls(
            config=FollowUpConfig.from_dict(d["config"]),
            data=Data(**{k: tuple(v) for k, v in d["data"].items()}),
            runs=tuple(runs),
            surface=Surface(tuple(s["w"]), tuple(s["b"]), tuple(tuple(r) for r in s["loss"])),
            minimum=Minimum(**d["minimum"]),
            versions=dict(d["versions"]),
            hash=d["hash"],
        )


def code_runs(trace: FollowUpTrace, scene: str) -> list[int]:
    """The runs a code scene shows: every run of the batch modes; the learning rate with the
    lowest validation loss; the one run of the slope and the bias."""
    if scene == "BatchModesCode":
        return list(range(len(trace.runs)))
    if scene == "LearningRatesCode":
        return [best_run(trace)]
    return [0]


def best_run(trace: FollowUpTrace) -> int:
    """The run with the lowest validation loss at its end (a diverged run has none)."""
    val = [r.loss_val[-1] if r.diverged_at is None else math.inf for r in trace.runs]
    return val.index(min(val))
