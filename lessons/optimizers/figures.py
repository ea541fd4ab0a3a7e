"""The optimizers lesson as still figures for slides (matplotlib, no Manim), for each problem
(``well_scaled``, ``elongated``):

- ``contour_<problem>``: the cost's level lines with every optimizer's path and the minimum;
- ``loss_<problem>``: every optimizer's loss against iterations, log scale.

Built like :mod:`scenes.figures` (object API, the theme's colours, byte-identical files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from gd_engine.trace import write_atomic
from lessons.optimizers.config import OPTIMIZERS
from lessons.optimizers.trace import OptimizersTrace, Problem
from scenes.contour import LEVEL_FRACTIONS, drawing_surface
from scenes.figures import FORMATS, LOSS_WIDTH, MINUS, NOTE_SIZE, _figure, _themed, figure_bytes
from scenes.theme import Theme

PATH_WIDTH = 1.6
MINIMUM_SIZE = 12


def colors(theme: Theme) -> dict[str, str]:
    """One colour per optimizer, as the videos draw them."""
    palette = theme.runs[1:]
    return {o: palette[i % len(palette)] for i, o in enumerate(OPTIMIZERS)}


def label(run) -> str:
    return f"{run.name} (lr {run.lr:g}){', ' + run.regime if run.regime else ''}"


def contour_figure(problem: Problem, theme: Theme) -> Figure:
    s, m = problem.surface, problem.minimum
    with _themed(theme):
        fig, ax = _figure(
            theme, f"Optimizers, {problem.name} (x times {problem.x_scale:g})", "w", "b"
        )
        loss = np.array(s.loss)
        low, high = float(loss.min()), float(loss.max())
        levels = [low + f * (high - low) for f in LEVEL_FRACTIONS]
        cmap = LinearSegmentedColormap.from_list("cost", [theme.contour_low, theme.contour_high])
        ax.contour(*drawing_surface(problem), levels=levels, cmap=cmap, linewidths=1.2)
        for run in problem.runs:
            w, b = np.array(run.path).T
            ax.plot(
                w,
                b,
                color=colors(theme)[run.optimizer],
                linewidth=PATH_WIDTH,
                label=label(run),
                gid=f"path-{run.optimizer}",
            )
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
        ax.legend(loc="lower right", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def loss_figure(problem: Problem, theme: Theme) -> Figure:
    with _themed(theme):
        fig, ax = _figure(theme, f"Loss, {problem.name}", "iteration", "loss (log scale)")
        for run in problem.runs:
            ax.plot(
                range(len(run.losses)),
                run.losses,
                color=colors(theme)[run.optimizer],
                linewidth=LOSS_WIDTH,
                label=label(run),
                gid=f"loss-{run.optimizer}",
            )
        ax.set_yscale("log")
        ax.set_xlim(0, max(len(r.steps) for r in problem.runs) or 1)
        ax.set_ylim(top=10 * max(r.start_loss for r in problem.runs))  # a diverged run leaves
        ax.legend(loc="upper right", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def write_figures(trace: OptimizersTrace, theme: Theme, out_dir: Path) -> list[Path]:
    """contour_* and loss_* of both problems, as PNG and SVG."""
    written = []
    for problem in trace.problems:
        stem = problem.name.replace(" ", "_")
        for kind, fig in (
            ("contour", contour_figure(problem, theme)),
            ("loss", loss_figure(problem, theme)),
        ):
            for fmt in FORMATS:
                path = Path(out_dir) / f"{kind}_{stem}.{fmt}"
                write_atomic(path, figure_bytes(fig, fmt, theme))
                written.append(path)
            fig.clear()
    return written
