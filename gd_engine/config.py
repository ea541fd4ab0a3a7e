"""The lesson's parameter file (``lesson.toml``), read into a frozen dataclass.

Every value is checked here, so that the engine and the scenes can trust it. A bad
value raises :class:`ConfigError` whose text is the one line a user sees, e.g.
``lesson.toml: train.lr = -1 must be > 0``.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: Upper bound on epochs: a lecture with more iterations than this is not a lecture.
MAX_EPOCHS = 1000
#: Upper bound on the number of data points (memory and render time stay sane).
MAX_POINTS = 100_000
#: Bound on data values, w0 and the view ranges, so that float32 losses stay finite.
MAX_MAGNITUDE = 1e6
THEMES = ("dark", "light")
#: counts of points at and past this are not computed (a subnormal x_step makes infinitely many)
TOO_MANY_POINTS = 10**18
#: the narrowest range a plot draws, as a fraction of max(1, |bound|)
MIN_VIEW_WIDTH = 1e-3


class ConfigError(ValueError):
    """A bad parameter: its message is one line naming the source, the key and the rule."""


@dataclass(frozen=True)
class DataConfig:
    """How the data are made: ``x = arange(x_start, x_stop, x_step)``, ``y = slope*x + noise``."""

    x_start: float = -3.0
    x_stop: float = 3.0
    x_step: float = 0.1
    slope: float = -3.0
    noise_std: float = 0.1
    seed: int = 2026


@dataclass(frozen=True)
class TrainConfig:
    """Batch gradient descent on the single slope ``w``."""

    w0: float = -10.0
    lr: float = 0.1
    epochs: int = 4
    preset: str = ""  # a name from gd_engine.regimes.PRESETS: sets lr from the data


@dataclass(frozen=True)
class ViewConfig:
    """What only the pictures need. ``w_min``/``w_max`` of the cost curve: derived when absent."""

    theme: str = "dark"
    w_min: float | None = None
    w_max: float | None = None
    cost_points: int = 241


@dataclass(frozen=True)
class LessonConfig:
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    view: ViewConfig = field(default_factory=ViewConfig)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, dict[str, Any]], source: str = "config") -> LessonConfig:
        return build_tables(cls, _TABLES, d, source, {})

    @property
    def n_points(self) -> int:
        d = self.data
        return count_points(d.x_start, d.x_stop, d.x_step)


_TABLES = {"data": DataConfig, "train": TrainConfig, "view": ViewConfig}


def count_points(start: float, stop: float, step: float) -> int:
    """``len(arange(start, stop, step))`` for a step > 0, without overflow: a count past
    TOO_MANY_POINTS (a subnormal step makes it infinite) is TOO_MANY_POINTS."""
    span = (stop - start) / step
    if span <= 0:  # also -inf: a subnormal step with stop below start
        return 0
    return math.ceil(span) if span < TOO_MANY_POINTS else TOO_MANY_POINTS


def points_text(n: int) -> str:
    """A count of :func:`count_points` as said in a message."""
    return f"more than {TOO_MANY_POINTS:.0e}" if n >= TOO_MANY_POINTS else str(n)


def too_narrow(lo: float, hi: float) -> float | None:
    """The width the range ``(lo, hi)`` lacks to be drawn (MIN_VIEW_WIDTH of its larger
    bound, at least MIN_VIEW_WIDTH), else None; a range with ``hi <= lo`` always lacks it."""
    gap = MIN_VIEW_WIDTH * max(1.0, abs(lo), abs(hi))
    return gap if not hi - lo >= gap else None


def check_view_bounds(view, axes: tuple[str, ...], where) -> None:
    """The given ``view.<axis>_min``/``_max``: at most MAX_MAGNITUDE, and the range wide
    enough to draw (:func:`too_narrow`)."""
    for axis in axes:
        lo_key, hi_key = f"{axis}_min", f"{axis}_max"
        lo, hi = getattr(view, lo_key), getattr(view, hi_key)
        for key, value in ((lo_key, lo), (hi_key, hi)):
            if value is not None and abs(value) > MAX_MAGNITUDE:
                raise ConfigError(
                    f"{where('view', key)}: view.{key} = {value!r} must be between "
                    f"-{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
                )
        if lo is not None and hi is not None and (gap := too_narrow(lo, hi)):
            raise ConfigError(
                f"{where('view', hi_key)}: view.{hi_key} = {hi!r} must be above "
                f"view.{lo_key} = {lo!r} by at least {gap:.4g}"
            )


def check_drawn_range(view, axis: str, drawn: tuple[float, float], where) -> None:
    """A ConfigError when one bound of the ``axis`` range is given and the other derived
    (``drawn`` is the range the trace holds) and they leave no drawable range: a given
    w_min above the derived w_max would draw the plot mirrored."""
    lo_key, hi_key = f"{axis}_min", f"{axis}_max"
    lo, hi = getattr(view, lo_key), getattr(view, hi_key)
    if (lo is None) == (hi is None):
        return  # both derived, or both given (checked with the file)
    gap = too_narrow(*drawn)
    if gap is None:
        return
    key, given, side, other, derived = (
        (lo_key, lo, "below", hi_key, drawn[1])
        if hi is None
        else (hi_key, hi, "above", lo_key, drawn[0])
    )
    raise ConfigError(
        f"{where('view', key)}: view.{key} = {given!r} must be {side} the derived "
        f"view.{other} = {derived:.4g} by at least {gap:.4g} (or set view.{other} too)"
    )


def check_view(trace, source: str, overrides=()) -> None:
    """:func:`check_drawn_range` for a trace of the first lesson (its cost curve) or of a
    follow-up (its surface); a key set in ``overrides`` is named as ``--set``."""
    if hasattr(trace, "surface"):
        ranges = {"w": trace.surface.w, "b": trace.surface.b}
    else:
        ranges = {"w": trace.cost_curve.w}
    given = {o.partition("=")[0].strip() for o in overrides}

    def where(table: str, key: str) -> str:
        return "--set" if f"{table}.{key}" in given else source

    for axis, values in ranges.items():
        check_drawn_range(trace.config.view, axis, (values[0], values[-1]), where)


def load_config(path: str | Path | None = "lesson.toml", overrides: list[str] = ()) -> LessonConfig:
    """Read ``path`` (defaults only when ``None``) and apply ``table.key=value`` overrides."""
    raw, source, origin = read_toml(path, overrides)
    cfg = build_tables(LessonConfig, _TABLES, raw, source, origin)
    _check_rules(cfg, lambda table, key: origin.get((table, key), source))
    return cfg


def read_toml(path: str | Path | None, overrides=()) -> tuple[dict, str, dict]:
    """The tables of ``path`` (none when ``None``) with ``table.key=value`` overrides applied;
    the file's name; and ``{(table, key): "--set"}`` for each overridden key."""
    raw: dict[str, Any] = {}
    source = "defaults"
    if path is not None:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{source}: file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read file ({exc.__class__.__name__})") from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: malformed TOML: {exc}") from None
    origin: dict[tuple[str, str], str] = {}
    for item in overrides:
        table, key, value = parse_override(item)
        raw.setdefault(table, {})
        if not isinstance(raw[table], dict):
            raise ConfigError(f"{source}: [{table}] must be a table")
        raw[table][key] = value
        origin[(table, key)] = "--set"
    return raw, source, origin


