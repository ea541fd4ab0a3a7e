"""The momentum lesson (lessons/momentum/): its engine step by step against a float64
implementation of SGD's update written here from the rule itself, its cost curves, its
regimes (stalled, diverged), its parameter file's one-line errors through the real command
line, the code on screen run as text, and its scenes as built with the course."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gd_engine.runs import W_BOUND
from gdlesson.cli import main
from lessons.momentum.config import Landscape, MomentumConfig, Train, load_config
from lessons.momentum.engine import train
from lessons.momentum.listing import cost_expression, listing
from lessons.momentum.trace import MomentumTrace

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "lessons" / "momentum.toml"


@pytest.fixture(scope="module")
def trace() -> MomentumTrace:
    return train(load_config(CONFIG))


# -- an independent float64 reference, from the update rules --------------------------------
def poly(c, w: float) -> float:
    """c0 + c1 w + c2 w^2 + ..., in float64."""
    return sum(ck * w**k for k, ck in enumerate(c))


def slope(c, w: float) -> float:
    """The derivative c1 + 2 c2 w + 3 c3 w^2 + ..., worked out by hand."""
    return sum(k * ck * w ** (k - 1) for k, ck in enumerate(c) if k)


def sgd_step(c, w: float, buffer: float | None, lr: float, momentum: float, noise: float):
    """torch.optim.SGD's rule (dampening 0, no Nesterov): g = grad + noise; the buffer is g
    at the first step, momentum * buffer + g after it (g itself without momentum);
    w <- w - lr * buffer."""
    g = slope(c, w) + noise
    buffer = g if buffer is None or momentum == 0 else momentum * buffer + g
    return poly(c, w), slope(c, w), buffer, w - lr * buffer


def close(a: float, b: float, scale: float) -> bool:
    """float32's precision on values of size ``scale``."""
    return abs(a - b) <= 2e-5 * max(abs(b), scale) + 1e-6


def check_steps(trace: MomentumTrace) -> None:
    """Each step of each run from the trace's own state before it, against the reference."""
    cfg = trace.config
    for run in trace.runs:
        c = getattr(cfg, run.landscape).coefficients
        scale = sum(abs(ck) for ck in c) * max(1.0, *(abs(w) for w in run.path)) ** (len(c) - 1)
        buffer = None
        w = float(np.float32(run.w0))  # torch.tensor(w0) holds it in float32
        for k, s in enumerate(run.steps):
            assert s.step == k and s.w == w  # the path is continuous, bit for bit
            loss, grad, buffer_ref, w_next = sgd_step(c, s.w, buffer, run.lr, run.momentum, s.noise)
            assert close(s.loss, loss, scale), (run.landscape, k, s.loss, loss)
            assert close(s.grad, grad, scale), (run.landscape, k, s.grad, grad)
            assert close(s.velocity, buffer_ref, scale), (run.landscape, k, s.velocity, buffer_ref)
            assert close(s.w_next, w - run.lr * s.velocity, max(1.0, abs(w)))
            assert close(s.w_next, w_next, max(1.0, abs(w)) + run.lr * scale)
            buffer, w = s.velocity, s.w_next


def test_every_step_against_float64(trace):
    check_steps(trace)


def test_the_whole_default_runs_in_float64(trace):
    """From w0 alone, the float64 runs end where the trace's do (the costs' basins are wide
    enough that float32's rounding does not change which one a run ends in)."""
    for run in trace.runs:
        c = getattr(trace.config, run.landscape).coefficients
        w, buffer = run.w0, None
        for s in run.steps:
            _, _, buffer, w = sgd_step(c, w, buffer, run.lr, run.momentum, s.noise)
        assert w == pytest.approx(run.path[-1], abs=2e-3), run


def test_what_the_lesson_shows(trace):
    """Plain steps stop at the saddle and in the nearer minimum; momentum carries the
    iterate through to the deeper minimum, also with a noisy gradient."""
    plain, momentum = trace.pair("saddle", False)
    assert plain.stalled_at is not None and abs(plain.path[-1]) < 0.1  # on the saddle
    assert momentum.path[-1] == pytest.approx(-1.5, abs=0.01)  # the minimum of w^4 + 2w^3
    for noisy in (False, True):
        plain, momentum = trace.pair("minima", noisy)
        assert plain.path[-1] > 1.0 and momentum.path[-1] < -1.0
        assert plain.momentum == 0 and momentum.momentum == trace.config.train.momentum


