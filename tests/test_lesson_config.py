"""gd_engine/parameters.py, what every lesson's parameter file is read and checked with: a
lesson writes its tables and rules, and a bad value is one line naming where it was given,
the key, the value and the rule."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from gd_engine.config import ConfigError
from gd_engine.parameters import ParameterFile, Rules


@dataclass(frozen=True)
class Lesson:
    kind: str = "walk"
    title: str = "A walk"


@dataclass(frozen=True)
class Cost:
    coefficients: tuple[float, ...] = (0.0,)
    w0: float = 1.0
    steps: int = 10


STEEP = Cost(coefficients=(0.0, 0.0, 4.0), w0=2.0, steps=20)


@dataclass(frozen=True)
class View:
    theme: str = "dark"


@dataclass(frozen=True)
class WalkConfig(ParameterFile):
    lesson: Lesson = field(default_factory=Lesson)
    steep: Cost = field(default_factory=lambda: STEEP)
    view: View = field(default_factory=View)

    def check(self, rules: Rules) -> None:
        rules.kind("walk")
        rules.bounded("steep", "w0")
        rules.between("steep", "steps", 1, 100)
        rules.theme()


@pytest.fixture
def walk(tmp_path):
    path = tmp_path / "walk.toml"
    path.write_text('[lesson]\nkind = "walk"\n\n[steep]\nsteps = 5\n')
    return path


def test_a_table_given_in_part_keeps_its_fields_defaults(walk):
    cfg = WalkConfig.load(walk)
    assert cfg.steep == Cost(coefficients=(0.0, 0.0, 4.0), w0=2.0, steps=5)
    assert cfg.title == "A walk"


def test_the_config_round_trips_through_its_dict_with_lists_for_tuples(walk):
    cfg = WalkConfig.load(walk, ["steep.coefficients=[1.0, 2.0]"])
    d = cfg.to_dict()
    assert d["steep"] == {"coefficients": [1.0, 2.0], "w0": 2.0, "steps": 5}
    assert WalkConfig.from_dict(d) == cfg


@pytest.mark.parametrize(
    "overrides, line",
    [
        (["steep.steps=0"], "--set: steep.steps = 0 must be between 1 and 100"),
        (["steep.w0=1e9"], "--set: steep.w0 = 1000000000.0 must be between -1e+06 and 1e+06"),
        (["view.theme=blue"], "--set: view.theme = 'blue' must be one of dark, light"),
        (["lesson.kind=run"], "--set: lesson.kind = 'run' must be 'walk'"),
        (["steep.steps=1.5"], "--set: steep.steps = 1.5 must be an integer"),
        (["steep.slope=1"], "--set: unknown key steep.slope"),
    ],
)
def test_a_bad_value_is_one_line_naming_where_the_key_the_value_and_the_rule(walk, overrides, line):
    with pytest.raises(ConfigError) as err:
        WalkConfig.load(walk, overrides)
    assert str(err.value).startswith(line) and "\n" not in str(err.value)


def test_a_bad_value_in_the_file_names_the_file(walk):
    walk.write_text(walk.read_text() + "w0 = -2e7\n")
    with pytest.raises(ConfigError, match=f"^{walk}: steep.w0 = -20000000.0 must be between"):
        WalkConfig.load(walk)
