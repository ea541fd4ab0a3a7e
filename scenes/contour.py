"""The cost surface over (w, b) as a contour plot: the follow-up lessons' map.

Contour lines come from ``contourpy`` (matplotlib's own contouring) run on the trace's
surface grid, so every line is a level of the training's criterion; the minimum is the
trace's least-squares point and every iterate is placed through the panel's axes.
"""

from __future__ import annotations

import numpy as np
from contourpy import contour_generator
from manim import Cross, Dot, ManimColor, VGroup, VMobject, interpolate_color

from gd_engine.followup import FollowUpTrace

from .panels import Panel
from .theme import Theme

#: contour levels as fractions of the way from the minimum to the highest corner
LEVEL_FRACTIONS = (0.003, 0.012, 0.03, 0.06, 0.11, 0.19, 0.3, 0.45, 0.65, 0.9)


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
        generator = contour_generator(x=self.ws, y=self.bs, z=self.loss)
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
