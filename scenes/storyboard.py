"""The storyboard of the lesson: its beats in order, their titles, and how long each lasts.

No Manim here: the build reads this to plan and hash without loading the renderer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from gd_engine import Trace
from scenes.narration import Narration, load_narration, spoken_seconds
from scenes.theme import TIMINGS, Timings

BEATS = (
    "data",
    "model_and_cost",
    "settings",
    "cost_at_start",
    "backward",
    "update_and_zero",
    "cost_curve",
    "fit",
    "iterate",
    "why_it_slows",
    "loss_history",
    "loss_plot",
    "all_together",
    "close",
)

TITLES = {
    "data": "1  Data",
    "model_and_cost": "2  Model and cost",
    "settings": "3  Settings",
    "cost_at_start": "4  The cost at the start",
    "backward": "5  Backward",
    "update_and_zero": "6  Update, then zero the gradient",
    "cost_curve": "7  The cost curve",
    "fit": "8  The fit",
    "iterate": "9  Iterate",
    "why_it_slows": "10  Why it slows down",
    "loss_history": "11  Loss per iteration",
    "loss_plot": "12  The loss plot",
    "all_together": "13  All together",
    "close": "14  What both views show",
}


@dataclass(frozen=True)
class Board:
    """What is on screen between two beats (a beat's equations and notes have gone by then,
    and the panels are back in their places).

    Epochs count from the end when negative, as Python indexes the iterates w_0 .. w_n: -1
    is the run's end (w_n, after the last update), -2 its last epoch.
    """

    data: bool = False  # the data panel: its axes, the true line and the points
    code: str | None = None  # the code block across the top (scenes/code.py: BLOCKS)
    fitted: bool = False  # the line w·x through the data, at the dot's iterate
    readouts: str | None = None  # where the readouts are: "side", "right" or "big"
    reading: tuple[int, str] | None = None  # the (epoch, stage) they show
    cost: bool = False  # the cost panel: its curve and the dot
    progress: int = 0  # the iterate the dot and the line are at
    off_plot: bool = False  # 'off the plot' by the dot, if the run leaves the cost plot
    loss: str | None = None  # the loss plot: "small" (bottom right) or "big" (the column)
    history: bool = False  # every iteration's loss on it
    verdict: bool = False  # 'diverged' on the cost plot, if the run diverges


@dataclass(frozen=True)
class Staging:
    """What a beat changes on the board: ``starts``, at once as it begins (what it needs
    beyond what the beats before it leave: a jump at the cut, so rare), and ``leaves``, by
    its end. Each maps fields of :class:`Board` to their new values."""

    starts: dict = field(default_factory=dict)
    leaves: dict = field(default_factory=dict)


#: each beat's changes to the board; a beat's first picture is what the beats before it
#: leave (``board_before``), so that one played alone starts where the lesson is
STAGING = {
    "data": Staging(leaves=dict(data=True, code="data")),
    "model_and_cost": Staging(leaves=dict(code="model and cost")),
    "settings": Staging(leaves=dict(code="settings")),
    "cost_at_start": Staging(
        leaves=dict(code="training", fitted=True, readouts="side", reading=(0, "loss"))
    ),
    "backward": Staging(leaves=dict(reading=(0, "grad"))),
    "update_and_zero": Staging(leaves=dict(reading=(0, "zeroed"))),
    "cost_curve": Staging(leaves=dict(code=None, cost=True, readouts="right", reading=(0, "grad"))),
    "fit": Staging(),
    # the empty loss plot comes up with the loop; the readouts end after the last zero_()
    "iterate": Staging(
        starts=dict(loss="small"),
        leaves=dict(progress=-1, reading=(-2, "zeroed"), off_plot=True, history=True, verdict=True),
    ),
    # the readouts jump from the last epoch's zero_() to the run's end; with more epochs
    # than tangents and no close-up, the beat leaves them at the last tangent's epoch and
    # the next beat's board puts the end back
    "why_it_slows": Staging(starts=dict(reading=(-1, "grad"))),
    "loss_history": Staging(),
    "loss_plot": Staging(),
    "all_together": Staging(leaves=dict(loss="big", readouts="big")),
    "close": Staging(leaves=dict(readouts=None)),
}


def board_before(beat: str, beats=BEATS, staging=STAGING) -> Board:
    """The board ``beat`` starts from: what the beats before it leave, with what it changes
    as it starts."""
    board = Board()
    for earlier in beats[: beats.index(beat)]:
        board = replace(replace(board, **staging[earlier].starts), **staging[earlier].leaves)
    return replace(board, **staging[beat].starts)


def board_after(beat: str, beats=BEATS, staging=STAGING) -> Board:
    """The board ``beat`` leaves."""
    return replace(board_before(beat, beats, staging), **staging[beat].leaves)


def epoch(k: int, n: int) -> int:
    """Epoch ``k`` of a board (negative: from the end) in a run of ``n`` epochs."""
    return k if k >= 0 else n + 1 + k


def shows_training(board: Board) -> bool:
    """Whether ``board`` shows anything of the training (so of train.*): the settings' code
    (lr, epochs, w0), a line or dot at an iterate, the readouts or the plots of the run."""
    drawn = (board.fitted, board.readouts, board.cost, board.off_plot, board.loss)
    return board.code == "settings" or any(drawn) or board.history or board.verdict


#: the beats whose clips do not depend on the training: they start from and leave a board
#: that shows nothing of it (tests/test_scenes.py checks that they draw the same whatever
#: train.* says)
TRAINING_FREE_BEATS = tuple(
    beat
    for beat in BEATS
    if not shows_training(board_before(beat)) and not shows_training(board_after(beat))
)


#: the marks a beat's words may carry (``{name}`` in scenes/narration.toml): each reveal of
#: that name waits until the words reach it
MARKS = {
    "data": ("inputs", "line", "points"),
    "model_and_cost": ("model", "cost"),
    "cost_curve": ("curve", "dot"),
    "fit": ("line",),
    "loss_history": ("list",),
}


def lesson_narration(path=None, audio=None) -> dict[str, Narration]:
    """The lesson's narration, per beat, its marks checked against MARKS."""
    return load_narration(BEATS, path, audio, marks=MARKS)


