"""The optimizers lesson (lessons/optimizers/): its engine against an independent float64
reference written here from the update rules, its regimes, its surfaces, its bad input
through the real command line, the code it shows, and its built outputs.

Nothing here calls torch.optim or the engine's criterion to compute an expected value: the
loss, the gradients (2 mean(r x), 2 mean(r) with r = w x + b - y), the momentum buffer,
RMSProp's running square with its epsilon and Adam's two moments with their bias correction
are written out in numpy float64.

Tolerances: the training runs in float32. A mean over <= 60 points is off by a few dozen
float32 epsilons of the size of its terms, so a value is checked to
``REL * |value| + TERMS * size_of_terms + ABS``, far below what a real mistake (a missing
bias correction, epsilon inside the square root, a momentum buffer started at zero, a
wrong sign) makes.
"""

from __future__ import annotations

import functools
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import running
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gd_engine.runs import W_BOUND
from lessons.optimizers.config import OPTIMIZERS, load_config
from lessons.optimizers.engine import train
from lessons.optimizers.listing import listing
from lessons.optimizers.trace import OptimizersTrace

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "lessons/optimizers.toml"
REL, TERMS, ABS = 1e-4, 1e-5, 1e-6


@functools.cache
def trace_of(overrides: tuple[str, ...] = ()) -> OptimizersTrace:
    """One training per set of overrides for the whole module: tests only read it."""
    return train(load_config(ROOT / CONFIG, list(overrides)))


# -- the reference: the update rules in float64 ---------------------------------------------


def loss_and_grads(w: float, b: float, x: np.ndarray, y: np.ndarray):
    """mean((w x + b - y)^2), its gradient, and the sizes of the terms (for tolerances)."""
    r = w * x + b - y
    size = np.abs(w * x) + abs(b) + np.abs(y)
    return (
        float(np.mean(r**2)),
        float(np.mean(2 * r * x)),
        float(np.mean(2 * r)),
        (float(np.mean(size**2)), float(np.mean(2 * size * np.abs(x))), float(np.mean(2 * size))),
    )


def update(optimizer: str, cfg, p: float, g: float, state: dict, t: int):
    """One parameter's step ``t`` (from 1) of ``optimizer`` from its gradient ``g`` and its
    state before the step; returns the new value and the new state. As the documentation of
    torch.optim writes the rules (no weight decay, no nesterov, not centred, no amsgrad)."""
    o = getattr(cfg, optimizer)
    if optimizer == "sgd":
        return p - o.lr * g, {}
    if optimizer == "momentum":
        buf = g if t == 1 else o.momentum * state["momentum_buffer"] + g  # no dampening
        return p - o.lr * buf, {"momentum_buffer": buf}
    if optimizer == "rmsprop":
        sq = o.alpha * state.get("square_avg", 0.0) + (1 - o.alpha) * g * g
        return p - o.lr * g / (math.sqrt(sq) + o.eps), {"square_avg": sq}
    if optimizer == "adam":
        m = o.beta1 * state.get("exp_avg", 0.0) + (1 - o.beta1) * g
        v = o.beta2 * state.get("exp_avg_sq", 0.0) + (1 - o.beta2) * g * g
        m_hat, v_hat = m / (1 - o.beta1**t), v / (1 - o.beta2**t)
        return p - o.lr * m_hat / (math.sqrt(v_hat) + o.eps), {"exp_avg": m, "exp_avg_sq": v}
    raise KeyError(optimizer)


def close(what: str, engine: float, ref: float, terms: float = 0.0) -> None:
    tol = REL * abs(ref) + TERMS * terms + ABS
    assert abs(engine - ref) <= tol, f"{what}: engine {engine!r} != float64 {ref!r} (tol {tol:.3g})"


