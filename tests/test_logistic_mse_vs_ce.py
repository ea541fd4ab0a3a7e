"""The logistic lesson (lessons/logistic_mse_vs_ce/): its engine against an independent
float64 computation, its regimes, its bad input through the real command line, its trace
JSON, and the code it shows on screen run as text.

The reference below is written from the math, not from torch: z = w*x + b, s = 1/(1+e^-z);
mean squared error L = mean((s - y)^2) with dL/dw = mean(2 (s - y) s (1 - s) x); binary
cross-entropy L = -mean(y log s + (1 - y) log(1 - s)) with dL/dw = mean((s - y) x); and for
both dL/db the same without the factor x; then w <- w - lr dL/dw (plain SGD).

Tolerances. The training runs in float32. A loss or a gradient is a mean of at most a few
dozen float32 terms, so its rounding error is a few float32 epsilons (6e-8) of the size of
its terms: ``tol = REL * |value| + TERMS * mean|term| + ABS``. A wrong sign, a missing
factor 2 or s(1 - s), a stale gradient is wrong by the size of the terms themselves.
"""

from __future__ import annotations

import functools
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import running
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gd_engine.runs import W_BOUND
from gdlesson.cli import main
from gdlesson.registry import lesson_for, lessons
from lessons.logistic_mse_vs_ce.config import load_config
from lessons.logistic_mse_vs_ce.engine import train
from lessons.logistic_mse_vs_ce.listing import BLOCKS, block, listing
from lessons.logistic_mse_vs_ce.trace import CRITERIA, LogisticTrace

ROOT = Path(__file__).resolve().parents[1]
FILE = "lessons/logistic_mse_vs_ce.toml"
REL, TERMS, ABS = 1e-4, 1e-5, 1e-9
F32 = 8 * 2.0**-24  # a few float32 roundings of a number below 1
#: every config below keeps w*x + b of the points labelled 0 under this on the paths and the
#: grids, where float32's sigmoid is not yet exactly 1 (nn.BCELoss would clamp its log there)
UNSATURATED = 14.0


@functools.cache
def trace_of(overrides: tuple[str, ...] = ()) -> LogisticTrace:
    return train(load_config(ROOT / FILE, list(overrides)))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def reference(criterion: str, w: float, b: float, x: np.ndarray, y: np.ndarray):
    """(loss, dL/dw, dL/db) in float64 and the mean size of the summed terms of each."""
    s = sigmoid(w * x + b)
    if criterion == "mse":
        terms = (s - y) ** 2
        common = 2.0 * (s - y) * s * (1.0 - s)
    else:
        terms = -(y * np.log(s) + (1.0 - y) * np.log(1.0 - s))
        common = s - y
    values = (terms.mean(), (common * x).mean(), common.mean())
    # float32 holds a sigmoid near 1 to within 2^-24 whatever 1 - s is, so each term of
    # the engine carries an error of about |s - y| * 2^-24 however small the term: near
    # saturation the terms can be far smaller than that error (sizes counts it in)
    rounding = np.abs(s - y) * F32 / TERMS
    sizes = (
        np.abs(terms).mean() + rounding.mean(),
        np.abs(common * x).mean() + (rounding * np.abs(x)).mean(),
        np.abs(common).mean() + rounding.mean(),
    )
    return values, sizes


def close(value: float, expected: float, size: float) -> bool:
    return abs(value - expected) <= REL * abs(expected) + TERMS * size + ABS


def data(t: LogisticTrace) -> tuple[np.ndarray, np.ndarray]:
    return np.array(t.data.x, np.float64), np.array(t.data.y, np.float64)


