"""Numbers in the narration (``${name}``): said from the lesson's trace, so that a run with
other parameters is described by its own numbers in the subtitles, the page's transcript and
the deck's notes; an unknown one stops a build with one line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import running

from gdlesson.registry import lessons
from scenes.narration import NarrationError, load_narration, said_number, said_size, said_times

ROOT = Path(__file__).resolve().parents[1]
LOGISTIC = "lessons/logistic_mse_vs_ce.toml"
#: a run unlike the defaults: another start, threshold and stall rule
OTHER = ("train.w0=-4.0", "train.b0=-7.0", "data.threshold=0.4", "train.stall_iterations=7")


def test_numbers_are_said_as_a_reader_says_them():
    assert [said_number(v) for v in (-10.0, 52_930.0, 0.2, 3.0, 25.0)] == [
        "minus 10",
        "53,000",
        "0.2",
        "3",
        "25",
    ]
    assert said_size(8.56e-6) == "8.6 millionths" and said_size(0.0049) == "4.9 thousandths"
    assert said_size(0.45) == "0.45"
    assert said_times(53_029.6) == "53,000 times larger" and said_times(0.25) == "4 times smaller"


def logistic_trace(overrides=()):
    lesson = lessons()["logistic_mse_vs_ce"]
    return lesson.train(lesson.load_config(ROOT / LOGISTIC, list(overrides)))


def test_the_words_say_the_runs_numbers_not_the_defaults():
    lesson = lessons()["logistic_mse_vs_ce"]
    default, other = logistic_trace(), logistic_trace(OTHER)
    ours, theirs = (lesson.narration(ROOT / LOGISTIC, lambda t=t: t) for t in (default, other))
    start = other.run("mse").steps[0].grad_norm
    ratio = other.run("bce").steps[0].grad_norm / start
    code = theirs["LogisticCode"].text
    assert "above 0.4." in code and "w at minus 4 and b at minus 7," in code
    assert f"only about {said_size(start)}." in code and f"about {said_times(ratio)}." in code
    assert "after 7 iterations" in theirs["LogisticRace"].text
    assert "after 10 iterations" in ours["LogisticRace"].text
    assert "above 0.2." in ours["LogisticCode"].text
    # the two runs' words differ where their numbers do, and nowhere is a placeholder left
    assert ours["LogisticCode"].text != code
    assert not any("{" in n.text for s in (ours, theirs) for n in s.values())


def test_the_optimizers_words_follow_the_scale_of_x():
    lesson = lessons()["optimizers"]
    cfg = lesson.load_config(ROOT / "lessons/optimizers.toml", ["elongated.x_scale=0.1"])
    text = lesson.narration(ROOT / "lessons/optimizers.toml", lambda: lesson.train(cfg))
    assert "in units 10 times larger" in text["Elongated"].text


def test_the_build_says_the_runs_numbers_on_page_and_deck():
    """The build's narration (what the page's transcript and the deck's notes print) is the
    words with this run's numbers."""
    lesson = lessons()["logistic_mse_vs_ce"]
    cfg = lesson.load_config(ROOT / LOGISTIC, list(OTHER))
    build = SimpleNamespace(cfg=cfg, opts=SimpleNamespace(config_path=str(ROOT / LOGISTIC)))
    lesson.plan(build)
    assert "w at minus 4 and b at minus 7," in build.narration["LogisticCode"].text


def test_the_subtitles_say_the_runs_numbers(monkeypatch):
    """A scene rendered with other parameters writes subtitles with its own numbers."""
    from frames import SMALL
    from manim import tempconfig

    from lessons.logistic_mse_vs_ce.logistic_mse_vs_ce_scenes import LogisticCode

    monkeypatch.setenv("GDLESSON_CONFIG", str(ROOT / LOGISTIC))
    monkeypatch.setenv("GDLESSON_SET", ";".join(OTHER))
    monkeypatch.delenv("GDLESSON_THEME", raising=False)
    with tempconfig(SMALL):
        scene = LogisticCode()
        scene.setup()
        cues = [c.content for c in scene.renderer.file_writer.subcaptions]
    said = " ".join(" ".join(cues).split())
    ratio = said_times(
        logistic_trace(OTHER).run("bce").steps[0].grad_norm
        / logistic_trace(OTHER).run("mse").steps[0].grad_norm
    )
    assert "above 0.4." in said and "w at minus 4 and b at minus 7," in said
    assert f"about {ratio}." in said and "${" not in said