def check_run_step_by_step(cfg, run, x, y, label: str) -> None:
    """Every recorded step recomputed in float64 from the recorded (w, b) and the state the
    previous step left: loss, gradients, the optimizer's new state, the new (w, b)."""
    w0, b0 = np.float32(cfg.train.w0), np.float32(cfg.train.b0)
    close(f"{label} start loss", run.start_loss, loss_and_grads(w0, b0, x, y)[0], 1.0)
    state_w: dict = {}
    state_b: dict = {}
    expected = (float(w0), float(b0))
    for s in run.steps:
        at = f"{label} step {s.iteration}"
        assert (s.w, s.b) == expected, f"{at}: does not start where the last one ended"
        loss, gw, gb, (lt, gwt, gbt) = loss_and_grads(s.w, s.b, x, y)
        close(f"{at} loss", s.loss, loss, lt)
        close(f"{at} grad_w", s.grad_w, gw, gwt)
        close(f"{at} grad_b", s.grad_b, gb, gbt)
        # the update from the engine's own gradient and state: each step is checked alone
        t = s.iteration + 1
        w_next, new_w = update(run.optimizer, cfg, s.w, s.grad_w, state_w, t)
        b_next, new_b = update(run.optimizer, cfg, s.b, s.grad_b, state_b, t)
        for key in new_w:
            close(f"{at} {key} of w", s.state[key][0], new_w[key], abs(s.grad_w) ** 2)
            close(f"{at} {key} of b", s.state[key][1], new_b[key], abs(s.grad_b) ** 2)
        assert set(s.state) == set(new_w), f"{at}: state {sorted(s.state)}"
        step_size = abs(w_next - s.w) + abs(b_next - s.b)
        close(f"{at} w_next", s.w_next, w_next, abs(s.w) + step_size)
        close(f"{at} b_next", s.b_next, b_next, abs(s.b) + step_size)
        close(f"{at} loss_next", s.loss_next, loss_and_grads(s.w_next, s.b_next, x, y)[0], lt)
        state_w = {k: v[0] for k, v in s.state.items()}
        state_b = {k: v[1] for k, v in s.state.items()}
        expected = (s.w_next, s.b_next)


def float64_run(cfg, optimizer: str, x, y, steps: int) -> list[tuple[float, float]]:
    """The whole run in float64 from (w0, b0): the path the float32 training approximates."""
    w, b = float(np.float32(cfg.train.w0)), float(np.float32(cfg.train.b0))
    sw: dict = {}
    sb: dict = {}
    path = [(w, b)]
    for t in range(1, steps + 1):
        _, gw, gb, _ = loss_and_grads(w, b, x, y)
        (w, sw), (b, sb) = (
            update(optimizer, cfg, w, gw, sw, t),
            update(optimizer, cfg, b, gb, sb, t),
        )
        path.append((w, b))
    return path


def check_trace(trace: OptimizersTrace) -> None:
    cfg = trace.config
    assert [p.name for p in trace.problems] == ["well scaled", "elongated"]
    for p in trace.problems:
        x, y = np.array(p.data.x), np.array(p.data.y)
        d = cfg.data
        plain = np.array([d.x_start + i * d.x_step for i in range(len(x))])
        assert np.allclose(x, p.x_scale * plain, rtol=1e-5, atol=1e-6 * abs(p.x_scale))
        assert [r.optimizer for r in p.runs] == list(OPTIMIZERS)
        for run in p.runs:
            assert run.lr == getattr(cfg, run.optimizer).lr
            check_run_step_by_step(cfg, run, x, y, f"{p.name} {run.optimizer}")


# -- 1. the engine against the reference ----------------------------------------------------


def test_defaults_match_the_update_rules_step_by_step():
    check_trace(trace_of())


