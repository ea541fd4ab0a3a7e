"""The momentum lesson's parameter file (``lessons/momentum.toml``), read into a frozen
dataclass and checked key by key: a bad value raises ConfigError with one line, e.g.
``lessons/momentum.toml: train.momentum = 1.5 must be >= 0 and < 1``.

Each cost is a polynomial of the one weight w, given by its coefficients from the constant
term up: ``coefficients = [c0, c1, c2, ...]`` is ``c0 + c1*w + c2*w**2 + ...``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gd_engine.config import (
    MAX_MAGNITUDE,
    THEMES,
    ConfigError,
    build_tables,
    read_toml,
)

KIND = "momentum"
#: the highest power of w a cost may have: beyond it float32 overflows for |w| of a few
MAX_DEGREE = 8
MAX_STEPS = 1000


@dataclass(frozen=True)
class Lesson:
    kind: str = KIND
    title: str = ""


@dataclass(frozen=True)
class Landscape:
    """One cost of w, where both runs (plain SGD and SGD with momentum) start."""

    coefficients: tuple[float, ...] = (0.0,)
    w0: float = 1.0
    lr: float = 0.05
    steps: int = 60


#: w^4 + 2 w^3: a cubic's flat saddle at w = 0 (slope and curvature both vanish there),
#: with a quartic term that gives it a floor: its minimum is at w = -1.5 (cost -1.6875)
SADDLE = Landscape(coefficients=(0.0, 0.0, 0.0, 2.0, 1.0), w0=1.0, lr=0.05, steps=60)
#: w^4 - 4 w^2 + w: a shallow local minimum near w = 1.35 (cost -2.62) and the deeper,
#: global one near w = -1.47 (cost -5.44), a bump near w = 0.13 between them
MINIMA = Landscape(coefficients=(0.0, 1.0, -4.0, 0.0, 1.0), w0=2.5, lr=0.01, steps=80)


@dataclass(frozen=True)
class Train:
    """``torch.optim.SGD(..., momentum=momentum)`` against ``momentum=0``; the noisy runs add
    ``noise_std * torch.randn((), generator=gen)`` to the gradient (gen seeded with ``seed``,
    the same noise for both runs). A run is stalled once |dcost/dw| stays under
    ``stall_grad`` for ``stall_steps`` steps running."""

    momentum: float = 0.8
    noise_std: float = 4.0
    seed: int = 2026
    stall_grad: float = 0.05
    stall_steps: int = 5


@dataclass(frozen=True)
class View:
    theme: str = "dark"
    curve_points: int = 241  # where the cost curves are evaluated


@dataclass(frozen=True)
class MomentumConfig:
    lesson: Lesson = field(default_factory=Lesson)
    saddle: Landscape = field(default_factory=lambda: SADDLE)
    minima: Landscape = field(default_factory=lambda: MINIMA)
    train: Train = field(default_factory=Train)
    view: View = field(default_factory=View)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        d = asdict(self)
        for name in LANDSCAPES:
            d[name]["coefficients"] = list(d[name]["coefficients"])
        return d

    @classmethod
    def from_dict(cls, d: dict, source: str = "trace") -> MomentumConfig:
        return build_tables(cls, _TABLES, d, source, {})

    @property
    def title(self) -> str:
        return self.lesson.title or "Momentum"


#: the costs, in the order the lesson shows them (the noisy runs use the minima's)
LANDSCAPES = ("saddle", "minima")
_TABLES = {"lesson": Lesson, "saddle": Landscape, "minima": Landscape, "train": Train, "view": View}


def load_config(path: str | Path, overrides=()) -> MomentumConfig:
    """Read ``path`` with ``table.key=value`` overrides; every key checked."""
    raw, source, origin = read_toml(path, list(overrides))
    # a landscape table given in part keeps its own defaults for the rest
    for name, default in (("saddle", SADDLE), ("minima", MINIMA)):
        given = raw.get(name, {})
        if isinstance(given, dict):
            raw[name] = {**_raw_defaults(default), **given}
    cfg = build_tables(MomentumConfig, _TABLES, raw, source, origin)
    _check_rules(cfg, lambda table, key: origin.get((table, key), source))
    return cfg


def _raw_defaults(landscape: Landscape) -> dict:
    d = asdict(landscape)
    d["coefficients"] = list(d["coefficients"])
    return d


def _check_rules(cfg: MomentumConfig, where) -> None:
    def fail(table: str, key: str, value: Any, rule: str) -> None:
        raise ConfigError(f"{where(table, key)}: {table}.{key} = {value!r} {rule}")

    bound = f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
    if cfg.lesson.kind != KIND:
        fail("lesson", "kind", cfg.lesson.kind, f"must be {KIND}")
    for name in LANDSCAPES:
        land: Landscape = getattr(cfg, name)
        c = land.coefficients
        if len(c) > MAX_DEGREE + 1:
            fail(
                name,
                "coefficients",
                list(c),
                f"must have at most {MAX_DEGREE + 1} (degree <= {MAX_DEGREE})",
            )
        if any(abs(v) > MAX_MAGNITUDE for v in c):
            fail(name, "coefficients", list(c), f"each {bound}")
        if not any(v != 0 for v in c[1:]):
            fail(name, "coefficients", list(c), "must depend on w (a nonzero c1, c2, ...)")
        if abs(land.w0) > MAX_MAGNITUDE:
            fail(name, "w0", land.w0, bound)
        if not 0 < land.lr <= 100:
            fail(name, "lr", land.lr, "must be > 0 and at most 100")
        if not 1 <= land.steps <= MAX_STEPS:
            fail(name, "steps", land.steps, f"must be between 1 and {MAX_STEPS}")
    t = cfg.train
    if not 0 <= t.momentum < 1:
        fail("train", "momentum", t.momentum, "must be >= 0 and < 1")
    if not 0 <= t.noise_std <= MAX_MAGNITUDE:
        fail("train", "noise_std", t.noise_std, f"must be between 0 and {MAX_MAGNITUDE:g}")
    if not 0 <= t.seed < 2**63 - 1:
        fail("train", "seed", t.seed, "must be between 0 and 2**63 - 2")
    if not t.stall_grad > 0:
        fail("train", "stall_grad", t.stall_grad, "must be > 0")
    if not 1 <= t.stall_steps <= MAX_STEPS:
        fail("train", "stall_steps", t.stall_steps, f"must be between 1 and {MAX_STEPS}")
    if cfg.view.theme not in THEMES:
        fail("view", "theme", cfg.view.theme, f"must be one of {', '.join(THEMES)}")
    if not 21 <= cfg.view.curve_points <= 2001:
        fail("view", "curve_points", cfg.view.curve_points, "must be between 21 and 2001")
