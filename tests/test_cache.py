"""The trace cache: what a render draws from is never a damaged, edited or foreign file."""

import json

import pytest

from gd_engine import load_config
from lessons.two_parameters.config import load_followup
from lessons.two_parameters.source import scene_trace
from scenes.lesson_trace import cache_path, lesson_trace

CFG = load_config("lesson.toml", ["train.epochs=3"])


@pytest.fixture
def cached(tmp_path):
    trace = lesson_trace(CFG, cache_dir=tmp_path)
    path = cache_path(CFG, tmp_path)
    assert path.exists()
    return trace, path


def edit(path, change):
    stored = json.loads(path.read_text())
    change(stored)
    path.write_text(json.dumps(stored))


@pytest.mark.parametrize(
    "damage",
    {
        "an edited loss": lambda p: edit(p, lambda s: s["trace"]["epochs"][1].update(loss=1.0)),
        "an edited final w": lambda p: edit(p, lambda s: s["trace"]["final"].update(w=-3.0)),
        "a wrong-typed value": lambda p: edit(p, lambda s: s["trace"].update(epochs="many")),
        "a list, not a trace": lambda p: p.write_text("[1, 2, 3]"),
        "cut short": lambda p: p.write_bytes(p.read_bytes()[:500]),
        "empty": lambda p: p.write_bytes(b""),
        "not text": lambda p: p.write_bytes(b"\xff\xfe\x00garbage"),
        "another config's trace": lambda p: edit(p, lambda s: s.update(config_key="0" * 16)),
    }.items(),
    ids=lambda item: item[0],
)
def test_a_damaged_or_edited_cache_is_trained_again_never_drawn(cached, damage, capsys):
    trace, path = cached
    damage[1](path)
    again = lesson_trace(CFG, cache_dir=path.parent)
    assert again == trace
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"gdlesson: {path}:")
    assert "training again" in err
    assert lesson_trace(CFG, cache_dir=path.parent) == trace  # the file was mended
    assert capsys.readouterr().err == ""


def test_the_cache_holds_a_hash_of_the_whole_trace(cached):
    trace, path = cached
    stored = json.loads(path.read_text())
    assert set(stored) == {"config_key", "sha256", "trace"}
    assert len(stored["sha256"]) == 64
    assert stored["trace"] == json.loads(trace.to_json())


def test_a_followup_cache_is_checked_the_same_way(tmp_path, capsys):
    cfg = load_followup("lessons/slope_and_bias.toml", ["train.epochs=3"])
    trace = scene_trace(cfg, cache_dir=tmp_path)
    (path,) = tmp_path.glob("followup-*.json")
    edit(path, lambda s: s["trace"]["minimum"].update(w=9.0))
    assert scene_trace(cfg, cache_dir=tmp_path) == trace
    assert "training again" in capsys.readouterr().err


class Kept:
    """A plug-in lesson's trace (tests/tiny_lesson/): ``to_json`` and ``from_dict``."""

    def __init__(self, config, steps):
        self.config, self.steps = config, steps

    def to_json(self):
        return json.dumps({"config": self.config, "steps": self.steps}) + "\n"

    @classmethod
    def from_dict(cls, data):
        return cls(data["config"], data["steps"])


class NotKept(Kept):
    from_dict = None  # a trace that cannot be read back is trained every time


@pytest.mark.parametrize("trace_class", [Kept, NotKept])
def test_a_plugin_lessons_trace_is_kept_when_its_class_reads_it_back(tmp_path, capsys, trace_class):
    from scenes.lesson_trace import engine_trace

    runs = []

    def train(cfg):
        runs.append(cfg)
        return trace_class(cfg.to_dict(), [[0, CFG.train.w0]])

    first = engine_trace(CFG, "plugin", "c0de", train, "test_cache", tmp_path)
    again = engine_trace(CFG, "plugin", "c0de", train, "test_cache", tmp_path)
    assert again.to_json() == first.to_json()
    assert len(runs) == (1 if trace_class is Kept else 2)
    assert [p.name.startswith("plugin-v2-") for p in tmp_path.iterdir()] == (
        [True] if trace_class is Kept else []
    )
    if trace_class is NotKept:
        return
    engine_trace(CFG, "plugin", "c0de2", train, "test_cache", tmp_path)  # its code changed
    assert len(runs) == 2
    (path,) = [p for p in tmp_path.iterdir() if "c0de2" not in p.name and "c0de" in p.name]
    # a file naming a class that is gone, or one of another package: one line, trained again
    for named, n in (("test_cache.gone:Kept", 3), ("json:JSONDecoder", 4)):
        edit(path, lambda s, named=named: s.update(trace_class=named))
        capsys.readouterr()
        engine_trace(CFG, "plugin", "c0de", train, "test_cache", tmp_path)
        assert len(runs) == n
        warning = capsys.readouterr().err
        assert warning.count("\n") == 1 and "training again" in warning