def check_steps(t: LogisticTrace) -> None:
    """Every iteration of every run against the reference, from the trace's own (w, b)."""
    x, y = data(t)
    cfg = t.config
    assert np.allclose(x, np.linspace(cfg.data.x_start, cfg.data.x_stop, cfg.points), atol=1e-6)
    assert np.array_equal(y, (x > np.float32(cfg.data.threshold)).astype(float))
    lr = cfg.train.lr
    for run in t.runs:
        # the start in float32, as fill_ sets it; then each step starts where the last ended
        w, b = float(np.float32(cfg.train.w0)), float(np.float32(cfg.train.b0))
        assert run.start == (w, b)
        for k, s in enumerate(run.steps):
            assert s.iteration == k and (s.w, s.b) == (w, b)
            (loss, gw, gb), sizes = reference(run.criterion, s.w, s.b, x, y)
            assert close(s.loss, loss, sizes[0]), (run.criterion, k, s.loss, loss)
            assert close(s.grad_w, gw, sizes[1]), (run.criterion, k, s.grad_w, gw)
            assert close(s.grad_b, gb, sizes[2]), (run.criterion, k, s.grad_b, gb)
            assert math.isclose(s.grad_norm, math.hypot(s.grad_w, s.grad_b), rel_tol=1e-12)
            # the update, in float32 as SGD makes it
            assert s.w_next == pytest.approx(s.w - lr * s.grad_w, rel=1e-6, abs=1e-6 * lr)
            assert s.b_next == pytest.approx(s.b - lr * s.grad_b, rel=1e-6, abs=1e-6 * lr)
            z = s.w * x + s.b
            if np.min(np.abs(z)) > 1e-4:  # no point on the fence between the classes
                assert s.accuracy == pytest.approx(np.mean((z > 0) == (y == 1)))
            w, b = s.w_next, s.b_next
        (loss, _, _), sizes = reference(run.criterion, w, b, x, y)
        assert close(run.end_loss, loss, sizes[0])
        check_marks(t, run)


def check_marks(t: LogisticTrace, run) -> None:
    """stalled_at: the first iteration that ends stall_iterations norms under stall_grad in a
    row; diverged_at: the iteration whose step left the bound, the trace stopping before it."""
    tr = t.config.train
    quiet, expected = 0, None
    for s in run.steps:
        quiet = quiet + 1 if s.grad_norm < tr.stall_grad else 0
        if quiet == tr.stall_iterations and expected is None:
            expected = s.iteration
    assert run.stalled_at == expected
    if run.diverged_at is None:
        assert len(run.steps) == tr.epochs
    else:
        assert run.diverged_at == len(run.steps) < tr.epochs
    assert all(max(abs(w), abs(b)) <= W_BOUND for w, b in run.path)


def check_trajectory(t: LogisticTrace) -> None:
    """The whole run from (w0, b0) in float64, never looking at the trace's (w, b)."""
    x, y = data(t)
    tr = t.config.train
    for run in t.runs:
        w, b = tr.w0, tr.b0
        for s in run.steps:
            (loss, gw, gb), sizes = reference(run.criterion, w, b, x, y)
            assert s.w == pytest.approx(w, rel=1e-3, abs=1e-4), (run.criterion, s.iteration)
            assert s.b == pytest.approx(b, rel=1e-3, abs=1e-4), (run.criterion, s.iteration)
            assert s.loss == pytest.approx(loss, rel=1e-3, abs=1e-6)
            w, b = w - tr.lr * gw, b - tr.lr * gb


def surface_reference(criterion: str, surface, x, y, sign: float = 1.0) -> np.ndarray:
    """The criterion at every node, ``[i][j]`` at ``(w[j], b[i])``, all nodes at once."""
    w = np.array(surface.w)[None, :, None]
    b = sign * np.array(surface.b)[:, None, None]
    s = sigmoid(w * x + b)
    if criterion == "mse":
        return ((s - y) ** 2).mean(axis=-1)
    return (-(y * np.log(s) + (1.0 - y) * np.log(1.0 - s))).mean(axis=-1)


def surface_matches(t: LogisticTrace, criterion: str, sign: float = 1.0) -> bool:
    x, y = data(t)
    expected = surface_reference(criterion, t.surface(criterion), x, y, sign)
    got = np.array(t.surface(criterion).loss)
    return bool(np.all(np.abs(got - expected) <= 1e-4 * np.abs(expected) + 1e-5))


def max_abs_z(t: LogisticTrace) -> float:
    """The largest w*x + b at a point labelled 0, on the grid or a path (linear in w, b
    and x: its largest value is at corners). Past ~16.6 float32's sigmoid is exactly 1 and
    nn.BCELoss clamps log(1 - s) at -100; below zero nothing saturates that matters."""
    x0 = [x for x, y in zip(t.data.x, t.data.y) if y == 0.0]
    s = t.surfaces[0]
    corners = [(w, b) for w in (s.w[0], s.w[-1]) for b in (s.b[0], s.b[-1])]
    points = corners + [p for r in t.runs for p in r.path]
    return max(w * x + b for w, b in points for x in (min(x0), max(x0)))


