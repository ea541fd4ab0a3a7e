"""The cost surface over (w, b) as a contour plot: the follow-up lessons' map.

Contour lines come from ``contourpy`` (matplotlib's own contouring) run on a finer copy of
the trace's surface grid (``drawing_surface``): the same criterion, mean((w*x + b - y)^2)
over the trace's training data, at the trace's nodes and between them, so every line is a
level of the training's cost and the small ellipses round. The minimum is the trace's
least-squares point and every iterate is placed through the panel's axes.
"""

from __future__ import annotations

import numpy as np
from contourpy import contour_generator
from manim import Cross, Dot, ManimColor, VGroup, VMobject, interpolate_color

from lessons.two_parameters.trace import FollowUpTrace

from .panels import Panel
from .theme import Theme

#: contour levels as fractions of the way from the minimum to the highest corner
LEVEL_FRACTIONS = (0.003, 0.012, 0.03, 0.06, 0.11, 0.19, 0.3, 0.45, 0.65, 0.9)

#: level lines are traced on at least this many nodes per axis: linear interpolation on the
#: trace's 61 draws the innermost ellipse as a diamond; on 241 a segment is ~3 px at 1080p
DRAWING_NODES = 241


def drawing_surface(trace: FollowUpTrace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ws, bs, loss)``, ``loss[i][j]`` at ``(ws[j], bs[i])``: the trace's surface grid with
    every cell split into equal parts, the cost evaluated at each node as the training's
    criterion on the trace's training data, in float64. Every ``step``-th node is exactly a
    node of the trace's grid (``step = (len(ws) - 1) // (len(trace.surface.w) - 1)``), where
    the value is the trace's own up to its float32 rounding."""
    s = trace.surface
    ws, bs = _refined(np.array(s.w)), _refined(np.array(s.b))
    x, y = np.array(trace.data.x, np.float64), np.array(trace.data.y, np.float64)
    grid_w, grid_b = ws[None, :], bs[:, None]
    total = np.zeros((len(bs), len(ws)))
    for xi, yi in zip(x, y):  # forward w*x + b, criterion mean((yhat - y)^2), point by point
        total += (grid_w * xi + grid_b - yi) ** 2
    return ws, bs, total / len(x)


def _refined(nodes: np.ndarray) -> np.ndarray:
    step = -(-(DRAWING_NODES - 1) // (len(nodes) - 1))  # ceil
    parts = np.arange(step) / step
    inner = nodes[:-1, None] + np.diff(nodes)[:, None] * parts[None, :]
    return np.append(inner.ravel(), nodes[-1])


class ContourPanel(Panel):
    """Level lines of the average loss over w (across) and b (up), the minimum marked."""

    def __init__(self, trace: FollowUpTrace, theme: Theme, **size):
        s = trace.surface
        self.trace = trace
        self.ws, self.bs = np.array(s.w), np.array(s.b)
        self.loss = np.array(s.loss)
        super().__init__(
            theme,
            (float(self.ws[0]), float(self.ws[-1])),
            (float(self.bs[0]), float(self.bs[-1])),
            "w",
            "b",
            **size,
        )
        self.levels = self.level_values()
        self.contours = VGroup()
        generator = contour_generator(*drawing_surface(trace))
        for i, level in enumerate(self.levels):
            color = interpolate_color(
                ManimColor(theme.contour_low),
                ManimColor(theme.contour_high),
                i / max(len(self.levels) - 1, 1),
            )
            for line in generator.lines(level):
                if len(line) < 2:
                    continue
                curve = VMobject(stroke_color=color, stroke_width=2.2)
                curve.set_points_as_corners([self.axes.c2p(w, b) for w, b in line])
                curve.level = level
                self.contours.add(curve)
        m = trace.minimum
        self.minimum = Cross(
            stroke_color=theme.true_line, stroke_width=4, scale_factor=0.12
        ).move_to(self.point_at(m.w, m.b))

    def level_values(self) -> list[float]:
        low, high = float(self.loss.min()), float(self.loss.max())
        return [low + f * (high - low) for f in LEVEL_FRACTIONS]

    def path_points(self, path: list[tuple[float, float]]) -> np.ndarray:
        """Screen points of a path of (w, b), for polylines that grow step by step."""
        return np.array([self.point_at(w, b) for w, b in path])

    def dot(self, w: float, b: float, color: str, scale: float = 1.0) -> Dot:
        return Dot(self.point_at(w, b), radius=self.theme.dot_radius * scale, color=color)
