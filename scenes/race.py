"""Runs on one clock: a path drawn up to a clock time (``GrowingPath``), and the plot of
their losses against time (``LossOverTime``). Several runs' paths and losses move in step
when they are drawn at the same time."""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np
from manim import Dot, VGroup, VMobject

from .panels import Panel, nice_step
from .plotting import log_scale
from .theme import Theme


class LossOverTime(Panel):
    """Loss against epochs for one or more runs; log scale when the values span more than
    three decades (scenes/plotting.py). A diverging run leaves through the top; ``room`` > 1
    leaves space above the values for it to be seen climbing (the plot reaches ``room``
    times the highest)."""

    def __init__(
        self, theme: Theme, t_max: float, values, x_title: str, y_title: str, room=1.0, **size
    ):
        positive = [v for v in values if v > 0 and math.isfinite(v)] or [1.0]
        low, high = min(positive), max(positive) * room
        log_y = log_scale(positive)
        if log_y:
            y_range = (float(math.floor(math.log10(low))), float(math.ceil(math.log10(high))))
        else:
            y_range = (0.0, high * 1.1)
        super().__init__(
            theme,
            (0.0, float(t_max)),
            y_range,
            x_title,
            f"{y_title} (log scale)" if log_y else y_title,
            x_step=max(1, nice_step(t_max)),
            log_y=log_y,
            **size,
        )

    def screen_points(self, times, losses) -> np.ndarray:
        """Screen points of (time, loss); a path that leaves the top stops at the edge."""
        top = self.y_range[1]
        out = []
        for i, (t, v) in enumerate(zip(times, losses)):
            y = self.to_y(v) if math.isfinite(v) else math.inf
            if y > top:
                if i > 0:
                    t0, y0 = times[i - 1], self.to_y(losses[i - 1])
                    s = (top - y0) / (y - y0) if y != y0 else 0.0
                    out.append(self.axes.c2p(t0 + s * (t - t0), top))
                break
            out.append(self.axes.c2p(t, y))
        return np.array(out)


class GrowingPath(VGroup):
    """A polyline through ``points`` reached at ``times``, drawn up to a clock time, with a
    dot at its head: the one picture several runs share to move in step."""

    def __init__(self, times, points: np.ndarray, color: str, width: float, dot_radius: float):
        super().__init__()
        self.times, self.pts = list(times)[: len(points)], points
        self.line = VMobject(stroke_color=color, stroke_width=width)
        self.head = Dot(points[0], radius=dot_radius, color=color)
        self.add(self.line, self.head)
        self.at(0.0)

    def head_at(self, t: float) -> tuple[np.ndarray, int]:
        k = bisect_right(self.times, t)  # points reached by time t
        if k >= len(self.pts):
            return self.pts[-1], len(self.pts)
        a, b = self.times[k - 1], self.times[k]
        s = (t - a) / (b - a) if b > a else 1.0
        return self.pts[k - 1] + s * (self.pts[k] - self.pts[k - 1]), k

    def at(self, t: float) -> GrowingPath:
        head, k = self.head_at(t)
        corners = [*self.pts[:k], head]
        self.line.set_points_as_corners(corners if len(corners) > 1 else [head, head])
        self.head.move_to(head)
        return self