# -- the engine --------------------------------------------------------------------------------
def test_defaults_step_by_step_and_as_a_whole():
    t = trace_of()
    assert max_abs_z(t) < UNSATURATED
    check_steps(t)
    check_trajectory(t)


def test_the_lesson_survives_its_defaults():
    """What makes the lesson: the squared error stalls on its plateau and never classifies
    the ones; cross-entropy from the same start fits every label."""
    t = trace_of()
    mse, bce = t.run("mse"), t.run("bce")
    assert mse.path[0] == bce.path[0] == (-5.0, -10.0)
    assert mse.stalled_at == 9 and bce.stalled_at is None
    assert mse.end_accuracy == pytest.approx(13 / 21) and bce.end_accuracy == 1.0
    assert max(s.grad_norm for s in mse.steps) < 1e-5 < 0.1 < bce.steps[0].grad_norm
    assert abs(mse.path[-1][0] + 5.0) < 0.01  # the plateau: w barely moved
    assert bce.end_loss < bce.steps[0].loss / 20


@pytest.mark.parametrize(
    "overrides",
    [
        ("train.w0=0.0", "train.b0=0.0", "train.lr=0.5", "train.epochs=25"),
        ("train.w0=4.0", "train.b0=1.0", "train.lr=1.0", "train.epochs=30"),
        (
            "data.x_start=-2.0",
            "data.x_stop=2.0",
            "data.x_step=0.25",
            "data.threshold=-0.6",
            "train.w0=3.0",
            "train.b0=-2.0",
            "train.epochs=20",
            "view.grid_points=21",
        ),
    ],
)
def test_other_configs_step_by_step(overrides):
    t = trace_of(overrides)
    assert max_abs_z(t) < UNSATURATED
    check_steps(t)
    check_trajectory(t)
    for key in CRITERIA:
        assert surface_matches(t, key)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    w0=st.floats(-6, 6),
    b0=st.floats(-6, 6),
    lr=st.floats(0.01, 3.0),
    epochs=st.integers(1, 25),
    threshold=st.sampled_from([-0.5, 0.0, 0.2, 0.55]),
    step=st.sampled_from([0.1, 0.2, 0.25, 0.5]),
)
def test_random_configs_step_by_step(w0, b0, lr, epochs, threshold, step):
    cfg = load_config(
        ROOT / FILE,
        [
            f"train.w0={w0!r}",
            f"train.b0={b0!r}",
            f"train.lr={lr!r}",
            f"train.epochs={epochs}",
            f"data.threshold={threshold}",
            f"data.x_step={step}",
            "view.grid_points=11",
            "train.stall_iterations=1",
        ],
    )
    t = train(cfg)
    assume(max_abs_z(t) < UNSATURATED)
    check_steps(t)


def test_surfaces_are_the_training_criterion_and_a_wrong_one_is_caught():
    t = trace_of()
    assert [s.criterion for s in t.surfaces] == list(CRITERIA)
    for key in CRITERIA:
        assert surface_matches(t, key)
        assert not surface_matches(t, key, sign=-1.0)  # b of the wrong sign
    # the other criterion's surface is not this one's
    x, y = data(t)
    swapped = surface_reference("bce", t.surface("mse"), x, y)
    assert not np.allclose(np.array(t.surface("mse").loss), swapped, rtol=1e-3)
    s = t.surface("mse")
    grid = np.array(s.loss)
    assert grid.min() >= 0 and grid.max() <= 1  # the squared error of a probability
    # every path lies inside the surfaces' range
    for run in t.runs:
        for w, b in run.path:
            assert s.w[0] <= w <= s.w[-1] and s.b[0] <= b <= s.b[-1]


def test_exploding_run_is_stopped_and_marked():
    t = trace_of(("train.lr=1e13", "train.w0=0.0", "train.b0=0.0"))
    x, y = data(t)
    for run in t.runs:
        assert run.diverged_at == 0 and run.steps == () and run.path == [(0.0, 0.0)]
        check_marks(t, run)
        (loss, _, _), sizes = reference(run.criterion, 0.0, 0.0, x, y)  # where it stopped
        assert close(run.end_loss, loss, sizes[0])
    assert "diverged at iteration 0" in t.table()
    t = trace_of(("train.lr=100.0",))  # large, but the sigmoid bounds the gradient: no explosion
    for run in t.runs:
        assert run.diverged_at is None and len(run.steps) == 60
        check_marks(t, run)


