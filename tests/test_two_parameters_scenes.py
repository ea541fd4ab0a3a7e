"""The follow-up lessons as the viewer sees them: paths on the contour, lines, losses, frames,
and a low-quality build through the real CLI."""

import math
from pathlib import Path

import numpy as np
import pytest
from frames import SMALL, assert_matches_control, frame_of, undrawn
from manim import DEGREES, BackgroundRectangle, ManimColor, Text, VMobject, config, tempconfig
from matplotlib.path import Path as MplPath
from running import gdlesson

from lessons.two_parameters.two_parameters_scenes import (
    LEAVING_GAP,
    BatchModes,
    LearningRates,
    LeavingPath,
    MonoLine,
    SlopeBias,
    SlopeBiasSurface,
    clip_segments,
    run_name,
    stack,
)
from scenes.panels import Panel, fmt_value
from scenes.race import LossOverTime
from scenes.theme import THEMES

LESSONS = Path("lessons")


def mse(x, y, w, b) -> float:
    """The cost, independently of the engine: numpy, float64."""
    return float(np.mean((w * np.asarray(x) + b - np.asarray(y)) ** 2))


PLAYED = {}  # scenes already played, by what they were played with: tests only read them


@pytest.fixture
def played(monkeypatch):
    """A follow-up scene played to its end without writing a file or drawing a frame
    (``undrawn``): the tests read what it holds and draw its last picture (``frame_of``)."""

    def play(cls, lesson: str, overrides=(), theme="dark"):
        key = (cls, lesson, tuple(overrides), theme)
        if key not in PLAYED:
            monkeypatch.setenv("GDLESSON_CONFIG", str(LESSONS / lesson))
            monkeypatch.setenv("GDLESSON_SET", ";".join(overrides))
            monkeypatch.setenv("GDLESSON_THEME", theme)
            PLAYED[key] = cls()
            PLAYED[key].render()
        return PLAYED[key]

    with tempconfig(SMALL), undrawn():
        yield play


PX = 1080 / 8  # pixels per Manim unit at 1080p


