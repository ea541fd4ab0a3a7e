"""Where things go on the frame: the safe area (nothing is drawn in the outer 5% of the frame,
a television's title-safe area), two columns inside it, and panels sized to fill a box
(``fit_panel``). Shared by the lessons of scenes on (w, b)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from manim import DOWN, LEFT, RIGHT, UP, config

from .panels import Panel

Box = tuple[float, float, float, float]  # left, bottom, right, top on screen
P = TypeVar("P", bound=Panel)

# On Manim's 14.2 x 8 frame. Nothing is drawn in the outer SAFE_MARGIN of the frame
# (a television's title-safe area); panels are sized to fill boxes inside it (``fit_panel``).
SAFE_MARGIN = 0.05  # of the frame's width and height, on every side
SAFE_PAD = 0.05  # a little more, so that strokes and glyph edges stay inside too
GUTTER = 0.55  # between the left column (the contour) and the right one
LEFT_COLUMN = 0.46  # of the safe width: the contour's share


def safe_area() -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the region where things may be drawn."""
    x = config.frame_width * (0.5 - SAFE_MARGIN) - SAFE_PAD
    y = config.frame_height * (0.5 - SAFE_MARGIN) - SAFE_PAD
    return -x, -y, x, y


def columns(top: float, share: float = LEFT_COLUMN) -> tuple[Box, Box]:
    """The left and the right column of the safe area, from ``top`` down; the left one
    takes ``share`` of the width."""
    left, bottom, right, _ = safe_area()
    split = left + share * (right - left)
    return (left, bottom, split - GUTTER / 2, top), (split + GUTTER / 2, bottom, right, top)


def fit_panel(build: Callable[..., P], box: Box) -> P:
    """The panel ``build(center=, width=, height=)`` sized so that all of it (plot, tick
    labels, axis titles) fills ``box`` = (left, bottom, right, top): built once to measure
    what lies around the plot area, then at the size that leaves room for it. (An axis
    title wider than the box still sticks out: the frame test says so.)"""
    left, bottom, right, top = box
    probe = build(center=(0.0, 0.0, 0.0), width=right - left, height=top - bottom)
    x0, y0 = probe.axes.c2p(probe.x_range[0], probe.y_range[0])[:2]
    x1, y1 = probe.axes.c2p(probe.x_range[1], probe.y_range[1])[:2]
    (g0, h0), (g1, h1) = probe.get_corner(DOWN + LEFT)[:2], probe.get_corner(UP + RIGHT)[:2]
    width = right - left - (x0 - g0) - (g1 - x1)
    height = top - bottom - (y0 - h0) - (h1 - y1)
    center = (left + (x0 - g0) + width / 2, bottom + (y0 - h0) + height / 2, 0.0)
    return build(center=center, width=width, height=height)