def test_trace_round_trips_and_is_deterministic():
    t = trace_of()
    assert LogisticTrace.from_json(t.to_json()) == t
    again = train(load_config(ROOT / FILE))
    assert again.to_json() == t.to_json()
    assert t.versions["torch"] and len(t.hash) == 64
    assert json.loads(t.to_json())["config"]["train"]["lr"] == 2.0


# -- the code on screen ------------------------------------------------------------------------
@pytest.mark.parametrize("overrides", [(), ("train.w0=4.0", "train.b0=1.0", "train.lr=1.0")])
@pytest.mark.parametrize("criterion", list(CRITERIA))
def test_the_listing_runs_and_reproduces_the_trace(criterion, overrides):
    cfg = load_config(ROOT / FILE, list(overrides))
    t = trace_of(tuple(overrides))
    run = t.run(criterion)
    code = listing(cfg, criterion)
    for name in BLOCKS:
        assert all(len(line) <= 34 for line in block(code, name))
    space: dict = {}
    exec(compile(code, "listing.py", "exec"), space)  # noqa: S102 - the lesson's own code
    model = space["model"]
    assert model[0].weight.item() == run.path[-1][0]
    assert model[0].bias.item() == run.path[-1][1]
    assert space["loss"].item() == run.steps[-1].loss
    assert space["epoch"] == cfg.train.epochs - 1


# -- bad input -------------------------------------------------------------------------------
BAD = {
    "kind": ("lesson.kind=momentum", "lesson.kind", "must be 'logistic_mse_vs_ce'"),
    "unknown_key": ("train.momentum=0.9", "unknown key train.momentum", ""),
    "type": ("train.lr=fast", "train.lr", "must be a number"),
    "x_step": ("data.x_step=0.0", "data.x_step", "must be > 0"),
    "x_stop": ("data.x_stop=-2.0", "data.x_stop", "must be above data.x_start"),
    "whole": ("data.x_step=0.3", "data.x_step", "into whole steps"),
    "points": ("data.x_step=0.0001", "data.x_step", "more than 1000 points"),
    "threshold": ("data.threshold=1.5", "data.threshold", "both labels must occur"),
    "w0": ("train.w0=1e7", "train.w0", "must be between -1e+06 and 1e+06"),
    "b0": ("train.b0=-1e7", "train.b0", "must be between -1e+06 and 1e+06"),
    "lr": ("train.lr=-1.0", "train.lr", "must be > 0"),
    "lr_huge": ("train.lr=1e13", "", ""),  # not bad: a run that explodes (marked)
    "epochs": ("train.epochs=0", "train.epochs", "must be between 1 and 1000"),
    "stall_grad": ("train.stall_grad=0.0", "train.stall_grad", "must be > 0"),
    "stall_iterations": ("train.stall_iterations=61", "train.stall_iterations", "between 1 and"),
    "theme": ("view.theme=blue", "view.theme", "must be one of dark, light"),
    "grid": ("view.grid_points=5", "view.grid_points", "must be between 11 and 201"),
    "view": ("view.w_max=-100.0", "view.w_max", "must be above the derived view.w_min"),
    "view_both": ("view.b_min=1.0", "view.b_min", "view.b_max"),
}


@pytest.mark.parametrize("name", [k for k in BAD if k != "lr_huge"])
def test_bad_key_gives_one_line_and_exit_2(name):
    setting, key, rule = BAD[name]
    extra = ["--set", "view.b_max=1.0"] if name == "view_both" else []
    r = CliRunner().invoke(main, ["trace", "--config", FILE, "--set", setting, *extra])
    assert r.exit_code == 2, r.output
    lines = r.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gdlesson: --set: "), r.output
    assert key in lines[0] and rule in lines[0], lines[0]


def test_bad_key_in_the_file_names_the_file(tmp_path):
    bad = tmp_path / "logistic.toml"
    bad.write_text((ROOT / FILE).read_text().replace("epochs = 60", "epochs = 60.5"))
    r = running.gdlesson("trace", "--config", bad, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"gdlesson: {bad}: train.epochs = 60.5 must be an integer"]


