"""Where the (w, b) scenes get their config and trace: the parameter file of
``$GDLESSON_CONFIG`` with the environment's overrides and theme, trained once and cached in
renders/cache/ like the first lesson's (scenes/lesson_trace.py)."""

from __future__ import annotations

from pathlib import Path

from gd_engine.config import ConfigError
from scenes.lesson_trace import cache_path, cached_trace, read_config

from .config import FollowUpConfig, is_followup, load_followup
from .trace import FollowUpTrace

ENGINE_SOURCE = Path(__file__).with_name("training.py")


def scene_config(default: str = "lessons/slope_and_bias.toml") -> FollowUpConfig:
    """The config of a render: ``$GDLESSON_CONFIG`` (else ``default``), the environment's
    overrides and theme."""

    def load(path, overrides):
        if not is_followup(path):
            raise ConfigError(f"{path}: not a (w, b) lesson (it needs a [lesson] table)")
        return load_followup(path, overrides)

    return read_config(load, default)


def scene_trace(cfg: FollowUpConfig, cache_dir: Path | None = None) -> FollowUpTrace:
    """The trace for ``cfg``, from the cache or trained now."""
    path = cache_path(cfg, cache_dir, ENGINE_SOURCE, "followup")
    return cached_trace(path, FollowUpTrace, _train, cfg)


def _train(cfg):
    """Training, with torch imported only when the cache has no trace for ``cfg``."""
    from .training import train

    return train(cfg)
