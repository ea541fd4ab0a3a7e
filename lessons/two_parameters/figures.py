"""The follow-up lessons as still figures for slides (matplotlib, no Manim).

- ``contour``: the cost surface's level lines with every run's path of (w, b) and the
  minimum, the map the videos walk on;
- ``loss``: the loss on all the training data against epochs for every run, log scale;
- ``validation`` (learning-rate lessons): the same on the validation data.

Built like :mod:`scenes.figures` (object API, the theme's colours, byte-identical files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from gd_engine.trace import write_atomic
from lessons.two_parameters.trace import FollowUpTrace
from scenes.contour import LEVEL_FRACTIONS, drawing_surface
from scenes.figures import FORMATS, LOSS_WIDTH, MINUS, NOTE_SIZE, _figure, _themed, figure_bytes
from scenes.theme import Theme

PATH_WIDTH = 1.6
MINIMUM_SIZE = 12


def run_labels(trace: FollowUpTrace) -> list[str]:
    """How each run is named in a legend: its batch mode, or its learning rate."""
    if trace.config.lesson.kind == "learning_rates":
        return [f"lr {r.lr:g}" for r in trace.runs]
    return [f"{r.mode}, {len(r.steps)} steps" for r in trace.runs]


def colors(trace: FollowUpTrace, theme: Theme) -> list[str]:
    if len(trace.runs) == 1:
        return [theme.tangent]  # the one path is drawn as in the video
    return [theme.runs[i % len(theme.runs)] for i in range(len(trace.runs))]


def contour_figure(trace: FollowUpTrace, theme: Theme) -> Figure:
    """Level lines of the cost over (w, b), the paths of every run, the minimum."""
    s, m = trace.surface, trace.minimum
    with _themed(theme):
        fig, ax = _figure(theme, trace.config.title, "w", "b")
        loss = np.array(s.loss)
        low, high = float(loss.min()), float(loss.max())
        levels = [low + f * (high - low) for f in LEVEL_FRACTIONS]
        cmap = LinearSegmentedColormap.from_list("cost", [theme.contour_low, theme.contour_high])
        # traced on the finer grid of the same criterion, as the video draws them
        ax.contour(*drawing_surface(trace), levels=levels, cmap=cmap, linewidths=1.2)
        for run, color, label in zip(trace.runs, colors(trace, theme), run_labels(trace)):
            w, b = np.array(run.path).T
            ax.plot(w, b, color=color, linewidth=PATH_WIDTH, label=label, gid=f"path-{label}")
        ax.plot(
            [m.w],
            [m.b],
            marker="x",
            markersize=MINIMUM_SIZE,
            markeredgewidth=2.5,
            color=theme.true_line,
            linestyle="none",
            label=f"minimum (w {m.w:.2f}, b {m.b:.2f})".replace("-", MINUS),
            gid="minimum",
        )
        ax.set_xlim(s.w[0], s.w[-1])
        ax.set_ylim(s.b[0], s.b[-1])
        ax.legend(loc="upper left", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def loss_figure(trace: FollowUpTrace, theme: Theme, data: str = "training") -> Figure:
    """The loss on all the ``training`` (or ``validation``) data against epochs for every
    run, log scale: after every iteration, or after every epoch when learning rates are
    compared (as the video draws them)."""
    with _themed(theme):
        fig, ax = _figure(
            theme, f"Loss on the {data} data", "epoch", f"loss on the {data} data (log scale)"
        )
        for run, color, label in zip(trace.runs, colors(trace, theme), run_labels(trace)):
            losses = run.loss_full if data == "training" else run.loss_val
            points = range(len(run.times))
            if trace.config.lesson.kind == "learning_rates":
                points = run.epoch_ends()
            times, values = [run.times[i] for i in points], [losses[i] for i in points]
            ax.plot(times, values, color=color, linewidth=LOSS_WIDTH, label=label, gid=label)
        ax.set_yscale("log")
        ax.set_xlim(0, trace.config.train.epochs)
        start = max(max(r.start_loss_full, r.start_loss_val) for r in trace.runs)
        ax.set_ylim(top=10 * start)  # a diverging run leaves through the top
        ax.legend(loc="upper right", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def write_followup_figures(trace: FollowUpTrace, theme: Theme, out_dir: Path) -> list[Path]:
    """contour, loss (and validation_loss for a learning-rate lesson), as PNG and SVG."""
    figures = {"contour": contour_figure(trace, theme), "loss": loss_figure(trace, theme)}
    if trace.config.lesson.kind == "learning_rates":
        figures["validation_loss"] = loss_figure(trace, theme, "validation")
    written = []
    for stem, fig in figures.items():
        for fmt in FORMATS:
            path = Path(out_dir) / f"{stem}.{fmt}"
            write_atomic(path, figure_bytes(fig, fmt, theme))
            written.append(path)
        fig.clear()
    return written
