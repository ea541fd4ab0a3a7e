"""Where the scenes get their config and trace: ``$GDLESSON_CONFIG`` (else the lesson's
file) with the environment's overrides and theme, trained once and cached in renders/cache/
like every lesson's (scenes/lesson_trace.py)."""

from __future__ import annotations

from pathlib import Path

from scenes.lesson_trace import cache_path, cached_trace, read_config

from .config import LogisticConfig, load_config
from .trace import LogisticTrace

ENGINE_SOURCE = Path(__file__).with_name("engine.py")
DEFAULT = "lessons/logistic_mse_vs_ce.toml"


def scene_config() -> LogisticConfig:
    return read_config(load_config, DEFAULT)


def scene_trace(cfg: LogisticConfig, cache_dir: Path | None = None) -> LogisticTrace:
    """The trace for ``cfg``, from the cache or trained now."""
    return cached_trace(
        cache_path(cfg, cache_dir, ENGINE_SOURCE, "logistic"), LogisticTrace, _train, cfg
    )


def _train(cfg):
    """Training, with torch imported only when the cache has no trace for ``cfg``."""
    from .engine import train

    return train(cfg)