def box_of(mob) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the points ``mob`` draws (in a 2D scene)."""
    points = mob.get_all_points()[:, :2]
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def gap_between(a, b) -> float:
    """How far apart two boxes are (negative when they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def distance_to_box(point, box) -> float:
    dx = max(box[0] - point[0], 0.0, point[0] - box[2])
    dy = max(box[1] - point[1], 0.0, point[1] - box[3])
    return float(math.hypot(dx, dy))


def glyphs(text: Text) -> list[VMobject]:
    return [m for m in text.family_members_with_points() if not isinstance(m, BackgroundRectangle)]


def drawn_font_size(text: Text, theme) -> float:
    """The size ``text`` is drawn at: its glyphs' width against the same words set at the
    theme's tick size (Text.font_size counts a background patch in)."""
    xs = np.concatenate([g.points[:, 0] for g in glyphs(text)])
    reference = Text(text.original_text, font=theme.font, font_size=theme.tick_size)
    return theme.tick_size * float(np.ptp(xs)) / reference.width


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


def test_the_surface_reads_as_a_bowl_with_the_path_in_sight_and_numbered_axes(played):
    scene = played(SlopeBiasSurface, "slope_and_bias.toml")
    camera = scene.renderer.camera
    camera.reset_rotation_matrix()
    # looking down into the bowl, from the side away from the start: the camera's last angle
    assert camera.get_phi() <= 55 * DEGREES
    assert camera.get_theta() == pytest.approx(scene.theta, abs=1e-6)
    start, bottom = scene.run.path[0], (scene.trace.minimum.w, scene.trace.minimum.b)
    toward = scene.camera_direction(camera.get_theta())
    assert np.dot(np.subtract(bottom, start), toward[:2]) > 0
    # every iterate is in sight: the line from it to the camera stays above the surface
    eye = camera.frame_center + toward * camera.get_focal_distance()
    (w0, w1), (b0, b1) = scene.axes.x_range[:2], scene.axes.y_range[:2]
    for k in range(len(scene.run.path)):
        point = scene.point(k)
        for s in np.linspace(0.01, 1, 400):
            w, b, z = scene.axes.point_to_coords(point + s * (eye - point))
            if w0 <= w <= w1 and b0 <= b <= b1:
                assert z > scene.height(w, b), (k, s)
    # numbers on the three axes, and the names, none of them on the surface's picture
    texts = [label.text for label in scene.labels]
    assert {"w", "b", "cost"} <= set(texts)
    assert len(texts) - 3 >= 2 + 2 + 2
    patches = [
        MplPath(camera.transform_points_pre_display(p, p.get_anchors())[:, :2])
        for p in scene.surface
    ]
    cost = next(label for label in scene.labels if label.text == "cost")
    corners = screen_box(camera, cost)
    probes = [(x, y) for x in corners[::2] for y in corners[1::2]]
    assert not any(patch.contains_points(probes).any() for patch in patches)


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


@pytest.mark.parametrize(
    "overrides", [[], ["train.epochs=3", "compare.batch_sizes=[7, 60]", "train.lr=0.05"]]
)
def test_the_inset_magnifies_where_the_paths_end_and_shows_the_same_paths(played, overrides):
    scene = played(BatchModes, "batch_modes.toml", overrides)
    runs, inset, contour = scene.trace.runs, scene.inset, scene.contour
    (w0, w1), (b0, b1) = inset.x_range, inset.y_range
    m = scene.trace.minimum
    low, high = BatchModes.ZOOM_LIMITS
    assert low <= inset.magnification <= high
    # the minimum and every run's end; when they lie too far apart, the minimum
    shown = [(m.w, m.b)] + [r.path[-1] for r in runs if inset.magnification > low]
    for w, b in shown:
        assert w0 < w < w1 and b0 < b < b1
    # one magnification across and up: w and b keep the map's proportions
    scale = [
        (contour.x_range[1] - contour.x_range[0]) / (w1 - w0),
        (contour.y_range[1] - contour.y_range[0]) / (b1 - b0),
    ]
    size = [inset.bounds[2] - inset.bounds[0], inset.bounds[3] - inset.bounds[1]]
    plot = [
        contour.axes.c2p(contour.x_range[1], 0)[0] - contour.axes.c2p(contour.x_range[0], 0)[0],
        contour.axes.c2p(0, contour.y_range[1])[1] - contour.axes.c2p(0, contour.y_range[0])[1],
    ]
    assert scale[0] * size[0] / plot[0] == pytest.approx(scale[1] * size[1] / plot[1], rel=1e-6)
    assert scale[0] * size[0] / plot[0] == pytest.approx(inset.magnification, rel=1e-6)
    # the same paths, cut to the inset: every piece drawn lies on the run's path, inside
    left, bottom, right, top = inset.bounds
    for run, near in zip(runs, scene.near):
        pieces = near.line.points.reshape(-1, 4, 3)[:, [0, 3]]
        steps = np.array([inset.axes.c2p(w, b) for w, b in run.path])
        assert (len(pieces) > 0) == clip_segments(steps[:-1], steps[1:], inset.bounds)[2].any()
        path = np.array(run.path)
        for a, b in pieces:
            for point in (a, b):
                assert left - 1e-6 <= point[0] <= right + 1e-6
                assert bottom - 1e-6 <= point[1] <= top + 1e-6
                assert distance_to_polyline(coords(inset, point), path) < 1e-6
        w, b = run.path[-1]
        if w0 <= w <= w1 and b0 <= b <= b1:  # the head shows where the run ended
            assert coords(inset, near.head.get_center()) == pytest.approx((w, b), abs=1e-6)
            assert near.head.get_fill_opacity() == 1
        else:
            assert near.head.get_fill_opacity() == 0
    # its caption over none of them
    x0, y0, x1, y1 = screen_box(scene.renderer.camera, inset.caption)
    for near in scene.near:
        for point in near.line.points:
            assert not (x0 <= point[0] <= x1 and y0 <= point[1] <= y1)
    # placed where no step of the map's paths passes under it
    for run in runs:
        points = contour.path_points(run.path)
        assert not clip_segments(points[:-1], points[1:], inset.bounds)[2].any()


@pytest.mark.parametrize(
    "overrides", [[], ["train.epochs=3", "compare.batch_sizes=[7, 60]", "train.lr=0.05"]]
)
def test_the_inset_names_the_runs_that_end_in_it_apart_from_each_other(played, overrides):
    """Three runs end on top of each other at the minimum, even at x9 (their dots 2 to 8 px
    apart at 1080p): each gets its name, in its colour, in a column beside the ends, and a
    leader line to its dot; no two names nearer than 8 px at 1080p. The caption is at the
    tick labels' size."""
    scene = played(BatchModes, "batch_modes.toml", overrides)
    inset, th, labels = scene.inset, scene.theme, scene.end_names
    left, bottom, right, top = inset.bounds
    caption = box_of(inset.caption)
    assert drawn_font_size(inset.caption, th) >= th.tick_size - 0.05
    assert left <= caption[0] and caption[2] <= right and caption[3] <= top
    ended = [
        (run, color, near)
        for run, color, near in zip(scene.trace.runs, scene.colors(), scene.near)
        if near.head.get_fill_opacity() == 1  # the runs whose end the inset shows
    ]
    assert len(ended) >= 1 and len(labels.names) == len(labels.leaders) == len(ended)
    boxes = [box_of(name) for name in labels.names]
    for (run, color, near), name, leader, box in zip(ended, labels.names, labels.leaders, boxes):
        assert name.original_text == run_name(run)
        assert all(g.get_fill_color() == ManimColor(color) for g in glyphs(name))
        assert drawn_font_size(name, th) >= th.tick_size - 0.05
        # inside the inset, under its caption, clear of every dot and of the minimum
        assert left <= box[0] and box[2] <= right and bottom <= box[1] and box[3] <= caption[1]
        for other in (*(n.head for _, _, n in ended), inset.minimum):
            assert gap_between(box, box_of(other)) > 0, name.original_text
        # the leader runs from just off the run's dot to just off its name
        start, end = leader.get_start(), leader.get_end()
        dot = near.head.get_center()
        assert np.linalg.norm(start - dot) <= BatchModes.END_RADIUS + 0.05
        assert distance_to_box(end, box) < 0.1
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert gap_between(a, b) * PX >= 8


def test_a_column_of_names_keeps_each_at_its_height_where_it_can():
    heights = {0: 0.3, 1: 0.3, 2: 0.3}
    # three at one spot under the top: one under the other, gap apart, from the top down
    ys = stack({0: 1.0, 1: 1.0, 2: 1.0}, heights, (-1.0, 1.1), 0.1)
    assert sorted(ys.values(), reverse=True) == pytest.approx([0.95, 0.55, 0.15])
    # far apart: each where it is wanted
    assert stack({0: 0.8, 1: -0.6}, heights, (-1.0, 1.1), 0.1) == {0: 0.8, 1: -0.6}
    # at the bottom: pushed back up into the room
    ys = stack({0: -0.9, 1: -0.95}, heights, (-1.0, 1.1), 0.1)
    assert min(ys.values()) - 0.15 == pytest.approx(-1.0)
    assert max(ys.values()) - min(ys.values()) == pytest.approx(0.4)


def test_the_insets_level_lines_are_levels_of_the_training_cost(played):
    scene = played(BatchModes, "batch_modes.toml")
    inset, data = scene.inset, scene.trace.data
    assert len(inset.contours) >= 3
    cell = max(np.diff(inset.ws).max(), np.diff(inset.bs).max())
    for line in inset.contours:
        for point in line.get_anchors()[::5]:
            w, b = coords(inset, point)
            assert mse(data.x, data.y, w, b) == pytest.approx(line.level, abs=4 * cell**2), (w, b)


def distance_to_polyline(point, path: np.ndarray) -> float:
    a, b = path[:-1], path[1:]
    d = b - a
    t = np.clip(((point - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-300), 0, 1)
    return float(np.min(np.linalg.norm(a + t[:, None] * d - point, axis=1)))


def test_learning_rates_table_shows_the_final_losses_and_marks_the_best(played):
    scene = played(LearningRates, "learning_rates.toml")
    runs = scene.trace.runs
    rows = list(scene.results)[1:]
    assert len(rows) == len(runs)
    finite = [r.loss_val[-1] if r.diverged_at is None else math.inf for r in runs]
    best = int(np.argmin(finite))
    for row, run in zip(rows, runs):
        if run.diverged_at is None:
            text = row.text
            assert (
                fmt_value(run.loss_full[-1], 3) in text and fmt_value(run.loss_val[-1], 3) in text
            )
        else:
            assert f"divergedatiteration{run.diverged_at}" in row.text  # Text drops spaces
    # the marker beside the best row, on its line
    assert "lowestvalidationloss" in scene.marker.text
    assert scene.marker.get_y() == pytest.approx(rows[best].get_y(), abs=0.05)
    assert scene.marker.get_left()[0] > rows[best].get_right()[0]
    assert any(r.diverged_at is not None for r in runs)  # lr 0.3 leaves the bound


def test_learning_rates_table_is_there_from_the_start_and_follows_the_epochs(played):
    scene = played(LearningRates, "learning_rates.toml")
    runs = scene.trace.runs
    first = [row.text for row in scene.table(0)][1:]
    for row, run in zip(first, runs):
        assert fmt_value(run.start_loss_full, 3) in row and fmt_value(run.start_loss_val, 3) in row
    diverged = next(r for r in runs if r.diverged_at is not None)
    i = runs.index(diverged)
    epoch_of = math.ceil(diverged.diverged_at / diverged.batches)  # the epoch it left in
    assert "diverged" not in scene.table(epoch_of - 1)[1 + i].text
    assert "diverged" in scene.table(epoch_of)[1 + i].text


def test_learning_rate_curves_are_cut_only_where_a_run_diverged_and_say_so(played):
    scene = played(LearningRates, "learning_rates.toml")
    paths = iter(scene.paths)
    for run in scene.trace.runs:
        for key in ("training", "validation"):
            path, panel = next(paths), scene.panels[key]
            if run.diverged_at is None:  # every epoch's loss on the plot, none held at an edge
                assert not isinstance(path, LeavingPath)
                assert len(path.pts) == len(run.epoch_ends())
                for point in path.pts:
                    assert panel.y_range[0] < panel.axes.p2c(point)[1] < panel.y_range[1]
            else:  # leaves through the top, an arrowhead where it left, the dot gone
                assert isinstance(path, LeavingPath)
                tip = path.arrow.get_vertices()[0]
                assert panel.axes.p2c(tip)[1] == pytest.approx(panel.y_range[1], abs=1e-6)
                assert path.arrow.get_fill_opacity() == 1 and path.head.get_fill_opacity() == 0
                assert "offtheplot" in path.note.text and path.note.get_fill_opacity() == 1
                assert path.arrow.get_color() == path.head.get_color()


def test_a_run_that_leaves_the_plot_keeps_its_arrowhead_clear_of_the_tick_labels(played):
    """The arrowhead where lr 0.3 leaves through the top: it stood 4 px from the 10⁴ label
    at 1080p, and read as part of it; now LEAVING_GAP (16 px) from every tick label, the
    path still ending at its tip, on the top edge."""
    scene = played(LearningRates, "learning_rates.toml")
    panels = list(scene.panels.values())  # a run's paths: on the training, the validation
    leaving = 0
    for i, path in enumerate(scene.paths):
        if not isinstance(path, LeavingPath):
            continue
        leaving += 1
        panel = panels[i % 2]
        arrow = box_of(path.arrow)
        for label in panel.tick_labels:
            assert gap_between(arrow, box_of(label)) * PX >= LEAVING_GAP * PX - 0.01, label.text
            assert gap_between(box_of(path.note), box_of(label)) > 0, label.text
        tip = path.arrow.get_vertices()[0]
        assert path.pts[-1] == pytest.approx(tip)
        assert panel.axes.p2c(tip)[1] == pytest.approx(panel.y_range[1], abs=1e-6)
    assert leaving == 2  # lr 0.3, on both plots


@pytest.mark.parametrize("across", [0.0, 0.02, 0.3])
def test_an_arrowhead_at_the_corner_slides_clear_of_the_labels_beside_it(across):
    """Whatever the run (here: straight up the axis, and nearly), the arrowhead where it
    leaves keeps LEAVING_GAP from the tick labels: computed from their boxes."""
    th = THEMES["dark"]
    panel = LossOverTime(th, 10, [1e-3, 1e4], "epoch", "loss", width=5, height=3)
    y0, y1 = panel.y_range
    points = np.array([panel.axes.c2p(0, y0 + 0.6 * (y1 - y0)), panel.axes.c2p(across, y1)])
    note = Text("off the plot", font=th.font, font_size=th.tick_size)
    path = LeavingPath([0, 1], points, "#FF79C6", 3, 0.06, note, panel.tick_labels)
    for label in panel.tick_labels:
        assert gap_between(box_of(path.arrow), box_of(label)) >= LEAVING_GAP - 1e-6
    assert path.pts[-1] == pytest.approx(path.arrow.get_vertices()[0])
    assert panel.axes.p2c(path.pts[-1])[1] == pytest.approx(y1, abs=1e-6)
    assert panel.axes.p2c(path.pts[-1])[0] >= across - 1e-9  # slid into the plot, never out


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


FINAL_FRAMES = [
    (SlopeBias, "slope_and_bias.toml"),
    (SlopeBiasSurface, "slope_and_bias.toml"),
    (BatchModes, "batch_modes.toml"),
    (LearningRates, "learning_rates.toml"),
]


def screen_box(camera, mob) -> tuple[float, float, float, float]:
    """Where ``mob`` is drawn: (left, bottom, right, top) in Manim's units, through the 3D
    camera's projection when there is one."""
    points = camera.transform_points_pre_display(mob, mob.get_all_points())
    (x0, y0), (x1, y1) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def drawn(scene):
    """Every mobject drawn in the scene's frame, with its box on screen."""
    camera = scene.renderer.camera
    if hasattr(camera, "reset_rotation_matrix"):
        camera.reset_rotation_matrix()
    for mob in camera.get_mobjects_to_display(scene.mobjects):
        if not isinstance(mob, VMobject):  # value trackers: not drawn
            continue
        stroke = (mob.get_stroke_opacities() > 0).any() and mob.get_stroke_width() > 0
        if len(mob.points) and (stroke or (mob.get_fill_opacities() > 0).any()):
            yield mob, screen_box(camera, mob)


@pytest.mark.parametrize("cls, lesson", FINAL_FRAMES)
def test_nothing_is_drawn_in_the_outer_5_percent_of_the_frame(played, cls, lesson):
    scene = played(cls, lesson)
    x, y = 0.45 * config.frame_width, 0.45 * config.frame_height
    boxes = list(drawn(scene))
    assert len(boxes) > 50
    for mob, (x0, y0, x1, y1) in boxes:
        where = f"{type(mob).__name__} {getattr(mob, 'text', '')} at {(x0, y0, x1, y1)}"
        assert -x <= x0 and x1 <= x and -y <= y0 and y1 <= y, where


@pytest.mark.parametrize("cls, lesson", FINAL_FRAMES)
def test_no_two_texts_overlap_in_the_last_frame(played, cls, lesson):
    scene = played(cls, lesson)
    camera = scene.renderer.camera
    if hasattr(camera, "reset_rotation_matrix"):
        camera.reset_rotation_matrix()
    lines = (Text, MonoLine)
    texts = [m for m in scene.get_mobject_family_members() if isinstance(m, lines) and m.text]
    boxes = [(m.text, screen_box(camera, m)) for m in texts]
    for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(boxes):
        for b, (bx0, by0, bx1, by1) in boxes[i + 1 :]:
            apart = ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0
            assert apart, (a, b)


@pytest.mark.parametrize("cls, lesson", FINAL_FRAMES)
def test_tick_labels_are_at_the_themes_tick_size(played, cls, lesson):
    """Tick labels are read from the back of a lecture hall: none is shrunk to fit."""
    scene = played(cls, lesson)
    if cls is SlopeBiasSurface:
        labels = [label for label in scene.labels if label.text not in ("w", "b", "cost")]
    else:
        panels = [m for m in scene.get_mobject_family_members() if isinstance(m, Panel)]
        labels = [label for panel in panels for label in panel.tick_labels]
    assert len(labels) >= 6
    for label in labels:
        assert label.font_size == pytest.approx(scene.theme.tick_size, rel=1e-3), label.text


# -- through the CLI -------------------------------------------------------------------------------
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
    """``gdlesson render`` runs Manim for real on a follow-up's 3-D scene, an override
    applied, to its last picture: the bowl and the path on it. (The whole clip, played, is
    the course build's, whose length and words tests/test_course.py checks.)"""
    from PIL import Image

    args = ("SlopeBiasSurface", "-q", "l", "-s", "--set", "train.epochs=2")
    result = gdlesson("render", *args, "--media_dir", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    picture = np.asarray(Image.open(next(tmp_path.rglob("SlopeBiasSurface*.png"))).convert("RGB"))
    assert picture.shape == (480, 854, 3)
    background = np.array(ManimColor(THEMES["dark"].background).to_int_rgb())
    drawn = np.abs(picture.astype(int) - background).max(axis=2) > 40
    assert drawn.mean() > 0.1  # the bowl, its axes, the path and the readout


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
