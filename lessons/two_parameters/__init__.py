"""What the lessons on the slope and the bias (w, b) share: their engine (config.py,
training.py, trace.py), their scenes (two_parameters_scenes.py, one clip per scene), their
figures (figures.py) and their page. Each of them is a package beside this one that makes one
:class:`TwoParameterLesson`; this package has no ``LESSON`` of its own.
"""

from __future__ import annotations

from pathlib import Path

from gdlesson.registry import SceneLesson


class TwoParameterLesson(SceneLesson):
    """A lesson on (w, b): its scenes of two_parameters_scenes.py, each one clip
    (videos/<Scene>), with a caption on its page."""

    scene_file = "lessons/two_parameters/two_parameters_scenes.py"
    code = {
        "trace": ("lessons.two_parameters.training",),
        "clip": ("lessons.two_parameters.two_parameters_scenes",),
        "figures": ("lessons.two_parameters.figures",),
        "gif": ("gdlesson.gif",),
        "page": ("gdlesson.page",),  # its page texts are in this file, hashed into all
        "slides": ("gdlesson.slides",),
    }

    def __init__(self, kind: str, default_config: str, captions: dict[str, str]):
        self.kind, self.default_config, self.captions = kind, default_config, captions

    def load_config(self, path, overrides=()):
        from lessons.two_parameters.config import load_followup

        return load_followup(path, list(overrides))

    def train(self, cfg):
        from .source import scene_trace

        return scene_trace(cfg)

    def run_engine(self, cfg):
        from lessons.two_parameters.training import train

        return train(cfg)

    def write_figures(self, build, folder: Path) -> list[Path]:
        from lessons.two_parameters.figures import write_followup_figures
        from scenes.theme import THEMES

        return write_followup_figures(build.trace, THEMES[build.plan.theme], folder)

    # the page: what each picture shows, with the trace's numbers ----------------------------
    def lead(self, cfg) -> str:
        return "A lesson on the slope w and the bias b: every number in it comes from the run."

    def alt_text(self, trace, scene: str) -> str:
        if scene.endswith("Code"):
            return code_text(trace, scene)
        m = trace.minimum
        lowest = f"the lowest cost {number(m.loss)} is at w = {number(m.w)}, b = {number(m.b)}"
        if scene in ("SlopeBias", "SlopeBiasSurface"):
            run = trace.runs[0]
            (w0, b0), (w1, b1) = run.path[0], run.path[-1]
            walk = (
                f"(w, b) goes from ({number(w0)}, {number(b0)}) to ({number(w1)}, "
                f"{number(b1)}) in {len(run.steps)} steps, the loss from "
                f"{number(run.loss_full[0])} to {number(run.loss_full[-1])}; {lowest}"
            )
            if scene == "SlopeBias":
                return (
                    "The path of (w, b) across the contour lines of the cost, beside the "
                    f"data with the fitted line y = w·x + b and the loss per epoch: {walk}."
                )
            return f"The same path on the cost surface over w and b, the camera turning: {walk}."
        if scene == "BatchModes":
            runs = "; ".join(
                f"{run_name(r)}: {len(r.steps)} steps, full-data loss "
                f"{number(r.loss_full[0])} to {number(r.loss_full[-1])}"
                for r in trace.runs
            )
            return (
                f"The paths of {len(trace.runs)} runs on one contour of the cost and their "
                f"loss on all the data, on one clock of {trace.config.train.epochs} epochs. "
                f"{runs}; {lowest}."
            )
        if scene == "LearningRates":
            return learning_rates_text(trace)
        raise KeyError(f"{scene}: not a scene of {self.kind}")

    def figure_texts(self, trace) -> dict[str, tuple[str, str]]:
        ends = [(run_label(trace, r), *r.path[-1]) for r in trace.runs]
        runs = "; ".join(f"{n} ends at w = {number(w)}, b = {number(b)}" for n, w, b in ends)
        m = trace.minimum
        texts = {
            "contour": (
                "The paths on the contour of the cost",
                f"Contour lines of the cost over w and b with the path of each run: {runs}; "
                f"the minimum at w = {number(m.w)}, b = {number(m.b)}.",
            ),
            "loss": (
                "The loss on the training data",
                "The loss on all the training data after each iteration, log scale: "
                + losses_text(trace, "loss_full")
                + ".",
            ),
        }
        if self.kind == "learning_rates":
            texts["validation_loss"] = (
                "The loss on the validation data",
                "The loss on the validation data after each iteration, log scale: "
                + losses_text(trace, "loss_val")
                + ".",
            )
        return texts

    def parameters(self, cfg) -> dict:
        """The tables without what this kind of lesson does not read: a compared value
        replaces its training one (``compare.lrs`` the lr, ``compare.batch_sizes`` the
        batch size); no outliers, no outlier_y; no shuffle when every run is full-batch."""
        tables = cfg.to_dict()
        del tables["lesson"]
        compared = {"batch_modes": ("batch_sizes", "batch_size"), "learning_rates": ("lrs", "lr")}
        if self.kind in compared:
            key, replaced = compared[self.kind]
            tables["compare"] = {key: tables["compare"][key]}
            del tables["train"][replaced]
        else:
            del tables["compare"]
        if not cfg.data.outliers:
            del tables["data"]["outlier_y"]
        if all(run.batch_size == 0 for run in cfg.runs()):
            del tables["train"]["shuffle"]
        return tables


