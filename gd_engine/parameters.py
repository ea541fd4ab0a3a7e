"""What every lesson's parameter file has in common: its tables read into a frozen dataclass
(:class:`ParameterFile`) and its values checked one rule at a time (:class:`Rules`).

A lesson writes its tables and its rules; reading the file, the ``--set`` overrides, the
types and the one-line errors are done here. A broken rule raises
:class:`gd_engine.config.ConfigError` naming where the value was given (the file, or
``--set``), the key, the value and the rule::

    lessons/momentum.toml: train.momentum = 1.5 must be >= 0 and < 1
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from .config import (
    MAX_MAGNITUDE,
    THEMES,
    ConfigError,
    build_tables,
    check_view_bounds,
    read_toml,
)


class Rules:
    """The rules of one config: each method checks a key and raises the first broken rule."""

    def __init__(self, cfg, where):
        self.cfg = cfg
        self.where = where  # (table, key) -> the file or "--set"

    def value(self, table: str, key: str) -> Any:
        return getattr(getattr(self.cfg, table), key)

    def fail(self, table: str, key: str, rule: str, value: Any = None) -> None:
        """Raise ``rule`` for ``table.key`` (its value, or ``value`` as the message shows it)."""
        shown = self.value(table, key) if value is None else value
        raise ConfigError(f"{self.where(table, key)}: {table}.{key} = {shown!r} {rule}")

    def require(self, ok: bool, table: str, key: str, rule: str) -> None:
        if not ok:
            self.fail(table, key, rule)

    def between(self, table: str, key: str, lo: float, hi: float) -> None:
        """``lo <= value <= hi``."""
        ok = lo <= self.value(table, key) <= hi
        self.require(ok, table, key, f"must be between {lo:g} and {hi:g}")

    def positive(self, table: str, *keys: str) -> None:
        for key in keys:
            self.require(self.value(table, key) > 0, table, key, "must be > 0")

    def fraction(self, table: str, *keys: str) -> None:
        """``0 <= value < 1``: a decay rate, a momentum."""
        for key in keys:
            ok = 0 <= self.value(table, key) < 1
            self.require(ok, table, key, "must be >= 0 and < 1")

    def bounded(self, table: str, *keys: str) -> None:
        """|value| at most MAX_MAGNITUDE, so that float32 stays finite."""
        rule = f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
        for key in keys:
            self.require(abs(self.value(table, key)) <= MAX_MAGNITUDE, table, key, rule)

    def seed(self, table: str, key: str = "seed") -> None:
        ok = 0 <= self.value(table, key) < 2**63 - 1
        self.require(ok, table, key, "must be between 0 and 2**63 - 2")

    def kind(self, kind: str) -> None:
        self.require(self.cfg.lesson.kind == kind, "lesson", "kind", f"must be {kind!r}")

    def theme(self) -> None:
        rule = f"must be one of {', '.join(THEMES)}"
        self.require(self.cfg.view.theme in THEMES, "view", "theme", rule)

    def view_bounds(self, *axes: str) -> None:
        """The given ``view.<axis>_min``/``_max``: bounded, and wide enough to draw."""
        check_view_bounds(self.cfg.view, axes, self.where)


class ParameterFile:
    """A lesson's parameters: a frozen dataclass whose fields are its tables (each a frozen
    dataclass of keys with defaults). A subclass writes its tables and ``check``. Its module
    starts with ``from __future__ import annotations``: a key's type is read from the text
    of its annotation (``float``, ``int``, ``str``, ``bool``, ``tuple[float, ...]``, ``| None``)."""

    @classmethod
    def tables(cls) -> dict[str, Any]:
        """table -> its default (the field's), in the order of the fields."""
        return {f.name: f.default_factory() for f in fields(cls)}

    @classmethod
    def load(cls, path: str | Path, overrides=()):
        """Read the file at ``path`` with ``table.key=value`` overrides; every key checked."""
        raw, source, origin = read_toml(path, list(overrides))
        for name, default in cls.tables().items():
            given = raw.get(name, {})
            if isinstance(given, dict) and default != type(default)():
                # a table given in part keeps its field's own defaults for the rest
                raw[name] = {**_plain(asdict(default)), **given}
        cfg = build_tables(cls, _classes(cls), raw, source, origin)
        cfg.check(Rules(cfg, lambda table, key: origin.get((table, key), source)))
        return cfg

    @classmethod
    def from_dict(cls, d: dict, source: str = "trace"):
        """The config a trace holds (its ``to_dict``), checked for keys and types."""
        return build_tables(cls, _classes(cls), d, source, {})

    @property
    def title(self) -> str:
        """The lesson's title (its ``[lesson] title``)."""
        return self.lesson.title

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """{table: {key: value}}, lists for tuples (as TOML and JSON write them)."""
        return _plain(asdict(self))

    def check(self, rules: Rules) -> None:
        """Every rule a value must follow beyond its type; the first broken one is raised."""
        raise NotImplementedError


def _classes(cls) -> dict[str, type]:
    return {name: type(default) for name, default in cls.tables().items()}


def _plain(d: dict) -> dict:
    return {
        k: _plain(v) if isinstance(v, dict) else list(v) if isinstance(v, tuple) else v
        for k, v in d.items()
    }
