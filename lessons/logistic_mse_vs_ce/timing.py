"""How long the logistic lesson's scenes and their beats last: what the build needs to
plan and share out their renders, without importing Manim (the scenes, in
``logistic_mse_vs_ce_scenes.py``, play exactly these times)."""

from __future__ import annotations

from lessons.logistic_mse_vs_ce.trace import LogisticTrace

#: what each scene's animations take, in seconds (a scene lasts at least its narration)
BAND = 0.6  # the band moving to the next line of code
WRITE = 1.0  # a listing or a panel coming in
READ = 1.2  # a pause to read a number that just appeared
RUN = 5.0  # one run's iterations on its map
SWEEP = 3.6  # the cross-entropy's sigmoid turning round
GROW = 1.2  # both gradients' sizes, iteration by iteration
VEIL = 0.6  # the eye moved: one region dimmed, another brought up
CLIMB = 5.0  # a path drawn on its surface, the camera turning
SHOW_SURFACES = 1.2  # a surface coming in
SWAP = 0.6  # a surface going
STALL_NOTE = 0.4  # "stalled" written beside a run
HOLD = 2.0  # the last picture, at least
#: the lines of the training block the band visits in one iteration, and what each leaves
LOOP = ("yhat = model(x)", "loss = criterion", "optimizer.zero_grad", "loss.backward", "step()")


def code_seconds() -> float:
    """LogisticCode's animations, as its beats play them."""
    data_and_model = WRITE + 7 * BAND + READ  # the listing, six band moves and two reveals
    iteration = 2 * BAND + len(LOOP) * BAND + 3 * READ  # criterion, SGD, the loop's lines
    swap, compare = BAND, 2 * READ
    return data_and_model + WRITE + iteration + swap + iteration + compare + HOLD


def race_beats(trace: LogisticTrace) -> list[tuple[str, float]]:
    """LogisticRace's beats (each starting where the words say its mark), with the seconds
    of their animations."""
    stalled = {r.criterion: STALL_NOTE * (r.stalled_at is not None) for r in trace.runs}
    return [
        ("maps", 2 * WRITE),
        ("mse", VEIL + RUN + stalled["mse"]),
        ("bce", VEIL + RUN + stalled["bce"]),
        ("fit", WRITE + SWEEP),
        ("gradients", WRITE + GROW),
        ("all", VEIL + HOLD),
    ]


def surface_beats(trace: LogisticTrace) -> list[tuple[str, float]]:
    """LogisticSurfaces' beats, likewise."""
    stalled = {r.criterion: STALL_NOTE * (r.stalled_at is not None) for r in trace.runs}
    return [
        ("show", SHOW_SURFACES),
        ("mse", CLIMB + stalled["mse"]),
        ("bce", SWAP + SHOW_SURFACES + CLIMB + stalled["bce"]),
        ("end", HOLD),
    ]


def planned_seconds(trace: LogisticTrace, scene: str, spoken: float = 0.0) -> float:
    """How long ``scene`` lasts: its animations, or its narration when that is longer."""
    animation = {
        "LogisticCode": code_seconds,
        "LogisticRace": lambda: sum(s for _, s in race_beats(trace)),
        "LogisticSurfaces": lambda: sum(s for _, s in surface_beats(trace)),
    }[scene]()
    return max(animation, spoken)
