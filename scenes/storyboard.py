"""The storyboard of the lesson: its beats in order, their titles, what each leaves on the
board, and every play's seconds (``BEAT_TIMES``), which the scenes play and the plan adds up.

No Manim here: the build reads this to plan and hash without loading the renderer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from gd_engine import Trace
from scenes.narration import Narration, load_narration, spoken_seconds
from scenes.plotting import verdict_text
from scenes.theme import TIMINGS, Timings
from scenes.timing import frames, total_frames

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
    code: str | None = None  # the code block across the top (scenes/lesson_code.py: BLOCKS)
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


#: the cursor's stops in one detailed iteration of the iterate beat, and the name of the
#: time each takes in BEAT_TIMES (the update line takes the move's time)
LOOP_STEPS = (
    ("forward(X)", "forward"),
    ("criterion(", "criterion"),
    ("backward()", "backward"),
    ("w.data = ", "move"),
    ("zero_()", "zero"),
    ("append(", "append"),
)

WRITE = TIMINGS.write  # writing an equation or a few lines on the board

#: Every play of every beat, in seconds, named: the scene plays ``run_time=self.times.curve``
#: and the plan adds the same numbers up (``beat_plays``), each rounded to whole frames as
#: the scene plays it (scenes/timing.py). ``read`` is the pause after the last play, to read
#: the board (the beat holds to the end of its words: LessonScene.play_beat; a wait for a
#: word that names a reveal comes out of it). Beats that repeat plays
#: per epoch or per tangent list one round of them; ``move``, one epoch's move, comes from
#: the theme's timings (``Timings.epoch_time``). ``descent`` is the clip beside the beats.
BEAT_TIMES = {
    "data": dict(
        title=0.8,
        panel=0.6,
        listing=0.6,
        arange=0.5,
        inputs=0.5,
        true_line=1.2,
        noise=0.4,
        targets=0.4,
        points=1.6,
        read=2.4,
    ),
    "model_and_cost": dict(
        listing=0.6,
        model_line=0.4,
        model=WRITE,
        cost_line=0.4,
        cost=WRITE,
        stress=1.0,
        read=2.6,
    ),
    "settings": dict(listing=0.6, notes=WRITE, epochs=0.5, requires_grad=0.5, read=4.4),
    "cost_at_start": dict(
        listing=0.6,
        forward=0.8,
        predictions=0.6,
        criterion=1.0,
        cost=0.6,
        terms=1.0,
        equals=0.2,
        count=0.8,
        readouts=0.6,
        read=1.8,
    ),
    "backward": dict(
        backward=0.5, derivative=WRITE, terms=1.0, equals=0.2, count=0.8, grad=0.6, read=1.9
    ),
    "update_and_zero": dict(
        update=0.5,
        rule=WRITE,
        numbers=0.8,
        equals=0.2,
        count=0.8,
        zero=0.6,
        note=0.5,
        read=3.6,
    ),
    "cost_curve": dict(panels=0.6, notes=0.6, curve=1.2, dot=0.5, read=2.6),
    "fit": dict(notes=WRITE, line=1.0, read=2.5),
    # the layout comes in; per epoch, detailed: the LOOP_STEPS, else the loss point grows
    # and the move; the band goes; "diverged" if it did
    "iterate": dict(
        entry=0.8,
        forward=0.25,
        criterion=0.25,
        backward=0.25,
        zero=0.25,
        append=0.35,
        grow=0.35,
        band_off=0.3,
        verdict=0.5,
        read=0.5,
    ),
    # the notes, the readouts back to w0, the close-up coming in (if any); per tangent: the
    # tangent, the step, the readouts, the old ones going; the close-up going (or a pause)
    "why_it_slows": dict(
        notes=0.8,
        values=0.3,
        zoom=1.0,
        tangent=0.7,
        step=1.0,
        clear=0.4,
        unzoom=0.5,
        read=0.9,
    ),
    "loss_history": dict(cost_out=0.5, listing=0.8, append=0.5, stress=1.0, band_off=0.3, read=3.4),
    "loss_plot": dict(notes=WRITE, stress=1.2, read=3.8),
    # the layout, the readouts back to w0; per epoch, the loss point grows, then the move
    "all_together": dict(layout=0.8, values=0.3, grow=0.3, verdict=0.5, read=1.9),
    "close": dict(readouts_out=0.4, loss=1.0, summary=0.6, read=4.0),
    # a still first and last picture, so that its loop reads; per epoch as all_together
    "descent": dict(hold=1.0, grow=0.3, verdict=0.5),
}


def beat_times(beat: str, trace: Trace, t: Timings = TIMINGS) -> SimpleNamespace:
    """The times ``beat`` plays for ``trace``, by name (``move``: one epoch's move)."""
    return SimpleNamespace(**BEAT_TIMES[beat], move=t.epoch_time(len(trace.epochs)))


def says_verdict(trace: Trace) -> bool:
    """Whether the plots say 'diverged' (or 'diverging'): one more play where it is said."""
    return verdict_text(trace) is not None


def beat_plays(beat: str, trace: Trace, t: Timings = TIMINGS) -> list[float]:
    """Every play (and pause) of ``beat`` for ``trace``, in seconds, in the order the scene
    plays them; the pause to read last."""
    s, n = beat_times(beat, trace, t), len(trace.epochs)
    verdict = [s.verdict] if hasattr(s, "verdict") and says_verdict(trace) else []
    if beat == "iterate":
        loop = [
            seconds
            for k in range(n)
            for seconds in (
                [getattr(s, name) for _, name in LOOP_STEPS] if detailed(k, n) else [s.grow, s.move]
            )
        ]
        return [s.entry, *loop, s.band_off, *verdict, s.read]
    if beat == "why_it_slows":
        zoom = [s.zoom] if zoomed_epochs(trace) else []
        tangents = [s.tangent, s.step, s.values, s.clear] * len(tangent_epochs(trace))
        return [s.notes, s.values, *zoom, *tangents, s.unzoom, s.read]
    if beat == "all_together":
        return [s.layout, s.values, *[s.grow, s.move] * n, *verdict, s.read]
    if beat == "descent":
        return [s.hold, *[s.grow, s.move] * n, *verdict, s.hold]
    return list(BEAT_TIMES[beat].values())


def beat_frames(beat: str, trace: Trace, fps: float, t: Timings = TIMINGS) -> int:
    """The frames of ``beat``'s plays and its pause to read, as the scene plays them."""
    return total_frames(beat_plays(beat, trace, t), fps)


#: the frame rate a plan is worked out at when none is given: manim's default (1080p60)
DEFAULT_FPS = 60


def base_plan(trace: Trace, t: Timings = TIMINGS, fps: float = DEFAULT_FPS) -> dict[str, float]:
    """Seconds per beat that its animation needs (with its pause to read), whole frames at
    ``fps``."""
    return {beat: beat_frames(beat, trace, fps, t) / fps for beat in BEATS}


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


def tidy_seconds(beat: str) -> float:
    """The beat's last play: its board fades (and, after a code layout, the panels go back)."""
    return TIDY_TIME + LEAVE_TIME.get(beat, 0.0)


def plan(
    trace: Trace,
    narration: dict[str, Narration] | None = None,
    t: Timings = TIMINGS,
    fps: float = DEFAULT_FPS,
) -> dict[str, float]:
    """Seconds per beat, whole frames at ``fps``: its plays and its pause to read, or its
    words when they take longer (its recording if there is one, else its configured
    duration, else the time its words take to say; the words may run into the board's
    fade), then its tidy (``tidy_seconds``)."""
    result = {}
    for beat in BEATS:
        before_tidy = beat_frames(beat, trace, fps, t)
        n = (narration or {}).get(beat)
        if n is not None:
            words = (spoken_seconds(n) - TIDY_TIME) * fps
            before_tidy = max(before_tidy, math.ceil(words - 1e-9))
        result[beat] = (before_tidy + frames(tidy_seconds(beat), fps)) / fps
    return result


# -- the two clips beside the beats, read by the scenes and by the build --------------------
#: the regimes: the panels coming in, the dots, a step of every run, the verdicts, the end
REGIMES_TIMES = dict(entry=1.0, dots=0.4, step=1.0, verdict=0.6, hold=2.0)
#: the regimes' runs take at least this many epochs: enough for each to show its character
REGIMES_MIN_EPOCHS = 8


def descent_seconds(trace: Trace, t: Timings = TIMINGS, fps: float = DEFAULT_FPS) -> float:
    """How long the descent clip lasts (scenes/lesson.py, ``Descent``)."""
    return beat_frames("descent", trace, fps, t) / fps


def regimes_seconds(epochs: int, fps: float = DEFAULT_FPS) -> float:
    """How long the regimes clip lasts (scenes/regimes.py) for a lesson of ``epochs``: the
    divergent preset always says so (its verdict is counted), and its run stops early only
    past the 1e12 bound, which no lesson's epochs reach before the others' last step."""
    s = SimpleNamespace(**REGIMES_TIMES)
    steps = max(epochs, REGIMES_MIN_EPOCHS)
    return total_frames([s.entry, s.dots, *[s.step] * steps, s.verdict, s.hold], fps) / fps