def test_noise_is_seeded_and_shared(trace):
    import torch

    cfg = trace.config
    gen = torch.Generator().manual_seed(cfg.train.seed)
    draws = [cfg.train.noise_std * torch.randn((), generator=gen) for _ in range(80)]
    plain, momentum = trace.pair("minima", True)
    assert [s.noise for s in plain.steps] == [d.item() for d in draws[: len(plain.steps)]]
    assert [s.noise for s in momentum.steps] == [s.noise for s in plain.steps]
    assert all(s.noise == 0.0 for r in trace.runs[:4] for s in r.steps)


def test_stalled_marks_the_first_run_of_small_slopes(trace):
    t = trace.config.train
    for run in trace.runs:
        small, expected = 0, None
        for s in run.steps:
            small = small + 1 if abs(s.grad) < t.stall_grad else 0
            if small >= t.stall_steps and expected is None:
                expected = s.step
        assert run.stalled_at == expected


def test_an_exploding_run_is_stopped_and_marked():
    cfg = load_config(CONFIG, ["minima.lr=5.0", "saddle.lr=3.0"])
    t = train(cfg)
    exploded = [r for r in t.runs if r.diverged_at is not None]
    assert len(exploded) == 6
    for r in exploded:
        assert len(r.steps) == r.diverged_at < getattr(cfg, r.landscape).steps
        assert all(abs(w) <= W_BOUND for w in r.path)
    assert MomentumTrace.from_json(t.to_json()) == t  # finite: it is JSON
    check_steps(t)


def test_trace_round_trips_and_is_deterministic(trace):
    again = train(trace.config)
    assert again.to_json() == trace.to_json()
    assert MomentumTrace.from_json(trace.to_json()) == trace
    assert set(trace.versions) >= {"torch", "python", "gdlesson"}
    assert len(trace.hash) == 64


# -- the curves: the training's own cost -----------------------------------------------------
def curve_agrees(trace: MomentumTrace, curve, landscape: str) -> bool:
    """The curve is the cost the runs were trained on: its values are the polynomial's, and
    at every iterate it passes through the loss the run recorded there."""
    c = getattr(trace.config, landscape).coefficients
    ws, losses = np.array(curve.w), np.array(curve.loss)
    scale = max(abs(x) for x in losses) + 1.0
    if not all(close(loss, poly(c, w), scale) for w, loss in zip(ws, losses)):
        return False
    for run in trace.runs:
        if run.landscape != landscape:
            continue
        for s in run.steps:
            if ws[0] <= s.w <= ws[-1]:
                between = np.interp(s.w, ws, losses)
                gap = np.max(np.abs(np.diff(losses)))  # the grid's resolution
                if abs(between - s.loss) > gap + 1e-6:
                    return False
    return True


def test_curves_are_the_training_cost_and_cover_the_paths(trace):
    for name in ("saddle", "minima"):
        curve = trace.curves[name]
        assert curve_agrees(trace, curve, name)
        assert len(curve.w) == trace.config.view.curve_points
        for run in (r for r in trace.runs if r.landscape == name):
            assert curve.w[0] < min(run.path) and max(run.path) < curve.w[-1]


def test_a_wrong_sign_curve_is_caught(trace):
    """cost(-w) drawn in place of cost(w) (the sign slip of the (w, b) lab's surface) puts
    the curve's minima where no run goes: the check refuses it."""
    for name in ("saddle", "minima"):
        good = trace.curves[name]
        mirrored = replace(good, loss=tuple(reversed(good.loss)), w=good.w)
        c = getattr(trace.config, name).coefficients
        flipped = replace(good, loss=tuple(poly(c, -w) for w in good.w))
        assert not curve_agrees(trace, flipped, name)
        assert not curve_agrees(trace, mirrored, name)


