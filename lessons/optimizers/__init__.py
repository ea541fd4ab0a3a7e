"""Optimizers compared on the (w, b) surface (lessons/optimizers.toml): SGD, momentum,
RMSProp and Adam from torch.optim on the slope-and-bias data and on an elongated copy of it.

Its engine is ``engine.py`` (the loop of ``listing.py.tmpl``), its trace ``trace.py``, its
config ``config.py`` and its scenes ``optimizers_scenes.py``.
"""

from __future__ import annotations

from pathlib import Path

from gdlesson.registry import SceneLesson

ENGINE_SOURCE = Path(__file__).with_name("engine.py")
#: what else the trace is made by: a cached trace is keyed by these files too
TRACE_SOURCES = ("config.py", "listing.py", "trace.py")


class OptimizersLesson(SceneLesson):
    kind = "optimizers"
    title = "Optimizers compared"
    scene_file = "lessons/optimizers/optimizers_scenes.py"
    default_config = "lessons/optimizers.toml"
    captions = {
        "OptimizerLoop": "The training loop with torch.optim: zero_grad, backward, step",
        "WellScaled": "SGD, momentum, RMSProp and Adam on the slope-and-bias cost",
        "Elongated": "The same four on the badly scaled (elongated) cost",
        "AdamMoments": "Adam's moment estimates and its step for each parameter, at the dot",
    }
    code = {
        "trace": ("lessons.optimizers.engine",),
        "clip": ("lessons.optimizers.optimizers_scenes",),
        "figures": ("lessons.optimizers.figures",),
        "gif": ("gdlesson.gif",),
        "page": ("gdlesson.page",),
        "slides": ("gdlesson.slides",),
    }

    def load_config(self, path, overrides=()):
        from .config import load_config

        return load_config(path, overrides)

    def train(self, cfg):
        import hashlib

        from scenes.lesson_trace import cache_path, cached_trace

        from .trace import OptimizersTrace

        others = b"".join(Path(__file__).with_name(f).read_bytes() for f in TRACE_SOURCES)
        prefix = f"optimizers-{hashlib.sha256(others).hexdigest()[:12]}"
        path = cache_path(cfg, None, ENGINE_SOURCE, prefix)
        return cached_trace(path, OptimizersTrace, self.run_engine, cfg)  # torch: only then

    def run_engine(self, cfg):
        from .engine import train

        return train(cfg)

    def check_view(self, trace, config_path, overrides) -> None:
        """Nothing to check: the lesson has no view bounds (its ranges are derived)."""

    def write_figures(self, build, folder: Path) -> list[Path]:
        from lessons.optimizers.figures import write_figures
        from scenes.theme import THEMES

        return write_figures(build.trace, THEMES[build.plan.theme], folder)

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        from .optimizers_scenes import planned_seconds

        return planned_seconds(trace, scene, spoken)


LESSON = OptimizersLesson()