def test_a_first_step_past_the_bound_stops_the_build_before_it_writes(tmp_path):
    out = tmp_path / "out"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "gdlesson",
            "build",
            "-q",
            "l",
            "--config",
            FILE,
            "--out",
            str(out),
            "--set",
            "train.lr=1e13",
            "--set",
            "train.w0=0.0",
            "--set",
            "train.b0=0.0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.splitlines() == [
        "gdlesson: --set: train.lr = 1e+13 sends the first step past |w|, |b| = 1e+12, so "
        "there is no iteration to animate; choose a smaller lr"
    ]
    assert not out.exists() or not any(
        p.is_file() and p.name != ".build.lock" for p in out.rglob("*")
    )


def test_the_registry_knows_the_lesson():
    lesson = lessons()["logistic_mse_vs_ce"]
    assert lesson_for(ROOT / FILE) is lesson
    assert lesson.scenes == ("LogisticCode", "LogisticRace", "LogisticSurfaces")


# -- the scenes --------------------------------------------------------------------------------
def test_the_maps_trace_levels_of_the_training_criterion():
    """The contour lines are traced on a finer grid of the same criterion: at the trace's own
    nodes it is the trace's surface (up to float32), and the squared error is not the
    cross-entropy's map."""
    from lessons.logistic_mse_vs_ce.levels import cost_grid

    t = trace_of()
    for key in CRITERIA:
        s = t.surface(key)
        ws, _, loss = cost_grid(t, key)
        step = (len(ws) - 1) // (len(s.w) - 1)
        nodes = loss[::step, ::step]
        assert nodes.shape == (len(s.b), len(s.w))
        assert np.allclose(nodes, np.array(s.loss), rtol=1e-4, atol=1e-5)
    assert not np.allclose(cost_grid(t, "mse")[2], cost_grid(t, "bce")[2], rtol=0.1)


def scene(cls):
    """A scene of the lesson, set up (trace, theme, narration) but not played."""
    from frames import SMALL
    from manim import tempconfig

    with tempconfig(SMALL):
        s = cls()
        s.setup()
        return s


def test_readouts_are_the_trace_numbers():
    from lessons.logistic_mse_vs_ce.logistic_mse_vs_ce_scenes import (
        LogisticCode,
        LogisticRace,
        sci,
    )
    from scenes.code import CodeListing

    t = trace_of()
    code = scene(LogisticCode)
    code.listing = CodeListing(["x"], code.theme)  # where the listings go
    code.listing = code.training_listing("mse")
    for key in CRITERIA:
        s = t.run(key).steps[0]
        rows = [m.original_text for m in code.readouts(t.run(key), 4)]
        assert rows[0].split()[-1] == f"{s.loss:.4f}"
        assert rows[1].split()[-1] == sci(s.grad_w) and rows[2].split()[-1] == sci(s.grad_b)
        shown = float(rows[3].split()[-1].replace("\u2212", "-"))
        assert shown == pytest.approx(s.w_next, abs=5e-6)
    race = scene(LogisticRace)
    race.title = race.heading("x")
    race.names = [race.text(r.name) for r in t.runs]
    mse = t.run("mse")
    text = race.readout(mse, 30).original_text
    assert "62%" in text and f"{mse.steps[30].grad_norm:.2g}".replace("-", "\u2212") in text


