"""The real command line: the table, the JSON, and one clear line for every bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import running

ROOT = Path(__file__).resolve().parents[1]


def gdlesson(*args, cwd=ROOT):
    return running.gdlesson(*args, cwd=cwd, timeout=120)


def test_trace_prints_the_table_of_epochs():
    r = gdlesson("trace", "--set", "data.noise_std=0")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["epoch", "w", "loss", "grad", "w_next"]
    assert lines[1].split()[:4] == ["0", "-10.0000", "147.0816", "-42.0233"]
    assert lines[4].split()[:4] == ["3", "-3.4469", "0.5994", "-2.6828"]
    assert lines[5].split() == ["final", "-3.1786", "0.0958"]


def test_trace_json_to_file_and_stdout_are_the_same_bytes(tmp_path):
    out = tmp_path / "t.json"
    r = gdlesson("trace", "--json", str(out))
    assert r.returncode == 0, r.stderr
    r2 = gdlesson("trace", "--json", "-")
    assert r2.stdout == out.read_text()
    assert json.loads(r2.stdout)["config"]["train"]["lr"] == 0.1


def test_set_overrides_are_applied_and_repeatable():
    r = gdlesson("trace", "--set", "train.lr=0.2", "--set", "train.epochs=2", "--json", "-")
    d = json.loads(r.stdout)
    assert d["config"]["train"]["lr"] == 0.2 and len(d["epochs"]) == 2


BAD_FILES = {
    "malformed": ("[train\nlr = 0.1\n", "malformed TOML"),
    "unknown_key": ("[train]\nlearning_rate = 0.1\n", "unknown key train.learning_rate"),
    "wrong_type": ('[train]\nlr = "fast"\n', "train.lr = 'fast' must be a number"),
    "nan": ("[train]\nlr = nan\n", "train.lr = nan must be a finite number"),
    "inf": ("[data]\nslope = -inf\n", "data.slope = -inf must be a finite number"),
    "lr_zero": ("[train]\nlr = 0\n", "train.lr = 0.0 must be > 0"),
    "lr_negative": ("[train]\nlr = -1\n", "train.lr = -1.0 must be > 0"),
    "epochs_zero": ("[train]\nepochs = 0\n", "train.epochs = 0 must be between 1 and 1000"),
    "epochs_cap": ("[train]\nepochs = 1001\n", "train.epochs = 1001 must be between 1 and 1000"),
    "epochs_float": ("[train]\nepochs = 4.0\n", "train.epochs = 4.0 must be an integer"),
    "step_zero": ("[data]\nx_step = 0\n", "data.x_step = 0.0 must be > 0"),
    "one_point": ("[data]\nx_start = 0.0\nx_stop = 0.1\n", "must leave at least two points"),
    "empty_range": ("[data]\nx_start = 3.0\nx_stop = -3.0\n", "must leave at least two points"),
    "noise_negative": ("[data]\nnoise_std = -0.1\n", "data.noise_std = -0.1 must be >= 0"),
    "bool": ("[train]\nepochs = true\n", "train.epochs = True must be an integer"),
    "theme": ('[view]\ntheme = "blue"\n', "view.theme = 'blue' must be one of dark, light"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_parameter_file_gets_one_line_exit_2_and_writes_nothing(tmp_path, name):
    text, rule = BAD_FILES[name]
    cfg = tmp_path / "lesson.toml"
    cfg.write_text(text)
    out = tmp_path / "trace.json"
    r = gdlesson("trace", "--config", str(cfg), "--json", str(out))
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert str(cfg) in r.stderr and rule in r.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.toml"]


def test_unknown_key_suggests_the_nearest_valid_one(tmp_path):
    cfg = tmp_path / "lesson.toml"
    cfg.write_text("[train]\nepoch = 4\n")
    r = gdlesson("trace", "--config", str(cfg))
    assert "did you mean 'train.epochs'?" in r.stderr and r.returncode == 2


@pytest.mark.parametrize(
    "args, rule",
    [
        (["--config", "does/not/exist.toml"], "does/not/exist.toml: file not found"),
        (["--set", "lr=0.2"], "must look like table.key=value"),
        (["--set", "train.lr"], "must look like table.key=value"),
        (["--set", "train.lr="], "must look like table.key=value"),
        (["--set", "train.lr=-0.5"], "--set: train.lr = -0.5 must be > 0"),
        (["--set", "train.lrate=0.5"], "did you mean 'train.lr'?"),
        (["--set", "data.x_step=-0.1"], "data.x_step = -0.1 must be > 0"),
    ],
)
def test_bad_command_line_gets_one_line_exit_2_and_writes_nothing(tmp_path, args, rule):
    out = tmp_path / "trace.json"
    r = gdlesson("trace", *args, "--json", str(out))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and rule in r.stderr, r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unreadable_file_is_reported(tmp_path):
    cfg = tmp_path / "lesson.toml"
    cfg.write_bytes(b"\xff\xfe[train]")
    r = gdlesson("trace", "--config", str(cfg))
    assert r.returncode == 2 and "cannot read file" in r.stderr and "Traceback" not in r.stderr


def test_directory_as_config_is_reported(tmp_path):
    r = gdlesson("trace", "--config", str(tmp_path))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_a_run_forked_by_the_tests_says_what_a_new_interpreter_says():
    """The tests run the command in forks of a server with torch imported already
    (tests/running.py): the same exit status, stdout and stderr as ``python -m gdlesson``
    started anew, for a trace that trains and for bad input."""
    for args in (("trace", "--json", "-", "--set", "train.lr=0.05"), ("trace", "--set", "x=1")):
        new = subprocess.run(
            [sys.executable, "-m", "gdlesson", *args], cwd=ROOT, capture_output=True, text=True
        )
        forked = gdlesson(*args)
        assert (forked.returncode, forked.stdout, forked.stderr) == (
            new.returncode,
            new.stdout,
            new.stderr,
        )
    assert new.returncode == 2 and new.stderr.startswith("gdlesson: --set")
