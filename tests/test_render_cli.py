"""``gdlesson render``: an unknown scene is one line (manim never starts, nothing waits for
input), and a light render gets a name of its own instead of overwriting the dark one."""

import subprocess
from pathlib import Path

import pytest
import running
from click.testing import CliRunner

from gdlesson import cli

ROOT = Path(__file__).resolve().parents[1]


def gdlesson(*args, timeout=60):
    return running.gdlesson(*args, timeout=timeout)  # stdin not a tty, as in a script or CI


@pytest.fixture
def manim_calls(monkeypatch):
    """``gdlesson render`` in this process, with manim's run recorded instead of made."""
    calls = []

    def call(cmd, **kwargs):
        calls.append((cmd, kwargs))
        return 0

    monkeypatch.setattr(subprocess, "call", call)
    return calls


def render(*args):
    return CliRunner().invoke(cli.main, ["render", *args])


def test_an_unknown_scene_is_one_line_exit_2_and_manim_never_starts():
    # manim's scene picker would wait for ever: a run that waits is cut and the test fails
    r = gdlesson("render", "Nope", timeout=30)
    assert r.returncode == 2
    assert r.stdout == ""  # manim prints its banner first
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("gdlesson: render Nope: not a scene; scenes are Lesson, Data, ")
    for scene in ("Lesson", "Iterating", "Descent", "Regimes", "SlopeBias", "LearningRates"):
        assert scene in lines[0].split("scenes are ")[1].split(", ")


def test_an_unknown_scene_does_not_run_manim(manim_calls):
    r = render("BeatData")  # a scene `gdlesson build` makes, not one to render alone
    assert r.exit_code == 2
    assert "render BeatData: not a scene" in r.output
    assert manim_calls == []


def test_the_scenes_are_the_scene_classes_of_the_scene_files():
    """Read with ast, they are the classes manim itself would render: each lesson's, in the
    registry's order, under the file that defines it."""
    import importlib

    import manim

    import scenes.lesson
    from gdlesson.registry import lessons

    known = cli.scenes()
    for name, path in known.items():
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert issubclass(getattr(module, name), manim.Scene), name
    first = [c.__name__ for c in scenes.lesson.SCENES] + ["Descent", "Regimes"]
    assert list(known)[: len(first)] == first
    assert known["Regimes"] == "scenes/regimes.py"
    for lesson in lessons().values():
        for scene in getattr(lesson, "captions", {}):  # a lesson of scenes: each one is known
            assert known[scene] == lesson.scene_file, scene
    assert "LessonScene" not in known and "FollowUpScene" not in known


def test_manim_runs_with_its_input_closed(manim_calls):
    r = render("Data", "-q", "l")
    assert r.exit_code == 0, r.output
    [(cmd, kwargs)] = manim_calls
    assert kwargs["stdin"] is subprocess.DEVNULL
    assert cmd[-2:] == ["scenes/lesson.py", "Data"]


def test_the_dark_render_keeps_the_scene_name_and_the_light_one_has_its_own():
    dark = cli.manim_command("Lesson", "h", ("--save_sections",))
    light = cli.manim_command("Lesson", "h", ("--save_sections",), theme="light")
    assert "-o" not in dark
    assert light[light.index("-o") + 1] == "LessonLight"
    assert light[-2:] == dark[-2:] == ["scenes/lesson.py", "Lesson"]
    assert "--save_sections" in light
    slope = cli.manim_command("SlopeBias", "l", ("-s",), theme="light")
    assert slope[slope.index("-o") + 1] == "SlopeBiasLight"
    assert slope[-2:] == ["lessons/two_parameters/two_parameters_scenes.py", "SlopeBias"]


@pytest.mark.parametrize("own", [("-o", "Mine"), ("--output_file", "Mine"), ("-oMine",)])
def test_an_output_name_of_ones_own_wins(own):
    cmd = cli.manim_command("Data", "l", own, theme="light")
    assert "DataLight" not in cmd
    assert cmd.count("-o") <= 1 and cmd.count("--output_file") <= 1


def light_name(cmd):
    return cmd[cmd.index("-o") + 1] if "-o" in cmd else None


def test_the_theme_comes_from_the_option_the_overrides_or_the_file(manim_calls, tmp_path):
    light = tmp_path / "lesson.toml"
    light.write_text('[view]\ntheme = "light"\n')
    render("Data", "--theme", "light")
    render("Data", "--set", "view.theme=light")
    render("Data", "--config", str(light))
    render("Data", "--config", str(light), "--theme", "dark")
    render("Data")
    render("BatchModes", "--theme", "light")
    names = [light_name(cmd) for cmd, _ in manim_calls]
    assert names == ["DataLight"] * 3 + [None, None, "BatchModesLight"]


def test_options_without_a_scene_render_the_lesson(manim_calls):
    r = render("--save_sections", "-q", "l")
    assert r.exit_code == 0, r.output
    [(cmd, _)] = manim_calls
    assert cmd[-2:] == ["scenes/lesson.py", "Lesson"] and "--save_sections" in cmd


@pytest.mark.parametrize(
    "args, rule",
    [
        (("--media_dir", "out", "Data"), "render Data: the scene comes first"),
        (("Data", "Iterating"), "render Iterating: one scene at a time"),
    ],
)
def test_a_scene_given_to_manim_is_one_line(manim_calls, args, rule):
    r = render(*args)
    assert r.exit_code == 2
    assert rule in r.output and len(r.output.strip().splitlines()) == 1
    assert manim_calls == []


@pytest.mark.slow
def test_a_light_last_frame_is_written_beside_the_dark_one(tmp_path):
    media = tmp_path / "media"
    r = gdlesson("render", "Data", "-q", "l", "-s", "--theme", "light", "--media_dir", str(media))
    assert r.returncode == 0, r.stderr[-2000:]
    image = media / "images" / "lesson" / "DataLight.png"
    assert image.is_file()
    assert [p.name for p in (media / "images" / "lesson").iterdir()] == ["DataLight.png"]
    assert r.stdout.strip().splitlines()[-1] == (
        f"light theme, named DataLight (the dark render keeps Data): {image}"
    )
