"""What the lessons on the slope and the bias (w, b) share: their engine
(gd_engine/followup), their scenes (scenes/followup.py, one clip per scene), their figures
and their page. Each of them is a package beside this file that makes one
:class:`TwoParameterLesson`.
"""

from __future__ import annotations

from pathlib import Path

from gdlesson.registry import SceneLesson


class TwoParameterLesson(SceneLesson):
    """A lesson on (w, b): its scenes of scenes/followup.py, each one clip (videos/<Scene>),
    with a caption on its page."""

    scene_file = "scenes/followup.py"
    code = {
        "trace": ("gd_engine.followup.training",),
        "clip": ("scenes.followup",),
        "figures": ("scenes.followup_figures",),
        "gif": ("gdlesson.gif",),
        "page": ("gdlesson.page",),
        "slides": ("gdlesson.slides",),
    }

    def __init__(self, kind: str, default_config: str, captions: dict[str, str]):
        self.kind, self.default_config, self.captions = kind, default_config, captions

    def load_config(self, path, overrides=()):
        from gd_engine.followup import load_followup

        return load_followup(path, list(overrides))

    def train(self, cfg):
        from scenes.lesson_trace import followup_trace

        return followup_trace(cfg)

    def run_engine(self, cfg):
        from gd_engine.followup import train

        return train(cfg)

    def format_trace(self, trace) -> str:
        from gdlesson.cli import format_table

        return format_table(trace)

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        from scenes.followup import planned_seconds

        return planned_seconds(trace, scene, spoken)

    def write_figures(self, build, folder: Path) -> list[Path]:
        from scenes.followup_figures import write_followup_figures
        from scenes.theme import THEMES

        return write_followup_figures(build.trace, THEMES[build.plan.theme], folder)
