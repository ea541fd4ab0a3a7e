"""The slide figures: what a viewer checks, read back from the figures and the files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import same_color, to_rgb
from matplotlib.text import Text
from PIL import Image

from gd_engine import load_config, train
from scenes import figures
from scenes.figures import (
    FIGURE_PIXELS,
    cost_figure,
    fit_figure,
    format_value,
    loss_figure,
    write_figures,
)
from scenes.theme import THEMES

DARK = THEMES["dark"]
DIVERGENT = ["train.lr=1.0", "train.epochs=20"]
NOT_A_NUMBER = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def trace():
    return train(load_config("lesson.toml"))


@pytest.fixture(scope="module")
def divergent():
    return train(load_config("lesson.toml", DIVERGENT))


def artist(fig, gid: str):
    """The one artist of the figure's axes named ``gid`` (None if it is not drawn)."""
    found = [a for a in fig.axes[0].get_children() if a.get_gid() == gid]
    assert len(found) <= 1, f"{len(found)} artists named {gid!r}"
    return found[0] if found else None


def slope(line) -> float:
    (xa, xb), (ya, yb) = line.get_xdata(), line.get_ydata()
    return (yb - ya) / (xb - xa)


def expected_names(n: int) -> list[str]:
    names = []
    for k in range(n + 1):
        for stem in (f"cost_epoch{k:02d}", f"fit_epoch{k:02d}"):
            names += [f"{stem}.png", f"{stem}.svg"]
    return names + ["loss_per_iteration.png", "loss_per_iteration.svg"]


@pytest.fixture(scope="module")
def written(trace, tmp_path_factory) -> dict[str, tuple[Path, list[Path]]]:
    """write_figures of the default trace in each theme: its directory and its answer."""
    out = {}
    for name, theme in THEMES.items():
        out_dir = tmp_path_factory.mktemp(name)
        out[name] = out_dir, write_figures(trace, theme, out_dir)
    return out


@pytest.mark.parametrize("name", sorted(THEMES))
def test_write_figures_writes_slide_sized_pngs_and_svgs(trace, written, name):
    theme = THEMES[name]
    out_dir, paths = written[name]
    n = len(trace.epochs)
    assert n == 4
    assert len(paths) == 2 * (n + 1) * 2 + 2 == 22
    assert [p.name for p in paths] == expected_names(n)
    assert all(p.parent == out_dir for p in paths)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(expected_names(n))  # no temps
    background = tuple(round(255 * c) for c in to_rgb(theme.background))
    for path in paths:
        assert path.stat().st_size > 0, path
        if path.suffix == ".png":
            with Image.open(path) as im:
                assert im.size == FIGURE_PIXELS == (1500, 844)
                assert im.convert("RGB").getpixel((3, 3)) == background
        else:
            text = path.read_text(encoding="utf-8")
            assert text.startswith("<?xml") and text.rstrip().endswith("</svg>")


def test_cost_figure_dot_and_tangent_are_the_trace(trace):
    n = len(trace.epochs)
    losses = trace.loss_history + [trace.final.loss]
    for k, (w, loss) in enumerate(zip(trace.w_path, losses)):
        fig = cost_figure(trace, DARK, k)
        dot = artist(fig, "iterate")
        assert list(dot.get_xdata()) == pytest.approx([w])
        assert list(dot.get_ydata()) == pytest.approx([loss])
        assert same_color(dot.get_color(), DARK.fitted)  # the current iterate (theme.py)
        tangent = artist(fig, "tangent")
        if k < n:
            assert slope(tangent) == pytest.approx(trace.epochs[k].grad, rel=1e-9)
            assert same_color(tangent.get_color(), DARK.tangent)
            x0, x1 = fig.axes[0].get_xlim()
            y0, y1 = fig.axes[0].get_ylim()
            for x, y in zip(tangent.get_xdata(), tangent.get_ydata()):
                assert x0 <= x <= x1 and y0 <= y <= y1 * (1 + 1e-12)
        else:
            assert tangent is None  # no gradient after the last update
        assert fig.axes[0].get_title() == (
            f"epoch {k}: w = {format_value(w)}, loss = {format_value(loss)}"
        )
        assert artist(fig, "off the plot") is None


def test_cost_figure_axes_span_the_cost_curve(trace):
    ax = cost_figure(trace, DARK, 0).axes[0]
    curve = trace.cost_curve
    assert ax.get_xlim() == pytest.approx((curve.w[0], curve.w[-1]))
    assert ax.get_ylim() == pytest.approx((0.0, 1.08 * max(curve.loss)))
    assert ax.get_title() == "epoch 0: w = \u221210.0000, loss = 147.0500"


