"""Learning-rate regimes: presets from the data, the regime report, divergence handled,
robust input handling and deterministic output."""

import hashlib
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import running
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manim import Group, ValueTracker, tempconfig

from gd_engine import load_config, train
from gd_engine.regimes import PRESETS, bounds, factor, regime
from gdlesson.cli import main
from scenes.storyboard import regimes_seconds

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("data", [[], ["data.x_start=-1.0", "data.x_stop=1.0", "data.x_step=0.05"]])
def test_presets_derive_lr_from_the_data_and_land_in_their_regime(data):
    expected = {
        "slow": "smooth",
        "smooth": "smooth",
        "oscillating": "oscillating",
        "divergent": "divergent",
    }
    for name in PRESETS:
        t = train(load_config("lesson.toml", [*data, f"train.preset={name}", "train.epochs=6"]))
        x = np.array(t.data.x, dtype=np.float64)
        m = np.mean(x**2)
        assert t.config.train.lr == pytest.approx(PRESETS[name] / m, rel=1e-9)
        assert t.analysis.regime == expected[name]
        err = [abs(w - t.analysis.w_star) for w in t.w_path]
        signs = [np.sign(w - t.analysis.w_star) for w in t.w_path]
        if name == "oscillating":
            assert all(a != b for a, b in zip(signs, signs[1:]))  # zig-zag
            assert err[-1] < err[0]
        if name == "divergent":
            assert all(b > a for a, b in zip(err, err[1:]))  # climbs out of the bowl
        if name in ("slow", "smooth"):
            assert len(set(signs)) == 1 and err[-1] < err[0]


def test_regime_bounds_are_the_lessons():
    lo, hi = bounds(3.001667)
    assert lo == pytest.approx(0.1666, abs=1e-4) and hi == pytest.approx(0.3331, abs=1e-4)
    assert factor(0.1, 3.001667) == pytest.approx(0.3997, abs=1e-4)
    assert regime(0.1, 3.0) == "smooth" and regime(0.25, 3.0) == "oscillating"
    assert regime(0.4, 3.0) == "divergent" and regime(1 / 6, 3.0) == "one step"


def test_trace_reports_regime_bounds_and_factor():
    r = CliRunner().invoke(main, ["trace", "--preset", "oscillating"])
    assert r.exit_code == 0
    assert "oscillating; minimum w* = -3.0010" in r.output
    assert "= -0.6000 per step" in r.output
    assert "oscillate above lr = 0.1666 and diverge above lr = 0.3331" in r.output


def test_a_huge_lr_stops_at_the_bound_with_finite_numbers():
    t = train(load_config("lesson.toml", ["train.lr=1", "train.epochs=50"]))
    assert t.diverged_at == 15 and len(t.epochs) == 15
    assert all(math.isfinite(v) for e in t.epochs for v in (e.w, e.loss, e.grad))
    r = CliRunner().invoke(main, ["trace", "--set", "train.lr=1", "--set", "train.epochs=50"])
    assert r.exit_code == 0 and "diverged at epoch 15" in r.output


