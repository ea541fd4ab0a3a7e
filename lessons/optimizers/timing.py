"""How long the optimizers lesson's scenes last: what the build needs to plan and share
out their renders, without importing Manim (the scenes, in ``optimizers_scenes.py``, play
exactly these times)."""

from __future__ import annotations

import math

from lessons.optimizers.config import OPTIMIZERS
from lessons.optimizers.trace import OptimizersTrace

SHOW = 1.2  # seconds: a board fades in
HOLD = 2.5  # the last picture stays
LINE_TIME = 0.8  # the band on one line of the loop, for the first iterations
WALKED = 2  # iterations of the loop walked line by line
FAST = 5  # iterations after those, one beat each
FAST_TIME = 0.4
SWAP_TIME = 0.8  # the optimizer's line changes
SWAP_READ = 1.0  # and stays to be read
RACE_SECONDS = 10.0  # all the iterations of a race
RACE_CHUNKS = 10  # the clock's readout changes this many times
MARK_TIME = 0.8  # diverged and stalled runs are marked
ADAM_SLOW = 6  # Adam's first steps, one at a time
ADAM_SLOW_TIME = 1.6
ADAM_CHUNK = 4  # steps the dot takes between two readings of the table, after the first
ADAM_CHUNK_TIME = 0.6  # seconds for those (a whole number of frames at 15, 30 and 60 fps)
RETITLE = 0.6  # a beat's title changes
LOOP_LINES = ("loss = criterion", "optimizer.zero_grad()", "loss.backward()", "optimizer.step()")


def planned_seconds(trace: OptimizersTrace, scene: str, spoken: float = 0.0) -> float:
    """How long ``scene`` runs: its animation, or its narration when that is longer."""
    adam_steps = len(trace.problems[1].run("adam").steps)
    fast = min(FAST, max(len(trace.problems[0].run("adam").steps) - WALKED, 0))
    animation = {
        "OptimizerLoop": SHOW
        + WALKED * len(LOOP_LINES) * LINE_TIME
        + fast * FAST_TIME
        + RETITLE
        + len(OPTIMIZERS) * (SWAP_TIME + SWAP_READ)
        + HOLD,
        "WellScaled": SHOW + RACE_SECONDS + MARK_TIME + HOLD,
        "Elongated": SHOW + RACE_SECONDS + MARK_TIME + HOLD,
        "AdamMoments": SHOW
        + min(ADAM_SLOW, adam_steps) * ADAM_SLOW_TIME
        + math.ceil(max(adam_steps - ADAM_SLOW, 0) / ADAM_CHUNK) * ADAM_CHUNK_TIME
        + HOLD,
    }[scene]
    return max(animation, spoken)
