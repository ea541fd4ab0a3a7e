"""Bad input through the real command line (issue 13): one line on stderr naming the file
(or --set), the key and the rule; exit status 2; no traceback; nothing written."""

from pathlib import Path

import pytest
import running

ROOT = Path(__file__).resolve().parents[1]
SLOPE_BIAS = ["--config", "lessons/slope_and_bias.toml"]


def gdlesson(*args, env=None):
    return running.gdlesson(*args, env=env, timeout=120)


def one_line(r, source: str, key: str, rule: str) -> None:
    """Exit 2, nothing on stdout, and one line on stderr: ``gdlesson: <source>: ...``."""
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"gdlesson: {source}: "), lines[0]
    assert key in lines[0] and rule in lines[0], lines[0]


def build_and_render(tmp_path, args, followup: bool):
    """``gdlesson build`` into tmp_path/out and ``gdlesson render`` into tmp_path/media."""
    scene = ["SlopeBias"] if followup else []
    yield gdlesson("build", "-q", "l", "--out", str(tmp_path / "out"), *args)
    yield gdlesson("render", *scene, "-q", "l", *args, "--media_dir", str(tmp_path / "media"))


# -- parameters: checked with the file, before anything is trained --------------------------
CONFIG = {
    "subnormal_step": (
        ["--set", "data.x_step=5e-324"],
        "data.x_step",
        "makes more than 1e+18 points; at most 100000 (x_step >= 6e-05)",
    ),
    "subnormal_step_backwards": (
        ["--set", "data.x_start=3", "--set", "data.x_stop=-3", "--set", "data.x_step=5e-324"],
        "data.x_stop",
        "must leave at least two points after x_start = 3.0",
    ),
    "too_many_points": (
        ["--set", "data.x_step=1e-5"],
        "data.x_step",
        "makes 600000 points; at most 100000",
    ),
    "huge_w_range": (
        ["--set", "view.w_min=-1e20", "--set", "view.w_max=1e20"],
        "view.w_min",
        "= -1e+20 must be between -1e+06 and 1e+06",
    ),
    "huge_w_max": (["--set", "view.w_max=1e7"], "view.w_max", "must be between -1e+06 and 1e+06"),
    "narrow_w_range": (
        ["--set", "view.w_min=1", "--set", "view.w_max=1.0001"],
        "view.w_max",
        "= 1.0001 must be above view.w_min = 1.0 by at least 0.001",
    ),
    "reversed_w_range": (
        ["--set", "view.w_min=2", "--set", "view.w_max=1"],
        "view.w_max",
        "= 1.0 must be above view.w_min = 2.0",
    ),
    "followup_subnormal_step": (
        [*SLOPE_BIAS, "--set", "data.x_step=5e-324"],
        "data.x_step",
        "makes more than 1e+18 points; 2 to 2000",
    ),
    "followup_huge_b_range": (
        [*SLOPE_BIAS, "--set", "view.b_min=-1e20", "--set", "view.b_max=1e20"],
        "view.b_min",
        "must be between -1e+06 and 1e+06",
    ),
    "followup_huge_w_max": (
        [*SLOPE_BIAS, "--set", "view.w_max=1e300"],
        "view.w_max",
        "must be between -1e+06 and 1e+06",
    ),
    "followup_narrow_b_range": (
        [*SLOPE_BIAS, "--set", "view.b_min=0", "--set", "view.b_max=1e-6"],
        "view.b_max",
        "must be above view.b_min = 0.0 by at least 0.001",
    ),
}


# -- a view bound against the one derived from the trace ------------------------------------
DERIVED = {
    "w_min_above": (
        ["--set", "view.w_min=100"],
        "view.w_min",
        "= 100.0 must be below the derived view.w_max = 4.698",
    ),
    "w_max_below": (
        ["--set", "view.w_max=-50"],
        "view.w_max",
        "= -50.0 must be above the derived view.w_min = -10.7",
    ),
    "followup_b_min_above": (
        [*SLOPE_BIAS, "--set", "view.b_min=100"],
        "view.b_min",
        "= 100.0 must be below the derived view.b_max = 8.889",
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIG) + sorted(DERIVED))
def test_a_bad_parameter_stops_trace(tmp_path, name):
    """Each bad value, and each view bound past the one derived from the trace."""
    args, key, rule = {**CONFIG, **DERIVED}[name]
    r = gdlesson("trace", *args, "--json", str(tmp_path / "t.json"))
    one_line(r, "--set", key, rule)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["subnormal_step", "huge_w_range", "followup_huge_b_range"])
