"""The (w, b) lessons' code on screen is the code that ran: each run's listing, run as text,
reproduces the engine's trace bit for bit, and the code scenes show that listing and count
their readouts to the trace's values. (The scenes are built here, not played: their clips
are checked in the shared course build, tests/test_course.py.)"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from frames import SMALL
from manim import config, tempconfig

from lessons.two_parameters.config import load_followup
from lessons.two_parameters.listing import BLOCKS, listing
from lessons.two_parameters.timing import CODE_PLANS, code_plan, planned_seconds
from lessons.two_parameters.trace import best_run
from lessons.two_parameters.training import train
from lessons.two_parameters.two_parameters_scenes import (
    MIN_CODE_SIZE,
    BatchModesCode,
    LearningRatesCode,
    SlopeBiasCode,
)
from scenes.code import code_blocks

LESSONS = ("slope_and_bias", "batch_modes", "learning_rates")
SCENES = {"slope_and_bias": SlopeBiasCode, "batch_modes": BatchModesCode}
SCENES["learning_rates"] = LearningRatesCode


@pytest.fixture(scope="module", params=LESSONS)
def lesson(request):
    cfg = load_followup(Path("lessons") / f"{request.param}.toml", [])
    return request.param, cfg, train(cfg)


def run_listing(code: str) -> tuple[list, list]:
    """The listing run as text with two hooks: after each update (w, b, the batch's loss,
    both gradients as backward() left them) and after each epoch's losses."""
    pad = "        " if "rows = " in code else "    "
    code = code.replace(
        f"{pad}w.grad.data.zero_()\n",
        f"{pad}steps.append((w.item(), b.item(), loss.item(), w.grad.item(), b.grad.item()))\n"
        f"{pad}w.grad.data.zero_()\n",
    )
    code = code.replace(
        "        val_loss = cost(w * x + b, y_val)\n",
        "        val_loss = cost(w * x + b, y_val)\n"
        "        epochs.append((train_loss.item(), val_loss.item()))\n",
    )
    scope = {"steps": [], "epochs": []}
    exec(compile(code, "listing", "exec"), scope)
    return scope["steps"], scope["epochs"]


def test_every_runs_listing_reproduces_its_trace_bit_for_bit(lesson):
    name, cfg, trace = lesson
    for run_cfg, run in zip(cfg.runs(), trace.runs, strict=True):
        steps, epochs = run_listing(listing(cfg, run_cfg))
        shown = [(s.w_next, s.b_next, s.loss, s.grad_w, s.grad_b) for s in run.steps]
        assert len(steps) == run_cfg.epochs * run.batches  # the loop ran every iteration
        assert steps[: len(shown)] == shown, (name, run.mode, run.lr)
        if name == "learning_rates":
            ends = run.epoch_ends()[1:]
            if run.diverged_at is None:
                assert epochs == [(run.loss_full[e], run.loss_val[e]) for e in ends]
            else:  # beyond the bound the trace stops; the listing runs on into inf and nan
                assert not all(math.isfinite(v) for v in epochs[-1])


def test_a_listing_says_its_runs_batches_and_learning_rate():
    cfg = load_followup("lessons/batch_modes.toml", [])
    full, one, five, _ = (listing(cfg, r) for r in cfg.runs())
    assert "rows" not in full and "randperm" not in full  # all the data, in order
    assert "    for i in range(0, 60, 1):" in one and "order[i:i + 1]" in one
    assert "    for i in range(0, 60, 5):" in five
    assert "w.data = w.data - 0.1 * w.grad.data" in five
    lrs = load_followup("lessons/learning_rates.toml", [])
    code = listing(lrs, lrs.runs()[0])
    assert "y[torch.randperm(60, generator=g)[:4]] = 20.0" in code
    assert "val_loss = cost(w * x + b, y_val)" in code


@pytest.fixture
def code_scene(lesson, monkeypatch):
    """The lesson's code scene, set up (trace, theme, narration) but not played."""
    name, _, trace = lesson
    monkeypatch.setenv("GDLESSON_CONFIG", f"lessons/{name}.toml")
    monkeypatch.setenv("GDLESSON_SET", "")
    monkeypatch.setenv("GDLESSON_THEME", "dark")
    with tempconfig(SMALL):
        scene = SCENES[name]()
        scene.setup()
        yield scene


def test_the_code_scene_shows_each_runs_training_code_readable_and_in_the_safe_area(code_scene):
    scene, cfg = code_scene, code_scene.trace.config
    runs = sorted({move.run for move in code_plan(scene.trace, type(scene).__name__)})
    for i in runs:
        scene.build_code(i)
        code = code_blocks(listing(cfg, cfg.runs()[i]), BLOCKS)
        assert scene.listing.lines[-len(code["training"]) :] == code["training"]
        assert scene.listing.drawn_size() >= MIN_CODE_SIZE - 1e-6
        x, y = 0.45 * config.frame_width, 0.45 * config.frame_height  # the outer 5% is empty
        for mob in [scene.listing, scene.side, *scene.values.values()]:
            assert -x <= mob.get_left()[0] and mob.get_right()[0] <= x
            assert -y <= mob.get_bottom()[1] and mob.get_top()[1] <= y


def test_the_code_scenes_readouts_count_to_the_traces_values(code_scene):
    scene = code_scene
    name = type(scene).__name__
    plan = code_plan(scene.trace, name)
    walked, fast, closed = CODE_PLANS[name]
    for i in sorted({m.run for m in plan}):
        run = scene.trace.runs[i]
        moves = [m for m in plan if m.run == i]
        lines = {m.line for m in moves if m.kind == "line"}
        assert "loss.backward()" in lines and ("rows = " in lines) == (run.batches > 1)
        # the last line walked leaves the values of the last step walked
        s = run.steps[walked - 1]
        seen = {}
        for m in moves:
            if m.kind == "line":
                seen.update(scene.changes(m))
        assert seen["w"] == s.w_next and seen["b"] == s.b_next and seen["loss"] == s.loss
        assert seen["w.grad"] == 0.0 == seen["b.grad"]  # zeroed at the loop's end
        closes = [scene.changes(m) for m in moves if m.kind == "close"]
        ends = [e - 1 for e in run.epoch_ends()[1 : closed + 1]]
        assert [c.get("train_loss") for c in closes[0::2]] == [run.steps[e].loss_full for e in ends]
        assert [c.get("val_loss") for c in closes[1::2]] == [run.steps[e].loss_val for e in ends]
    if name == "LearningRatesCode":
        assert {m.run for m in plan} == {best_run(scene.trace)}


def test_each_lesson_is_at_least_a_minute_long(lesson):
    """The issue's ask: each (w, b) lesson is at least a minute of lesson, its scenes' plan."""
    from gdlesson.registry import lessons
    from scenes.narration import spoken_seconds

    name, cfg, trace = lesson
    kind = cfg.lesson.kind
    registered = lessons()[kind]
    narration = registered.narration(Path("lessons") / f"{name}.toml")
    total = sum(
        planned_seconds(trace, scene, spoken_seconds(narration[scene]))
        for scene in registered.scenes
    )
    assert total >= 60.0, (name, total)