def test_defaults_follow_the_float64_path_and_tell_the_problems_apart():
    """The whole float32 run stays on the float64 path; on the elongated problem plain SGD
    is left far behind while the adaptive optimizers reach the minimum (the lesson's point)."""
    t = trace_of()
    for p in t.problems:
        x, y = np.array(p.data.x), np.array(p.data.y)
        for run in p.runs:
            ref = np.array(float64_run(t.config, run.optimizer, x, y, len(run.steps)))
            assert np.allclose(np.array(run.path), ref, rtol=1e-3, atol=1e-3), run.optimizer
    well, long = t.problems
    assert all(r.losses[-1] < well.minimum.loss + 0.2 for r in well.runs)
    assert long.run("sgd").losses[-1] > 10 * long.run("rmsprop").losses[-1]
    assert long.run("sgd").losses[-1] > long.minimum.loss + 0.5
    assert all(r.regime == "" for p in t.problems for r in p.runs)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    w0=st.floats(-6, 6),
    b0=st.floats(-6, 6),
    scale=st.sampled_from([0.1, 0.5, 2.0]),
    lrs=st.tuples(*(st.floats(0.005, 0.3) for _ in range(4))),
    momentum=st.floats(0.05, 0.95),
    alpha=st.floats(0.5, 0.99),
    betas=st.tuples(st.floats(0.5, 0.95), st.floats(0.9, 0.9999)),
    eps=st.sampled_from([1e-8, 1e-3, 0.1]),
)
def test_other_configs_match_the_update_rules_step_by_step(
    w0, b0, scale, lrs, momentum, alpha, betas, eps
):
    sets = [f"train.w0={w0!r}", f"train.b0={b0!r}", "train.iterations=12"]
    sets += [f"elongated.x_scale={scale!r}", "data.x_step=0.25", "view.grid_points=11"]
    sets += [f"{o}.lr={lr!r}" for o, lr in zip(OPTIMIZERS, lrs)]
    sets += [f"momentum.momentum={momentum!r}", f"rmsprop.alpha={alpha!r}"]
    sets += [f"adam.beta1={betas[0]!r}", f"adam.beta2={betas[1]!r}"]
    sets += [f"adam.eps={eps!r}", f"rmsprop.eps={eps!r}"]
    check_trace(train(load_config(ROOT / CONFIG, sets)))


def test_the_trace_is_deterministic_and_round_trips_through_json():
    t = trace_of(("train.iterations=5",))
    again = train(t.config)
    assert again.to_json() == t.to_json()
    assert OptimizersTrace.from_json(t.to_json()).to_json() == t.to_json()
    assert {"torch", "numpy", "python", "gdlesson"} <= set(t.versions) and len(t.hash) == 64


# -- regimes --------------------------------------------------------------------------------


#: one trace for both regimes: plain SGD at lr 0.5 explodes on the well-scaled problem (its
#: curvature along w is 2 mean(x^2) = 6 > 2 / 0.5); with x times 0.001 the elongated
#: problem's w valley is so flat that its gradient is tiny while its loss is far above the
#: minimum's: the same SGD stalls there
REGIMES = (
    "sgd.lr=0.5",
    "elongated.x_scale=0.001",
    "regimes.stall_grad=0.01",
    "regimes.stall_iterations=4",
)


def test_an_exploding_run_is_stopped_at_the_bound_and_marked():
    t = trace_of(REGIMES)
    p = t.problems[0]
    run = p.run("sgd")
    assert (
        run.regime == "diverged" and run.diverged_at == len(run.steps) < t.config.train.iterations
    )
    assert all(math.isfinite(v) for s in run.steps for v in (s.w, s.b, s.loss_next))
    assert max(abs(v) for v in run.path[-1]) <= W_BOUND
    # the float64 rule sends the next step past the bound
    x, y = np.array(p.data.x), np.array(p.data.y)
    w, b = float64_run(t.config, "sgd", x, y, run.diverged_at + 1)[-1]
    assert not max(abs(w), abs(b)) <= W_BOUND
    assert p.run("rmsprop").regime == ""  # the others run their course
    assert "diverged" in t.table()


def test_a_stalled_run_is_marked_where_its_gradient_stays_small_far_from_the_minimum():
    t = trace_of(REGIMES)
    p, r = t.problems[1], t.config.regimes
    run = p.run("sgd")
    first, quiet = None, 0
    for i, s in enumerate(run.steps):
        quiet = quiet + 1 if math.hypot(s.grad_w, s.grad_b) < r.stall_grad else 0
        far = s.loss - p.minimum.loss > r.stall_gap
        if first is None and quiet >= r.stall_iterations and far:
            first = i
    assert first is not None and run.stalled_at == first and run.regime == "stalled"
    assert run.losses[-1] - p.minimum.loss > 1.0
    # a run whose gradient is as small because it reached the minimum is not stalled
    done = t.problems[0].run("rmsprop")
    assert min(s.grad_norm for s in done.steps) < r.stall_grad
    assert done.stalled_at is None and done.losses[-1] - t.problems[0].minimum.loss < r.stall_gap
    assert "stalled" in t.table()


# -- the surfaces ---------------------------------------------------------------------------


