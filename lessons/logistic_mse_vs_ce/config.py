"""The parameter file of the logistic-regression lesson (``lessons/logistic_mse_vs_ce.toml``),
read into a frozen dataclass, every key checked.

A bad value raises :class:`gd_engine.config.ConfigError` whose text is the one line a user
sees: ``lessons/logistic_mse_vs_ce.toml: train.lr = -1.0 must be > 0``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gd_engine.config import (
    MAX_EPOCHS,
    MAX_MAGNITUDE,
    THEMES,
    ConfigError,
    build_tables,
    check_view_bounds,
    read_toml,
)

KIND = "logistic_mse_vs_ce"
#: at most this many data points
MAX_POINTS = 1000
#: (x_stop - x_start) / x_step must be this close to a whole number of steps
WHOLE_STEPS = 1e-6


@dataclass(frozen=True)
class Lesson:
    kind: str = KIND
    title: str = "Why logistic regression uses cross-entropy"


@dataclass(frozen=True)
class Data:
    """``x = linspace(x_start, x_stop, points)`` with ``x_step`` between neighbours;
    the label is 1 where ``x > threshold``, else 0."""

    x_start: float = -1.0
    x_stop: float = 1.0
    x_step: float = 0.1
    threshold: float = 0.2


@dataclass(frozen=True)
class Train:
    """Full-batch SGD on ``sigmoid(w*x + b)``, once with each criterion, from (w0, b0).

    A run is *stalled* once the gradient's norm |(dL/dw, dL/db)| has stayed under
    ``stall_grad`` for ``stall_iterations`` iterations in a row."""

    w0: float = -5.0
    b0: float = -10.0
    lr: float = 2.0
    epochs: int = 60
    stall_grad: float = 1e-3
    stall_iterations: int = 10


@dataclass(frozen=True)
class View:
    theme: str = "dark"
    w_min: float | None = None
    w_max: float | None = None
    b_min: float | None = None
    b_max: float | None = None
    grid_points: int = 61  # per axis of each cost surface


@dataclass(frozen=True)
class LogisticConfig:
    lesson: Lesson = field(default_factory=Lesson)
    data: Data = field(default_factory=Data)
    train: Train = field(default_factory=Train)
    view: View = field(default_factory=View)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, dict[str, Any]], source: str = "trace") -> LogisticConfig:
        return build_tables(cls, _TABLES, d, source, {})

    @property
    def points(self) -> int:
        """How many x values: the whole steps from x_start to x_stop, both ends included."""
        d = self.data
        return round((d.x_stop - d.x_start) / d.x_step) + 1

    @property
    def title(self) -> str:
        return self.lesson.title


_TABLES = {"lesson": Lesson, "data": Data, "train": Train, "view": View}


def load_config(path: str | Path, overrides=()) -> LogisticConfig:
    """Read the parameter file at ``path`` with ``table.key=value`` overrides, checked."""
    raw, source, origin = read_toml(path, overrides)
    cfg = build_tables(LogisticConfig, _TABLES, raw, source, origin)
    check_rules(cfg, lambda table, key: origin.get((table, key), source))
    return cfg


def check_rules(cfg: LogisticConfig, where) -> None:
    """Every rule a value must follow beyond its type; the first broken one is raised."""
    d, t, v = cfg.data, cfg.train, cfg.view

    def fail(table: str, key: str, value: Any, rule: str) -> None:
        raise ConfigError(f"{where(table, key)}: {table}.{key} = {value!r} {rule}")

    if cfg.lesson.kind != KIND:
        fail("lesson", "kind", cfg.lesson.kind, f"must be {KIND!r}")
    bound = f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
    for table, obj, keys in (
        ("data", d, ("x_start", "x_stop", "threshold")),
        ("train", t, ("w0", "b0")),
    ):
        for key in keys:
            if abs(getattr(obj, key)) > MAX_MAGNITUDE:
                fail(table, key, getattr(obj, key), bound)
    if d.x_step <= 0:
        fail("data", "x_step", d.x_step, "must be > 0")
    if d.x_stop <= d.x_start:
        fail("data", "x_stop", d.x_stop, f"must be above data.x_start = {d.x_start!r}")
    steps = (d.x_stop - d.x_start) / d.x_step
    if steps > MAX_POINTS:
        fail("data", "x_step", d.x_step, f"makes more than {MAX_POINTS} points")
    if abs(steps - round(steps)) > WHOLE_STEPS * max(1.0, steps):
        fail(
            "data",
            "x_step",
            d.x_step,
            f"must divide x_stop - x_start = {d.x_stop - d.x_start:g} into whole steps",
        )
    if not d.x_start < d.threshold < d.x_stop:
        fail(
            "data",
            "threshold",
            d.threshold,
            f"must lie between data.x_start = {d.x_start!r} and data.x_stop = {d.x_stop!r} "
            "(both labels must occur)",
        )
    if not t.lr > 0:
        fail("train", "lr", t.lr, "must be > 0")
    if not 1 <= t.epochs <= MAX_EPOCHS:
        fail("train", "epochs", t.epochs, f"must be between 1 and {MAX_EPOCHS}")
    if not t.stall_grad > 0:
        fail("train", "stall_grad", t.stall_grad, "must be > 0")
    if not 1 <= t.stall_iterations <= t.epochs:
        fail(
            "train",
            "stall_iterations",
            t.stall_iterations,
            f"must be between 1 and train.epochs = {t.epochs}",
        )
    if v.theme not in THEMES:
        fail("view", "theme", v.theme, f"must be one of {', '.join(THEMES)}")
    if not 11 <= v.grid_points <= 201:
        fail("view", "grid_points", v.grid_points, "must be between 11 and 201")
    check_view_bounds(v, ("w", "b"), where)
