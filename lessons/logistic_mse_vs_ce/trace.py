"""The logistic lesson's trace: both runs (mean squared error, cross-entropy) iteration by
iteration, and each criterion's cost over a (w, b) grid. Saved as JSON; no torch here, so a
scene that reads a cached trace starts fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gd_engine.trace import TaggedTrace, table_number

from .config import LogisticConfig

#: the criteria the lesson compares, in the order of its runs: key -> what the lesson calls it
CRITERIA = {"mse": "mean squared error", "bce": "cross-entropy"}


@dataclass(frozen=True)
class Step:
    """One iteration: yhat = model(x), loss = criterion(yhat, y), zero_grad(), backward(),
    step(). The values before the step, and (w, b) after it."""

    iteration: int
    w: float
    b: float
    loss: float  # the criterion at (w, b) on all the data
    grad_w: float  # dloss/dw as backward() left it in the weight's .grad
    grad_b: float
    grad_norm: float  # sqrt(grad_w^2 + grad_b^2)
    accuracy: float  # the share of points with (yhat > 0.5) == label, at (w, b)
    w_next: float  # after optimizer.step(): w - lr * grad_w
    b_next: float


@dataclass(frozen=True)
class Run:
    criterion: str  # a key of CRITERIA
    start: tuple[float, float]  # (w0, b0) as the model holds them (float32)
    steps: tuple[Step, ...]
    end_loss: float  # the criterion at the last (w, b) of the path
    end_accuracy: float
    stalled_at: int | None  # the iteration that made stall_iterations under stall_grad
    diverged_at: int | None  # the iteration whose step left |w|, |b| <= W_BOUND

    @property
    def name(self) -> str:
        return CRITERIA[self.criterion]

    @property
    def path(self) -> list[tuple[float, float]]:
        """(w, b) at the start and after every iteration (a step that left the bound is not
        in it)."""
        return [self.start] + [(s.w_next, s.b_next) for s in self.steps]

    @property
    def losses(self) -> list[float]:
        """The criterion at every point of :attr:`path`."""
        return [s.loss for s in self.steps] + [self.end_loss]

    @property
    def accuracies(self) -> list[float]:
        return [s.accuracy for s in self.steps] + [self.end_accuracy]


@dataclass(frozen=True)
class Data:
    x: tuple[float, ...]
    y: tuple[float, ...]  # labels, 0.0 or 1.0


@dataclass(frozen=True)
class Surface:
    """A criterion's value over a grid: ``loss[i][j]`` at ``(w[j], b[i])``, computed with the
    training's own forward and criterion on all the data."""

    criterion: str
    w: tuple[float, ...]
    b: tuple[float, ...]
    loss: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class LogisticTrace(TaggedTrace):
    KIND, NAME = "logistic", "a logistic"
    STEP_FIELDS = list(Step.__dataclass_fields__)

    config: LogisticConfig
    data: Data
    runs: tuple[Run, ...]  # in the order of CRITERIA
    surfaces: tuple[Surface, ...]  # the same order
    versions: dict[str, str]
    hash: str

    def run(self, criterion: str) -> Run:
        return self.runs[list(CRITERIA).index(criterion)]

    def surface(self, criterion: str) -> Surface:
        return self.surfaces[list(CRITERIA).index(criterion)]

    def table(self) -> str:
        """A line per run: where it ended, its loss, accuracy and last gradient norm, and
        whether it stalled or diverged (``gdlesson trace``)."""
        t = self.config.train
        lines = [
            self.config.title,
            f"start w = {t.w0:g}, b = {t.b0:g}, lr = {t.lr:g}",
            f"{'criterion':<20} {'steps':>5} {'w':>11} {'b':>11} {'loss':>11} "
            f"{'accuracy':>8} {'|grad|':>11}",
        ]
        for r in self.runs:
            w, b = r.path[-1]
            grad = r.steps[-1].grad_norm if r.steps else float("nan")
            cells = " ".join(table_number(v, 11) for v in (w, b, r.end_loss))
            line = f"{r.name:<20} {len(r.steps):>5} {cells} {r.end_accuracy:>8.2f} {grad:>11.3e}"
            if r.stalled_at is not None:
                line += f"  stalled at iteration {r.stalled_at}"
            if r.diverged_at is not None:
                line += f"  diverged at iteration {r.diverged_at}"
            lines.append(line)
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LogisticTrace:
        cls.check_tag(d)
        runs = tuple(
            Run(
                **{
                    **r,
                    "start": tuple(r["start"]),
                    "steps": tuple(Step(*row) for row in r["steps"]),
                }
            )
            for r in d["runs"]
        )
        surfaces = tuple(
            Surface(s["criterion"], tuple(s["w"]), tuple(s["b"]), tuple(map(tuple, s["loss"])))
            for s in d["surfaces"]
        )
        return cls(
            config=LogisticConfig.from_dict(d["config"]),
            data=Data(tuple(d["data"]["x"]), tuple(d["data"]["y"])),
            runs=runs,
            surfaces=surfaces,
            versions=dict(d["versions"]),
            hash=d["hash"],
        )
