"""The optimizers lesson's parameter file (``lessons/optimizers.toml``), read into a frozen
dataclass; every key is checked, a bad one raises ``ConfigError`` with one line
``file: table.key = value rule``.

The lesson trains (w, b) of a line on the slope-and-bias data twice: as it is ("well
scaled") and with every x multiplied by ``elongated.x_scale`` (the same points measured in
other units), which stretches the cost's level ellipses along w. On each it runs the four
optimizers of ``torch.optim`` from the same start for ``train.iterations`` full-batch steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gd_engine.config import count_points, points_text
from gd_engine.parameters import ParameterFile, Rules

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
class OptimizersConfig(ParameterFile):
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

    @property
    def n_points(self) -> int:
        d = self.data
        return count_points(d.x_start, d.x_stop, d.x_step)

    @property
    def title(self) -> str:
        return self.lesson.title or "Optimizers compared"

    def check(self, rules: Rules) -> None:
        rules.kind(KIND)
        rules.bounded("data", "x_start", "x_stop", "slope", "intercept", "noise_std")
        rules.bounded("train", "w0", "b0")
        rules.positive("data", "x_step")
        points = f"makes {points_text(self.n_points)} points; 2 to {MAX_POINTS}"
        rules.require(2 <= self.n_points <= MAX_POINTS, "data", "x_step", points)
        rules.require(self.data.noise_std >= 0, "data", "noise_std", "must be >= 0")
        rules.seed("data")
        scale = "must be between 0.001 and 1000 in size"
        rules.require(1e-3 <= abs(self.elongated.x_scale) <= 1e3, "elongated", "x_scale", scale)
        rules.between("train", "iterations", 1, MAX_ITERATIONS)
        for name in OPTIMIZERS:
            ok = 0 < getattr(self, name).lr <= 100
            rules.require(ok, name, "lr", "must be > 0 and at most 100")
        # 0 is plain SGD: torch keeps no buffer then
        ok = 0 < self.momentum.momentum < 1
        rules.require(ok, "momentum", "momentum", "must be > 0 and < 1")
        rules.fraction("rmsprop", "alpha")
        rules.fraction("adam", "beta1", "beta2")
        for name in ("rmsprop", "adam"):
            rules.require(
                0 < getattr(self, name).eps <= 1, name, "eps", "must be > 0 and at most 1"
            )
        rules.positive("regimes", "stall_grad")
        rules.between("regimes", "stall_iterations", 1, MAX_ITERATIONS)
        rules.require(self.regimes.stall_gap >= 0, "regimes", "stall_gap", "must be >= 0")
        rules.theme()
        rules.between("view", "grid_points", 11, 201)


load_config = OptimizersConfig.load
