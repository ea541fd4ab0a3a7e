"""The momentum lesson's parameter file (``lessons/momentum.toml``), read into a frozen
dataclass and checked key by key: a bad value raises ConfigError with one line, e.g.
``lessons/momentum.toml: train.momentum = 1.5 must be >= 0 and < 1``.

Each cost is a polynomial of the one weight w, given by its coefficients from the constant
term up: ``coefficients = [c0, c1, c2, ...]`` is ``c0 + c1*w + c2*w**2 + ...``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gd_engine.config import MAX_MAGNITUDE
from gd_engine.parameters import ParameterFile, Rules

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
class MomentumConfig(ParameterFile):
    lesson: Lesson = field(default_factory=Lesson)
    saddle: Landscape = field(default_factory=lambda: SADDLE)
    minima: Landscape = field(default_factory=lambda: MINIMA)
    train: Train = field(default_factory=Train)
    view: View = field(default_factory=View)

    @property
    def title(self) -> str:
        return self.lesson.title or "Momentum"

    def check(self, rules: Rules) -> None:
        rules.kind(KIND)
        for name in LANDSCAPES:
            c = list(getattr(self, name).coefficients)
            degree = f"must have at most {MAX_DEGREE + 1} (degree <= {MAX_DEGREE})"
            if len(c) > MAX_DEGREE + 1:
                rules.fail(name, "coefficients", degree, c)
            if any(abs(v) > MAX_MAGNITUDE for v in c):
                rules.fail(name, "coefficients", f"each {BOUND}", c)
            if not any(v != 0 for v in c[1:]):
                rules.fail(name, "coefficients", "must depend on w (a nonzero c1, c2, ...)", c)
            rules.bounded(name, "w0")
            rules.require(
                0 < getattr(self, name).lr <= 100, name, "lr", "must be > 0 and at most 100"
            )
            rules.between(name, "steps", 1, MAX_STEPS)
        rules.fraction("train", "momentum")
        rules.between("train", "noise_std", 0, MAX_MAGNITUDE)
        rules.seed("train")
        rules.positive("train", "stall_grad")
        rules.between("train", "stall_steps", 1, MAX_STEPS)
        rules.theme()
        rules.between("view", "curve_points", 21, 2001)


#: the costs, in the order the lesson shows them (the noisy runs use the minima's)
LANDSCAPES = ("saddle", "minima")
BOUND = f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"

load_config = MomentumConfig.load
