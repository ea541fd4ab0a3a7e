"""The numbers the (w, b) lessons' narration says (``${name}`` in
lessons/narration/slope_and_bias.toml and learning_rates.toml), written from the trace;
each lesson's package names this module as its own ``narration_values``."""

from __future__ import annotations

from .trace import FollowUpTrace, best_run

WORDS = "No One Two Three Four Five Six Seven Eight Nine Ten".split()


def count_opening(n: int) -> str:
    """A count that opens a sentence: a word up to ten ("Four"), else its digits."""
    return WORDS[n] if 0 <= n < len(WORDS) else str(n)


def two(v: float) -> str:
    """A loss or a parameter as the words give it: two decimals."""
    return f"{v:.2f}"


def slope_and_bias(trace: FollowUpTrace) -> dict[str, str]:
    run = trace.runs[0]
    first, end = run.steps[0], run.steps[-1]
    return {
        "lr": f"{run.lr:g}",
        "w0": f"{run.start[0]:g}",
        "b0": f"{run.start[1]:g}",
        "first_loss": two(first.loss),
        "w1": two(first.w_next),
        "b1": two(first.b_next),
        "steps": str(len(run.steps)),
        "start_loss": two(run.start_loss_full),
        "end_loss": two(end.loss_full),
        "min_w": two(trace.minimum.w),
        "min_b": two(trace.minimum.b),
        "end_w": two(end.w_next),
        "end_b": two(end.b_next),
    }


def learning_rates(trace: FollowUpTrace) -> dict[str, str]:
    best = trace.runs[best_run(trace)]
    ends = best.epoch_ends()
    runs = sorted(trace.runs, key=lambda r: r.lr)
    fit = [r for r in runs if r is not runs[0] and r.diverged_at is None]
    values = {
        "best_lr": f"{best.lr:g}",
        "outliers": count_opening(len(trace.data.outliers)),
        "outlier_y": f"{trace.config.data.outlier_y:g}",
        "best_val": two(best.loss_val[-1]),
        "smallest_lr": f"{runs[0].lr:g}",
        "largest_lr": f"{runs[-1].lr:g}",
    }
    for n, name in ((1, "first"), (5, "fifth")):
        i = ends[min(n, len(ends) - 1)]
        values[f"{name}_train"] = two(best.loss_full[i])
        values[f"{name}_val"] = two(best.loss_val[i])
    if runs[-1].diverged_at is not None:
        values["diverged_at"] = str(runs[-1].diverged_at)
    if fit:
        train_ends = [r.loss_full[-1] for r in fit]
        values["fit_low"], values["fit_high"] = f"{min(train_ends):.0f}", f"{max(train_ends):.0f}"
    on_training = min(
        (r for r in trace.runs if r.diverged_at is None), key=lambda r: r.loss_full[-1]
    )
    values["training_choice"] = f"{on_training.lr:g}"
    return values


def narration_values(trace: FollowUpTrace) -> dict[str, str]:
    """{name: the words for it} for the lesson the trace is of."""
    if trace.config.lesson.kind == "learning_rates":
        return learning_rates(trace)
    return slope_and_bias(trace)