def test_a_bad_parameter_stops_build_and_render(tmp_path, name):
    args, key, rule = CONFIG[name]
    for r in build_and_render(tmp_path, args, followup="followup" in name):
        one_line(r, "--set", key, rule)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_view_range_in_the_file_names_the_file(tmp_path):
    cfg = tmp_path / "lesson.toml"
    cfg.write_text("[view]\nw_min = -1e20\nw_max = 1e20\n")
    r = gdlesson("trace", "--config", str(cfg), "--json", str(tmp_path / "t.json"))
    one_line(r, str(cfg), "view.w_min", "must be between -1e+06 and 1e+06")
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.toml"]


@pytest.mark.parametrize("name", ["w_min_above", "followup_b_min_above"])
def test_a_view_bound_past_the_derived_one_stops_build_and_render(tmp_path, name):
    args, key, rule = DERIVED[name]
    for r in build_and_render(tmp_path, args, followup="followup" in name):
        one_line(r, "--set", key, rule)
    assert list(tmp_path.iterdir()) == []


def test_a_view_bound_in_the_file_past_the_derived_one_names_the_file(tmp_path):
    cfg = tmp_path / "lesson.toml"
    cfg.write_text((ROOT / "lesson.toml").read_text() + "w_min = 100.0\n")  # [view] is last
    r = gdlesson("build", "-q", "l", "--config", str(cfg), "--out", str(tmp_path / "out"))
    one_line(r, str(cfg), "view.w_min", "must be below the derived view.w_max")
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.toml"]


# -- narration ------------------------------------------------------------------------------
NARRATION = {
    "not_a_table": ("data = 5\n", "data", "must be one table [data] (text, duration, audio)"),
    "array_of_tables": ('[[data]]\ntext = "Hi."\n', "data", "not an array of tables [[data]]"),
    "audio_not_a_string": ("[data]\naudio = 5\n", "data.audio", "= 5 must be a file name"),
    "audio_a_folder": ('[data]\naudio = "voice"\n', "data.audio", "= 'voice' is a folder"),
    "duration_inf": ("[data]\nduration = inf\n", "data.duration", "= inf must be a number"),
    "duration_nan": ("[data]\nduration = nan\n", "data.duration", "= nan must be a number"),
    "duration_huge": (
        "[data]\nduration = 1e9\n",
        "data.duration",
        "= 1000000000.0 must be a number of seconds > 0 and at most 600",
    ),
    "a_folder": (None, "$GDLESSON_NARRATION", "must be a TOML file, not a folder"),
    "no_such_file": (False, "$GDLESSON_NARRATION", "names no file"),
    "unknown_mark": (
        '[data]\ntext = "The points{dots} appear."\n',
        "data.text",
        "mark {dots} is not a mark of the beat (one of inputs, line, points)",
    ),
    "mark_in_a_beat_without_marks": (
        '[settings]\ntext = "Now{lr} the rate."\n',
        "settings.text",
        "mark {lr} is not a mark of the beat (none: this one has none)",
    ),
}


@pytest.mark.parametrize("command", ["build", "render"])
@pytest.mark.parametrize("name", sorted(NARRATION))
def test_a_bad_narration_stops_build_and_render(tmp_path, name, command):
    text, key, rule = NARRATION[name]
    words = tmp_path / "words"
    (words / "voice").mkdir(parents=True)
    path = words / "narration.toml"
    if text is None:
        path = words / "voice"
    elif text is False:
        path = words / "narration.tmol"  # a slip of the keyboard: the words would go unsaid
    else:
        path.write_text(text)
    out = tmp_path / "out"
    where = ["--out", str(out)] if command == "build" else ["--media_dir", str(out)]
    r = gdlesson(command, "-q", "l", *where, env={"GDLESSON_NARRATION": str(path)})
    one_line(r, str(path), key, rule)
    assert [p.name for p in tmp_path.iterdir()] == ["words"]