MAX_TANGENTS = 5  # tangents drawn in "why_it_slows"; with many epochs, the first ones
DETAILED_EPOCHS = 2  # with many epochs, the code cursor walks the loop only for these


def tangent_epochs(trace: Trace) -> list[int]:
    return list(range(min(len(trace.epochs), MAX_TANGENTS)))


#: an iterate closer to the minimum than this share of the cost plot's width is shown in
#: the close-up, where its step is not lost in the dot
ZOOM_SHARE = 0.15


def zoomed_epochs(trace: Trace) -> list[int]:
    """The tangent epochs from the first whose step is small on the cost plot: shown in a
    close-up near the minimum (none when the run leaves the plot or never gets close)."""
    ws = trace.cost_curve.w
    near = ZOOM_SHARE * (ws[-1] - ws[0])
    w_star = trace.analysis.w_star
    for k in tangent_epochs(trace):
        e = trace.epochs[k]
        if abs(e.w - w_star) <= near and abs(e.w_next - w_star) <= near:
            return tangent_epochs(trace)[tangent_epochs(trace).index(k) :]
    return []


def zoom_range(trace: Trace) -> tuple[float, float]:
    """The w range of the close-up: its iterates, their steps and the minimum, padded."""
    ks = zoomed_epochs(trace)
    ws = [trace.analysis.w_star] + [
        v for k in ks for v in (trace.epochs[k].w, trace.epochs[k].w_next)
    ]
    lo, hi = min(ws), max(ws)
    pad = 0.3 * (hi - lo) + 1e-9
    return lo - pad, hi + pad


def detailed(k: int, n: int) -> bool:
    """Whether epoch k of n walks the code cursor line by line in the iterate beat."""
    return n <= 8 or k < DETAILED_EPOCHS


# the cursor's stops in one detailed iteration, and the seconds each takes (the update
# line takes the move's time)
LOOP_STEPS = (
    ("forward(X)", 0.25),
    ("criterion(", 0.25),
    ("backward()", 0.25),
    ("w.data = ", None),
    ("zero_()", 0.25),
    ("append(", 0.35),
)


#: the iterate beat's change into the code layout (the loop across the top)
ITERATE_ENTRY = 0.8