def parse_override(item: str) -> tuple[str, str, Any]:
    """``"train.lr=0.2"`` -> ``("train", "lr", 0.2)``; values are read as TOML, else as text."""
    name, sep, text = item.partition("=")
    parts = name.strip().split(".")
    if not sep or len(parts) != 2 or not all(parts) or not text.strip():
        raise ConfigError(f"--set {item!r}: must look like table.key=value, e.g. train.lr=0.2")
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = text.strip()
    return parts[0], parts[1], value


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def build_tables(cls, tables: dict[str, type], raw: dict, source: str, origin: dict):
    """``cls(**{table: tables[table](**values)})`` from raw TOML tables, every key known and
    every value of its field's type (from the dataclass annotation), else a ConfigError."""

    def where(table: str, key: str) -> str:
        return origin.get((table, key), source)

    for table in raw:
        if not isinstance(raw[table], dict):
            raise ConfigError(f"{source}: {table} must be a table [{table}]")
        if table not in tables:
            keys = list(raw[table]) or [""]
            raise ConfigError(
                f"{where(table, keys[0])}: unknown table [{table}]{_suggest(table, list(tables))}"
            )
    parts = {}
    for table, table_cls in tables.items():
        given = raw.get(table, {})
        kinds = {f.name: f.type for f in fields(table_cls)}
        for key in given:
            if key not in kinds:
                full = [f"{table}.{n}" for n in kinds]
                raise ConfigError(
                    f"{where(table, key)}: unknown key {table}.{key}"
                    f"{_suggest(f'{table}.{key}', full)}"
                )
        values = {
            key: _check_type(f"{table}.{key}", kinds[key], given[key], where(table, key))
            for key in given
        }
        parts[table] = table_cls(**values)
    return cls(**parts)


