"""Where scenes get their trace: the lesson's config, trained once and cached in renders/.

A scene reads ``lesson.toml`` (or ``$GDLESSON_CONFIG``) with the overrides in
``$GDLESSON_SET`` (``;``-separated) and the theme in ``$GDLESSON_THEME``. The trace is cached
under ``renders/cache/`` by a key of the config and the engine's source, so a render whose
trace is cached never imports torch.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from gd_engine import ConfigError, LessonConfig, Trace, load_config
from gd_engine.config import with_theme
from gd_engine.trace import config_key, write_atomic
from scenes.narration import NarrationError

ROOT = Path(__file__).resolve().parents[1]
ENGINE_SOURCE = ROOT / "gd_engine" / "training.py"


def scene_config() -> LessonConfig:
    """The config a render uses, from the parameter file and the environment."""
    return read_config(load_config, "lesson.toml")


def config_source(default: str = "lesson.toml") -> str:
    """The parameter file a render reads."""
    return os.environ.get("GDLESSON_CONFIG") or (
        default if Path(default).exists() else str(ROOT / default)
    )


def read_config(loader, default: str):
    path = config_source(default)
    overrides = [s for s in os.environ.get("GDLESSON_SET", "").split(";") if s.strip()]
    theme = os.environ.get("GDLESSON_THEME")
    if theme:
        overrides.append(f"view.theme={theme}")
    with bad_input_stops():
        return loader(path, overrides)


@contextmanager
def bad_input_stops():
    """A bad parameter or narration stops a render with one line and exit status 2."""
    try:
        yield
    except (ConfigError, NarrationError) as exc:
        print(f"gdlesson: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cache_path(
    cfg, cache_dir: Path | None = None, engine_source: Path = ENGINE_SOURCE, prefix: str = "trace"
) -> Path:
    """Where the trace of ``cfg`` is cached: keyed by the config and the engine's source."""
    return _kept_at(cfg, cache_dir, prefix, hashlib.sha256(engine_source.read_bytes()).hexdigest())


def _kept_at(cfg, cache_dir: Path | None, prefix: str, code: str) -> Path:
    # the theme does not change the numbers: both themes share one trace
    key = config_key(_dark(cfg))
    # "v2": the file holds the trace and its sha256 (older caches are left unread)
    return (cache_dir or ROOT / "renders" / "cache") / f"{prefix}-v2-{key}-{code[:12]}.json"


#: what reading a damaged, edited, outdated or foreign cache file can raise
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError, ConfigError)


def cached_trace(path: Path, trace_class, train, cfg, owners=()):
    """The trace saved at ``path``, or ``train(cfg)`` saved there (torch loads only then).

    The cache file holds the trace and a sha256 of its whole JSON: a file that is damaged,
    of the wrong shape, edited, or of another config is discarded with one warning line
    and the trace trained again, never drawn. ``trace_class`` None: the file names the
    class, one of a module of the packages ``owners``, and a trace of another class, or
    one that cannot read itself back (``from_dict``), is not kept."""
    cfg = _dark(cfg)
    if path.exists():
        try:
            return _read_cache(path, trace_class, cfg, owners)
        except UNREADABLE as exc:
            print(f"gdlesson: {path}: {exc}; training again", file=sys.stderr)
    trace = train(cfg)
    kind = type(trace)
    readable = callable(getattr(kind, "from_dict", None))
    if trace_class is None and not (readable and _owner(kind.__module__) in owners):
        return trace
    text = trace.to_json()
    stored = {"config_key": config_key(cfg), "sha256": _sha256(text), "trace": json.loads(text)}
    if trace_class is None:  # the file names it
        stored["trace_class"] = f"{kind.__module__}:{kind.__qualname__}"
    write_atomic(path, json.dumps(stored) + "\n")
    return trace


def engine_trace(cfg, kind: str, code: str, train, package="", cache_dir: Path | None = None):
    """``train(cfg)``, a lesson's engine, kept as ``cached_trace`` keeps a trace when the
    trace's class reads its dict back (``from_dict``): the lesson's scenes and a build that
    changes nothing then read it and never train (nor import torch). The file is keyed by
    the config and ``code`` (a digest of the engine's code) and names the trace's class,
    which is imported to read it: a class of the lesson's own code (its ``package`` or the
    project's), never another module an edited file names."""
    owners = (_owner(package), *PROJECT) if package else PROJECT
    return cached_trace(_kept_at(cfg, cache_dir, kind, code), None, train, cfg, owners)


#: the project's packages: a kept trace's class may be one of theirs
PROJECT = ("gd_engine", "lessons", "scenes")


def _owner(module: str) -> str:
    return module.partition(".")[0]


def _dark(cfg):
    """``cfg`` in the dark theme: both themes share one trace (a config without a theme is
    itself)."""
    return with_theme(cfg, "dark") if hasattr(getattr(cfg, "view", None), "theme") else cfg


def _read_cache(path: Path, trace_class, cfg, owners=()):
    """The trace kept at ``path``; ``trace_class`` None: the class the file names, of a
    module of the packages ``owners``."""
    stored = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(stored, dict) or not isinstance(stored.get("trace"), dict):
        raise ValueError("not a cached trace")
    if trace_class is None:
        module, _, name = str(stored.get("trace_class")).partition(":")
        if _owner(module) not in owners:
            raise ValueError(f"its trace class {module}:{name} is not the lesson's")
        trace_class = getattr(importlib.import_module(module), name)
    trace = trace_class.from_dict(stored["trace"])
    if _sha256(trace.to_json()) != stored.get("sha256"):
        raise ValueError("its sha256 does not match: damaged or edited")
    if stored.get("config_key") != config_key(cfg):
        raise ValueError("it is the trace of another config")
    return trace


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def check_animatable(trace: Trace, source: str) -> None:
    """A ConfigError when the very first step leaves the bound: no epoch to animate."""
    if not trace.epochs:
        lr = trace.config.train.lr
        raise ConfigError(
            f"{source}: train.lr = {lr:g} sends the first step past |w| = 1e12, so there is "
            "no epoch to animate; choose a smaller lr"
        )


def lesson_trace(cfg: LessonConfig | None = None, cache_dir: Path | None = None) -> Trace:
    """The trace for ``cfg`` (default: :func:`scene_config`), from the cache or trained now."""
    import gd_engine

    cfg = cfg or scene_config()
    return cached_trace(cache_path(cfg, cache_dir), Trace, gd_engine.train, cfg)


def regime_traces(cfg: LessonConfig) -> dict[str, Trace]:
    """One trace per preset of the regimes clip, same data, at least REGIMES_MIN_EPOCHS
    epochs; cached as the lesson's is (the build trains them with the lesson's, so that
    the clip's render reads them without torch)."""
    from dataclasses import replace

    from gd_engine.regimes import PRESETS
    from scenes.storyboard import REGIMES_MIN_EPOCHS

    epochs = max(cfg.train.epochs, REGIMES_MIN_EPOCHS)
    return {
        name: lesson_trace(replace(cfg, train=replace(cfg.train, preset=name, epochs=epochs)))
        for name in PRESETS
    }
