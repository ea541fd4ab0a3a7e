"""Where the momentum scenes get their config and trace: the parameter file of
``$GDLESSON_CONFIG`` with the environment's overrides and theme, trained once and cached in
renders/cache/ like the other lessons' (scenes/lesson_trace.py)."""

from __future__ import annotations

from pathlib import Path

from scenes.lesson_trace import cache_path, cached_trace, read_config

from .config import MomentumConfig, load_config
from .trace import MomentumTrace

ENGINE_SOURCE = Path(__file__).with_name("engine.py")


def scene_config(default: str = "lessons/momentum.toml") -> MomentumConfig:
    return read_config(load_config, default)


def scene_trace(cfg: MomentumConfig, cache_dir: Path | None = None) -> MomentumTrace:
    """The trace for ``cfg``, from the cache or trained now."""
    path = cache_path(cfg, cache_dir, ENGINE_SOURCE, "momentum")
    return cached_trace(path, MomentumTrace, _train, cfg)


def _train(cfg):
    """Training, with torch imported only when the cache has no trace for ``cfg``."""
    from .engine import train

    return train(cfg)
