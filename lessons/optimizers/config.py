"""The optimizers lesson's parameter file (``lessons/optimizers.toml``), read into a frozen
dataclass; every key is checked, a bad one raises ``ConfigError`` with one line
``file: table.key = value rule``.

The lesson trains (w, b) of a line on the slope-and-bias data twice: as it is ("well
scaled") and with every x multiplied by ``elongated.x_scale`` (the same points measured in
other units), which stretches the cost's level ellipses along w. On each it runs the four
optimizers of ``torch.optim`` from the same start for ``train.iterations`` full-batch steps.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from gd_engine.config import (
    MAX_MAGNITUDE,
    THEMES,
    ConfigError,
    build_tables,
    count_points,
    points_text,
    read_toml,
)

KIND = "optimizers"
#: the optimizers, in the order the lesson shows them
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
NAMES = {"sgd": "SGD", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}
MAX_POINTS = 2_000
MAX_ITERATIONS = 500


@dataclass(frozen=True)
class Lesson:
    kind: str = KIND
    title: str = ""


@dataclass(frozen=True)
class Data:
    """``x = arange(x_start, x_stop, x_step)``, ``y = slope*x + intercept + noise_std*noise``
    (noise from a generator seeded with ``seed``)."""

    x_start: float = -3.0
    x_stop: float = 3.0
    x_step: float = 0.1
    slope: float = 1.0
    intercept: float = -1.0
    noise_std: float = 0.1
    seed: int = 2026


@dataclass(frozen=True)
class Elongated:
    """The badly scaled problem: the same points with x multiplied by ``x_scale``."""

    x_scale: float = 0.2


@dataclass(frozen=True)
class Train:
    """The start of every run and how many full-batch steps each takes."""

    w0: float = -3.0
    b0: float = 3.0
    iterations: int = 50


@dataclass(frozen=True)
class Sgd:
    lr: float = 0.1


@dataclass(frozen=True)
class Momentum:
    """``torch.optim.SGD(..., momentum=momentum)``."""

    lr: float = 0.05
    momentum: float = 0.8


@dataclass(frozen=True)
class RmsProp:
    """``torch.optim.RMSprop(..., alpha=alpha, eps=eps)``."""

    lr: float = 0.2
    alpha: float = 0.9
    eps: float = 1e-8


@dataclass(frozen=True)
class Adam:
    """``torch.optim.Adam(..., betas=(beta1, beta2), eps=eps)``."""

    lr: float = 0.2
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8


@dataclass(frozen=True)
class Regimes:
    """A run is stalled when its gradient's norm stays under ``stall_grad`` for
    ``stall_iterations`` iterations in a row while its loss is more than ``stall_gap`` above
    the minimum's; it is diverged when w or b leaves W_BOUND (the run stops there)."""

    stall_grad: float = 1e-3
    stall_iterations: int = 5
    stall_gap: float = 0.05


@dataclass(frozen=True)
class View:
    theme: str = "dark"
    grid_points: int = 61  # per axis of each cost surface


@dataclass(frozen=True)
class OptimizersConfig:
    lesson: Lesson = field(default_factory=Lesson)
    data: Data = field(default_factory=Data)
    elongated: Elongated = field(default_factory=Elongated)
    train: Train = field(default_factory=Train)
    sgd: Sgd = field(default_factory=Sgd)
    momentum: Momentum = field(default_factory=Momentum)
    rmsprop: RmsProp = field(default_factory=RmsProp)
    adam: Adam = field(default_factory=Adam)
    regimes: Regimes = field(default_factory=Regimes)
    view: View = field(default_factory=View)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, dict[str, Any]], source: str = "trace") -> OptimizersConfig:
        return build_tables(cls, TABLES, d, source, {})

    @property
    def n_points(self) -> int:
        d = self.data
        return count_points(d.x_start, d.x_stop, d.x_step)

    @property
    def title(self) -> str:
        return self.lesson.title or "Optimizers compared"


TABLES = {
    "lesson": Lesson,
    "data": Data,
    "elongated": Elongated,
    "train": Train,
    "sgd": Sgd,
    "momentum": Momentum,
    "rmsprop": RmsProp,
    "adam": Adam,
    "regimes": Regimes,
    "view": View,
}


def load_config(path, overrides=()) -> OptimizersConfig:
    """Read the parameter file at ``path`` with ``table.key=value`` overrides, checked."""
    raw, source, origin = read_toml(path, list(overrides))
    cfg = build_tables(OptimizersConfig, TABLES, raw, source, origin)
    check_rules(cfg, lambda table, key: origin.get((table, key), source))
    return cfg


def check_rules(cfg: OptimizersConfig, where) -> None:
    def fail(table: str, key: str, rule: str) -> None:
        value = getattr(getattr(cfg, table), key)
        raise ConfigError(f"{where(table, key)}: {table}.{key} = {value!r} {rule}")

    d = cfg.data
    if cfg.lesson.kind != KIND:
        fail("lesson", "kind", f'must be "{KIND}"')
    bound = f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
    for table, keys in (
        ("data", ("x_start", "x_stop", "slope", "intercept", "noise_std")),
        ("train", ("w0", "b0")),
    ):
        for key in keys:
            if abs(getattr(getattr(cfg, table), key)) > MAX_MAGNITUDE:
                fail(table, key, bound)
    if d.x_step <= 0:
        fail("data", "x_step", "must be > 0")
    if not 2 <= cfg.n_points <= MAX_POINTS:
        fail("data", "x_step", f"makes {points_text(cfg.n_points)} points; 2 to {MAX_POINTS}")
    if d.noise_std < 0:
        fail("data", "noise_std", "must be >= 0")
    if not 0 <= d.seed < 2**63 - 1:
        fail("data", "seed", "must be between 0 and 2**63 - 2")
    if not 1e-3 <= abs(cfg.elongated.x_scale) <= 1e3:
        fail("elongated", "x_scale", "must be between 0.001 and 1000 in size")
    if not 1 <= cfg.train.iterations <= MAX_ITERATIONS:
        fail("train", "iterations", f"must be between 1 and {MAX_ITERATIONS}")
    for name in OPTIMIZERS:
        if not 0 < getattr(cfg, name).lr <= 100:
            fail(name, "lr", "must be > 0 and at most 100")
    if not 0 < cfg.momentum.momentum < 1:  # 0 is plain SGD: torch keeps no buffer then
        fail("momentum", "momentum", "must be > 0 and < 1")
    for table, key in (
        ("rmsprop", "alpha"),
        ("adam", "beta1"),
        ("adam", "beta2"),
    ):
        if not 0 <= getattr(getattr(cfg, table), key) < 1:
            fail(table, key, "must be >= 0 and < 1")
    for table in ("rmsprop", "adam"):
        if not 0 < getattr(cfg, table).eps <= 1:
            fail(table, "eps", "must be > 0 and at most 1")
    r = cfg.regimes
    if not r.stall_grad > 0:
        fail("regimes", "stall_grad", "must be > 0")
    if not 1 <= r.stall_iterations <= MAX_ITERATIONS:
        fail("regimes", "stall_iterations", f"must be between 1 and {MAX_ITERATIONS}")
    if not r.stall_gap >= 0:
        fail("regimes", "stall_gap", "must be >= 0")
    if cfg.view.theme not in THEMES:
        fail("view", "theme", f"must be one of {', '.join(THEMES)}")
    if not 11 <= cfg.view.grid_points <= 201:
        fail("view", "grid_points", "must be between 11 and 201")
