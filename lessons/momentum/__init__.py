"""Momentum on one weight (lessons/momentum.toml): torch.optim.SGD with and without momentum
from the same start, on a cost with a saddle, on one with a local minimum, and on that one
again with noise added to the gradient."""

from __future__ import annotations

from gdlesson.registry import SceneLesson
from scenes.plotting import short_number


class MomentumLesson(SceneLesson):
    captions = {
        "MomentumCode": "The loop in PyTorch, line by line: the optimizer keeps a velocity",
        "Saddle": "A flat saddle: plain steps stall on it, momentum rolls through",
        "LocalMinima": "Two minima: plain steps stop in the nearer, momentum reaches the deeper",
        "NoisyGradient": "The same cost with a noisy gradient",
    }

    # its page: what each picture shows, with the trace's numbers (below)
    def alt_text(self, trace, scene: str) -> str:
        return scene_text(trace, scene)

    def figure_texts(self, trace) -> dict[str, tuple[str, str]]:
        return figure_texts(trace)


LESSON = MomentumLesson()


#: each race's scene and figure: (landscape, noisy gradient)
RACES = {"Saddle": ("saddle", False), "LocalMinima": ("minima", False)}
RACES["NoisyGradient"] = ("minima", True)
FIGURES = {"saddle": ("saddle", False), "minima": ("minima", False), "noisy": ("minima", True)}


def _race(trace, landscape: str, noisy: bool) -> str:
    """Where plain SGD and SGD with momentum go from their common start."""
    parts = []
    for run in trace.pair(landscape, noisy):
        name = f"momentum {run.momentum:g}" if run.momentum else "plain SGD"
        end = run.steps[-1].w_next if run.steps else run.w0
        mark = ""
        if run.diverged_at is not None:
            mark = f", diverged at step {run.diverged_at}"
        elif run.stalled_at is not None:
            mark = f", stalled at step {run.stalled_at}"
        parts.append(f"{name} ends at w = {short_number(end)} after {len(run.steps)} steps{mark}")
    first = trace.pair(landscape, noisy)[0]
    start = first.steps[0].w if first.steps else first.w0
    noise = f", noise of std {first.noise_std:g} on the gradient" if noisy else ""
    return f"from w = {short_number(start)} at lr {first.lr:g}{noise}: {'; '.join(parts)}"


def scene_text(trace, scene: str) -> str:
    if scene == "MomentumCode":
        run = trace.pair("saddle", False)[1]
        steps = ", ".join(
            f"w {short_number(s.w)} velocity {short_number(s.velocity)}" for s in run.steps[:3]
        )
        return (
            "The PyTorch loop with torch.optim.SGD and momentum, the running line "
            f"highlighted, beside the readouts of its first steps on the saddle: {steps}."
        )
    landscape, noisy = RACES[scene]
    return (
        f"Two dots on the cost curve with velocity arrows, plain SGD and SGD with momentum, "
        f"{_race(trace, landscape, noisy)}."
    )


def figure_texts(trace) -> dict[str, tuple[str, str]]:
    from .figures import TITLES

    return {
        stem: (
            TITLES[stem],
            f"w against the step for both runs, {_race(trace, *race)}.",
        )
        for stem, race in FIGURES.items()
    }
