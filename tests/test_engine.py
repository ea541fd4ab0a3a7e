"""The engine against independent references: the hand-worked table and the analytic gradient."""

import json
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_engine import LessonConfig, Trace, load_config, train
from gd_engine.config import DataConfig, TrainConfig
from gd_engine.runs import W_BOUND
from gd_engine.training import make_data

# ../shared/LESSON.md, "Worked by hand for the noise-free data": (w before, loss, dloss/dw).
HAND_TABLE = [
    (-10.0000, 147.0817, -42.0233),
    (-5.7977, 23.4939, -16.7953),
    (-4.1181, 3.7528, -6.7125),
    (-3.4469, 0.5994, -2.6828),
]
HAND_FINAL = (-3.1786, 0.0958)
# 4 decimals as printed, plus float32 rounding of a mean of 60 squares near 147.
TOL = 2e-4


def noise_free() -> LessonConfig:
    return load_config(None, ["data.noise_std=0"])


def test_noise_free_run_matches_the_hand_worked_table():
    t = train(noise_free())
    assert len(t.epochs) == 4
    for e, (w, loss, grad) in zip(t.epochs, HAND_TABLE, strict=True):
        assert e.w == pytest.approx(w, abs=TOL)
        assert e.loss == pytest.approx(loss, abs=TOL)
        assert e.grad == pytest.approx(grad, abs=TOL)
    assert t.final.w == pytest.approx(HAND_FINAL[0], abs=TOL)
    assert t.final.loss == pytest.approx(HAND_FINAL[1], abs=TOL)
    assert t.analysis.mean_x2 == pytest.approx(3.001667, abs=1e-6)
    assert t.analysis.shrink == pytest.approx(0.3997, abs=1e-4)


def test_default_data_are_the_lessons_sixty_points():
    t = train(load_config("lesson.toml"))
    x = np.array(t.data.x)
    assert len(x) == 60
    assert x[0] == pytest.approx(-3.0) and x[-1] == pytest.approx(2.9, abs=1e-5)
    assert np.allclose(t.data.y_true, -3 * x, atol=1e-5)
    noise = (np.array(t.data.y) - np.array(t.data.y_true)) / 0.1
    assert 0.5 < noise.std() < 1.5  # Gaussian noise of scale noise_std, not zero
    assert t.epochs[0].w == -10.0 and t.config.train.lr == 0.1


def test_each_step_is_w_minus_lr_times_grad_and_loss_falls():
    t = train(load_config("lesson.toml"))
    for e in t.epochs:
        assert e.w_next == pytest.approx(e.w - 0.1 * e.grad, rel=1e-6)
    for a, b in zip(t.epochs, t.epochs[1:], strict=False):
        assert b.w == a.w_next and b.loss < a.loss
    # the error shrinks by the analytic factor each step
    a = t.analysis
    for e in t.epochs:
        assert (e.w_next - a.w_star) == pytest.approx(a.shrink * (e.w - a.w_star), rel=1e-4)


def test_cost_curve_is_the_same_criterion_on_the_same_data_and_covers_the_path():
    t = train(load_config("lesson.toml"))
    x, y = np.array(t.data.x), np.array(t.data.y)
    ws, losses = np.array(t.cost_curve.w), np.array(t.cost_curve.loss)
    expected = ((ws[None, :] * x[:, None] - y[:, None]) ** 2).mean(axis=0)
    assert np.allclose(losses, expected, rtol=1e-5)
    assert ws.min() < min(t.w_path) and ws.max() > t.analysis.w_star
    assert ws[np.argmin(losses)] == pytest.approx(t.analysis.w_star, abs=ws[1] - ws[0])


finite = dict(allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(
    slope=st.floats(-10, 10, **finite),
    noise=st.floats(0, 2, **finite),
    seed=st.integers(0, 2**32),
    w0=st.floats(-20, 20, **finite),
    lr=st.floats(0.001, 0.3, **finite),
    step=st.sampled_from([0.05, 0.1, 0.25, 0.5]),
)
def test_autograd_gradient_equals_the_analytic_one(slope, noise, seed, w0, lr, step):
    cfg = LessonConfig(
        data=DataConfig(x_step=step, slope=slope, noise_std=noise, seed=seed),
        train=TrainConfig(w0=w0, lr=lr, epochs=3),
    )
    t = train(cfg)
    x = np.array(t.data.x, dtype=np.float64)
    y = np.array(t.data.y, dtype=np.float64)
    for e in t.epochs:
        analytic = 2 * np.mean(x * (e.w * x - y))
        # float32 rounding is relative to the size of the terms, not of their sum
        scale = 2 * np.mean(np.abs(x) * (np.abs(e.w * x) + np.abs(y))) + 1e-12
        assert abs(e.grad - analytic) <= 1e-5 * scale
        assert e.loss == pytest.approx(np.mean((e.w * x - y) ** 2), rel=1e-5, abs=1e-6)


def test_same_config_gives_identical_json_bytes_and_round_trips():
    cfg = load_config("lesson.toml")
    a, b = train(cfg), train(cfg)
    assert a.to_json() == b.to_json()
    back = Trace.from_json(a.to_json())
    assert back == a
    assert back.to_json() == a.to_json()
    d = json.loads(a.to_json())
    assert set(d) >= {"config", "data", "epochs", "final", "cost_curve", "versions", "hash"}
    assert d["versions"]["torch"] == torch.__version__
    assert d["epochs"][0] == {
        "epoch": 0,
        "w": -10.0,
        "loss": a.epochs[0].loss,
        "grad": a.epochs[0].grad,
        "w_next": a.epochs[0].w_next,
    }


def test_a_different_seed_gives_different_noise_and_hash():
    a = train(load_config(None, ["data.seed=1"]))
    b = train(load_config(None, ["data.seed=2"]))
    assert a.data.x == b.data.x and a.data.y != b.data.y
    assert a.hash != b.hash


def test_noise_comes_from_the_explicit_generator_not_global_state():
    cfg = load_config(None)
    torch.manual_seed(0)
    _, _, y1 = make_data(cfg)
    torch.manual_seed(12345)
    torch.randn(100)
    _, _, y2 = make_data(cfg)
    assert torch.equal(y1, y2)


def test_divergent_lr_stops_at_the_bound_and_never_holds_nan():
    t = train(load_config(None, ["train.lr=5", "train.epochs=200"]))
    assert t.diverged_at is not None and len(t.epochs) == t.diverged_at
    values = [v for e in t.epochs for v in (e.w, e.loss, e.grad, e.w_next)]
    assert all(math.isfinite(v) for v in values) and abs(t.final.w) <= W_BOUND
    assert "NaN" not in t.to_json() and "Infinity" not in t.to_json()
