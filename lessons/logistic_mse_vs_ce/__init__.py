"""Why logistic regression uses cross-entropy (lessons/logistic_mse_vs_ce.toml).

sigmoid(w*x + b) trained on 0/1 labels from a bad start, once with the mean squared error
and once with cross-entropy: the first sits on a plateau of its cost surface where the
gradient all but vanishes, the second walks down and fits. Engine in ``engine.py`` (the loop
of ``listing.py``), scenes in ``logistic_mse_vs_ce_scenes.py``.
"""

from __future__ import annotations

from gdlesson.registry import SceneLesson
from scenes.plotting import short_number


class LogisticLesson(SceneLesson):
    captions = {
        "LogisticCode": "The data, the model and the loop in PyTorch: one iteration with each "
        "criterion, its numbers from the trace",
        "LogisticRace": "Both runs from the same start on their cost maps: the squared error "
        "stalls on a plateau, cross-entropy fits",
        "LogisticSurfaces": "Both cost surfaces in 3D with the same paths",
    }

    def check(self, build) -> None:
        """A run whose very first step leaves the bound leaves nothing to animate: the
        build stops before it writes anything."""
        from gd_engine.config import ConfigError
        from gd_engine.runs import W_BOUND

        lr = build.cfg.train.lr
        if any(not run.steps for run in build.trace.runs):
            overridden = any(o.startswith("train.lr") for o in build.opts.overrides)
            raise ConfigError(
                f"{'--set' if overridden else build.opts.config_path}: train.lr = {lr:g} sends "
                f"the first step past |w|, |b| = {W_BOUND:g}, so there is no iteration to "
                "animate; choose a smaller lr"
            )

    def check_view(self, trace, config_path, overrides) -> None:
        """A view bound given against a derived one must leave a range to draw."""
        from gd_engine.config import check_drawn_range

        given = {o.partition("=")[0].strip() for o in overrides}

        def where(table: str, key: str) -> str:
            return "--set" if f"{table}.{key}" in given else str(config_path)

        s = trace.surfaces[0]
        for axis, values in (("w", s.w), ("b", s.b)):
            check_drawn_range(trace.config.view, axis, (values[0], values[-1]), where)

    # its page: what each picture shows, with the trace's numbers (below)
    def alt_text(self, trace, scene: str) -> str:
        return scene_text(trace, scene)

    def figure_texts(self, trace) -> dict[str, tuple[str, str]]:
        return figure_texts(trace)


LESSON = LogisticLesson()


def _run_text(run) -> str:
    """Where a run went: its loss and accuracy from start to end, and its mark if any."""
    first = run.steps[0]
    mark = ""
    if run.stalled_at is not None:
        mark = f", stalled at iteration {run.stalled_at}"
    elif run.diverged_at is not None:
        mark = f", diverged at iteration {run.diverged_at}"
    return (
        f"with {run.name} the loss goes from {short_number(first.loss)} to "
        f"{short_number(run.end_loss)} and the accuracy from {first.accuracy:.0%} to "
        f"{run.end_accuracy:.0%}{mark}"
    )


def scene_text(trace, scene: str) -> str:
    mse, bce = trace.runs
    w0, b0 = mse.start
    start = f"from w = {short_number(w0)}, b = {short_number(b0)}"
    if scene == "LogisticCode":
        return (
            f"The PyTorch code of the model sigmoid(w·x + b) and its loop beside the "
            f"{len(trace.data.x)} labelled points; one iteration {start}: the gradient's size "
            f"is {short_number(mse.steps[0].grad_norm)} with {mse.name} and "
            f"{short_number(bce.steps[0].grad_norm)} with {bce.name}."
        )
    if scene == "LogisticRace":
        return (
            f"Both runs {start} on their cost maps, the sigmoid over the labels, the gradient's "
            f"size per iteration on a log scale and the accuracy: {_run_text(mse)}; "
            f"{_run_text(bce)}."
        )
    if scene == "LogisticSurfaces":
        return (
            f"The two cost surfaces over w and b in 3D, with the same paths {start}: "
            f"{_run_text(mse)}; {_run_text(bce)}."
        )
    raise KeyError(f"{scene}: not a scene of the logistic lesson")


def figure_texts(trace) -> dict[str, tuple[str, str]]:
    mse, bce = trace.runs
    texts = {
        f"map_{run.criterion}": (
            f"The {run.name} over (w, b)",
            f"Contour map of the {run.name} over w and b with the path of its run: "
            f"{_run_text(run)}.",
        )
        for run in trace.runs
    }
    texts["gradient"] = (
        "The gradient's size per iteration",
        "The size of the gradient per iteration on a log scale: "
        f"{short_number(mse.steps[0].grad_norm)} at the start with {mse.name}, "
        f"{short_number(bce.steps[0].grad_norm)} with {bce.name}.",
    )
    texts["fit"] = (
        "The fitted sigmoids",
        f"The labelled points and the sigmoid each run ends with: accuracy "
        f"{mse.end_accuracy:.0%} with {mse.name}, {bce.end_accuracy:.0%} with {bce.name}.",
    )
    return texts