def number(v: float) -> str:
    """A value as the pictures show it, to 4 decimals, with a true minus."""
    return (f"{v:.3e}" if abs(v) >= 1e6 else f"{v:.4f}").replace("-", "\u2212")


def run_name(run) -> str:
    return run.mode.replace(" of ", " ")


def run_label(trace, run) -> str:
    """A run as its lesson tells them apart: by its lr, or by its batches."""
    return f"lr {run.lr:g}" if trace.config.lesson.kind == "learning_rates" else run_name(run)


def losses_text(trace, which: str) -> str:
    """Each run's loss at its start and end (or where it diverged)."""
    parts = []
    for r in trace.runs:
        values = getattr(r, which)
        end = (
            f"diverged at iteration {r.diverged_at}"
            if r.diverged_at is not None
            else f"{number(values[0])} to {number(values[-1])}"
        )
        parts.append(f"{run_label(trace, r)}: {end}")
    return "; ".join(parts)


def learning_rates_text(trace) -> str:
    """The learning-rates scene: each lr's final training and validation loss, the best."""
    rows, val = [], []
    for r in trace.runs:
        if r.diverged_at is not None:
            rows.append(f"lr {r.lr:g} diverged at iteration {r.diverged_at}")
            val.append(float("inf"))
        else:
            rows.append(
                f"lr {r.lr:g}: training {number(r.loss_full[-1])}, "
                f"validation {number(r.loss_val[-1])}"
            )
            val.append(r.loss_val[-1])
    best = trace.runs[val.index(min(val))]
    return (
        "Training and validation loss per epoch for each learning rate, then the final "
        f"losses: {'; '.join(rows)}. The lowest validation loss, at lr {best.lr:g}, is marked."
    )


def code_text(trace, scene: str) -> str:
    """A code scene: which loop, and the first iteration of each run it shows."""
    from lessons.two_parameters.trace import code_runs

    parts = []
    for i in code_runs(trace, scene):
        r = trace.runs[i]
        s = r.steps[0]
        parts.append(
            f"{run_name(r)} at lr {r.lr:g}: first loss {number(s.loss)}, gradients "
            f"{number(s.grad_w)} and {number(s.grad_b)}, then w = {number(s.w_next)}, "
            f"b = {number(s.b_next)}"
        )
    text = (
        "The PyTorch loop of (w, b), the running line highlighted, beside readouts of its "
        f"variables counting: {'; '.join(parts)}"
    )
    if scene == "LearningRatesCode":
        r = trace.runs[code_runs(trace, scene)[0]]
        end = r.epoch_ends()[1]
        text += (
            f"; after the first epoch, training loss {number(r.loss_full[end])} and "
            f"validation loss {number(r.loss_val[end])}"
        )
    return text + "."
