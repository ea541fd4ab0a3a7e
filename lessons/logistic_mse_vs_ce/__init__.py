"""Why logistic regression uses cross-entropy (lessons/logistic_mse_vs_ce.toml).

sigmoid(w*x + b) trained on 0/1 labels from a bad start, once with the mean squared error
and once with cross-entropy: the first sits on a plateau of its cost surface where the
gradient all but vanishes, the second walks down and fits. Engine in ``engine.py`` (the loop
of ``listing.py``), scenes in ``logistic_mse_vs_ce_scenes.py``.
"""

from __future__ import annotations

from gdlesson.registry import SceneLesson


class LogisticLesson(SceneLesson):
    kind = "logistic_mse_vs_ce"
    scene_file = "lessons/logistic_mse_vs_ce/logistic_mse_vs_ce_scenes.py"
    default_config = "lessons/logistic_mse_vs_ce.toml"
    captions = {
        "LogisticCode": "The data, the model and the loop in PyTorch: one iteration with each "
        "criterion, its numbers from the trace",
        "LogisticRace": "Both runs from the same start on their cost maps: the squared error "
        "stalls on a plateau, cross-entropy fits",
        "LogisticSurfaces": "Both cost surfaces in 3D with the same paths",
    }
    code = {
        "trace": ("lessons.logistic_mse_vs_ce.engine",),
        "clip": ("lessons.logistic_mse_vs_ce.logistic_mse_vs_ce_scenes",),
        "figures": ("lessons.logistic_mse_vs_ce.figures",),
        "gif": ("gdlesson.gif",),
        "page": ("gdlesson.page",),
        "slides": ("gdlesson.slides",),
    }

    def load_config(self, path, overrides=()):
        from .config import load_config

        return load_config(path, list(overrides))

    def train(self, cfg):
        from .source import scene_trace

        return scene_trace(cfg)

    def run_engine(self, cfg):
        from .engine import train

        return train(cfg)

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

    def write_figures(self, build, folder):
        from scenes.theme import THEMES

        from .figures import write_figures

        return write_figures(build.trace, THEMES[build.plan.theme], folder)

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        from .logistic_mse_vs_ce_scenes import planned_seconds

        return planned_seconds(trace, scene, spoken)


LESSON = LogisticLesson()