def test_the_built_lesson(built):
    """The course build (tests/conftest.py) holds the lesson: three clips at least as long as
    their words, together over a minute, the words as subtitles, nothing drawn in the outer
    5% of any frame, and its page."""
    import srt
    from frames import margin_content, video_frames

    from scenes.narration import spoken_seconds
    from scenes.theme import DARK

    out = built[0] / "logistic_mse_vs_ce"
    lesson = lessons()["logistic_mse_vs_ce"]
    words = lesson.narration(ROOT / FILE)
    background = tuple(int(DARK.background[i : i + 2], 16) for i in (1, 3, 5))
    total = 0.0
    for name in lesson.scenes:
        video = out / "videos" / f"{name}.mp4"
        seconds = float(
            subprocess.run(
                [
                    "ffprobe",
                    "-v",
                    "error",
                    "-show_entries",
                    "format=duration",
                    "-of",
                    "csv=p=0",
                    str(video),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        assert seconds >= spoken_seconds(words[name]) - 0.1
        total += seconds
        cues = list(srt.parse((out / "videos" / f"{name}.srt").read_text()))
        said = " ".join(c.content.replace("\n", " ") for c in cues)
        assert said.split() == words[name].text.split()
        frames = video_frames(video, fps=1.0)
        assert [t for t, f in frames if margin_content(f, background)] == []
        assert (out / "gifs" / f"{name}.gif").exists()
    assert total >= 60.0
    page = (out / "index.html").read_text()
    assert all(f'id="{name}"' in page for name in lesson.scenes)
    assert json.loads((out / "trace.json").read_text())["kind"] == "logistic"
    for stem in ("map_mse", "map_bce", "gradient", "fit"):
        assert (out / "figures" / f"{stem}.png").exists() and f"figures/{stem}.png" in page


def test_the_figures_draw_the_trace(tmp_path):
    from lessons.logistic_mse_vs_ce.figures import gradient_figure, map_figure, write_figures
    from scenes.theme import DARK

    t = trace_of()
    for key in CRITERIA:
        (path,) = [ln for ln in map_figure(t, DARK, key).axes[0].lines if ln.get_gid() == "path"]
        assert np.array_equal(np.array(path.get_xydata()), np.array(t.run(key).path))
    lines = {ln.get_gid(): ln for ln in gradient_figure(t, DARK).axes[0].lines}
    for key in CRITERIA:
        assert list(lines[key].get_ydata()) == [s.grad_norm for s in t.run(key).steps]
    first = [p.read_bytes() for p in write_figures(t, DARK, tmp_path / "a")]
    again = [p.read_bytes() for p in write_figures(t, DARK, tmp_path / "b")]
    assert first == again and len(first) == 8  # four figures, PNG and SVG, byte-identical


PLAYED: dict = {}  # scenes played to their end without writing a file, by theme


def played(cls, theme: str, monkeypatch):
    """``cls`` played to its end without writing a file or drawing a frame, from a copy of
    the lesson's file whose narration is a few words: the scene lasts as long as its
    animations."""
    import tempfile

    from frames import SMALL, undrawn
    from manim import tempconfig

    if (cls, theme) not in PLAYED:
        folder = Path(tempfile.mkdtemp(prefix="logistic-"))
        (folder / "narration").mkdir()
        scenes = lessons()["logistic_mse_vs_ce"].scenes
        words = "".join(f'[{s}]\ntext = "A few words."\n' for s in scenes)
        (folder / "narration" / Path(FILE).name).write_text(words)
        (folder / Path(FILE).name).write_text((ROOT / FILE).read_text())
        monkeypatch.setenv("GDLESSON_CONFIG", str(folder / Path(FILE).name))
        monkeypatch.setenv("GDLESSON_SET", "")
        monkeypatch.setenv("GDLESSON_THEME", theme)
        with tempconfig(SMALL), undrawn():
            s = cls()
            s.render()
        PLAYED[(cls, theme)] = s
    return PLAYED[(cls, theme)]


def test_the_last_frame_of_the_race_matches_its_control_image(monkeypatch, regenerate):
    """The race's last picture, in the light theme (the dark one is the built clip's)."""
    from frames import SMALL, assert_matches_control, frame_of
    from manim import tempconfig

    from lessons.logistic_mse_vs_ce.logistic_mse_vs_ce_scenes import LogisticRace
    from lessons.logistic_mse_vs_ce.timing import planned_seconds

    s = played(LogisticRace, "light", monkeypatch)
    # with a few words, the race lasts what the lesson plans for its animations
    assert s.renderer.time == pytest.approx(planned_seconds(trace_of(), "LogisticRace"))
    with tempconfig(SMALL):
        frame = frame_of(s)
    assert_matches_control(frame, "logistic_race_light", regenerate)
    assert (frame[2, 2] == 255).all()


def test_the_race_ends_with_the_stall_marked_and_the_last_numbers(monkeypatch):
    from manim import Text

    from lessons.logistic_mse_vs_ce.logistic_mse_vs_ce_scenes import LogisticRace
    from scenes.panels import MonoLine

    s = played(LogisticRace, "light", monkeypatch)
    lines = (Text, MonoLine)
    texts = [m.original_text for m in s.mobjects for m in m.get_family() if isinstance(m, lines)]
    t = trace_of()
    assert f"stalled (iteration {t.run('mse').stalled_at})" in texts
    for run in t.runs:
        acc = f"{run.end_accuracy:>4.0%}"
        assert any(x.startswith(f"it {len(run.steps)}") and acc in x for x in texts), texts
