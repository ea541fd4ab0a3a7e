"""The momentum lesson as still figures for slides (matplotlib, no Manim): for each race
(the saddle, the two minima, the noisy gradient) w against the step for plain SGD and for
momentum, with the cost's minima as level lines and where a run stalled marked.

Built like :mod:`scenes.figures` (object API, the theme's colours, byte-identical files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from gd_engine.trace import write_atomic
from lessons.momentum.trace import SCENES, MomentumTrace
from scenes.figures import FORMATS, LOSS_WIDTH, NOTE_SIZE, _figure, _themed, figure_bytes
from scenes.theme import Theme

#: the compared runs' colours, as the videos draw them (indices into theme.runs)
PLAIN, MOMENTUM = 1, 3
STEMS = {("saddle", False): "saddle", ("minima", False): "minima", ("minima", True): "noisy"}
TITLES = {
    "saddle": "A flat saddle: w against the step",
    "minima": "Two minima: w against the step",
    "noisy": "Two minima, noisy gradient: w against the step",
}


def curve_minima(trace: MomentumTrace, landscape: str) -> list[float]:
    """The w of each local minimum of the trace's cost curve (inside its range)."""
    w, loss = np.array(trace.curves[landscape].w), np.array(trace.curves[landscape].loss)
    inner = (loss[1:-1] < loss[:-2]) & (loss[1:-1] <= loss[2:])
    return [float(v) for v in w[1:-1][inner]]


def race_figure(trace: MomentumTrace, theme: Theme, landscape: str, noisy: bool) -> Figure:
    stem = STEMS[(landscape, noisy)]
    with _themed(theme):
        fig, ax = _figure(theme, TITLES[stem], "step", "w")
        for w in curve_minima(trace, landscape):
            ax.axhline(w, color=theme.true_line, linewidth=1.0, linestyle="--", gid="minimum")
        for run, index in zip(trace.pair(landscape, noisy), (PLAIN, MOMENTUM)):
            color = theme.runs[index]
            label = run.name if not run.momentum else f"momentum {run.momentum:g}"
            ax.plot(
                range(len(run.path)),
                run.path,
                color=color,
                linewidth=LOSS_WIDTH,
                label=label,
                gid=run.name,
            )
            if run.stalled_at is not None:
                ax.plot(
                    [run.stalled_at],
                    [run.steps[run.stalled_at].w],
                    marker="o",
                    color=color,
                    linestyle="none",
                    gid=f"stalled-{run.name}",
                )
                ax.annotate(
                    "stalled",
                    (run.stalled_at, run.steps[run.stalled_at].w),
                    textcoords="offset points",
                    xytext=(4, 8),
                    color=color,
                    fontsize=NOTE_SIZE,
                )
        ax.legend(loc="upper right", fontsize=NOTE_SIZE, framealpha=0.85)
    return fig


def write_figures(trace: MomentumTrace, theme: Theme, out_dir: Path) -> list[Path]:
    """saddle, minima and noisy, as PNG and SVG."""
    written = []
    for landscape, noisy in SCENES:
        fig = race_figure(trace, theme, landscape, noisy)
        for fmt in FORMATS:
            path = Path(out_dir) / f"{STEMS[(landscape, noisy)]}.{fmt}"
            write_atomic(path, figure_bytes(fig, fmt, theme))
            written.append(path)
        fig.clear()
    return written
