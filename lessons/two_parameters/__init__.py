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
        "page": ("gdlesson.page",),
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

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        from lessons.two_parameters.two_parameters_scenes import planned_seconds

        return planned_seconds(trace, scene, spoken)

    def write_figures(self, build, folder: Path) -> list[Path]:
        from lessons.two_parameters.figures import write_followup_figures
        from scenes.theme import THEMES

        return write_followup_figures(build.trace, THEMES[build.plan.theme], folder)