def test_a_divergent_iterate_is_held_at_the_edge_and_says_so(divergent):
    n = len(divergent.epochs)
    fig = cost_figure(divergent, DARK, n)
    ax = fig.axes[0]
    dot = artist(fig, "iterate")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 <= dot.get_xdata()[0] <= x1 and y0 <= dot.get_ydata()[0] <= y1
    assert artist(fig, "off the plot").get_text() == "off the plot"
    assert artist(fig, "tangent") is None
    assert artist(fig, "verdict").get_text() == f"diverged at epoch {divergent.diverged_at}"
    assert "e+" in ax.get_title()  # a loss of 1e20 is shown in scientific notation


def test_fit_figure_line_is_w_times_x(trace):
    data = trace.data
    for k, w in enumerate(trace.w_path):
        fig = fit_figure(trace, DARK, k)
        ax = fig.axes[0]
        fitted = artist(fig, "fitted line")
        assert slope(fitted) == pytest.approx(w, rel=1e-9)
        assert same_color(fitted.get_color(), DARK.fitted)
        reach = 1.25 * max(abs(v) for v in data.y)
        assert ax.get_ylim() == pytest.approx((-reach, reach))
        assert all(-reach * (1 + 1e-12) <= y <= reach * (1 + 1e-12) for y in fitted.get_ydata())
        points = artist(fig, "data")
        assert list(points.get_xdata()) == list(data.x)
        assert list(points.get_ydata()) == list(data.y)
        assert same_color(points.get_color(), DARK.data)
        true_line = artist(fig, "true line")
        assert slope(true_line) == pytest.approx(trace.config.data.slope, rel=1e-6)
        assert true_line.get_linewidth() < fitted.get_linewidth()
        assert ax.get_title() == f"epoch {k}: w = {format_value(w)}"


def test_loss_figure_draws_the_loss_history(trace, divergent):
    for t, scale in ((trace, "linear"), (divergent, "log")):
        ax = loss_figure(t, DARK).axes[0]
        line = artist(ax.figure, "loss")
        assert list(line.get_ydata()) == t.loss_history
        assert list(line.get_xdata()) == list(range(len(t.epochs)))
        assert line.get_linestyle() == "-" and line.get_marker() == "o"
        assert same_color(line.get_color(), DARK.loss)
        assert ax.get_yscale() == scale
        assert ax.get_title() == "Loss per iteration"


def test_svg_and_png_are_byte_identical_across_runs(trace, written, tmp_path):
    _, first = written["dark"]
    second = write_figures(trace, DARK, tmp_path)
    for a, b in zip(first, second):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name


def test_figures_are_styled_by_the_theme(trace):
    for theme in THEMES.values():
        fig = cost_figure(trace, theme, 0)
        ax = fig.axes[0]
        assert same_color(fig.get_facecolor(), theme.background)
        assert same_color(ax.get_facecolor(), theme.background)
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
        assert same_color(ax.title.get_color(), theme.foreground)
        assert ax.title.get_fontfamily() == [theme.font]
        fig.canvas.draw()
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            assert same_color(label.get_color(), theme.muted)
            assert label.get_fontfamily() == [theme.font]


@pytest.mark.parametrize(
    "overrides, epochs",
    [(DIVERGENT, 15), (["train.epochs=1"], 1), (["train.lr=1e12"], 0)],
    ids=["divergent", "one epoch", "diverged at once"],
)
def test_edge_traces_write_without_nan(tmp_path, overrides, epochs, monkeypatch):
    t = train(load_config("lesson.toml", overrides))
    assert len(t.epochs) == epochs
    drawn = []  # the texts of each figure as it is written (tick labels are made then)
    save = figures.figure_bytes

    def keep_texts(fig, fmt, theme):
        data = save(fig, fmt, theme)
        drawn.append((fmt, [a.get_text() for a in fig.findobj(Text)]))
        return data

    monkeypatch.setattr(figures, "figure_bytes", keep_texts)
    paths = write_figures(t, DARK, tmp_path)
    assert [p.name for p in paths] == expected_names(epochs)
    assert all(p.stat().st_size > 0 for p in paths)
    assert [fmt for fmt, _ in drawn] == [p.suffix[1:] for p in paths]
    for _, texts in drawn:
        assert any(texts)
        assert not [s for s in texts if NOT_A_NUMBER.search(s)]


def test_iterate_out_of_range_is_refused(trace):
    with pytest.raises(ValueError, match="epoch 5"):
        cost_figure(trace, DARK, len(trace.epochs) + 1)
    with pytest.raises(ValueError):
        fit_figure(trace, DARK, -1)


