"""Style in one place: colours, fonts, stroke widths, sizes and timings.

Beats and panels take every colour and number of their look from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str  # text and the cost curve
    muted: str  # axes, ticks, secondary text
    data: str  # the data points: red, as in the lesson
    fitted: str  # the fitted line for the current w: blue
    tangent: str  # tangent lines and their slope labels
    true_line: str  # the line the data were made from
    loss: str  # the loss-per-iteration plot
    highlight: str  # the code line being run
    code_bg: str
    regimes: tuple[str, str, str, str]  # slow, smooth, oscillating, divergent
    runs: tuple[str, ...]  # one colour per compared run in the follow-up lessons
    contour_low: str  # the cost surface's lowest contour and the bottom of the 3D surface
    contour_high: str  # its highest
    surface_low: str  # the 3D cost surface, coloured by height: lowest
    surface_high: str  # highest

    # fonts (Pango names; DejaVu ships with Debian's fontconfig)
    font: str = "DejaVu Sans"
    mono: str = "DejaVu Sans Mono"
    # font sizes in Manim units (48 is Manim's default); 20 stays legible at 480p
    title_size: float = 34
    body_size: float = 24
    code_size: float = 26
    label_size: float = 22
    tick_size: float = 16
    # stroke widths
    axis_width: float = 2.0
    curve_width: float = 4.0
    line_width: float = 5.0
    tangent_width: float = 4.0
    dot_radius: float = 0.10
    point_radius: float = 0.045


DARK = Theme(
    name="dark",
    background="#0F1419",
    foreground="#ECEFF4",
    muted="#8A94A6",
    data="#FF5C5C",
    fitted="#4DA3FF",
    tangent="#FFC857",
    true_line="#7BD88F",
    loss="#C792EA",
    highlight="#FFC857",
    code_bg="#1B2330",
    regimes=("#7BD88F", "#4DA3FF", "#FFC857", "#FF5C5C"),
    runs=("#ECEFF4", "#FF5C5C", "#FFC857", "#4DA3FF", "#7BD88F"),
    contour_low="#2F7F9F",
    contour_high="#3A4453",
    surface_low="#2F7F9F",
    surface_high="#C9D1DB",
)

LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    foreground="#1B1F24",
    muted="#5F6B7A",
    data="#D62728",
    fitted="#1F66CC",
    tangent="#D9822B",
    true_line="#2E9E4F",
    loss="#7B3FBF",
    highlight="#D9822B",
    code_bg="#F1F3F6",
    regimes=("#2E9E4F", "#1F66CC", "#D9822B", "#D62728"),
    runs=("#1B1F24", "#D62728", "#D9822B", "#1F66CC", "#2E9E4F"),
    contour_low="#3D8FB0",
    contour_high="#C9D1DB",
    surface_low="#1F66CC",
    surface_high="#B9D3EE",
)

THEMES = {t.name: t for t in (DARK, LIGHT)}


@dataclass(frozen=True)
class Timings:
    """Seconds. Per-epoch times shrink with the number of epochs so that 1 or 50 epochs
    both make a watchable beat (see ``epoch_time``)."""

    write: float = 1.0  # writing an equation or a line of code
    show: float = 0.8  # fading a panel or a plot in
    read: float = 1.5  # a pause to read what just appeared
    epoch_max: float = 1.6  # one epoch's move when there are few
    epoch_min: float = 0.2  # one epoch's move when there are many
    epochs_budget: float = 7.0  # total seconds for all epochs' moves in one beat

    def epoch_time(self, n_epochs: int) -> float:
        if n_epochs <= 0:
            return self.epoch_max
        return min(self.epoch_max, max(self.epoch_min, self.epochs_budget / n_epochs))


TIMINGS = Timings()


# Layout on Manim's 14.2 x 8 frame: the cost panel over the data panel on the left; on
# the right the heading, the board (equations and code), the readouts and the loss plot.
PANEL_WIDTH = 5.8
PANEL_HEIGHT = 2.45
LEFT_X = -3.35
RIGHT_X = 3.75
TOP_Y = 2.2  # centre of the cost panel's axes
BOTTOM_Y = -1.6  # centre of the data panel's axes
RIGHT_COLUMN_LEFT = 0.75
RIGHT_COLUMN_WIDTH = 6.1
BOARD_TOP = 3.3
READOUTS_Y = 0.15  # centre of the readouts while the board is up
LOSS_SMALL = dict(center=(RIGHT_X, -2.1, 0), width=5.4, height=2.0)
LOSS_BIG = dict(center=(RIGHT_X, -1.05, 0), width=5.4, height=3.9)
READOUTS_BIG_Y = 2.55  # centre of the readouts in the three-panel layout