def iterate_seconds(n: int, t: Timings = TIMINGS) -> float:
    """The iterate beat's animations, plus a frame's rounding for each of them."""
    move = t.epoch_time(n)
    fixed = sum(s for _, s in LOOP_STEPS if s)
    plays = 2 + sum(len(LOOP_STEPS) if detailed(k, n) else 2 for k in range(n))
    seconds = (
        ITERATE_ENTRY + 0.3 + sum(move + (fixed if detailed(k, n) else 0.35) for k in range(n))
    )
    return seconds + plays * FRAME_SLACK


#: what rounding each animation to whole frames can add, at 15 frames a second and up
FRAME_SLACK = 0.5 / 15


def base_plan(trace: Trace, t: Timings = TIMINGS) -> dict[str, float]:
    """Seconds per beat that its animation needs (with its pauses to read)."""
    n = len(trace.epochs)
    move = t.epoch_time(n)
    verdict = 0.6 if trace.analysis.regime == "divergent" or trace.diverged_at is not None else 0
    return {
        "data": 9.0,
        "model_and_cost": 7.0,
        "settings": 7.0,
        "cost_at_start": 8.0,
        "backward": 6.0,
        "update_and_zero": 8.0,
        "cost_curve": 5.5,
        "fit": 4.5,
        "iterate": math.ceil(iterate_seconds(n, t)) + 0.5 + verdict,
        "why_it_slows": 2.5
        + (2.4 + 4 * FRAME_SLACK) * len(tangent_epochs(trace))
        + (ZOOM_TIME + 2 * FRAME_SLACK if zoomed_epochs(trace) else 0),
        "loss_history": 6.5,
        "loss_plot": 6.0,
        "all_together": 3.0 + n * (move + GROW_TIME + 2 * FRAME_SLACK) + verdict,
        "close": 6.0,
    }


#: the close-up near the minimum coming in (and, at the end, going)
ZOOM_TIME = 1.0

#: the end of every beat: its board fades (see LessonScene.tidy)
TIDY_TIME = 0.3

#: beats that show code across the top of the frame (the code layout): their heading goes
#: beside the listing
CODE_BEATS = (
    "data",
    "model_and_cost",
    "settings",
    "cost_at_start",
    "backward",
    "update_and_zero",
    "iterate",
    "loss_history",
)

#: beats that change the layout for their code, and after their words take this long to put
#: the panels back (with the board's fade)
LEAVE_TIME = {"iterate": 0.8, "loss_history": 0.5}


def plan(
    trace: Trace, narration: dict[str, Narration] | None = None, t: Timings = TIMINGS
) -> dict[str, float]:
    """Seconds per beat: what the animation needs, stretched to the narration when that is
    longer: its recording if there is one, else its configured duration, else the time
    its words take to say."""
    result = {beat: seconds + TIDY_TIME for beat, seconds in base_plan(trace, t).items()}
    for beat, n in (narration or {}).items():
        result[beat] = max(result[beat], spoken_seconds(n))
    return {beat: seconds + LEAVE_TIME.get(beat, 0.0) for beat, seconds in result.items()}


# -- the two clips beside the beats: their timings, read by the scenes and by the build ----
#: seconds on the descent's first and last frame, so that its loop reads
DESCENT_HOLD = 1.0
#: the descent's loss point of an epoch appearing (then the move of epoch_time)
GROW_TIME = 0.3
#: the regimes: the panels coming in, the dots, a step of every run, the verdicts, the end
REGIMES_ENTRY, REGIMES_DOTS, REGIMES_STEP, REGIMES_VERDICT, REGIMES_HOLD = 1.0, 0.4, 1.0, 0.6, 2.0
#: the regimes' runs take at least this many epochs: enough for each to show its character
REGIMES_MIN_EPOCHS = 8


def descent_seconds(trace: Trace, t: Timings = TIMINGS) -> float:
    """How long the descent clip moves and holds (scenes/lesson.py, ``Descent``)."""
    n = len(trace.epochs)
    return 2 * DESCENT_HOLD + n * (GROW_TIME + t.epoch_time(n))


def regimes_seconds(epochs: int) -> float:
    """About how long the regimes clip lasts (scenes/regimes.py) for a lesson of ``epochs``
    (a run that diverges stops early; the verdicts are counted)."""
    steps = max(epochs, REGIMES_MIN_EPOCHS)
    return REGIMES_ENTRY + REGIMES_DOTS + steps * REGIMES_STEP + REGIMES_VERDICT + REGIMES_HOLD