def grid_mse(ws, bs, x, y, sign_b: float = 1.0) -> np.ndarray:
    return np.mean((ws[None, :, None] * x + sign_b * bs[:, None, None] - y) ** 2, axis=-1)


def argmin_node(ws, bs, loss) -> tuple[float, float]:
    i, j = np.unravel_index(np.argmin(loss), loss.shape)
    return float(ws[j]), float(bs[i])


@pytest.mark.parametrize("index", [0, 1])
def test_each_surface_is_the_criterion_on_the_grid_and_its_lowest_node_is_the_minimum(index):
    p = trace_of().problems[index]
    x, y = np.array(p.data.x), np.array(p.data.y)
    ws, bs, loss = np.array(p.surface.w), np.array(p.surface.b), np.array(p.surface.loss)
    ref = grid_mse(ws, bs, x, y)
    terms = np.mean(
        (np.abs(ws[None, :, None] * x) + np.abs(bs[:, None, None]) + np.abs(y)) ** 2, -1
    )
    assert np.all(np.abs(loss - ref) <= REL * ref + TERMS * terms + ABS)
    # the least-squares minimum, in float64, and the grid's lowest node within a cell of it
    A = np.stack([x, np.ones_like(x)], 1)
    (w_ls, b_ls), *_ = np.linalg.lstsq(A, y, rcond=None)
    assert (p.minimum.w, p.minimum.b) == pytest.approx((w_ls, b_ls), rel=1e-9, abs=1e-9)
    gw, gb = argmin_node(ws, bs, loss)
    assert abs(gw - w_ls) <= ws[1] - ws[0] and abs(gb - b_ls) <= bs[1] - bs[0]
    # every run's start is on the map
    assert ws[0] <= t_w0() <= ws[-1] and bs[0] <= t_b0() <= bs[-1]


def t_w0() -> float:
    return trace_of().config.train.w0


def t_b0() -> float:
    return trace_of().config.train.b0


def test_a_surface_with_the_wrong_sign_of_b_would_be_caught():
    """mean((w x - b - y)^2): its lowest node sits at b = +1, the mirror of where the runs
    end (b = -1), so the check above fails on it."""
    p = trace_of().problems[0]
    x, y = np.array(p.data.x), np.array(p.data.y)
    ws, bs = np.array(p.surface.w), np.array(p.surface.b)
    wrong = grid_mse(ws, bs, x, y, sign_b=-1.0)
    _, b_bad = argmin_node(ws, bs, wrong)
    end_b = p.run("rmsprop").path[-1][1]
    assert abs(end_b - (-1.0)) < 0.05 and abs(b_bad - end_b) > 4 * (bs[1] - bs[0])
    assert np.max(np.abs(wrong - np.array(p.surface.loss))) > 1.0


# -- bad input through the real command line ------------------------------------------------


def gdlesson(*args):
    return running.gdlesson(*args, timeout=120)


BAD = [
    ("data.x_step", "0", "data.x_step", "must be > 0"),
    ("data.x_step", "1e-5", "data.x_step", "points; 2 to 2000"),
    ("data.slope", "1e9", "data.slope", "must be between -1e+06 and 1e+06"),
    ("data.noise_std", "-1", "data.noise_std", "must be >= 0"),
    ("data.seed", "-1", "data.seed", "must be between 0 and 2**63 - 2"),
    ("data.seed", "1.5", "data.seed", "must be an integer"),
    ("elongated.x_scale", "0", "elongated.x_scale", "must be between 0.001 and 1000 in size"),
    ("train.w0", '"a"', "train.w0", "must be a number"),
    ("train.b0", "nan", "train.b0", "must be a finite number"),
    ("train.iterations", "0", "train.iterations", "must be between 1 and 500"),
    ("sgd.lr", "0", "sgd.lr", "must be > 0 and at most 100"),
    ("momentum.lr", "-0.1", "momentum.lr", "must be > 0 and at most 100"),
    ("momentum.momentum", "1", "momentum.momentum", "must be > 0 and < 1"),
    ("momentum.momentum", "0", "momentum.momentum", "must be > 0 and < 1"),
    ("rmsprop.alpha", "-0.5", "rmsprop.alpha", "must be >= 0 and < 1"),
    ("rmsprop.eps", "0", "rmsprop.eps", "must be > 0 and at most 1"),
    ("adam.lr", "1000", "adam.lr", "must be > 0 and at most 100"),
    ("adam.beta1", "1", "adam.beta1", "must be >= 0 and < 1"),
    ("adam.beta2", "1.5", "adam.beta2", "must be >= 0 and < 1"),
    ("adam.eps", "2", "adam.eps", "must be > 0 and at most 1"),
    ("regimes.stall_grad", "0", "regimes.stall_grad", "must be > 0"),
    ("regimes.stall_iterations", "0", "regimes.stall_iterations", "must be between 1 and 500"),
    ("regimes.stall_gap", "-1", "regimes.stall_gap", "must be >= 0"),
    ("view.theme", '"pink"', "view.theme", "must be one of dark, light"),
    ("view.grid_points", "5", "view.grid_points", "must be between 11 and 201"),
    ("adam.betas", "0.9", "adam.betas", "unknown key adam.betas (did you mean"),
    ("sdg.lr", "0.1", "[sdg]", "unknown table [sdg] (did you mean 'sgd'?)"),
]