def test_figures_load_without_manim_or_pyplot():
    code = (
        "import sys, scenes.figures; "
        "print(sorted(m for m in ('manim', 'matplotlib.pyplot') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the follow-up lessons' contours: drawn from a finer grid of the training's cost ------------
@pytest.fixture(scope="module", params=["slope_and_bias", "learning_rates"])
def followup(request):
    from lessons.two_parameters.config import load_followup
    from lessons.two_parameters.training import train as train_followup

    return train_followup(load_followup(Path("lessons") / f"{request.param}.toml", []))


def followup_mse(trace, w, b) -> np.ndarray:
    """The training's criterion, independently: numpy float64 mean((w*x + b - y)^2)."""
    x, y = np.array(trace.data.x, np.float64), np.array(trace.data.y, np.float64)
    w, b = np.asarray(w, np.float64)[..., None], np.asarray(b, np.float64)[..., None]
    return np.mean((w * x + b - y) ** 2, axis=-1)


def test_the_drawing_grid_is_the_traces_surface_at_its_nodes_and_the_cost_between(followup):
    from scenes.contour import DRAWING_NODES, drawing_surface

    s = followup.surface
    ws, bs, loss = drawing_surface(followup)
    step = (len(ws) - 1) // (len(s.w) - 1)
    assert len(ws) >= DRAWING_NODES and len(bs) >= DRAWING_NODES and step >= 2
    assert loss.shape == (len(bs), len(ws))
    # every step-th node is the trace's own, bit for bit, and so is its value up to the
    # float32 rounding of the trace (a sum of 60 terms: 1e-6 of their size is ~10 epsilons)
    assert np.array_equal(ws[::step], s.w) and np.array_equal(bs[::step], s.b)
    x, y = np.array(followup.data.x), np.array(followup.data.y)
    grid_w, grid_b = np.meshgrid(s.w, s.b)
    terms = np.mean(
        (np.abs(grid_w[..., None] * x) + np.abs(grid_b[..., None]) + np.abs(y)) ** 2, -1
    )
    diff = np.abs(loss[::step, ::step] - np.array(s.loss))
    assert (diff <= 1e-6 * terms).all(), diff.max()
    # between them: the criterion itself, in float64
    grid_w, grid_b = np.meshgrid(ws, bs)
    np.testing.assert_allclose(loss, followup_mse(followup, grid_w, grid_b), rtol=1e-12)


def largest_turn(points: np.ndarray) -> float:
    """The sharpest corner of a polyline, in degrees (0 for a straight line)."""
    d = np.diff(points, axis=0)
    d = d[np.hypot(*d.T) > 0]
    angle = np.arctan2(d[:, 1], d[:, 0])
    return float(np.degrees(np.abs((np.diff(angle) + np.pi) % (2 * np.pi) - np.pi).max()))


def test_the_contour_figure_draws_round_level_lines_of_the_cost(followup):
    from lessons.two_parameters.figures import contour_figure

    fig = contour_figure(followup, DARK)
    ax = fig.axes[0]
    (contours,) = [c for c in ax.collections if hasattr(c, "levels")]
    cell = (followup.surface.w[-1] - followup.surface.w[0]) / 240
    for level, segments in zip(contours.levels, contours.allsegs):
        assert segments, level
        for line in segments:
            values = followup_mse(followup, line[:, 0], line[:, 1])
            np.testing.assert_allclose(values, level, atol=4 * cell**2)
    # the innermost ellipse, as the slide shows it: round, not a polygon (on the trace's
    # 61-node grid it had corners of 75 degrees)
    innermost = ax.transData.transform(contours.allsegs[0][0])
    assert len(innermost) >= 60 and largest_turn(innermost) < 30


def test_the_videos_contour_panel_draws_the_same_round_lines(followup):
    from scenes.contour import ContourPanel

    panel = ContourPanel(followup, DARK, width=5.9, height=5.3)
    innermost = min(panel.contours, key=lambda line: line.level)
    points = np.array(innermost.get_anchors())[:, :2]
    assert len(points) >= 60 and largest_turn(points) < 30
    for line in panel.contours:
        coords = np.array([panel.axes.p2c(p)[:2] for p in line.get_anchors()[::5]])
        values = followup_mse(followup, coords[:, 0], coords[:, 1])
        np.testing.assert_allclose(values, line.level, atol=4 * (panel.ws[1] - panel.ws[0]) ** 2)


def test_figures_made_at_once_in_two_themes_are_what_each_makes_alone(followup):
    """A course build makes its lessons' figures in threads at once, and a figure takes
    its theme's settings from matplotlib's (global) rcParams: each must still come out as
    it does alone. Seen: a dark contour figure with a white legend, made while a light one
    was finished."""
    from concurrent.futures import ThreadPoolExecutor

    from lessons.two_parameters.figures import contour_figure, loss_figure

    def svg(make, theme):
        return figures.figure_bytes(make(followup, THEMES[theme]), "svg", THEMES[theme])

    jobs = [(make, theme) for make in (contour_figure, loss_figure) for theme in THEMES] * 3
    alone = {(make, theme): svg(make, theme) for make, theme in jobs}
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda job: svg(*job), jobs))
    assert [alone[job] == made for job, made in zip(jobs, together)] == [True] * len(jobs)
