"""The trace: everything the views draw, recorded by the engine, saved as JSON.

This module does not import torch, so a scene that reads a cached trace starts fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

from .config import LessonConfig

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Epoch:
    """One iteration of batch gradient descent (one epoch = one iteration here)."""

    epoch: int
    w: float  # before the update
    loss: float  # average loss at w
    grad: float  # dloss/dw at w, as loss.backward() left it in w.grad
    w_next: float  # w.data - lr * w.grad.data


@dataclass(frozen=True)
class Data:
    x: tuple[float, ...]
    y: tuple[float, ...]  # noisy targets
    y_true: tuple[float, ...]  # the true line slope * x


@dataclass(frozen=True)
class Final:
    w: float
    loss: float


@dataclass(frozen=True)
class CostCurve:
    """The average loss for a grid of w values, on the same data and criterion."""

    w: tuple[float, ...]
    loss: tuple[float, ...]


@dataclass(frozen=True)
class Analysis:
    """Closed-form facts about the problem, for checks and for the views' ranges."""

    w_star: float  # sum(x*y) / sum(x*x): where the cost is lowest
    mean_x2: float  # mean(x**2): the cost's curvature is 2*mean_x2
    shrink: float  # 1 - 2*lr*mean_x2: factor on (w - w_star) per step
    lr_oscillate: float  # above this lr the steps overshoot: 1 / (2*mean_x2)
    lr_diverge: float  # above this lr they diverge: 1 / mean_x2
    regime: str  # smooth, one step, oscillating, oscillates for ever, divergent


class JsonFile:
    """save, load and from_json for a class with ``to_json`` and ``from_dict``."""

    def to_json(self) -> str:
        """The file's text: compact, keys sorted, no NaN or infinity."""
        return json.dumps(self.to_dict(), sort_keys=True, allow_nan=False) + "\n"

    def save(self, path: str | Path) -> None:
        write_atomic(Path(path), self.to_json())

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))

    @classmethod
    def load(cls, path: str | Path):
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


class TaggedTrace(JsonFile):
    """A lesson's trace as a file that names its kind (``KIND``) and format: the config as
    its own dict, each run's steps as rows of ``STEP_FIELDS`` when it has runs of steps.
    Reading a file of another kind or format is refused (``check_tag``)."""

    KIND: ClassVar[str] = ""
    NAME: ClassVar[str] = ""  # how an error names it: "a momentum"
    FORMAT: ClassVar[int] = 1
    STEP_FIELDS: ClassVar[list[str]] = []

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["config"] = self.config.to_dict()
        if self.STEP_FIELDS:
            for run in d["runs"]:
                run["steps"] = [list(s.values()) for s in run["steps"]]  # compact rows
            d["step_fields"] = self.STEP_FIELDS
        return {"format": self.FORMAT, "kind": self.KIND, **d}

    @classmethod
    def check_tag(cls, d: dict[str, Any]) -> None:
        if d.get("format") != cls.FORMAT or d.get("kind") != cls.KIND:
            raise ValueError(f"not {cls.NAME} trace of format {cls.FORMAT}")


@dataclass(frozen=True)
class Trace(JsonFile):
    config: LessonConfig
    data: Data
    epochs: tuple[Epoch, ...]
    final: Final
    cost_curve: CostCurve
    analysis: Analysis
    diverged_at: int | None  # first epoch whose values left the finite bound, else None
    versions: dict[str, str]
    hash: str

    # -- convenience for the views -------------------------------------------------
    @property
    def loss_history(self) -> list[float]:
        """``loss.item()`` appended once per iteration, as the lesson's list."""
        return [e.loss for e in self.epochs]

    @property
    def w_path(self) -> list[float]:
        """w before each epoch, then the final w."""
        return [e.w for e in self.epochs] + [self.final.w]

    # -- JSON ----------------------------------------------------------------------
    def table(self) -> str:
        """The trace as the readable table a student would write down (``gdlesson trace``)."""
        lines = [f"{'epoch':>5}  {'w':>12}  {'loss':>14}  {'grad':>14}  {'w_next':>12}"]
        for e in self.epochs:
            cells = (table_number(e.w, 12), table_number(e.loss, 14), table_number(e.grad, 14))
            lines.append(f"{e.epoch:>5}  {'  '.join(cells)}  {table_number(e.w_next, 12)}")
        lines.append(
            f"{'final':>5}  {table_number(self.final.w, 12)}  {table_number(self.final.loss, 14)}"
        )
        a, lr = self.analysis, self.config.train.lr
        preset = f", preset {self.config.train.preset}" if self.config.train.preset else ""
        lines.append(f"lr = {lr:.6g}{preset}: {a.regime}; minimum w* = {a.w_star:.4f}")
        lines.append(
            f"error w - w* is multiplied by 1 - 2*lr*mean(x^2) = {a.shrink:.4f} per step; "
            f"steps oscillate above lr = {a.lr_oscillate:.4f} and diverge above lr = "
            f"{a.lr_diverge:.4f}"
        )
        if self.diverged_at is not None:
            lines.append(
                f"diverged at epoch {self.diverged_at}: |w| left the bound, training stopped"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["config"] = self.config.to_dict()
        for key in ("x", "y", "y_true"):
            d["data"][key] = list(d["data"][key])
        d["epochs"] = [asdict(e) for e in self.epochs]
        d["cost_curve"] = {k: list(v) for k, v in d["cost_curve"].items()}
        return {"format": FORMAT_VERSION, **d}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, sort_keys=True, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Trace:
        if d.get("format") != FORMAT_VERSION:
            raise ValueError(f"trace format {d.get('format')!r} is not {FORMAT_VERSION}")
        return cls(
            config=LessonConfig.from_dict(d["config"], source="trace"),
            data=Data(**{k: tuple(v) for k, v in d["data"].items()}),
            epochs=tuple(Epoch(**e) for e in d["epochs"]),
            final=Final(**d["final"]),
            cost_curve=CostCurve(**{k: tuple(v) for k, v in d["cost_curve"].items()}),
            analysis=Analysis(**d["analysis"]),
            diverged_at=d["diverged_at"],
            versions=dict(d["versions"]),
            hash=d["hash"],
        )


def table_number(v: float, width: int) -> str:
    """A number in a table column: 4 decimals, scientific from 10 million."""
    return f"{v:>{width}.4e}" if abs(v) >= 1e7 else f"{v:>{width}.4f}"


def content_hash(config: LessonConfig, data: Data) -> str:
    """sha256 of the canonical JSON of the config and the data."""
    blob = json.dumps({"config": config.to_dict(), "data": asdict(data)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def config_key(config: LessonConfig) -> str:
    """A short key of the config alone: names a cached trace without computing it."""
    blob = json.dumps(config.to_dict(), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: what a file created by ``open()`` gets here (0644 under the usual umask 022)
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary name beside ``path``, then rename: never a half-written file.
    The file gets the user's umask, as ``open()`` would give it (mkstemp's is 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode() if isinstance(text, str) else text)
            os.fchmod(fh.fileno(), FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
