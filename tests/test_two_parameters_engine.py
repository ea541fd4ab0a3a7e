"""The follow-up engine (lessons/two_parameters/) against an independent float64 numpy reference.

Nothing here calls the engine's forward, criterion or least squares: every loss, gradient,
update, surface value and minimum is recomputed in numpy from the trace's own data (x, y,
y_val) and the recorded batch rows, and compared with what the torch training recorded.

Tolerances. The training runs in float32 (torch's default dtype). A value such as a mean of
squares or a gradient is a sum of at most 60 float32-rounded terms, so its rounding error is
at most a few dozen float32 epsilons (6e-8) *of the size of the terms*, not of their sum:
near the minimum the residuals w*x + b - y cancel, and a one-sample loss can be 1e-4 while
its terms are ~10. Hence ``tol = 1e-4 * |value| + 1e-5 * size_of_terms + ABS``: 1e-4
relative is ~1000 float32 epsilons (what the brief allows for float32), 1e-5 of the terms
is still ~50x above the largest error observed (2e-7 of the terms), and both are orders of
magnitude below what a real mistake (a missing factor 2, a wrong sign of b, a stale
gradient, an off-by-one batch) produces.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_engine.config import ConfigError
from gd_engine.runs import W_BOUND
from lessons.two_parameters.config import (
    Compare,
    Data,
    FollowUpConfig,
    Lesson,
    Train,
    is_followup,
    load_followup,
)
from lessons.two_parameters.trace import FollowUpTrace
from lessons.two_parameters.training import train

LESSONS = sorted(Path("lessons").glob("*.toml"))
NAMES = [p.stem for p in LESSONS]
REL = 1e-4  # of the value: ~1000 float32 epsilons
TERMS = 1e-5  # of the size of the summed terms: float32 rounding of a sum of <= 60 terms
ABS = 1e-5  # absolute floor for values that are ~0 (the brief's float32 abs tolerance)


@functools.cache
def trace_of(name: str, overrides: tuple[str, ...] = ()) -> FollowUpTrace:
    """One training per (lesson, overrides) for the whole module: tests only read it."""
    return train(load_followup(Path("lessons") / f"{name}.toml", list(overrides)))


def arrays(t: FollowUpTrace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = t.data
    return (np.array(d.x, np.float64), np.array(d.y, np.float64), np.array(d.y_val, np.float64))


def mse(w, b, x, y) -> np.ndarray:
    """numpy float64 mean((w*x + b - y)^2) over the points, broadcasting w and b."""
    w, b = np.asarray(w, np.float64)[..., None], np.asarray(b, np.float64)[..., None]
    return np.mean((w * x + b - y) ** 2, axis=-1)


def mse_terms(w, b, x, y) -> np.ndarray:
    """The size of the terms mse() sums: what float32 rounding is relative to."""
    w, b = np.asarray(w, np.float64)[..., None], np.asarray(b, np.float64)[..., None]
    return np.mean((np.abs(w * x) + np.abs(b) + np.abs(y)) ** 2, axis=-1)


def assert_f32_close(what: str, engine, ref, terms, abs_tol: float = ABS) -> None:
    engine, ref = np.asarray(engine, np.float64), np.asarray(ref, np.float64)
    tol = REL * np.abs(ref) + TERMS * np.asarray(terms, np.float64) + abs_tol
    bad = np.argwhere(~(np.abs(engine - ref) <= tol))
    if bad.size:
        i = tuple(bad[0])
        raise AssertionError(
            f"{what}: {len(bad)} of {engine.size} off; first at {i}: "
            f"engine {engine[i]!r} != numpy {ref[i]!r} (tol {tol[i]:.3g})"
        )


def check_run_against_numpy(run, x, y, y_val, w0: float, b0: float, label: str) -> None:
    """Every recorded step of ``run`` recomputed in numpy float64 from its batch rows."""
    steps = run.steps
    n, s_count = len(x), len(steps)
    assert run.start_loss_full == pytest.approx(float(mse(w0, b0, x, y)), rel=REL)
    assert run.start_loss_val == pytest.approx(float(mse(w0, b0, x, y_val)), rel=REL)
    if not steps:
        return
    field = lambda name: np.array([getattr(s, name) for s in steps], np.float64)  # noqa: E731
    w, b = field("w"), field("b")
    # the training holds w and b as float32 tensors: every recorded value is a float32
    assert np.array_equal(w.astype(np.float32).astype(np.float64), w)
    assert np.array_equal(b.astype(np.float32).astype(np.float64), b)
    # the batch of step s as counts over the n points (np.add.at counts a repeated row twice)
    counts = np.zeros((s_count, n))
    for i, s in enumerate(steps):
        np.add.at(counts[i], np.array(s.rows, dtype=np.intp), 1.0)
    sizes = counts.sum(axis=1)
    assert np.array_equal(sizes, field("size")), f"{label}: size != len(rows)"
    res = w[:, None] * x + b[:, None] - y  # (steps, points), float64
    mag = np.abs(w[:, None] * x) + np.abs(b[:, None]) + np.abs(y)
    batch_mean = lambda v: (counts * v).sum(axis=1) / sizes  # noqa: E731

    loss = batch_mean(res**2)
    grad_w = batch_mean(2 * res * x)  # d/dw mean((w x + b - y)^2)
    grad_b = batch_mean(2 * res)  # d/db mean((w x + b - y)^2)
    assert_f32_close(f"{label} loss", field("loss"), loss, batch_mean(mag**2))
    assert_f32_close(f"{label} grad_w", field("grad_w"), grad_w, batch_mean(2 * mag * np.abs(x)))
    assert_f32_close(f"{label} grad_b", field("grad_b"), grad_b, batch_mean(2 * mag))
    # the update through .data: w - lr * grad, with the engine's own recorded gradient
    gw, gb = field("grad_w"), field("grad_b")
    step_w, step_b = np.abs(run.lr * gw), np.abs(run.lr * gb)
    assert_f32_close(
        f"{label} w_next", field("w_next"), w - run.lr * gw, np.maximum(np.abs(w), step_w)
    )
    assert_f32_close(
        f"{label} b_next", field("b_next"), b - run.lr * gb, np.maximum(np.abs(b), step_b)
    )
    wn, bn = field("w_next"), field("b_next")
    assert_f32_close(
        f"{label} loss_full", field("loss_full"), mse(wn, bn, x, y), mse_terms(wn, bn, x, y)
    )
    assert_f32_close(
        f"{label} loss_val", field("loss_val"), mse(wn, bn, x, y_val), mse_terms(wn, bn, x, y_val)
    )
    # the chain: every step starts exactly where the previous one ended, the first at (w0, b0)
    assert (steps[0].w, steps[0].b) == (np.float32(w0), np.float32(b0))
    for a, c in zip(steps, steps[1:], strict=False):
        assert (c.w, c.b) == (a.w_next, a.b_next), f"{label}: step {c.iteration} does not chain"


def check_batch_structure(run, n: int, shuffle: bool, label: str) -> None:
    """Iterations, epochs, batch indices and sizes; each epoch uses every sample once."""
    size = run.batch_size or n
    batches = math.ceil(n / size)
    assert run.batches == batches, label
    for i, s in enumerate(run.steps):
        assert (s.iteration, s.epoch, s.batch) == (i, i // batches, i % batches), label
        assert s.size == len(s.rows) == min(size, n - s.batch * size), label
    for epoch in range(len(run.steps) // batches + 1):
        in_epoch = [s for s in run.steps if s.epoch == epoch]
        order = [r for s in in_epoch for r in s.rows]
        if len(in_epoch) == batches:  # complete: a permutation of range(n)
            assert sorted(order) == list(range(n)), f"{label} epoch {epoch}"
        else:  # cut short by divergence: still no sample twice
            assert len(set(order)) == len(order) and set(order) <= set(range(n)), label
        if size == n or not shuffle:
            assert order == list(range(len(order))), f"{label}: full batch / unshuffled in order"


def epoch_orders(run) -> list[tuple[int, ...]]:
    return [
        tuple(r for s in run.steps if s.epoch == e for r in s.rows)
        for e in range(len(run.steps) // run.batches)
    ]


# 1. every step of every run of every lesson ------------------------------------------------


def test_the_three_lessons_are_there():
    assert NAMES == ["batch_modes", "learning_rates", "slope_and_bias"]


@pytest.mark.parametrize("name", NAMES)
def test_every_step_of_every_run_matches_numpy(name):
    t = trace_of(name)
    x, y, y_val = arrays(t)
    cfg = t.config
    assert len(t.runs) == len(cfg.runs())
    for run, r_cfg in zip(t.runs, cfg.runs(), strict=True):
        assert (run.lr, run.batch_size) == (r_cfg.lr, r_cfg.batch_size)
        if run.diverged_at is None:
            assert len(run.steps) == r_cfg.epochs * run.batches
        label = f"{name} lr={run.lr} batch_size={run.batch_size}"
        check_run_against_numpy(run, x, y, y_val, r_cfg.w0, r_cfg.b0, label)


finite = dict(allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(
    step=st.sampled_from([0.1, 0.25, 0.5]),
    slope=st.floats(-5, 5, **finite),
    intercept=st.floats(-5, 5, **finite),
    noise=st.floats(0, 2, **finite),
    seed=st.integers(0, 2**40),
    outliers=st.integers(0, 3),
    w0=st.floats(-20, 20, **finite),
    b0=st.floats(-20, 20, **finite),
    lr=st.floats(0.001, 0.3, **finite),
    epochs=st.integers(1, 3),
    shuffle=st.booleans(),
    fractions=st.lists(st.floats(0, 1, **finite), min_size=1, max_size=3),
)
def test_random_configs_match_numpy_step_by_step(
    step, slope, intercept, noise, seed, outliers, w0, b0, lr, epochs, shuffle, fractions
):
    data = Data(
        x_step=step, slope=slope, intercept=intercept, noise_std=noise, seed=seed, outliers=outliers
    )
    cfg = FollowUpConfig(lesson=Lesson(kind="batch_modes"), data=data)
    n = cfg.n_points
    sizes = tuple(round(f * n) for f in fractions)  # 0 (full batch) .. n
    cfg = replace(
        cfg,
        train=Train(w0=w0, b0=b0, lr=lr, epochs=epochs, shuffle=shuffle),
        compare=Compare(batch_sizes=sizes),
    )
    t = train(cfg)
    x, y, y_val = arrays(t)
    assert len(x) == n
    for run in t.runs:
        label = f"batch_size={run.batch_size}"
        check_batch_structure(run, n, shuffle, label)
        check_run_against_numpy(run, x, y, y_val, np.float32(w0), np.float32(b0), label)


# 2. batches ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_batches_use_each_sample_once_per_epoch_with_the_configured_sizes(name):
    t = trace_of(name)
    n = len(t.data.x)
    for run in t.runs:
        check_batch_structure(run, n, t.config.train.shuffle, f"{name} {run.batch_size}")


def test_full_batch_uses_all_rows_in_order_every_iteration():
    for name in ("slope_and_bias", "batch_modes"):
        run = trace_of(name).runs[0]
        assert run.batch_size == 0 and run.batches == 1 and run.mode == "batch"
        assert all(s.rows == tuple(range(60)) and s.size == 60 for s in run.steps)


def test_batch_modes_runs_are_batch_stochastic_and_mini_batches():
    runs = trace_of("batch_modes").runs
    assert [(r.batch_size, r.batches, len(r.steps)) for r in runs] == [
        (0, 1, 10),
        (1, 60, 600),
        (5, 12, 120),
        (10, 6, 60),
    ]
    assert [r.mode for r in runs] == ["batch", "stochastic", "mini-batch of 5", "mini-batch of 10"]


def test_shuffles_differ_between_epochs_and_are_shared_by_the_runs():
    runs = trace_of("batch_modes").runs
    stochastic = epoch_orders(runs[1])
    assert len(stochastic) == 10
    assert len(set(stochastic)) == 10  # a new order every epoch
    assert all(o != tuple(range(60)) for o in stochastic)  # and actually shuffled
    # "same shuffles" (lessons/batch_modes.toml): one seeded generator per run, same draws
    assert epoch_orders(runs[2]) == stochastic
    assert epoch_orders(runs[3]) == stochastic
    lr_runs = trace_of("learning_rates").runs
    assert epoch_orders(lr_runs[0]) == epoch_orders(lr_runs[3])


def test_unshuffled_mini_batches_go_in_order():
    t = trace_of("batch_modes", ("train.shuffle=false", "train.epochs=2"))
    for run in t.runs:
        check_batch_structure(run, 60, False, f"unshuffled {run.batch_size}")
        assert all(o == tuple(range(60)) for o in epoch_orders(run))


def test_same_config_gives_identical_json_bytes_whatever_the_global_seed():
    cfg = load_followup("lessons/batch_modes.toml")
    torch.manual_seed(0)
    a = train(cfg).to_json()
    torch.manual_seed(12345)
    torch.rand(100)
    b = train(cfg).to_json()
    assert a == b
    assert a == trace_of("batch_modes").to_json()


def test_a_different_seed_gives_different_shuffles():
    a = trace_of("batch_modes").runs[1]
    b = trace_of("batch_modes", ("data.seed=7",)).runs[1]
    orders_a, orders_b = epoch_orders(a), epoch_orders(b)
    assert len(orders_a) == len(orders_b) == 10
    assert all(oa != ob for oa, ob in zip(orders_a, orders_b, strict=True))


# 3. the full batch against a pure numpy loop -------------------------------------------------


def numpy_full_batch(x, y, w, b, lr, epochs) -> list[tuple[float, float]]:
    path = [(w, b)]
    for _ in range(epochs):
        res = w * x + b - y
        w, b = w - lr * np.mean(2 * res * x), b - lr * np.mean(2 * res)
        path.append((w, b))
    return path


@pytest.mark.parametrize("name", ["slope_and_bias", "batch_modes"])
def test_full_batch_path_is_the_numpy_loop(name):
    t = trace_of(name)
    x, y, _ = arrays(t)
    tr = t.config.train
    run = t.runs[0]
    assert run.batch_size == 0
    expected = numpy_full_batch(x, y, tr.w0, tr.b0, tr.lr, tr.epochs)
    assert len(run.path) == len(expected) == tr.epochs + 1
    np.testing.assert_allclose(run.path, expected, rtol=0, atol=1e-4)
    # and the loss goes down every iteration (lr 0.1 is below 1 / max eigenvalue)
    assert all(a > c for a, c in zip(run.loss_full, run.loss_full[1:], strict=False))


@pytest.mark.parametrize("name", NAMES)
def test_every_converging_run_is_a_numpy_replay_of_its_recorded_batches(name):
    """The whole path, not just step by step: numpy SGD on the recorded rows from (w0, b0)."""
    t = trace_of(name)
    x, y, _ = arrays(t)
    for run, r_cfg in zip(t.runs, t.config.runs(), strict=True):
        if run.diverged_at is not None:
            continue
        w, b = r_cfg.w0, r_cfg.b0
        path = [(w, b)]
        for s in run.steps:
            rows = np.array(s.rows)
            res = w * x[rows] + b - y[rows]
            w, b = w - run.lr * np.mean(2 * res * x[rows]), b - run.lr * np.mean(2 * res)
            path.append((w, b))
        np.testing.assert_allclose(run.path, path, rtol=1e-4, atol=1e-4)


# 4. the cost surface and the minimum ---------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_surface_is_numpy_mse_at_every_grid_point(name):
    t = trace_of(name)
    x, y, _ = arrays(t)
    s = t.surface
    ws, bs, loss = np.array(s.w), np.array(s.b), np.array(s.loss)
    k = t.config.view.grid_points
    assert ws.shape == bs.shape == (k,) and loss.shape == (k, k)
    assert np.all(np.diff(ws) > 0) and np.all(np.diff(bs) > 0)
    grid_w, grid_b = np.meshgrid(ws, bs)  # [i][j] is at (w[j], b[i])
    assert_f32_close(
        f"{name} surface", loss, mse(grid_w, grid_b, x, y), mse_terms(grid_w, grid_b, x, y)
    )
    # the surface shows every path point of the converging runs and the minimum
    m = t.minimum
    assert ws[0] < m.w < ws[-1] and bs[0] < m.b < bs[-1]
    for run in t.runs:
        if run.diverged_at is None:
            pw, pb = np.array(run.path).T
            assert ws[0] <= pw.min() and pw.max() <= ws[-1]
            assert bs[0] <= pb.min() and pb.max() <= bs[-1]


@pytest.mark.parametrize("name", NAMES)
def test_minimum_is_numpy_polyfit_and_the_grid_argmin_is_next_to_it(name):
    t = trace_of(name)
    x, y, _ = arrays(t)
    w_ls, b_ls = np.polyfit(x, y, 1)
    m = t.minimum
    assert m.w == pytest.approx(w_ls, rel=1e-9, abs=1e-9)
    assert m.b == pytest.approx(b_ls, rel=1e-9, abs=1e-9)
    assert m.loss == pytest.approx(float(mse(w_ls, b_ls, x, y)), rel=1e-9)
    # the least-squares point is lower than its neighbours (a real minimum)
    for dw, db in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)):
        assert mse(w_ls + dw, b_ls + db, x, y) > m.loss
    s = t.surface
    ws, bs = np.array(s.w), np.array(s.b)
    i, j = np.unravel_index(np.argmin(np.array(s.loss)), (len(bs), len(ws)))
    assert abs(ws[j] - m.w) <= ws[1] - ws[0]
    assert abs(bs[i] - m.b) <= bs[1] - bs[0]


def grid_argmin(ws, bs, loss) -> tuple[float, float]:
    i, j = np.unravel_index(np.argmin(loss), loss.shape)
    return ws[j], bs[i]


def test_long_training_converges_to_the_surface_minimum():
    t = trace_of("slope_and_bias", ("train.epochs=300",))
    run = t.runs[0]
    assert len(run.steps) == 300 and run.diverged_at is None
    w_end, b_end = run.path[-1]
    assert abs(w_end - t.minimum.w) < 1e-3 and abs(b_end - t.minimum.b) < 1e-3
    # and the same holds against the grid: its lowest point is within one cell of the end
    ws, bs = np.array(t.surface.w), np.array(t.surface.b)
    gw, gb = grid_argmin(ws, bs, np.array(t.surface.loss))
    assert abs(gw - w_end) <= ws[1] - ws[0] and abs(gb - b_end) <= bs[1] - bs[0]


def test_a_surface_with_the_wrong_sign_of_b_would_be_caught():
    """The well-known bug: mean((y - w*x + b)^2) instead of mean((w*x + b - y)^2).

    On data f = x - 1 its minimum sits near b = +1, the mirror image of where training goes,
    so the check above (grid argmin within one cell of the trained end point) fails on it.
    """
    t = trace_of("slope_and_bias", ("train.epochs=300",))
    x, y, _ = arrays(t)
    ws, bs = np.array(t.surface.w), np.array(t.surface.b)
    grid_w, grid_b = np.meshgrid(ws, bs)
    wrong = np.mean((y - grid_w[..., None] * x + grid_b[..., None]) ** 2, axis=-1)
    w_bad, b_bad = grid_argmin(ws, bs, wrong)
    cell_w, cell_b = ws[1] - ws[0], bs[1] - bs[0]
    assert abs(b_bad - 1.0) <= cell_b  # the mirrored bias, + intercept's noise
    assert abs(w_bad - 1.0) <= cell_w  # the slope is unaffected by the sign of b
    w_end, b_end = t.runs[0].path[-1]
    assert abs(b_end - (-1.0)) < 0.05
    assert abs(b_bad - b_end) > 1.5 and abs(b_bad - b_end) > 4 * cell_b  # far outside a cell
    # whereas the engine's surface passes the very same check
    w_ok, b_ok = grid_argmin(ws, bs, np.array(t.surface.loss))
    assert abs(b_ok - b_end) <= cell_b and abs(w_ok - w_end) <= cell_w
    # and it is far from the numpy values at the grid points
    assert np.max(np.abs(wrong - np.array(t.surface.loss))) > 1.0


# 5. data -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_data_are_the_configured_line_noise_and_outliers(name):
    t = trace_of(name)
    d = t.config.data
    x, y, y_val = arrays(t)
    y_true = np.array(t.data.y_true)
    assert len(x) == t.config.n_points == 60
    np.testing.assert_allclose(x, np.arange(60) * 0.1 - 3.0, atol=1e-5)
    slope, intercept = np.polyfit(x, y_true, 1)
    assert slope == pytest.approx(d.slope, abs=1e-5)
    assert intercept == pytest.approx(d.intercept, abs=1e-5)
    np.testing.assert_allclose(y_true, d.slope * x + d.intercept, atol=1e-5)

    out = np.array(t.data.outliers, dtype=int)
    assert len(out) == d.outliers
    assert list(out) == sorted(set(out.tolist())) and all(0 <= i < 60 for i in out)
    assert np.all(y[out] == np.float32(d.outlier_y))
    clean = np.setdiff1d(np.arange(60), out)
    assert np.all(y[clean] != np.float32(d.outlier_y))
    train_noise = (y[clean] - y_true[clean]) / d.noise_std
    val_noise = (y_val - y_true) / d.noise_std
    for noise in (train_noise, val_noise):  # N(0, 1) draws, scaled by noise_std
        assert 0.6 < noise.std() < 1.4 and abs(noise.mean()) < 0.5
    assert np.all(y_val != y)  # validation has its own noise and no outliers
    assert not np.any(y_val == np.float32(d.outlier_y))


def test_learning_rates_lesson_has_four_outliers():
    t = trace_of("learning_rates")
    assert len(t.data.outliers) == 4 == t.config.data.outliers
    assert trace_of("slope_and_bias").data.outliers == ()


def test_noise_free_targets_are_the_line():
    t = trace_of("slope_and_bias", ("data.noise_std=0",))
    assert t.data.y == t.data.y_true == t.data.y_val


# 6. config errors ----------------------------------------------------------------------------


BAD = [
    ('[lesson]\nkind = "bogus"\n', "lesson.kind", "must be one of slope_bias"),
    (
        '[lesson]\nkind = "learning_rates"\n[compare]\nlrs = [0.1, -0.01]\n',
        "compare.lrs",
        "must be > 0",
    ),
    (
        '[lesson]\nkind = "batch_modes"\n[compare]\nbatch_sizes = [0, 61]\n',
        "compare.batch_sizes",
        "must be between 0 (full batch) and 60",
    ),
    (
        '[lesson]\nkind = "slope_bias"\n[train]\nbatch_size = 61\n',
        "train.batch_size",
        "must be between 0 (full batch) and 60",
    ),
    (
        '[lesson]\nkind = "slope_bias"\n[train]\nlrr = 0.1\n',
        "unknown key train.lrr",
        "did you mean 'train.lr'?",
    ),
    (
        '[lesson]\nkind = "learning_rates"\n[compare]\nlrs = "fast"\n',
        "compare.lrs",
        "must be a non-empty list",
    ),
    ('[lesson]\nkind = "slope_bias"\n[train]\nepochs = 1.5\n', "train.epochs", "an integer"),
    ("[lesson]\n[view]\ngrid_points = 5\n", "view.grid_points", "between 11 and 201"),
]


@pytest.mark.parametrize(("text", "key", "rule"), BAD, ids=[k for _, k, _ in BAD])
def test_bad_values_raise_one_line_naming_file_key_and_rule(tmp_path, text, key, rule):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_followup(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert key in message and rule in message


def test_a_bad_override_names_the_set_option():
    with pytest.raises(ConfigError, match=r"^--set: train\.lr = -1\.0 must be > 0$"):
        load_followup("lessons/slope_and_bias.toml", ["train.lr=-1.0"])


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_every_lesson_file_loads_and_is_a_followup(path):
    assert is_followup(path)
    cfg = load_followup(path)
    assert cfg.lesson.kind in ("slope_bias", "batch_modes", "learning_rates")
    assert cfg.lesson.title


def test_the_first_lesson_file_is_not_a_followup(tmp_path):
    assert not is_followup("lesson.toml")
    assert not is_followup(tmp_path / "missing.toml")


# 7. divergence -------------------------------------------------------------------------------


def test_the_too_large_lr_diverges_and_the_trace_holds_no_nan():
    t = trace_of("learning_rates")
    by_lr = {r.lr: r for r in t.runs}
    assert sorted(by_lr) == [0.0001, 0.001, 0.01, 0.1, 0.3]
    fast = by_lr[0.3]
    assert fast.diverged_at is not None and len(fast.steps) == fast.diverged_at
    assert fast.loss_full[-1] > 1e6 * fast.loss_full[0]  # it really blew up
    assert all(r.diverged_at is None for lr, r in by_lr.items() if lr != 0.3)
    for run in t.runs:
        for s in run.steps:
            values = (s.w, s.b, s.loss, s.grad_w, s.grad_b, s.w_next, s.b_next)
            assert all(math.isfinite(v) for v in (*values, s.loss_full, s.loss_val))
            assert max(abs(s.w_next), abs(s.b_next)) <= W_BOUND
    text = t.to_json()  # allow_nan=False: raises on NaN or inf anywhere in the trace
    assert "NaN" not in text and "Infinity" not in text
    surface = np.array(t.surface.loss)
    assert np.all(np.isfinite(surface))


# 8. round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_trace_round_trips_through_json(name):
    t = trace_of(name)
    text = t.to_json()
    back = FollowUpTrace.from_json(text)
    assert back == t
    assert back.to_json() == text
    d = json.loads(text)
    assert d["kind"] == "followup" and d["versions"]["torch"] == torch.__version__
    assert d["step_fields"][-1] == "rows"


# values are echoed as written; a comparison a lesson does not run is not checked ------------


def test_bad_lrs_are_echoed_as_the_list_the_file_holds(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[lesson]\nkind = "learning_rates"\n[compare]\nlrs = [0.1, -0.01]\n')
    with pytest.raises(ConfigError) as info:
        load_followup(path)
    assert "compare.lrs = [0.1, -0.01] must be > 0" in str(info.value)


def test_a_slope_bias_lesson_on_five_points_loads(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text('[lesson]\nkind = "slope_bias"\n[data]\nx_start = 0.0\nx_stop = 0.5\n')
    assert load_followup(path).n_points == 5
