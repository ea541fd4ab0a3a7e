"""The parameter file of the logistic-regression lesson (``lessons/logistic_mse_vs_ce.toml``),
read into a frozen dataclass, every key checked.

A bad value raises :class:`gd_engine.config.ConfigError` whose text is the one line a user
sees: ``lessons/logistic_mse_vs_ce.toml: train.lr = -1.0 must be > 0``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gd_engine.config import MAX_EPOCHS
from gd_engine.parameters import ParameterFile, Rules

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
class LogisticConfig(ParameterFile):
    lesson: Lesson = field(default_factory=Lesson)
    data: Data = field(default_factory=Data)
    train: Train = field(default_factory=Train)
    view: View = field(default_factory=View)

    @property
    def points(self) -> int:
        """How many x values: the whole steps from x_start to x_stop, both ends included."""
        d = self.data
        return round((d.x_stop - d.x_start) / d.x_step) + 1

    def check(self, rules: Rules) -> None:
        d, t = self.data, self.train
        rules.kind(KIND)
        rules.bounded("data", "x_start", "x_stop", "threshold")
        rules.bounded("train", "w0", "b0")
        rules.positive("data", "x_step")
        above = f"must be above data.x_start = {d.x_start!r}"
        rules.require(d.x_stop > d.x_start, "data", "x_stop", above)
        steps = (d.x_stop - d.x_start) / d.x_step
        rules.require(steps <= MAX_POINTS, "data", "x_step", f"makes more than {MAX_POINTS} points")
        whole = abs(steps - round(steps)) <= WHOLE_STEPS * max(1.0, steps)
        span = f"must divide x_stop - x_start = {d.x_stop - d.x_start:g} into whole steps"
        rules.require(whole, "data", "x_step", span)
        inside = (
            f"must lie between data.x_start = {d.x_start!r} and data.x_stop = {d.x_stop!r} "
            "(both labels must occur)"
        )
        rules.require(d.x_start < d.threshold < d.x_stop, "data", "threshold", inside)
        rules.positive("train", "lr")
        rules.between("train", "epochs", 1, MAX_EPOCHS)
        rules.positive("train", "stall_grad")
        runs = f"must be between 1 and train.epochs = {t.epochs}"
        rules.require(1 <= t.stall_iterations <= t.epochs, "train", "stall_iterations", runs)
        rules.theme()
        rules.between("view", "grid_points", 11, 201)
        rules.view_bounds("w", "b")


load_config = LogisticConfig.load