# -- every likely edit renders a last frame with nothing broken -------------------------
EDITS = [
    [],
    ["train.lr=0.001"],
    ["train.lr=0.25"],
    ["train.lr=1.0"],
    ["train.epochs=1"],
    ["train.epochs=50"],
    ["train.w0=-20.0"],
    ["train.w0=20.0"],
    ["data.noise_std=0"],
    ["data.noise_std=2.0"],
    ["train.lr=1.0", "train.epochs=50"],
    *([f"train.preset={p}"] for p in PRESETS),
]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: ",".join(e) or "defaults")
def test_last_frame_of_the_lesson_is_whole_for_every_likely_edit(monkeypatch, edit):
    from scenes.lesson import AllTogether

    monkeypatch.setenv("GDLESSON_SET", ";".join(edit))
    with tempconfig({"pixel_width": 480, "pixel_height": 270, "frame_rate": 15, "dry_run": True}):
        scene = AllTogether(skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = scene.renderer.get_frame()
    assert scene.overruns == {}
    for mob in scene.mobjects:
        for sub in mob.get_family():
            if isinstance(sub, ValueTracker):  # holds a number, draws nothing
                continue
            pts = sub.points
            if len(pts):
                assert np.isfinite(pts).all(), type(sub).__name__
                assert (np.abs(pts[:, 0]) <= 7.12).all() and (np.abs(pts[:, 1]) <= 4.0).all(), (
                    f"{type(sub).__name__} leaves the frame"
                )
            assert "nan" not in getattr(sub, "text", "").lower()
            assert "inf" not in getattr(sub, "text", "").lower()
    assert frame[..., :3].std() > 5  # something is drawn
    t = scene.trace
    divergent = t.analysis.regime == "divergent" or t.diverged_at is not None
    assert (scene.cost.verdict() is not None) == divergent


def test_the_comparison_scene_plays_all_four_regimes():
    from scenes.regimes import Regimes

    with tempconfig({"pixel_width": 480, "pixel_height": 270, "frame_rate": 15, "dry_run": True}):
        scene = Regimes(skip_animations=True)
        scene.render()
    # as long as the build plans it, to the frame (4 epochs: the runs take 8)
    assert scene.frame == round(regimes_seconds(4, fps=15) * 15) == (15 + 6 + 8 * 15 + 9 + 30)
    assert list(scene.traces) == list(PRESETS)
    assert [t.analysis.regime for t in scene.traces.values()] == [
        "smooth",
        "smooth",
        "oscillating",
        "divergent",
    ]
    for mob in scene.mobjects:
        for sub in mob.get_family():
            if len(sub.points) and not isinstance(sub, ValueTracker):
                assert np.isfinite(sub.points).all()
                assert (np.abs(sub.points[:, :2]) <= [7.12, 4.0]).all()


REGIME_EDITS = [[], ["train.w0=20.0"], ["train.epochs=50"], ["data.noise_std=2.0"]]


def boxes_apart(a, b, gap: float = 0.0) -> bool:
    """Two drawn boxes ([[left, bottom], [right, top]]) at least ``gap`` apart."""
    return (
        a[1][0] + gap <= b[0][0]
        or b[1][0] + gap <= a[0][0]
        or a[1][1] + gap <= b[0][1]
        or b[1][1] + gap <= a[0][1]
    )


@pytest.mark.parametrize("edit", REGIME_EDITS, ids=lambda e: ",".join(e) or "defaults")
def test_the_comparison_scene_stays_in_the_safe_area_and_nothing_touches(monkeypatch, edit):
    """What the tester saw at 1080p: nothing within 5% of the frame's edges, the legend clear
    of the loss plot's title, "diverging" and the off-plot dot clear of the path, the axes
    and the ticks, a lower-case w that reads as one, and, with the tick labels at the
    lecture hall's size, no two texts of a plot touching."""
    from frames import SMALL, frame_of

    from scenes import panels
    from scenes.regimes import (
        SAFE_X,
        SAFE_Y,
        STACKED_TICK_GAP,
        Regimes,
        drawn_box,
        plot_area,
        split_tick_labels,
    )

    monkeypatch.setenv("GDLESSON_SET", ";".join(edit))
    with tempconfig(SMALL):
        scene = Regimes(skip_animations=True)
        scene.render()
        frame = frame_of(scene)
    on_screen = Group(*scene.mobjects)
    (left, bottom), (right, top) = drawn_box(on_screen)
    assert -SAFE_X <= left and right <= SAFE_X and -SAFE_Y <= bottom and top <= SAFE_Y
    # the same in pixels, as a viewer measures it: 5% of 854 x 480 is 42.7 and 24 px
    drawn = np.argwhere(np.abs(frame.astype(int) - frame[0, 0]).max(axis=2) > 8)
    (y0, x0), (y1, x1) = drawn.min(axis=0), drawn.max(axis=0)
    height, width = frame.shape[:2]
    assert x0 >= 0.05 * width and x1 <= 0.95 * width - 1, (x0, x1)
    assert y0 >= 0.05 * height and y1 <= 0.95 * height - 1, (y0, y1)

    loss = scene.loss
    assert boxes_apart(drawn_box(scene.legend), drawn_box(loss.y_title), gap=0.15)
    assert boxes_apart(drawn_box(scene.title), drawn_box(scene.legend), gap=0.15)
    cells = list(scene.panels.values())
    for i, cell in enumerate(cells):
        assert boxes_apart(drawn_box(cell), drawn_box(loss), gap=0.2), cell.name
        for other in cells[i + 1 :]:
            assert boxes_apart(drawn_box(cell), drawn_box(other), gap=0.2), (cell.name, other.name)

    for name, cell in scene.panels.items():
        cost = cell.cost
        (lo, hi), ticks = plot_area(cost), drawn_box(cost.tick_labels)
        # w: lower case, on the tick labels' line and shorter than their digits
        assert cost.x_title.text == "w"
        digits = [t for t in cost.tick_labels if t.text.lstrip("\u2212").isdigit()]
        assert cost.x_title.height < 0.85 * min(t.height for t in digits)
        assert cost.x_title.get_bottom()[1] == pytest.approx(ticks[0][1], abs=0.02)
        # what became of the run: below the plot and its tick labels, never over the path
        if len(cell.verdict):
            assert drawn_box(cell.verdict)[1][1] < ticks[0][1]
            for segment in scene.paths[name]:
                assert boxes_apart(drawn_box(cell.verdict), drawn_box(segment))
        # the dot clear of every tick label; held where its path left the plot, inside the
        # plot area and clear of the axes
        box = drawn_box(scene.dots[name])
        if not cost.on_plot(*cost.iterate(len(cell.trace.epochs))):
            assert (box[0] > lo[:2]).all() and (box[1] < hi[:2]).all(), name
        for label in cost.tick_labels:
            assert boxes_apart(box, drawn_box(label)), (name, label.text)
    divergent = scene.panels["divergent"]
    assert divergent.verdict[0].text == "diverging"

    # a small panel's y labels are the ticks of its own y step (Panel's y_step, fitted to
    # the height), less the one at the corner if it met an x label: none thinned after the
    # fact (every second one of 0, 50, 100, 150 read "50, 150"), and stacked apart
    for name, cell in scene.panels.items():
        cost = cell.cost
        y_step = cost.axes.y_range[2]
        values = [panels.fmt_tick(v, y_step) for v in panels.ticks(*cost.y_range, y_step)]
        y_labels = split_tick_labels(cost)[1]
        assert [t.text for t in y_labels] in (values, values[1:]), name
        assert len(y_labels) >= 2, name
        for a, b in zip(y_labels, y_labels[1:]):
            gap = drawn_box(b)[0][1] - drawn_box(a)[1][1]
            assert gap >= STACKED_TICK_GAP - 0.02, (name, a.text, b.text)

    # the tick labels at theme.tick_size, none shrunk to fit (1.5 times the first layout's,
    # for a lecture hall), and no text of a plot touching another: the name and lr lines,
    # each tick label, the axis' titles and the verdict's lines (each of these a paragraph)
    tick_labels = [t for cell in cells for t in cell.cost.tick_labels] + list(loss.tick_labels)
    assert min(t.font_size for t in tick_labels) >= scene.theme.tick_size - 1e-6
    plots = []
    for cell in cells:
        verdict = [cell.verdict] if len(cell.verdict) else []
        plots.append([cell.head, cell.cost.x_title, *cell.cost.tick_labels, *verdict])
    plots.append([loss.x_title, loss.y_title, *loss.tick_labels])
    for texts in plots:
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert boxes_apart(drawn_box(a), drawn_box(b), gap=0.1), (
                    getattr(a, "text", a),
                    getattr(b, "text", b),
                )


def test_a_panel_takes_its_y_step_and_keeps_its_labels_at_tick_size_when_asked():
    """Panel's axis options: ``y_step`` (None: about four ticks, as always) and
    ``max_y_label_width`` (by default a wider y label shrinks to 0.75; None: never)."""
    from scenes.panels import MAX_TICK_LABEL_WIDTH, Panel, nice_step
    from scenes.theme import THEMES

    th = THEMES["dark"]

    def y_labels(panel):
        bottom = panel.axes.c2p(panel.x_range[0], panel.y_range[0])[1]
        return [t for t in panel.tick_labels if t.get_top()[1] >= bottom]

    auto = Panel(th, (0, 10), (0, 3200), "x", "y")
    assert auto.axes.y_range[2] == nice_step(3200, target=4) == 1000
    assert [t.text for t in y_labels(auto)] == ["0", "1000", "2000", "3000"]
    wide = [t for t in y_labels(auto) if len(t.text) == 4]
    assert all(t.width == pytest.approx(MAX_TICK_LABEL_WIDTH) for t in wide)
    assert all(t.font_size < th.tick_size for t in wide)  # shrunk, as the lesson's panels are

    stepped = Panel(th, (0, 10), (0, 3200), "x", "y", y_step=1500, max_y_label_width=None)
    assert stepped.axes.y_range[2] == 1500
    assert [t.text for t in y_labels(stepped)] == ["0", "1500", "3000"]
    for label in y_labels(stepped):
        assert label.font_size == pytest.approx(th.tick_size)
        tick = stepped.axes.c2p(0, float(label.text))
        assert label.get_right()[0] == pytest.approx(tick[0] - 0.1)  # still ends at its tick
        assert label.get_y() == pytest.approx(tick[1])

    decades = Panel(th, (0, 10), (-4.0, 4.0), "x", "y", log_y=True, y_step=4)  # in decades
    assert [t.text for t in y_labels(decades)] == ["10\u207b\u2074", "1", "10\u2074"]


# -- robustness: hypothesis feeds configs through the real CLI ----------------------------
VALID = {
    "data.x_step": st.sampled_from([0.05, 0.1, 0.5]),
    "data.noise_std": st.floats(0, 5, allow_nan=False),
    "data.seed": st.integers(0, 2**40),
    "train.w0": st.floats(-50, 50, allow_nan=False),
    "train.lr": st.floats(1e-4, 3, allow_nan=False).filter(lambda v: v > 0),
    "train.epochs": st.integers(1, 60),
    "train.preset": st.sampled_from(["", *PRESETS]),
}
INVALID = {
    "data.x_step": st.sampled_from(["0", "-0.1", "nan", "'a'", "true", "7.0"]),
    "data.noise_std": st.sampled_from(["-1.0", "inf", "[1]"]),
    "train.lr": st.sampled_from(["0", "-0.5", "nan", "-inf", "'fast'", "{a=1}"]),
    "train.epochs": st.sampled_from(["0", "1001", "2.5", "-3", "'4'"]),
    "train.preset": st.sampled_from(["'fast'", "1"]),
    "train.lrate": st.just("0.1"),
    "data": st.just("1"),
}


def toml_value(v):
    if isinstance(v, str):
        return f'"{v}"'
    return repr(v)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    valid=st.fixed_dictionaries({}, optional=VALID),
    invalid=st.one_of(
        st.none(),
        st.sampled_from(sorted(INVALID)).flatmap(lambda k: st.tuples(st.just(k), INVALID[k])),
    ),
)
def test_any_config_gives_a_trace_or_one_clear_line(tmp_path_factory, valid, invalid):
    tables: dict[str, list[str]] = {"data": [], "train": []}
    for key, value in valid.items():
        table, name = key.split(".")
        tables[table].append(f"{name} = {toml_value(value)}")
    top = []
    if invalid:
        key, text = invalid
        if "." in key:
            table, name = key.split(".")
            tables[table] = [s for s in tables[table] if not s.startswith(f"{name} =")]
            tables[table].append(f"{name} = {text}")
        else:
            top.append(f"{key} = {text}")
            tables.pop(key, None)
    body = (
        "\n".join(top)
        + "\n"
        + "\n".join(f"[{t}]\n" + "\n".join(lines) for t, lines in tables.items())
    )
    path = tmp_path_factory.mktemp("cfg") / "lesson.toml"
    path.write_text(body)
    out = path.with_name("trace.json")
    r = CliRunner().invoke(main, ["trace", "--config", str(path), "--json", str(out)])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    if invalid is None:
        assert r.exit_code == 0, r.output
        assert out.exists() and "NaN" not in out.read_text()
    else:
        assert r.exit_code == 2, (body, r.output)
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"gdlesson: {path}"), r.output
        assert not out.exists()


# -- determinism ---------------------------------------------------------------------------
def frame_hashes(video: Path) -> list[str]:
    out = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(video),
            "-vf",
            "select='not(mod(n,10))'",
            "-vsync",
            "vfr",
            "-f",
            "framemd5",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split(",")[-1].strip() for line in out.splitlines() if not line.startswith("#")]


@pytest.mark.slow
def test_two_renders_of_a_beat_give_identical_frames_and_trace(tmp_path):
    videos = []
    for run in ("a", "b"):
        media = tmp_path / run
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "manim",
                "-ql",
                "--disable_caching",
                "--media_dir",
                str(media),
                "scenes/lesson.py",
                "ModelAndCost",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert r.returncode == 0, r.stderr[-1500:]
        videos.append(next(media.rglob("ModelAndCost.mp4")))
        traced = running.gdlesson("trace", "--json", tmp_path / f"{run}.json")
        assert traced.returncode == 0, traced.stderr
    a, b = (frame_hashes(v) for v in videos)
    assert len(a) > 5 and a == b
    digest = [hashlib.sha256((tmp_path / f"{r}.json").read_bytes()).hexdigest() for r in "ab"]
    assert digest[0] == digest[1]
