"""A follow-up lesson's parameter file (``lessons/*.toml``), read into a frozen dataclass.

It says which lesson it is (``[lesson] kind``), how the data are made (now with a bias and
an optional validation set), how (w, b) are trained, and what the lesson compares.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from gd_engine.config import (
    MAX_EPOCHS,
    MAX_MAGNITUDE,
    THEMES,
    ConfigError,
    build_tables,
    check_view_bounds,
    count_points,
    points_text,
    read_toml,
)

#: the lessons: one run of (w, b); runs with different batch sizes; runs with different lrs
KINDS = ("slope_bias", "batch_modes", "learning_rates")
#: a trace holds at most this many iterations over all its runs
MAX_ITERATIONS = 20_000
MAX_POINTS = 2_000


@dataclass(frozen=True)
class Lesson:
    kind: str = "slope_bias"
    title: str = ""


@dataclass(frozen=True)
class Data:
    """``x = arange(x_start, x_stop, x_step)``, ``y = slope*x + intercept + noise_std*noise``;
    the validation set has the same x and its own noise; ``outliers`` training points (picked
    by the seeded generator) have y set to ``outlier_y``."""

    x_start: float = -3.0
    x_stop: float = 3.0
    x_step: float = 0.1
    slope: float = 1.0
    intercept: float = -1.0
    noise_std: float = 0.1
    seed: int = 2026
    outliers: int = 0
    outlier_y: float = 20.0


@dataclass(frozen=True)
class Train:
    """Gradient descent on w and b; ``batch_size`` 0 is the full batch, 1 stochastic."""

    w0: float = -15.0
    b0: float = -10.0
    lr: float = 0.1
    epochs: int = 15
    batch_size: int = 0
    shuffle: bool = True


@dataclass(frozen=True)
class Compare:
    """What a comparison lesson varies, run by run (0 in batch_sizes is the full batch)."""

    batch_sizes: tuple[int, ...] = (0, 1, 5, 10)
    lrs: tuple[float, ...] = (1e-4, 1e-3, 1e-2, 1e-1)


@dataclass(frozen=True)
class View:
    theme: str = "dark"
    w_min: float | None = None
    w_max: float | None = None
    b_min: float | None = None
    b_max: float | None = None
    grid_points: int = 61  # per axis of the cost surface


@dataclass(frozen=True)
class FollowUpConfig:
    lesson: Lesson = field(default_factory=Lesson)
    data: Data = field(default_factory=Data)
    train: Train = field(default_factory=Train)
    compare: Compare = field(default_factory=Compare)
    view: View = field(default_factory=View)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        d = asdict(self)
        d["compare"] = {k: list(v) for k, v in d["compare"].items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, dict[str, Any]], source: str = "trace") -> FollowUpConfig:
        return build_tables(cls, _TABLES, d, source, {})

    @property
    def n_points(self) -> int:
        d = self.data
        return count_points(d.x_start, d.x_stop, d.x_step)

    def runs(self) -> list[Train]:
        """The trainings the lesson shows, in order."""
        t = self.train
        if self.lesson.kind == "batch_modes":
            return [replace(t, batch_size=k) for k in self.compare.batch_sizes]
        if self.lesson.kind == "learning_rates":
            return [replace(t, lr=lr) for lr in self.compare.lrs]
        return [t]

    @property
    def title(self) -> str:
        return self.lesson.title or self.lesson.kind.replace("_", " ").capitalize()


_TABLES = {"lesson": Lesson, "data": Data, "train": Train, "compare": Compare, "view": View}


def is_followup(path: str | Path) -> bool:
    """Whether the parameter file at ``path`` is a follow-up lesson (has a [lesson] table)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(raw.get("lesson"), dict)


def load_followup(path: str | Path, overrides=()) -> FollowUpConfig:
    """Read a follow-up lesson's parameter file with ``table.key=value`` overrides."""
    raw, source, origin = read_toml(path, overrides)
    cfg = build_tables(FollowUpConfig, _TABLES, raw, source, origin)
    _check_rules(cfg, lambda table, key: origin.get((table, key), source))
    return cfg


def _check_rules(cfg: FollowUpConfig, where) -> None:
    d, t, c, v = cfg.data, cfg.train, cfg.compare, cfg.view

    def fail(table: str, key: str, value: Any, rule: str) -> None:
        raise ConfigError(f"{where(table, key)}: {table}.{key} = {value!r} {rule}")

    bound = f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
    if cfg.lesson.kind not in KINDS:
        fail("lesson", "kind", cfg.lesson.kind, f"must be one of {', '.join(KINDS)}")
    for table, obj, keys in (
        ("data", d, ("x_start", "x_stop", "slope", "intercept", "noise_std", "outlier_y")),
        ("train", t, ("w0", "b0")),
    ):
        for key in keys:
            if abs(getattr(obj, key)) > MAX_MAGNITUDE:
                fail(table, key, getattr(obj, key), bound)
    if d.x_step <= 0:
        fail("data", "x_step", d.x_step, "must be > 0")
    if not 2 <= cfg.n_points <= MAX_POINTS:
        fail(
            "data",
            "x_step",
            d.x_step,
            f"makes {points_text(cfg.n_points)} points; 2 to {MAX_POINTS}",
        )
    if d.noise_std < 0:
        fail("data", "noise_std", d.noise_std, "must be >= 0")
    if not 0 <= d.seed < 2**63 - 1:
        fail("data", "seed", d.seed, "must be between 0 and 2**63 - 2")
    if not 0 <= d.outliers < cfg.n_points:
        fail("data", "outliers", d.outliers, f"must be between 0 and {cfg.n_points - 1}")
    if not 1 <= t.epochs <= MAX_EPOCHS:
        fail("train", "epochs", t.epochs, f"must be between 1 and {MAX_EPOCHS}")
    if t.lr <= 0:
        fail("train", "lr", t.lr, "must be > 0")
    if cfg.lesson.kind == "learning_rates" and any(lr <= 0 for lr in c.lrs):
        fail("compare", "lrs", list(c.lrs), "must be > 0")
    sizes = f"must be between 0 (full batch) and {cfg.n_points}"
    if not 0 <= t.batch_size <= cfg.n_points:
        fail("train", "batch_size", t.batch_size, sizes)
    if cfg.lesson.kind == "batch_modes" and any(not 0 <= k <= cfg.n_points for k in c.batch_sizes):
        fail("compare", "batch_sizes", list(c.batch_sizes), sizes)
    iterations = sum(
        r.epochs * math.ceil(cfg.n_points / (r.batch_size or cfg.n_points)) for r in cfg.runs()
    )
    if iterations > MAX_ITERATIONS:
        fail(
            "train", "epochs", t.epochs, f"makes {iterations} iterations; at most {MAX_ITERATIONS}"
        )
    if v.theme not in THEMES:
        fail("view", "theme", v.theme, f"must be one of {', '.join(THEMES)}")
    if not 11 <= v.grid_points <= 201:
        fail("view", "grid_points", v.grid_points, "must be between 11 and 201")
    check_view_bounds(v, ("w", "b"), where)