def set_in_file(text: str, key: str, value: str) -> str:
    """The parameter file with ``key`` set to ``value`` (added to its table if absent)."""
    table, name = key.split(".")
    lines, out, inside, done = text.splitlines(), [], False, False
    for line in lines:
        if line.startswith("["):
            if inside and not done:
                out.append(f"{name} = {value}")
                done = True
            inside = line.split("]")[0] == f"[{table}"
        if inside and line.split("=")[0].strip() == name:
            line, done = f"{name} = {value}", True
        out.append(line)
    if not done:
        out += ([] if inside else [f"[{table}]"]) + [f"{name} = {value}"]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("key,value,named,rule", BAD, ids=[f"{k}={v}" for k, v, *_ in BAD])
def test_a_bad_key_gives_one_line_and_exit_2_through_the_cli(tmp_path, key, value, named, rule):
    path = tmp_path / "optimizers.toml"
    path.write_text(set_in_file((ROOT / CONFIG).read_text(), key, value))
    r = gdlesson("trace", "--config", str(path))
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"gdlesson: {path}: "), r.stderr
    assert named in lines[0] and rule in lines[0], lines[0]


def test_a_bad_override_names_the_set_option():
    r = gdlesson("trace", "--config", CONFIG, "--set", "adam.beta2=1")
    assert (
        r.returncode == 2 and r.stderr == "gdlesson: --set: adam.beta2 = 1.0 must be >= 0 and < 1\n"
    )


def test_the_trace_command_prints_each_run():
    r = gdlesson("trace", "--config", CONFIG, "--set", "train.iterations=5")
    assert r.returncode == 0, r.stderr
    rows = [line.split() for line in r.stdout.splitlines() if line.startswith("  ")]
    t = trace_of(("train.iterations=5",))
    ends = [(run.name, run.path[-1]) for p in t.problems for run in p.runs]
    assert [row[0] for row in rows if row[0] != "optimizer"] == [n for n, _ in ends]
    for row, (_, (w, b)) in zip([r for r in rows if r[0] != "optimizer"], ends):
        assert (float(row[3]), float(row[4])) == pytest.approx((w, b), abs=1e-4)


# -- the code on screen runs and gives the trace --------------------------------------------


@pytest.mark.parametrize("problem", [0, 1])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_the_listing_on_screen_runs_and_reproduces_the_trace(problem, optimizer):
    """The listing with the config's numbers, run as a program: its final (w, b) and loss
    are the trace's (to the bit: it is the same float32 computation), and its data too."""
    t = trace_of(("train.iterations=20",))
    p = t.problems[problem]
    scope: dict = {}
    exec(compile(listing(t.config, optimizer, p.x_scale), "<listing>", "exec"), scope)
    run = p.run(optimizer)
    assert scope["x"].view(-1).tolist() == list(p.data.x)
    assert scope["y"].view(-1).tolist() == list(p.data.y)
    assert (scope["w"].item(), scope["b"].item()) == run.path[-1]
    assert scope["loss"].item() == run.steps[-1].loss


# -- figures --------------------------------------------------------------------------------


