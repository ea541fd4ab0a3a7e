"""Style in one place: colours, fonts, stroke widths, sizes and timings.

Beats and panels take every colour and number of their look from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """Each colour has one meaning throughout the course:

    ======== =====================================================================
    data     the data points (red), and nothing else
    fitted   the current iterate: the line for the current w, the dot at w on the
             cost curve or surface, and the number it becomes (blue)
    true     the truth: the line the data were made from, the cost's minimum (green)
    tangent  the gradient: tangents, slopes, the step against them, d/dw (amber)
    loss     the loss per iteration and the numbers of the cost (violet)
    regimes  the four learning-rate regimes, ``runs`` the compared runs, ordered
             from slow to fast: colours none of the above uses (the fastest run, the
             divergent one here, takes the divergent regime's pink)
    ======== =====================================================================
    """

    name: str
    background: str
    foreground: str  # text and the cost curve
    muted: str  # axes, ticks, secondary text
    data: str  # the data points: red, as in the lesson
    fitted: str  # the current iterate: the fitted line, the dot at w, its values
    tangent: str  # the gradient: tangents, slope labels, the step, d/dw
    true_line: str  # the truth: the line the data were made from, and the minimum
    loss: str  # the loss per iteration, and the cost's values
    highlight: str  # the band on the code line being run (neutral: it is not a quantity)
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
    code_size: float = (
        27  # never scaled down: capitals 37 px tall at 1080p, 1.5x the first layout's
    )
    label_size: float = 22
    tick_size: float = 24  # 1.5 times the first layout's 16: readable from the back of a hall
    # stroke widths
    axis_width: float = 2.0
    curve_width: float = 4.0
    line_width: float = 5.0
    tangent_width: float = 4.0
    dot_radius: float = 0.10
    point_radius: float = 0.045

    def text(self, s: str, size: float | None = None, color: str | None = None, mono=False):
        """Words in this theme: its font (or its monospace), at ``size`` (else the label
        size), in ``color`` (else the foreground)."""
        from manim import Text

        font = self.mono if mono else self.font
        return Text(s, font=font, font_size=size or self.label_size, color=color or self.foreground)


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
    highlight="#C8D3E6",
    code_bg="#1B2330",
    regimes=("#56B6C2", "#EBCB8B", "#F78C6C", "#FF79C6"),
    runs=("#ECEFF4", "#56B6C2", "#EBCB8B", "#F78C6C", "#FF79C6"),
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
    highlight="#5F6B7A",
    code_bg="#F1F3F6",
    regimes=("#0E7C86", "#9A7B1E", "#C2571A", "#B0327E"),
    runs=("#1B1F24", "#0E7C86", "#9A7B1E", "#C2571A", "#B0327E"),
    contour_low="#3D8FB0",
    contour_high="#C9D1DB",
    surface_low="#6F7F94",  # slate, not the current iterate's blue
    surface_high="#D5DCE5",
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
# Nothing is drawn in the outer 5% of the frame: |x| <= SAFE_X, |y| <= SAFE_Y.
SAFE_X = 6.4
SAFE_Y = 3.6
PANEL_WIDTH = 5.3
PANEL_HEIGHT = 2.35
LEFT_X = -2.9
RIGHT_X = 3.45
TOP_Y = 1.85  # centre of the cost panel's axes
BOTTOM_Y = -1.76  # centre of the data panel's axes
HEADING_TOP = SAFE_Y - 0.15  # a heading's glyphs reach a little above their box
RIGHT_COLUMN_LEFT = 0.6
RIGHT_COLUMN_WIDTH = SAFE_X - 0.1 - RIGHT_COLUMN_LEFT
BOARD_TOP = 2.95
READOUTS_Y = 0.15  # centre of the readouts while the board is up
READOUTS_TOP = 0.8  # their top: the board stays above it
READOUTS_WIDTH = 5.5
LOSS_SMALL = dict(center=(3.6, -1.9, 0), width=4.9, height=1.8)
LOSS_BIG = dict(center=(3.6, -0.9, 0), width=4.9, height=3.4)
# the tangents near the minimum, in place of the readouts and the loss plot
CLOSE_UP = dict(center=(3.75, -0.95, 0), width=4.7, height=2.6)
READOUTS_BIG_Y = 2.5  # centre of the readouts in the three-panel layout

# The code layout, in the beats that show code: the listing across the top from the left,
# at the theme's code size (38 characters take 8.9 units); the heading and the readouts
# (one column) in the strip beside it; the board under the readouts, right of the data panel.
CODE_CORNER = (-SAFE_X + 0.1, SAFE_Y - 0.1, 0)  # the listing's top left corner
SIDE_LEFT = 2.95  # the strip beside the widest listing
SIDE_READOUTS_TOP = 2.35  # under a heading of two lines
CODE_BOARD_LEFT = 0.2  # right of the data panel's x label
CODE_BOARD_TOP = -0.35  # under the listing and the readouts
# the iterate beat: the loop across the top, the three panels side by side under it
ROW_PANELS = dict(top=-0.25, height=2.0)