def test_an_unknown_number_stops_the_build_in_one_line(tmp_path):
    (tmp_path / "narration").mkdir()
    lesson_file = tmp_path / "logistic.toml"
    lesson_file.write_text((ROOT / LOGISTIC).read_text())
    words = (ROOT / "lessons/narration/logistic_mse_vs_ce.toml").read_text()
    narration = tmp_path / "narration" / "logistic.toml"
    narration.write_text(words.replace("${bce_accuracy}", "${bce_acuracy}"))
    out = tmp_path / "out"
    r = running.gdlesson("build", "--config", lesson_file, "-q", "l", "--out", out, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.splitlines() == [
        f"gdlesson: {narration}: LogisticRace.text: ${{bce_acuracy}} is not a number the "
        "lesson's trace gives (one of b0, bce_accuracy, bce_start_gradient, least_ratio, "
        "mse_accuracy, mse_start_gradient, stall_iterations, start_ratio, threshold, w0)"
    ]
    assert not out.exists() or not any(
        p.is_file() and p.name != ".build.lock" for p in out.rglob("*")
    )


def test_a_lesson_without_numbers_refuses_one(tmp_path):
    """The first lesson's ``{name}`` marks are not numbers; ``${name}`` there has nothing to
    say and is refused, naming the file and the beat."""
    toml = tmp_path / "narration.toml"
    toml.write_text('[data]\ntext = "The curve {curve} at ${w0}."\n')
    with pytest.raises(NarrationError) as err:
        load_narration(("data",), toml, tmp_path, marks={"data": ("curve",)})
    assert str(err.value) == (
        f"{toml}: data.text: ${{w0}} is not a number the lesson's trace gives "
        "(this lesson has none)"
    )
    toml.write_text('[data]\ntext = "The curve {curve} costs $5."\n')
    (said,) = load_narration(("data",), toml, tmp_path, marks={"data": ("curve",)}).values()
    assert said.text == "The curve costs $5." and [m for m, _ in said.marks] == ["curve"]


def test_a_scenes_marks_are_its_own(tmp_path):
    """A follow-up scene's words may hold the marks its lesson lists (MARKS), each where its
    beat starts; another is refused in one line."""
    lesson = lessons()["logistic_mse_vs_ce"]
    said = lesson.narration(ROOT / LOGISTIC)
    assert [m for m, _ in said["LogisticRace"].marks] == ["mse", "bce", "fit", "gradients"]
    race = said["LogisticRace"]
    at = dict(race.marks)
    assert race.text[at["bce"] :].lstrip().startswith("cross-entropy punishes")
    assert race.text[at["gradients"] :].lstrip().startswith("log scale below")
    (tmp_path / "narration").mkdir()
    lesson_file = tmp_path / "logistic.toml"
    lesson_file.write_text((ROOT / LOGISTIC).read_text())
    words = (ROOT / "lessons/narration/logistic_mse_vs_ce.toml").read_text()
    narration = tmp_path / "narration" / "logistic.toml"
    narration.write_text(words.replace("{fit}", "{fitt}"))
    with pytest.raises(NarrationError) as err:
        lesson.narration(lesson_file)
    assert str(err.value) == (
        f"{narration}: LogisticRace.text: mark {{fitt}} is not a mark of the scene "
        "(one of mse, bce, fit, gradients)"
    )


@pytest.mark.parametrize(
    "kind, overrides, said",
    [
        ("slope_bias", ["train.w0=-12"], "From w = -12 and b = -10 the first loss is"),
        ("learning_rates", ["data.outliers=3"], "Three training points are outliers at y = 20"),
    ],
)
def test_the_two_parameter_lessons_say_their_runs_numbers(kind, overrides, said):
    """The (w, b) lessons' words say the trace's numbers: an edit of the parameters changes
    what is said, and the defaults say what the narration file was written for."""
    lesson = lessons()[kind]
    cfg = lesson.load_config(lesson.default_config, overrides)
    trace = lesson.train(cfg)
    words = " ".join(
        n.text for n in lesson.narration(lesson.default_config, lambda: trace).values()
    )
    assert said in words and "${" not in words
    default = lesson.train(lesson.load_config(lesson.default_config))
    spoken = " ".join(
        n.text for n in lesson.narration(lesson.default_config, lambda: default).values()
    )
    assert said not in spoken
