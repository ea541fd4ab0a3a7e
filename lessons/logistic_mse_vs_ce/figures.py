"""The logistic lesson as still figures for slides (matplotlib, no Manim), built like
:mod:`scenes.figures` (its slide-sized themed axes, byte-identical files):

- ``map_mse`` and ``map_bce``: each criterion's level lines over (w, b) with its run's path
  from the shared start (the squared error's "stalled" where it stalled);
- ``gradient``: the gradient's size per iteration for both runs, log scale;
- ``fit``: the labels and the sigmoid each run ends with, and its accuracy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from gd_engine.trace import write_atomic
from scenes.contour import LEVEL_FRACTIONS
from scenes.figures import FORMATS, LOSS_WIDTH, MINUS, NOTE_SIZE, _figure, _themed, figure_bytes
from scenes.theme import Theme

from .levels import cost_grid
from .trace import CRITERIA, LogisticTrace, Run

PATH_WIDTH = 2.0


def color_of(run: Run, theme: Theme) -> str:
    """As in the videos: the squared error's run in one compared-run colour, the other's in
    another."""
    return theme.runs[1] if run.criterion == "mse" else theme.runs[2]


def map_figure(trace: LogisticTrace, theme: Theme, criterion: str) -> Figure:
    run, s = trace.run(criterion), trace.surface(criterion)
    with _themed(theme):
        fig, ax = _figure(theme, f"The {run.name} over (w, b)", "w", "b")
        loss = np.array(s.loss)
        low, high = float(loss.min()), float(loss.max())
        levels = [low + f * (high - low) for f in LEVEL_FRACTIONS]
        cmap = LinearSegmentedColormap.from_list("cost", [theme.contour_low, theme.contour_high])
        ax.contour(*cost_grid(trace, criterion), levels=levels, cmap=cmap, linewidths=1.2)
        w, b = np.array(run.path).T
        label = f"{len(run.steps)} iterations, lr {trace.config.train.lr:g}"
        ax.plot(w, b, color=color_of(run, theme), linewidth=PATH_WIDTH, label=label, gid="path")
        ax.plot(w[-1:], b[-1:], "o", color=color_of(run, theme), markersize=8)
        if run.stalled_at is not None:
            w_at, b_at = run.path[run.stalled_at + 1]
            ax.annotate(
                f"stalled (iteration {run.stalled_at})",
                (w_at, b_at),
                xytext=(12, 12),
                textcoords="offset points",
                color=theme.regimes[3],
                fontsize=NOTE_SIZE,
            )
        ax.set_xlim(s.w[0], s.w[-1])
        ax.set_ylim(s.b[0], s.b[-1])
        ax.legend(loc="upper left", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def gradient_figure(trace: LogisticTrace, theme: Theme) -> Figure:
    with _themed(theme):
        fig, ax = _figure(
            theme, "The gradient's size per iteration", "iteration", "|gradient| (log scale)"
        )
        for run in trace.runs:
            norms = [s.grad_norm for s in run.steps]
            ax.plot(
                range(len(norms)),
                norms,
                color=color_of(run, theme),
                linewidth=LOSS_WIDTH,
                label=run.name,
                gid=run.criterion,
            )
        stall = trace.config.train.stall_grad
        ax.axhline(stall, color=theme.muted, linestyle="--", linewidth=1.0)
        ax.annotate(
            f"stall threshold {stall:g}".replace("-", MINUS),
            (0, stall),
            xytext=(4, 4),
            textcoords="offset points",
            color=theme.muted,
            fontsize=NOTE_SIZE,
        )
        ax.set_yscale("log")
        ax.legend(loc="upper right", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def fit_figure(trace: LogisticTrace, theme: Theme) -> Figure:
    x = np.array(trace.data.x)
    xs = np.linspace(x[0], x[-1], 200)
    with _themed(theme):
        fig, ax = _figure(theme, "Where each run ends", "x", "label and sigmoid(w x + b)")
        ax.plot(x, trace.data.y, "o", color=theme.data, markersize=7, label="labels")
        for run in trace.runs:
            w, b = run.path[-1]
            with np.errstate(over="ignore"):
                p = 1.0 / (1.0 + np.exp(-(w * xs + b)))
            label = f"{run.name}: accuracy {run.end_accuracy:.0%}"
            ax.plot(xs, p, color=color_of(run, theme), linewidth=PATH_WIDTH, label=label)
        ax.set_ylim(-0.1, 1.1)
        ax.legend(loc="center left", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def write_figures(trace: LogisticTrace, theme: Theme, out_dir: Path) -> list[Path]:
    """map_mse, map_bce, gradient and fit, each as PNG and SVG, written atomically."""
    figures = {f"map_{key}": map_figure(trace, theme, key) for key in CRITERIA}
    figures["gradient"] = gradient_figure(trace, theme)
    figures["fit"] = fit_figure(trace, theme)
    written = []
    for stem, fig in figures.items():
        for fmt in FORMATS:
            path = Path(out_dir) / f"{stem}.{fmt}"
            write_atomic(path, figure_bytes(fig, fmt, theme))
            written.append(path)
        fig.clear()
    return written
