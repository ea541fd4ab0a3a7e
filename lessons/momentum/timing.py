"""How long the momentum lesson's scenes last, and when each race's steps and marks come:
what the build needs to plan and share out their renders, without importing Manim (the
scenes, in ``momentum_scenes.py``, play exactly these times)."""

from __future__ import annotations

import numpy as np

from lessons.momentum.trace import MomentumTrace

#: a race's first steps, where the runs part ways, are played slowly; the rest quickly
FIRST_STEPS, FIRST_STEP_TIME, REST_SECONDS = 15, 0.45, 5.0
SHOW = 1.2  # the curve, dots and readouts coming in
HOLD = 2.5  # the last picture
MARK = 0.6  # a "stalled" or "diverged" marker fading in
CODE_STEPS = 3  # steps walked line by line in MomentumCode
LINE_TIME = 0.9  # the band on one line, its readout changing
#: (lines of the loop, in order) the band visits in each step
LOOP = ("loss = cost(w)", "optimizer.zero_grad()", "loss.backward()", "optimizer.step()")
#: the race scenes: (landscape, noisy, heading)
RACES = {
    "Saddle": ("saddle", False, "A flat saddle"),
    "LocalMinima": ("minima", False, "A nearer, shallower minimum"),
    "NoisyGradient": ("minima", True, "The same cost, a noisy gradient"),
}


def race_marks(trace: MomentumTrace, scene: str) -> list[tuple[int, int, str]]:
    """(step, run 0 or 1, "stalled" or "diverged"): where the race stops to mark a run."""
    landscape, noisy, _ = RACES[scene]
    marks = []
    for i, run in enumerate(trace.pair(landscape, noisy)):
        if run.stalled_at is not None:
            marks.append((run.stalled_at, i, "stalled"))
        if run.diverged_at is not None:
            marks.append((len(run.steps), i, "diverged"))
    return sorted(marks)


def race_clock(n: int) -> np.ndarray:
    """When each of a race's n steps ends, in seconds from its start (0 first)."""
    rest = max(n - FIRST_STEPS, 0)
    per = [FIRST_STEP_TIME] * min(n, FIRST_STEPS) + [REST_SECONDS / max(rest, 1)] * rest
    return np.concatenate([[0.0], np.cumsum(per)])


def race_steps(trace: MomentumTrace, scene: str) -> int:
    landscape, noisy, _ = RACES[scene]
    return max(len(r.steps) for r in trace.pair(landscape, noisy))


def planned_seconds(trace: MomentumTrace, scene: str, spoken: float = 0.0) -> float:
    """How long ``scene`` runs: its animation, or its narration when that is longer."""
    if scene == "MomentumCode":
        animation = SHOW + CODE_STEPS * len(LOOP) * LINE_TIME + 1.0 + HOLD
    else:
        race = race_clock(race_steps(trace, scene))[-1]
        animation = SHOW + race + MARK * len(race_marks(trace, scene)) + HOLD
    return max(animation, spoken)
