"""Optimizers compared on the (w, b) surface (lessons/optimizers.toml): SGD, momentum,
RMSProp and Adam from torch.optim on the slope-and-bias data and on an elongated copy of it.

Its engine is ``engine.py`` (the loop of ``listing.py.tmpl``), its trace ``trace.py``, its
config ``config.py`` and its scenes ``optimizers_scenes.py``.
"""

from __future__ import annotations

from gdlesson.registry import SceneLesson
from scenes.plotting import short_number


class OptimizersLesson(SceneLesson):
    title = "Optimizers compared"
    captions = {
        "OptimizerLoop": "The training loop with torch.optim: zero_grad, backward, step",
        "WellScaled": "SGD, momentum, RMSProp and Adam on the slope-and-bias cost",
        "Elongated": "The same four on the badly scaled (elongated) cost",
        "AdamMoments": "Adam's moment estimates and its step for each parameter, at the dot",
    }

    # its page: what each picture shows, with the trace's numbers (below)
    def alt_text(self, trace, scene: str) -> str:
        return scene_text(trace, scene)

    def figure_texts(self, trace) -> dict[str, tuple[str, str]]:
        return figure_texts(trace)


LESSON = OptimizersLesson()


def _ends(problem) -> str:
    """Where each optimizer's run ends on ``problem``, against the minimum's loss."""
    from .config import NAMES

    runs = []
    for run in problem.runs:
        end = run.steps[-1].loss_next if run.steps else run.start_loss
        mark = ""
        if run.diverged_at is not None:
            mark = f" (diverged at iteration {run.diverged_at})"
        elif run.stalled_at is not None:
            mark = f" (stalled at iteration {run.stalled_at})"
        runs.append(f"{NAMES[run.optimizer]} ends at loss {short_number(end)}{mark}")
    m = problem.minimum
    return (
        f"{'; '.join(runs)}; the minimum is {short_number(m.loss)} at w = {short_number(m.w)}, "
        f"b = {short_number(m.b)}"
    )


def scene_text(trace, scene: str) -> str:
    well, long = trace.problems
    w0, b0 = well.runs[0].start
    steps = len(well.runs[0].steps)
    if scene == "OptimizerLoop":
        run = well.run("adam")
        first = run.steps[0]
        return (
            f"The training loop with torch.optim beside the readouts of Adam's first "
            f"iterations from w = {short_number(w0)}, b = {short_number(b0)}: loss "
            f"{short_number(first.loss)}, w.grad {short_number(first.grad_w)}, b.grad "
            f"{short_number(first.grad_b)}; then the "
            "optimizer's line becomes SGD, momentum, RMSProp and Adam in turn."
        )
    if scene == "WellScaled":
        return (
            f"Four paths on the contour of the slope-and-bias cost from w = {short_number(w0)}, "
            f"b = {short_number(b0)}, {steps} steps each, and their losses on one plot: "
            f"{_ends(well)}."
        )
    if scene == "Elongated":
        return (
            f"The same four on the elongated cost (x times {long.x_scale:g}), its contour a "
            f"long valley along w: {_ends(long)}."
        )
    if scene == "AdamMoments":
        run = well.run("adam")
        last = run.steps[-1]
        return (
            f"Adam's moment estimates and its step for w and for b, with arrows at the dot, "
            f"over {len(run.steps)} iterations: it ends at w = {short_number(last.w_next)}, "
            f"b = {short_number(last.b_next)}, loss {short_number(last.loss_next)}."
        )
    raise KeyError(f"{scene}: not a scene of the optimizers lesson")


def figure_texts(trace) -> dict[str, tuple[str, str]]:
    texts = {}
    for problem in trace.problems:
        stem = problem.name.replace(" ", "_")
        texts[f"contour_{stem}"] = (
            f"The four paths on the {problem.name} cost",
            f"Contour lines of the {problem.name} cost over w and b with the path of each "
            f"optimizer: {_ends(problem)}.",
        )
        texts[f"loss_{stem}"] = (
            f"The losses on the {problem.name} cost",
            f"The loss per iteration of each optimizer on the {problem.name} cost: "
            f"{_ends(problem)}.",
        )
    return texts