def test_the_figures_draw_every_run_of_both_problems_from_the_trace(tmp_path):
    """Each contour figure holds every optimizer's path, point for point the trace's; each
    loss figure its losses; and the same trace writes the same bytes again."""
    from matplotlib.figure import Figure

    from lessons.optimizers import figures
    from scenes.theme import DARK

    t = trace_of(("train.iterations=8", "view.grid_points=11"))
    for p in t.problems:
        fig: Figure = figures.contour_figure(p, DARK)
        lines = {line.get_gid(): line for line in fig.axes[0].get_lines()}
        for run in p.runs:
            xy = np.array(lines[f"path-{run.optimizer}"].get_xydata())
            assert np.array_equal(xy, np.array(run.path))
        fig = figures.loss_figure(p, DARK)
        lines = {line.get_gid(): line for line in fig.axes[0].get_lines()}
        for run in p.runs:
            assert list(lines[f"loss-{run.optimizer}"].get_ydata()) == run.losses
    written = figures.write_figures(t, DARK, tmp_path / "a")
    again = figures.write_figures(t, DARK, tmp_path / "b")
    assert [p.name for p in written] == [p.name for p in again] and len(written) == 8
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(written, again))


# -- the built lesson: read from the course build every test run shares ---------------------


def probe_seconds(path: Path) -> float:
    cmd = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
    return float(
        subprocess.run([*cmd, str(path)], capture_output=True, text=True, check=True).stdout
    )


@pytest.mark.slow
def test_the_built_lesson_has_every_scene_subtitled_and_lasts_over_a_minute(built):
    import json

    import srt

    from gdlesson.registry import lessons
    from scenes.narration import spoken_seconds

    out = built[0] / "optimizers"
    lesson = lessons()["optimizers"]
    outputs = {o["path"] for o in json.loads((out / "manifest.json").read_text())["outputs"]}
    trace = OptimizersTrace.load(out / "trace.json")
    assert trace.to_json() == trace_of().to_json()  # the built trace is the engine's
    words = lesson.narration(ROOT / CONFIG)
    total = 0.0
    for scene in lesson.scenes:
        for path in (f"videos/{scene}.mp4", f"videos/{scene}.srt", f"gifs/{scene}.gif"):
            assert path in outputs, path
        for stem in ("contour_well_scaled", "loss_elongated"):
            assert f"figures/{stem}.png" in outputs and f"figures/{stem}.svg" in outputs
        seconds = probe_seconds(out / f"videos/{scene}.mp4")
        planned = lesson.scene_seconds(trace, scene, spoken_seconds(words[scene]))
        assert seconds == pytest.approx(planned, abs=0.3), scene
        cues = list(srt.parse((out / f"videos/{scene}.srt").read_text()))
        said = " ".join(c.content.replace("\n", " ") for c in cues)
        assert said.split() == words[scene].text.split(), scene
        assert cues[-1].end.total_seconds() <= seconds + 0.1
        total += seconds
    assert total >= 60.0


@pytest.mark.slow
def test_no_frame_of_the_built_lesson_draws_in_the_outer_five_percent(built):
    sys.path.insert(0, str(ROOT / "tests"))
    from frames import margin_content, video_frames

    from gdlesson.registry import lessons
    from scenes.theme import DARK

    background = tuple(int(DARK.background[i : i + 2], 16) for i in (1, 3, 5))
    for scene in lessons()["optimizers"].scenes:
        frames = video_frames(built[0] / "optimizers" / f"videos/{scene}.mp4", fps=1.0)
        assert frames and [t for t, f in frames if margin_content(f, background)] == [], scene


#: (scene, second): frames of the built videos held against tests/control/ (the race over,
#: and Adam's arrows at its third step)
CONTROLS = (("Elongated", 13), ("AdamMoments", 5))


@pytest.mark.slow
@pytest.mark.parametrize("scene,second", CONTROLS)
def test_frames_of_the_built_lesson_match_their_controls(built, regenerate, scene, second):
    sys.path.insert(0, str(ROOT / "tests"))
    from frames import assert_matches_control, video_frames

    frames = video_frames(built[0] / "optimizers" / f"videos/{scene}.mp4", fps=1.0)
    assert_matches_control(frames[second][1], f"optimizers_{scene}_{second}s", regenerate)