# -- other configs ---------------------------------------------------------------------------
coefficient = st.floats(-3, 3, allow_nan=False).map(lambda v: round(v, 2))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    c=st.lists(coefficient, min_size=2, max_size=5).filter(lambda c: any(c[1:])),
    w0=st.floats(-2, 2).map(lambda v: round(v, 2)),
    lr=st.sampled_from([0.001, 0.01, 0.05, 0.2]),
    momentum=st.sampled_from([0.0, 0.5, 0.9, 0.99]),
    noise=st.sampled_from([0.0, 0.5, 3.0]),
    seed=st.integers(0, 2**31),
)
def test_other_configs_step_by_step(c, w0, lr, momentum, noise, seed):
    land = Landscape(coefficients=tuple(float(v) for v in c), w0=w0, lr=lr, steps=25)
    cfg = MomentumConfig(
        saddle=land,
        minima=replace(land, w0=-w0),
        train=Train(momentum=momentum, noise_std=noise, seed=seed),
    )
    t = train(cfg)
    check_steps(t)
    assert all(math.isfinite(w) and abs(w) <= W_BOUND for r in t.runs for w in r.path)


# -- bad input: one line, exit status 2, through the real command line -----------------------
BAD = {
    "momentum_one": (["train.momentum=1.0"], "train.momentum", "must be >= 0 and < 1"),
    "momentum_negative": (["train.momentum=-0.1"], "train.momentum", "must be >= 0 and < 1"),
    "momentum_text": (["train.momentum=fast"], "train.momentum", "must be a number"),
    "noise_negative": (["train.noise_std=-1"], "train.noise_std", "must be between 0"),
    "seed_negative": (["train.seed=-3"], "train.seed", "must be between 0"),
    "seed_float": (["train.seed=1.5"], "train.seed", "must be an integer"),
    "stall_grad": (["train.stall_grad=0"], "train.stall_grad", "must be > 0"),
    "stall_steps": (["train.stall_steps=0"], "train.stall_steps", "must be between 1 and"),
    "lr_zero": (["saddle.lr=0"], "saddle.lr", "must be > 0"),
    "lr_huge": (["minima.lr=1e9"], "minima.lr", "at most 100"),
    "steps": (["minima.steps=0"], "minima.steps", "must be between 1 and 1000"),
    "w0_huge": (["saddle.w0=1e9"], "saddle.w0", "must be between -1e+06 and 1e+06"),
    "flat_cost": (["saddle.coefficients=[3.0]"], "saddle.coefficients", "must depend on w"),
    "empty_cost": (["saddle.coefficients=[]"], "saddle.coefficients", "non-empty list"),
    "degree": (["minima.coefficients=[0,0,0,0,0,0,0,0,0,1.0]"], "minima.coefficients", "at most 9"),
    "coefficient_text": (
        ['minima.coefficients=[1, "a"]'],
        "minima.coefficients",
        "must be a number",
    ),
    "coefficient_huge": (["minima.coefficients=[0, 1e7]"], "minima.coefficients", "each must"),
    "theme": (["view.theme=blue"], "view.theme", "must be one of dark, light"),
    "curve_points": (["view.curve_points=5"], "view.curve_points", "must be between 21"),
    "unknown_key": (["train.momentun=0.5"], "train.momentun", "did you mean 'train.momentum'"),
    "unknown_table": (["optim.lr=0.5"], "[optim]", "unknown table"),
    "kind": (["lesson.title=3"], "lesson.title", "must be a string"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_keys_give_one_line_and_exit_2(case, tmp_path):
    sets, key, rule = BAD[case]
    args = ["trace", "--config", str(CONFIG)] + [a for s in sets for a in ("--set", s)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and r.exception is None or isinstance(r.exception, SystemExit)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gdlesson: --set: "), r.stderr
    assert key in lines[0] and rule in lines[0], lines[0]


def test_a_bad_key_in_the_file_names_the_file(tmp_path):
    text = CONFIG.read_text().replace("momentum = 0.8", "momentum = 1.2")
    bad = tmp_path / "momentum.toml"
    bad.write_text(text)
    r = CliRunner().invoke(main, ["trace", "--config", str(bad)])
    assert r.exit_code == 2
    assert r.stderr == f"gdlesson: {bad}: train.momentum = 1.2 must be >= 0 and < 1\n"


def test_a_table_given_in_part_keeps_its_defaults(tmp_path):
    cfg = load_config(CONFIG, ["saddle.lr=0.02"])
    assert cfg.saddle.coefficients == (0.0, 0.0, 0.0, 2.0, 1.0) and cfg.saddle.lr == 0.02
    bare = tmp_path / "bare.toml"
    bare.write_text('[lesson]\nkind = "momentum"\n')
    assert replace(load_config(bare), lesson=cfg.lesson) == replace(
        load_config(CONFIG), lesson=cfg.lesson
    )


# -- the code on screen is the code that ran -------------------------------------------------
def test_the_listing_reproduces_every_run_bit_for_bit(trace):
    """Each run's code, as the scenes show it, run as text with a hook that records w, the
    loss, w.grad and the momentum buffer after every optimizer.step()."""
    import torch

    cfg = trace.config
    for run in trace.runs:
        land = getattr(cfg, run.landscape)
        code = listing(
            land.coefficients,
            land.w0,
            land.lr,
            land.steps,
            run.momentum,
            run.noise_std,
            cfg.train.seed,
        )
        code = code.replace(
            "    optimizer.step()", "    optimizer.step()\n    record(w, optimizer)"
        )
        seen = []

        def record(w, optimizer, seen=seen):
            buf = optimizer.state[w].get("momentum_buffer")
            seen.append((w.item(), (buf if buf is not None else w.grad).item()))

        scope = {"record": record}
        exec(compile(code, "listing", "exec"), scope)
        shown = [(s.w_next, s.velocity) for s in run.steps]
        assert seen[: len(shown)] == shown
        assert isinstance(scope["loss"], torch.Tensor)


def test_the_cost_is_written_as_python():
    assert cost_expression((0.0, 0.0, 0.0, 2.0, 1.0)) == "w**4 + 2.0 * w**3"
    assert cost_expression((0.0, 1.0, -4.0, 0.0, 1.0)) == "w**4 - 4.0 * w**2 + w"
    assert cost_expression((3.0, -0.5)) == "-0.5 * w + 3.0"


# -- the scenes ------------------------------------------------------------------------------
SCENE_NAMES = ("MomentumCode", "Saddle", "LocalMinima", "NoisyGradient")


@pytest.fixture(scope="module")
def saddle_played():
    """The Saddle scene played to its end without writing a file (one dry run)."""
    import os

    from frames import SMALL, undrawn
    from manim import tempconfig

    from lessons.momentum.momentum_scenes import Saddle

    old = {k: os.environ.get(k) for k in ("GDLESSON_CONFIG", "GDLESSON_SET", "GDLESSON_THEME")}
    os.environ.update(GDLESSON_CONFIG=str(CONFIG), GDLESSON_SET="", GDLESSON_THEME="dark")
    try:
        with tempconfig(SMALL), undrawn():
            scene = Saddle()
            scene.render()
            from frames import frame_of

            yield scene, frame_of(scene)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_the_dots_end_where_the_runs_end(saddle_played, trace):
    """Each dot's centre maps back through the axes to the run's last w and its cost; the
    readouts show the trace's last w and velocity, as the panel's numbers."""
    scene, _ = saddle_played
    for dot, run, (w_reading, v_reading) in zip(
        scene.dots, trace.pair("saddle", False), scene.readings
    ):
        w, cost = scene.panel.axes.p2c(dot.get_center())[:2]
        assert w == pytest.approx(run.path[-1], abs=2e-3)
        c = trace.config.saddle.coefficients
        assert cost == pytest.approx(poly(c, run.path[-1]), abs=2e-2)
        assert w_reading.get_value() == run.path[-1]
        assert v_reading.get_value() == run.steps[-1].velocity
    assert scene.clock.get_value() == len(trace.pair("saddle", False)[0].steps)


def test_the_velocity_arrow_is_the_next_step(saddle_played, trace):
    """At the end, the momentum dot's arrow spans lr * velocity along w (pointing the way the
    step goes); the plain dot, stalled, has none worth drawing."""
    scene, _ = saddle_played
    plain, momentum = trace.pair("saddle", False)
    lr = trace.config.saddle.lr
    for i, run in enumerate((plain, momentum)):
        arrow = scene.arrow(i, float(len(run.steps) - 10))
        w, _, velocity = scene.state(run, float(len(run.steps) - 10))
        if arrow.get_stroke_opacity() > 0:
            (xa, _), (xb, _) = (scene.panel.axes.p2c(p)[:2] for p in arrow.get_start_and_end())
            assert xb - xa == pytest.approx(-lr * velocity, rel=0.05, abs=5e-3)
    arrow = scene.arrow(1, 5.0)
    assert arrow.get_stroke_opacity() > 0  # momentum's arrow early on: the velocity is large


def test_stalled_marker_shows_on_the_stalled_run(saddle_played, trace):
    scene, _ = saddle_played
    texts = [m.text for m in scene.mobjects if hasattr(m, "text")]
    plain, _ = trace.pair("saddle", False)
    assert f"stalledatstep{plain.stalled_at}" in texts  # Text keeps no spaces


def test_nothing_in_the_outer_margin(saddle_played):
    """The last frame: every pixel in the outer 5% is the background."""
    scene, frame = saddle_played
    h, w, _ = frame.shape
    background = frame[h // 2, 2]
    mask = np.ones((h, w), bool)
    mask[int(0.05 * h) : int(0.95 * h), int(0.05 * w) : int(0.95 * w)] = False
    assert (np.abs(frame[mask].astype(int) - background.astype(int)).max(axis=1) <= 8).all()


def test_the_course_builds_the_lesson(built, trace):
    """The course build (gdlesson build --all -q l) made the lesson: see check_built."""
    check_built(built[0] / "momentum", trace)


def check_built(out: Path, trace: MomentumTrace) -> None:
    """Every scene's video as long as planned (its animation, or its narration when longer),
    its subtitles and GIF, the trace it drew from, the figures and the page; a minute of
    lesson or more."""
    import json
    import subprocess

    from lessons.momentum.timing import planned_seconds
    from scenes.narration import followup_narration, spoken_seconds

    assert json.loads((out / "trace.json").read_text()) == json.loads(trace.to_json())
    words = followup_narration(CONFIG, SCENE_NAMES)
    total = 0.0
    for scene in SCENE_NAMES:
        video = out / "videos" / f"{scene}.mp4"
        probe = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
        seconds = float(
            subprocess.run([*probe, str(video)], capture_output=True, text=True, check=True).stdout
        )
        planned = planned_seconds(trace, scene, spoken_seconds(words[scene]))
        assert seconds == pytest.approx(planned, abs=0.15), scene
        total += seconds
        subtitles = (out / "videos" / f"{scene}.srt").read_text()
        assert words[scene].text.split()[-1] in subtitles
        assert (out / "gifs" / f"{scene}.gif").stat().st_size > 0
    assert total >= 60.0
    for stem in ("saddle", "minima", "noisy"):
        assert (out / "figures" / f"{stem}.png").stat().st_size > 0
    page = (out / "index.html").read_text()
    assert all(f'id="{s}"' in page for s in SCENE_NAMES)


def test_figures_draw_the_runs_paths(trace, tmp_path):
    """Each race's figure plots w against the step exactly as the trace holds it, the cost's
    minima where the polynomial's slope vanishes, and writes PNG and SVG."""
    from lessons.momentum.figures import curve_minima, race_figure, write_figures
    from scenes.theme import THEMES

    fig = race_figure(trace, THEMES["dark"], "minima", False)
    lines = {line.get_gid(): line for line in fig.axes[0].get_lines()}
    for run in trace.pair("minima", False):
        assert list(lines[run.name].get_ydata()) == run.path
    c = trace.config.minima.coefficients
    grid = trace.curves["minima"].w[1] - trace.curves["minima"].w[0]
    found = curve_minima(trace, "minima")
    assert len(found) == 2 and all(abs(slope(c, w)) < 60 * grid for w in found)
    paths = write_figures(trace, THEMES["light"], tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"{s}.{f}" for s in ("saddle", "minima", "noisy") for f in ("png", "svg")
    )


def test_the_saddle_scene_ends_as_its_control_frame(saddle_played, regenerate):
    """The last frame of Saddle against tests/control/momentum_saddle_end.png (regenerate
    with --regenerate-controls after an intended change of the look, and look at it)."""
    from frames import assert_matches_control

    _, frame = saddle_played
    assert_matches_control(frame, "momentum_saddle_end", regenerate)