def _check_type(name: str, kind: str, value: Any, src: str) -> Any:
    """``value`` as the field type ``kind`` (an annotation such as ``"float | None"``)."""
    if value is None and kind.endswith("| None"):
        return None
    kind = kind.removesuffix(" | None")
    if kind.startswith("tuple["):
        item = kind.removeprefix("tuple[").split(",")[0]
        if not isinstance(value, list) or not value:
            raise ConfigError(f"{src}: {name} = {value!r} must be a non-empty list")
        return tuple(_check_type(name, item, v, src) for v in value)
    if kind == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{src}: {name} = {value!r} must be a string")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{src}: {name} = {value!r} must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{src}: {name} = {value!r} must be an integer")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{src}: {name} = {value!r} must be a number")
    if not math.isfinite(value):
        raise ConfigError(f"{src}: {name} = {value!r} must be a finite number")
    return float(value)


def _check_rules(cfg: LessonConfig, where) -> None:
    d, t, v = cfg.data, cfg.train, cfg.view

    def fail(table: str, key: str, value: Any, rule: str) -> None:
        raise ConfigError(f"{where(table, key)}: {table}.{key} = {value!r} {rule}")

    for key in ("x_start", "x_stop", "slope", "noise_std"):
        if abs(getattr(d, key)) > MAX_MAGNITUDE:
            fail(
                "data",
                key,
                getattr(d, key),
                f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}",
            )
    if abs(t.w0) > MAX_MAGNITUDE:
        fail("train", "w0", t.w0, f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}")
    if d.x_step <= 0:
        fail("data", "x_step", d.x_step, "must be > 0")
    if cfg.n_points < 2:
        fail(
            "data",
            "x_stop",
            d.x_stop,
            f"must leave at least two points after x_start = {d.x_start} in steps of {d.x_step}",
        )
    if cfg.n_points > MAX_POINTS:
        fewest = (d.x_stop - d.x_start) / MAX_POINTS
        fail(
            "data",
            "x_step",
            d.x_step,
            f"makes {points_text(cfg.n_points)} points; at most {MAX_POINTS} "
            f"(x_step >= {fewest:.3g})",
        )
    if d.noise_std < 0:
        fail("data", "noise_std", d.noise_std, "must be >= 0")
    if not 0 <= d.seed < 2**63:
        fail("data", "seed", d.seed, "must be between 0 and 2**63 - 1")
    if t.lr <= 0:
        fail("train", "lr", t.lr, "must be > 0")
    from .regimes import PRESETS

    if t.preset and t.preset not in PRESETS:
        fail("train", "preset", t.preset, f'must be one of {", ".join(PRESETS)} (or "")')
    if not 1 <= t.epochs <= MAX_EPOCHS:
        fail("train", "epochs", t.epochs, f"must be between 1 and {MAX_EPOCHS}")
    if v.theme not in THEMES:
        fail("view", "theme", v.theme, f"must be one of {', '.join(THEMES)}")
    if not 21 <= v.cost_points <= 5001:
        fail("view", "cost_points", v.cost_points, "must be between 21 and 5001")
    check_view_bounds(v, ("w",), where)


def with_theme(cfg, theme: str):
    """The same config (a lesson's or a follow-up's) drawn in another theme."""
    return replace(cfg, view=replace(cfg.view, theme=theme))
