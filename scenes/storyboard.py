"""The storyboard of the lesson: its beats in order, their titles, and how long each lasts.

No Manim here: the build reads this to plan and hash without loading the renderer.
"""

from __future__ import annotations

import math

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
        "all_together": 3.0 + n * (move + 0.3 + 2 * FRAME_SLACK) + verdict,
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
