"""How long the (w, b) lessons' scenes last, and the code scenes' storyboard: what the build
needs to plan and share out their renders, without importing Manim (the scenes, in
``two_parameters_scenes.py``, play exactly these times)."""

from __future__ import annotations

from dataclasses import dataclass

from lessons.two_parameters.trace import FollowUpTrace, code_runs

STEP_TIME = (1.1, 0.35)  # seconds for a step when there are few, and when there are many
#: seconds for all the steps of the slope-and-bias run: on the contour, and on the surface
#: (its 3D frames cost the most to draw)
STEPS_BUDGET, SURFACE_BUDGET = 15.0, 10.0
EPOCH_TIME = 2.0  # seconds of animation per epoch when runs race on one clock
HOLD = 2.5  # seconds the last picture stays

# -- the code scenes ---------------------------------------------------------------------------
#: the band on one line and the readouts it sets; one iteration (or an epoch's rest) at speed;
#: the listing of the next run coming in
LINE_TIME, FAST_TIME, SWAP_TIME, CODE_SHOW = 0.6, 0.8, 0.9, 1.2
#: per code scene: iterations of each run walked line by line, then played at speed, and the
#: epochs closed with the losses on the training and the validation data
CODE_PLANS = {
    "SlopeBiasCode": (3, 5, 0),
    "BatchModesCode": (1, 4, 0),
    "LearningRatesCode": (3, 0, 5),
}
#: the lines of one iteration, in order (``rows = `` only when the data come in batches)
LOOP_LINES = (
    "rows = ",
    "yhat = ",
    "loss = cost",
    "loss.backward()",
    "w.data = ",
    "b.data = ",
    "w.grad.data.zero_()",
    "b.grad.data.zero_()",
)
CLOSE_LINES = ("train_loss = ", "val_loss = ")


def step_time(n: int, budget: float = STEPS_BUDGET) -> float:
    return min(STEP_TIME[0], max(STEP_TIME[1], budget / max(n, 1)))


def planned_seconds(trace: FollowUpTrace, scene: str, spoken: float = 0.0) -> float:
    """About how long ``scene`` runs: its animation, or its narration (``spoken`` seconds)
    when that is longer."""
    steps = len(trace.runs[0].steps)
    epochs = trace.config.train.epochs
    if scene in CODE_PLANS:
        animation = sum(move.seconds for move in code_plan(trace, scene)) + HOLD
        return max(animation, spoken)
    animation = {
        "SlopeBias": 2.0 + steps * step_time(steps) + HOLD,
        "SlopeBiasSurface": 2.3 + steps * step_time(steps, SURFACE_BUDGET) + HOLD + 1.0,
        "BatchModes": 1.8 + epochs * EPOCH_TIME + HOLD,
        "LearningRates": 3.4 + epochs * EPOCH_TIME + HOLD + 1.0,
    }[scene]
    return max(animation, spoken)


@dataclass(frozen=True)
class Move:
    """One move of a code scene: ``kind`` is show, swap, line, fast or close; ``run`` the
    run's index; ``step`` the iteration whose values it shows; ``line`` the band's line."""

    kind: str
    run: int
    step: int = 0
    line: str = ""

    @property
    def seconds(self) -> float:
        return {"show": CODE_SHOW, "swap": SWAP_TIME, "fast": FAST_TIME}.get(self.kind, LINE_TIME)


def code_plan(trace: FollowUpTrace, scene: str) -> list[Move]:
    """Every move of a code scene, in order: the storyboard that ``LoopCode`` plays and
    ``planned_seconds`` times."""
    walked, fast, closed = CODE_PLANS[scene]
    moves: list[Move] = []
    for i in code_runs(trace, scene):
        run = trace.runs[i]
        moves.append(Move("show" if not moves else "swap", i))
        lines = LOOP_LINES if run.batches > 1 else LOOP_LINES[1:]
        steps = run.steps
        for k in range(min(walked, len(steps))):
            moves += [Move("line", i, k, line) for line in lines]
        for k in range(walked, min(walked + fast, len(steps))):
            moves.append(Move("fast", i, k))
        ends = [e - 1 for e in run.epoch_ends()[1:]]  # the last step of each epoch
        for end in ends[:closed]:
            if end >= walked:  # the epoch's rest at speed, then its losses
                moves.append(Move("fast", i, end))
            moves += [Move("close", i, end, line) for line in CLOSE_LINES]
    return moves
