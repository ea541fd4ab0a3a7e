"""What the logistic lesson's narration (lessons/narration/logistic_mse_vs_ce.toml) refers to:
the numbers it says (``${name}``), written from its trace, so that another start, threshold
or stall rule changes the words too; and the marks (``{name}``) its scenes reveal on."""

from __future__ import annotations

from scenes.narration import said_number, said_size, said_times

#: scene -> its marks: each run's beat starts where the words name it (``mse``, ``bce``), the
#: sigmoid panel where they speak of the fit, the gradients' panel where of the log scale
MARKS = {
    "LogisticRace": ("mse", "bce", "fit", "gradients"),
    "LogisticSurfaces": ("mse", "bce"),
}


def narration_values(trace) -> dict[str, str]:
    """{name: the words for it} from ``trace`` (a LogisticTrace)."""
    cfg = trace.config
    mse, bce = trace.run("mse"), trace.run("bce")
    pairs = list(zip(mse.steps, bce.steps))
    start = [s.grad_norm for s in pairs[0]] if pairs else [0.0, 0.0]
    apart = [b.grad_norm / m.grad_norm for m, b in pairs if m.grad_norm > 0]
    return {
        "threshold": said_number(cfg.data.threshold, 3),
        "w0": said_number(cfg.train.w0, 3),
        "b0": said_number(cfg.train.b0, 3),
        "mse_start_gradient": said_size(start[0]),
        "bce_start_gradient": said_size(start[1]),
        "start_ratio": said_times(start[1] / start[0]) if start[0] > 0 else "far larger",
        "stall_iterations": f"{cfg.train.stall_iterations}",
        "bce_accuracy": f"{100 * bce.end_accuracy:.0f} percent",
        "mse_accuracy": f"{100 * mse.end_accuracy:.0f} percent",
        "least_ratio": said_number(min(apart)) if apart else "many",
    }
