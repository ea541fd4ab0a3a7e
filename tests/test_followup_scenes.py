"""The follow-up lessons as the viewer sees them: paths on the contour, lines, losses, frames,
and a low-quality build through the real CLI."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from frames import SMALL, assert_matches_control, frame_of
from manim import tempconfig

from scenes.followup import BatchModes, LearningRates, SlopeBias, SlopeBiasSurface
from scenes.panels import fmt_value

LESSONS = Path("lessons")


def mse(x, y, w, b) -> float:
    """The cost, independently of the engine: numpy, float64."""
    return float(np.mean((w * np.asarray(x) + b - np.asarray(y)) ** 2))


PLAYED = {}  # scenes already played, by what they were played with: tests only read them


@pytest.fixture
def played(monkeypatch):
    """A follow-up scene played to its end without writing a file."""

    def play(cls, lesson: str, overrides=(), theme="dark"):
        key = (cls, lesson, tuple(overrides), theme)
        if key not in PLAYED:
            monkeypatch.setenv("GDLESSON_CONFIG", str(LESSONS / lesson))
            monkeypatch.setenv("GDLESSON_SET", ";".join(overrides))
            monkeypatch.setenv("GDLESSON_THEME", theme)
            PLAYED[key] = cls()
            PLAYED[key].render()
        return PLAYED[key]

    with tempconfig(SMALL):
        yield play


def coords(panel, point) -> tuple[float, float]:
    w, b = panel.axes.p2c(point)[:2]
    return float(w), float(b)


# -- slope and bias -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "overrides", [[], ["train.lr=0.3"], ["train.epochs=3"], ["train.w0=10", "train.b0=8"]]
)
def test_the_path_on_the_contour_is_the_trace_and_goes_down_the_gradient(played, overrides):
    scene = played(SlopeBias, "slope_and_bias.toml", overrides)
    run, contour = scene.run, scene.contour
    assert len(scene.trail) == len(run.steps)
    for k, (segment, step) in enumerate(zip(scene.trail, run.steps)):
        start, end = (coords(contour, p) for p in segment.get_start_and_end())
        assert start == pytest.approx((step.w, step.b), abs=1e-6), k
        assert end == pytest.approx((step.w_next, step.b_next), abs=1e-6), k
        # the step is -lr times the gradient: parallel to it, the other way
        move = np.subtract(end, start)
        grad = np.array([step.grad_w, step.grad_b])
        cross = move[0] * grad[1] - move[1] * grad[0]
        assert abs(cross) <= 1e-4 * np.linalg.norm(move) * np.linalg.norm(grad) + 1e-9
        assert move @ grad < 0
    w, b = run.path[-1]
    assert coords(contour, scene.dot.get_center()) == pytest.approx((w, b), abs=1e-6)
    m = scene.trace.minimum
    assert coords(contour, contour.minimum.get_center()) == pytest.approx((m.w, m.b), abs=1e-6)


def test_contour_lines_are_levels_of_the_training_cost(played):
    scene = played(SlopeBias, "slope_and_bias.toml")
    contour, data = scene.contour, scene.trace.data
    assert len(contour.contours) >= len(contour.levels)
    cell = max(np.diff(contour.ws).max(), np.diff(contour.bs).max())
    for line in contour.contours:
        for point in line.get_anchors()[::7]:
            w, b = coords(contour, point)
            # linear interpolation inside a grid cell of a quadratic: error below cell^2 * curvature
            assert mse(data.x, data.y, w, b) == pytest.approx(line.level, abs=4 * cell**2), (w, b)


def test_the_fitted_line_and_the_loss_plot_end_at_the_last_iterate(played):
    scene = played(SlopeBias, "slope_and_bias.toml")
    run, data_panel = scene.run, scene.data
    w, b = run.path[-1]
    (xa, ya), (xb, yb) = (coords(data_panel, p) for p in scene.line.get_start_and_end())
    assert (yb - ya) / (xb - xa) == pytest.approx(w, abs=1e-5)
    assert ya - w * xa == pytest.approx(b, abs=1e-5)
    last = coords(scene.loss, scene.loss_points[-1])
    assert last == pytest.approx((len(run.steps), math.log10(run.loss_full[-1])), abs=1e-6)
    assert scene.readout.text.replace(" ", "").endswith(
        fmt_value(run.loss_full[-1]).replace(" ", "")
    )


def test_the_3d_surface_is_the_traces_grid_and_the_path_lies_on_it(monkeypatch):
    monkeypatch.setenv("GDLESSON_CONFIG", str(LESSONS / "slope_and_bias.toml"))
    with tempconfig(SMALL):
        scene = SlopeBiasSurface()
        scene.setup()
        scene.run = scene.trace.runs[0]
        surface, _labels = scene.build_surface()
        s = scene.trace.surface
        # every node of the grid: the height drawn is the trace's loss there
        for i in range(0, len(s.b), 5):
            for j in range(0, len(s.w), 5):
                assert scene.height(s.w[j], s.b[i]) == pytest.approx(s.loss[i][j], rel=1e-9)
        # the surface's patches are at the heights of the trace's loss (to the grid's spacing)
        for piece in surface[::37]:
            for point in piece.get_anchors()[::3]:
                w, b, z = scene.axes.point_to_coords(point)
                assert z == pytest.approx(scene.height(w, b), rel=1e-6, abs=1e-6)
        data = scene.trace.data
        for k in range(len(scene.run.path)):
            w, b, z = scene.axes.point_to_coords(scene.point(k))
            assert (w, b) == pytest.approx(scene.run.path[k], abs=1e-6)
            lifted = scene.axes.point_to_coords(scene.axes.c2p(0, 0, 0) + [0, 0, 0.04])[2]
            assert z - lifted == pytest.approx(mse(data.x, data.y, w, b), rel=1e-4)


# -- batch modes and learning rates -----------------------------------------------------------
@pytest.mark.parametrize(
    "overrides", [[], ["train.epochs=3", "compare.batch_sizes=[7, 60]", "train.lr=0.05"]]
)
def test_batch_modes_paths_and_losses_are_every_iteration_in_step(played, overrides):
    scene = played(BatchModes, "batch_modes.toml", overrides)
    runs = scene.trace.runs
    paths, contour, loss = scene.paths, scene.contour, scene.loss
    assert len(paths) == 2 * len(runs)
    for run, on_contour, on_loss in zip(runs, paths[::2], paths[1::2]):
        corners = on_contour.line.get_anchors()
        drawn = {tuple(np.round(coords(contour, p), 5)) for p in corners}
        assert drawn >= {tuple(np.round(p, 5)) for p in run.path}
        # on one clock: after epoch e every run's head is where its epoch e ended
        for e in (1, scene.trace.config.train.epochs):
            index = run.epoch_ends()[e]
            on_contour.at(e)
            on_loss.at(e)
            head = coords(contour, on_contour.head.get_center())
            assert head == pytest.approx(run.path[index], abs=1e-5)
            t, y = coords(loss, on_loss.head.get_center())
            assert t == pytest.approx(e, abs=1e-6)
            assert y == pytest.approx(math.log10(run.loss_full[index]), abs=1e-6)
    cfg = scene.trace.config
    for run, size in zip(runs, cfg.compare.batch_sizes):
        assert len(run.steps) == cfg.train.epochs * math.ceil(60 / (size or 60))


def test_learning_rates_table_shows_the_final_losses_and_marks_the_best(played):
    scene = played(LearningRates, "learning_rates.toml")
    runs = scene.trace.runs
    rows = [m.text for m in scene.results][1:]
    assert len(rows) == len(runs)
    finite = [r.loss_val[-1] if r.diverged_at is None else math.inf for r in runs]
    best = int(np.argmin(finite))
    for i, (row, run) in enumerate(zip(rows, runs)):
        if run.diverged_at is None:
            assert fmt_value(run.loss_full[-1], 3) in row and fmt_value(run.loss_val[-1], 3) in row
        else:
            assert "diverged" in row
        assert ("lowest" in row) == (i == best)
    assert any(r.diverged_at is not None for r in runs)  # lr 0.3 leaves the bound


# -- frames --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, cls, lesson, theme",
    [
        ("slope_bias_dark", SlopeBias, "slope_and_bias.toml", "dark"),
        ("batch_modes_light", BatchModes, "batch_modes.toml", "light"),
    ],
)
def test_last_frames_match_the_control_images(played, regenerate, name, cls, lesson, theme):
    frame = frame_of(played(cls, lesson, (), theme))
    assert_matches_control(frame, name, regenerate)
    assert (frame[2, 2] == 255).all() if theme == "light" else frame[2, 2].max() < 40


# -- through the CLI -------------------------------------------------------------------------------
def gdlesson(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "gdlesson", *args], capture_output=True, text=True, **kw
    )


def test_a_bad_followup_parameter_is_one_line_and_builds_nothing(tmp_path):
    out = tmp_path / "out"
    result = gdlesson(
        "build",
        "--config",
        "lessons/batch_modes.toml",
        "--set",
        "compare.batch_sizes=[0, 1000]",
        "--out",
        str(out),
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "compare.batch_sizes = [0, 1000] must be between 0 (full batch) and 60" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_the_3d_surface_scene_renders_through_the_cli(tmp_path):
    """The turning camera and the path on the surface, played for real (a short run)."""
    result = gdlesson(
        "render",
        "SlopeBiasSurface",
        "-q",
        "l",
        "--set",
        "train.epochs=2",
        "--media_dir",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    video = next(tmp_path.rglob("SlopeBiasSurface.mp4"))
    from gd_engine.followup import load_followup, train
    from gdlesson.lesson_video import duration
    from scenes.followup import planned_seconds
    from scenes.narration import followup_narration, spoken_seconds

    trace = train(load_followup(LESSONS / "slope_and_bias.toml", ["train.epochs=2"]))
    scenes = ("SlopeBias", "SlopeBiasSurface")
    words = followup_narration(LESSONS / "slope_and_bias.toml", scenes)["SlopeBiasSurface"]
    # two epochs animate in less time than the narration takes: the narration sets the length
    assert spoken_seconds(words) > planned_seconds(trace, "SlopeBiasSurface")
    expected = planned_seconds(trace, "SlopeBiasSurface", spoken_seconds(words))
    assert duration(video) == pytest.approx(expected, abs=0.2)


def test_a_bad_followup_narration_is_one_line_and_builds_nothing(tmp_path):
    lesson = tmp_path / "batch_modes.toml"
    lesson.write_text((LESSONS / "batch_modes.toml").read_text())
    (tmp_path / "narration").mkdir()
    (tmp_path / "narration" / "batch_modes.toml").write_text('[BatchMode]\ntext = "Hello."\n')
    out = tmp_path / "out"
    result = gdlesson("build", "--config", str(lesson), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "[BatchMode] is not a scene; scenes are BatchModes" in result.stderr
    assert not out.exists()
