"""Momentum on one weight (lessons/momentum.toml): torch.optim.SGD with and without momentum
from the same start, on a cost with a saddle, on one with a local minimum, and on that one
again with noise added to the gradient."""

from __future__ import annotations

from pathlib import Path

from gdlesson.registry import SceneLesson


class MomentumLesson(SceneLesson):
    kind = "momentum"
    scene_file = "lessons/momentum/momentum_scenes.py"
    default_config = "lessons/momentum.toml"
    captions = {
        "MomentumCode": "The loop in PyTorch, line by line: the optimizer keeps a velocity",
        "Saddle": "A flat saddle: plain steps stall on it, momentum rolls through",
        "LocalMinima": "Two minima: plain steps stop in the nearer, momentum reaches the deeper",
        "NoisyGradient": "The same cost with a noisy gradient",
    }
    code = {
        "trace": ("lessons.momentum.engine",),
        "clip": ("lessons.momentum.momentum_scenes",),
        "figures": ("lessons.momentum.figures",),
        "gif": ("gdlesson.gif",),
        "page": ("gdlesson.page",),
    }

    def load_config(self, path, overrides=()):
        from .config import load_config

        return load_config(path, overrides)

    def train(self, cfg):
        from .source import scene_trace

        return scene_trace(cfg)

    def run_engine(self, cfg):
        from .engine import train

        return train(cfg)

    def check_view(self, trace, config_path, overrides) -> None:
        """Nothing to check: the curves' ranges are always derived from the runs."""

    def write_figures(self, build, folder: Path) -> list[Path]:
        from scenes.theme import THEMES

        from .figures import write_figures

        return write_figures(build.trace, THEMES[build.plan.theme], folder)

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        from .momentum_scenes import planned_seconds

        return planned_seconds(trace, scene, spoken)


LESSON = MomentumLesson()
