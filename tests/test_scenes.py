"""What the viewer sees, measured on the built mobjects and on rendered frames."""

import numpy as np
import pytest
from frames import SMALL, assert_matches_control, frame_of
from manim import Dot, Line, Transform, tempconfig

from scenes.lesson import SCENES, Lesson
from scenes.storyboard import BEATS, TITLES, plan

# The edits a course author is likely to make (issue: any of them renders readably).
CONFIGS = {
    "default": [],
    "slow_lr": ["train.lr=0.01"],
    "oscillating_lr": ["train.lr=0.25"],
    "one_epoch": ["train.epochs=1"],
    "twenty_epochs": ["train.epochs=20"],
    "w0_positive": ["train.w0=5.0"],
    "noise_free": ["data.noise_std=0"],
    "noisy": ["data.noise_std=2"],
}


PROBE_SIZE = {**SMALL, "pixel_width": 480, "pixel_height": 270}


@pytest.fixture
def lesson(monkeypatch):
    """A Lesson scene, set up (not played) for a config, inside a small temporary config."""

    def make(overrides=(), theme="dark"):
        monkeypatch.setenv("GDLESSON_SET", ";".join(overrides))
        monkeypatch.setenv("GDLESSON_THEME", theme)
        scene = Lesson()
        scene.setup()
        return scene

    with tempconfig(SMALL):
        yield make


def data_xy(axes, point):
    return axes.p2c(point)[:2]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_after_each_epoch_dot_line_and_loss_plot_show_the_trace(lesson, name):
    scene = lesson(CONFIGS[name])
    trace, cost, data = scene.trace, scene.cost, scene.data_panel
    scene.ensure_moving_parts()
    n = len(trace.epochs)
    for k in range(n):
        scene.set_progress(k + 1)
        w_after = trace.epochs[k].w_next
        loss_after = trace.epochs[k + 1].loss if k + 1 < n else trace.final.loss
        w, loss = data_xy(cost.axes, scene.dot.get_center())
        assert w == pytest.approx(w_after, abs=1e-6 * max(1, abs(w_after)))
        assert loss == pytest.approx(loss_after, rel=1e-6, abs=1e-6)
        assert data.data_slope(scene.fitted) == pytest.approx(w_after, rel=1e-6, abs=1e-9)
        # the tangent at the epoch's w: slope = grad in data units, through (w_k, loss_k)
        tangent = cost.tangent_at(k)
        assert cost.data_slope(tangent) == pytest.approx(trace.epochs[k].grad, rel=1e-6)
        (wa, la) = data_xy(cost.axes, tangent.get_start())
        e = trace.epochs[k]
        assert la + e.grad * (e.w - wa) == pytest.approx(e.loss, rel=1e-6, abs=1e-6)
        # loss plot: k+1 points at (i, loss_i), k segments
        history = scene.loss_panel.history_upto(k)
        dots = [m for m in history if isinstance(m, Dot)]
        assert len(dots) == k + 1
        assert len([m for m in history if isinstance(m, Line)]) == k
        panel = scene.loss_panel
        for i, d in enumerate(dots):
            x, y = data_xy(panel.axes, d.get_center())
            loss = 10**y if panel.log_y else y  # log scale when losses span > 3 decades
            assert (x, loss) == pytest.approx((i, trace.epochs[i].loss), rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_point_of_the_last_frame_is_inside_the_frame_and_finite(lesson, name):
    scene = lesson(CONFIGS[name])
    scene.still(len(scene.trace.epochs))
    for mob in scene.mobjects:
        for sub in mob.get_family():
            pts = sub.points
            if len(pts):
                assert np.isfinite(pts).all()
                assert (np.abs(pts[:, 0]) <= 7.12).all() and (np.abs(pts[:, 1]) <= 4.0).all(), (
                    f"{type(sub).__name__} leaves the frame"
                )


def test_start_of_the_descent_is_the_lessons_numbers(lesson):
    scene = lesson()
    scene.still(0)
    assert scene.readouts.numbers(0) == [
        "0",
        "\u221210.0000",
        "147.0500",
        "\u221242.0175",
        "\u22124.2018",
    ]
    w, loss = data_xy(scene.cost.axes, scene.dot.get_center())
    assert (w, loss) == pytest.approx((-10.0, scene.trace.epochs[0].loss))


def test_every_scene_plays_known_beats_with_a_plan():
    assert set().union(*(s.beats for s in SCENES)) == set(BEATS) == set(Lesson.beats)
    assert len(BEATS) == 14


def test_axis_ranges_follow_the_trace_not_the_code(lesson):
    a = lesson([])
    b = lesson(["train.w0=15.0", "data.slope=2.0", "train.epochs=10"])
    assert a.cost.x_range != b.cost.x_range and b.cost.x_range[1] > 15
    assert b.loss_panel.x_range == (0.0, 9.0)
    assert sum(plan(b.trace).values()) > sum(plan(a.trace).values())


EPOCH_BEATS = ("iterate", "why_it_slows", "all_together")  # their length grows with epochs


class EpochBeats(Lesson):
    beats = EPOCH_BEATS


@pytest.mark.parametrize("name", ["one_epoch", "twenty_epochs"])
def test_beats_that_grow_with_the_epochs_keep_their_plan(monkeypatch, name):
    monkeypatch.setenv("GDLESSON_SET", ";".join(CONFIGS[name]))
    with tempconfig({**SMALL, "dry_run": True}):
        scene = EpochBeats(skip_animations=True)  # times add up without drawing frames
        scene.render()
    assert scene.overruns == {}
    for beat, (a, b) in scene.beat_times.items():
        assert b - a == pytest.approx(scene.plan[beat], abs=1 / 15 + 1e-9), beat


KEY_FRAMES = [
    ("start_dark", [], "dark", 0),
    ("epoch2_light", [], "light", 2),
    ("final_dark", [], "dark", 4),
]


@pytest.mark.parametrize("name, overrides, theme, k", KEY_FRAMES)
def test_key_frames_match_the_control_images(lesson, regenerate, name, overrides, theme, k):
    scene = lesson(overrides, theme)
    scene.still(k)
    assert_matches_control(frame_of(scene), name, regenerate)


def test_light_theme_has_a_white_background(lesson):
    scene = lesson([], "light")
    scene.still(0)
    frame = frame_of(scene)
    assert (frame[2, 2] == 255).all()
    dark = lesson([], "dark")
    dark.still(0)
    assert frame_of(dark)[2, 2].max() < 40


def test_every_beat_alone_starts_from_the_picture_the_lesson_leaves(monkeypatch, played):
    """Beats rendered one by one (as gdlesson build does) cut together without jumps; and
    the lesson keeps its plan, beat by beat."""
    from scenes.lesson import BEAT_SCENES

    whole = played  # the lesson played in order, noting the picture each beat starts from
    # played in order, every beat lasts its plan (a frame's rounding at most)
    assert whole.overruns == {} and list(whole.beat_times) == list(BEATS)
    for beat, (a, b) in whole.beat_times.items():
        assert b - a == pytest.approx(whole.plan[beat], abs=1 / 15 + 1e-9), beat
    monkeypatch.setenv("GDLESSON_SET", "")
    with tempconfig(PROBE_SIZE):
        for beat, cls in BEAT_SCENES.items():
            alone = cls(skip_animations=True)
            alone.setup()
            alone.enter(beat)
            alone.show_heading(TITLES[beat])
            diff = np.abs(frame_of(alone).astype(int) - whole.entry_frames[beat])
            changed = (diff.max(axis=2) > 48).mean()
            assert changed < 0.001, f"{beat}: {changed:.2%} of pixels differ at the cut"


def test_off_the_plot_label_shows_exactly_while_the_dot_is_held_at_the_edge(lesson):
    scene = lesson(["train.lr=0.5", "train.epochs=8"])  # diverges past the plot from k = 2
    scene.ensure_moving_parts()
    label, cost = scene.off_plot, scene.cost
    assert label is not None and label in scene.mobjects
    for k in range(len(scene.trace.epochs) + 1):
        scene.set_progress(k)
        off = not cost.on_plot(*cost.iterate(k))
        assert off == (k >= 2)
        assert label.get_fill_opacity() == (1.0 if off else 0.0)
        assert label.get_top()[1] < scene.dot.get_bottom()[1]  # under the dot
        assert abs(label.get_x() - scene.dot.get_x()) < label.width
    # a run that stays on the plot has no label at all, so nothing to draw every frame
    calm = lesson()
    calm.ensure_moving_parts()
    assert calm.off_plot is None


def held_after(trace, k: int, line: str, held: dict) -> dict:
    """What the lesson's variables hold after ``line`` of epoch k ran, worked out from the
    trace as the code reads (w.grad is None until the first backward)."""
    e = trace.epochs[k]
    if line == "forward(X)":
        held.update(epoch=k, w=e.w)
    elif line == "criterion(":
        held["loss"] = e.loss
    elif line == "backward()":
        held["grad"] = e.grad
    elif line == "w.data = ":
        held["w"] = e.w_next
    elif line == "zero_()":
        held["grad"] = 0.0
    return held


class CodeProbe(Lesson):
    """The lesson played (without drawing), noting the picture each beat starts from (after
    its entry and heading), the readouts after every code line run while they are on
    screen, every animation of the readouts' numbers, what is drawn after every animation
    and whether what a mark revealed stays while its cue is up."""

    def entered(self, name):
        self.entry_frames[name] = frame_of(self)

    def run_line(self, fragment, listing=None, run_time=0.4, extra=()):
        super().run_line(fragment, listing, run_time, extra)
        if fragment and self.readouts in self.mobjects:
            self.after_lines.append((self.beat_now, fragment, self.readouts.numbers()))

    def play_beat(self, name):
        self.beat_now = name
        super().play_beat(name)

    def play(self, *animations, **kwargs):
        from scenes.panels import Reading

        for a in animations:
            family = a.mobject.get_family() if getattr(a, "mobject", None) else []
            if any(isinstance(m, Reading) for m in family):
                self.number_animations.append(type(a))
        super().play(*animations, **kwargs)
        self.extents.append((self.beat_now, drawn_extent(self)))
        self.check_reveals()

    def wait(self, *args, **kwargs):
        super().wait(*args, **kwargs)
        self.check_reveals()

    def check_reveals(self):
        """Whatever a mark revealed is still on screen while the cue that says it is up."""
        if not hasattr(self, "reveals"):
            return
        on_screen = {id(m) for top in self.mobjects for m in top.get_family()}
        for mark, _said, _began, cue_end, mobjects in self.reveals:
            if self.renderer.time <= cue_end - 1e-6:
                drawn = [m for mob in mobjects for m in mob.get_family() if len(m.points)]
                if any(id(m) not in on_screen for m in drawn):
                    self.gone_early.append((mark, round(self.renderer.time, 2)))


def drawn_extent(scene) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) in frame units of everything visible on screen: the box of
    each visible VMobject as Manim's get_left() and the others measure it (the anchors of
    it and of everything under it), each mobject's anchors looked at once."""
    from manim import VMobject

    lows, highs = [], []

    def visible(m) -> bool:
        if not isinstance(m, VMobject) or not len(m.points):
            return False
        fill = m.fill_rgbas[:, 3].max() if len(m.fill_rgbas) else 0
        stroke = m.stroke_rgbas[:, 3].max() if m.stroke_width > 0 else 0
        return max(fill, stroke) > 0.01

    def walk(m, in_a_box: bool) -> None:
        in_a_box = in_a_box or visible(m)
        if in_a_box and len(m.points):
            ends = (
                [m.points] if len(m.points) == 1 else [m.get_start_anchors(), m.get_end_anchors()]
            )
            for anchors in ends:
                lows.append(anchors[:, :2].min(axis=0))
                highs.append(anchors[:, :2].max(axis=0))
        for sub in m.submobjects:
            walk(sub, in_a_box)

    for top in scene.mobjects:
        walk(top, False)
    if not lows:
        return (0.0, 0.0, 0.0, 0.0)
    (left, bottom), (right, top) = np.min(lows, axis=0), np.max(highs, axis=0)
    return float(left), float(right), float(bottom), float(top)


@pytest.fixture(scope="module")
def played():
    import os

    os.environ["GDLESSON_SET"] = ""
    with tempconfig(PROBE_SIZE):
        probe = CodeProbe(skip_animations=True)
        probe.after_lines, probe.number_animations, probe.extents = [], [], []
        probe.gone_early, probe.entry_frames = [], {}
        probe.render()
    return probe


def test_the_readouts_show_what_the_code_holds_after_each_highlighted_line(played):
    from scenes.panels import fmt_value
    from scenes.storyboard import LOOP_STEPS

    trace = played.trace
    lr = trace.config.train.lr

    def shown(held: dict) -> list[str]:
        grad = held.get("grad")
        values = [held["w"], held.get("loss"), grad, None if grad is None else lr * grad]
        return [str(held["epoch"])] + ["" if v is None else fmt_value(v) for v in values]

    # the single step of beats 5 and 6, from the state beat 4 leaves (epoch 0's loss)
    held = {"epoch": 0, "w": trace.epochs[0].w, "loss": trace.epochs[0].loss}
    seen = [nums for b, _, nums in played.after_lines if b in ("backward", "update_and_zero")]
    expected = [
        shown(held_after(trace, 0, line, held))
        for line in ("backward()", "w.grad.item()", "w.data = ", "zero_()")
    ]
    assert seen == expected
    # the loop of beat 9, from the top: every line of every epoch
    held, expected = {}, []
    for k in range(len(trace.epochs)):
        for line, _ in LOOP_STEPS:
            expected.append((line, shown(held_after(trace, k, line, held))))
    assert [(f, nums) for b, f, nums in played.after_lines if b == "iterate"] == expected


def test_readouts_change_by_value_never_glyph_into_glyph(played):
    """Every change of the readouts' numbers is a count (ChangingDecimal); the readouts
    appear, go and move as a whole, but are never transformed glyph into glyph."""
    from manim import ChangingDecimal, FadeIn, FadeOut

    kinds = played.number_animations
    assert kinds.count(ChangingDecimal) > 20
    morphs = [t for t in kinds if issubclass(t, Transform) and not issubclass(t, FadeIn | FadeOut)]
    assert morphs == []


def test_nothing_is_drawn_in_the_outer_five_percent_of_the_frame(played):
    """After every animation of the lesson, everything visible lies inside the frame less
    5% on each side (the frame check of the built video is in test_build.py)."""
    from manim import config

    # less a cushion for what a bounding box leaves out: antialiasing, a glyph's overhang
    half_w, half_h = config.frame_width * 0.45 - 0.08, config.frame_height * 0.45 - 0.08
    outside = [
        (beat, [round(v, 2) for v in box])
        for beat, (left, right, bottom, top) in played.extents
        if left < -half_w or right > half_w or bottom < -half_h or top > half_h
        for box in [(left, right, bottom, top)]
    ]
    assert outside == [], outside[:5]


def test_reveals_land_on_their_words_and_stay_while_the_cue_speaks_of_them(played):
    from scenes.storyboard import MARKS

    marks = [m for m, *_ in played.reveals]
    assert sorted(marks) == sorted(m for beat_marks in MARKS.values() for m in beat_marks)
    for mark, said, began, cue_end, _ in played.reveals:
        assert said > 0 and began == pytest.approx(said, abs=1 / 15 + 1e-6), mark
        assert cue_end > began, mark
    assert played.gone_early == []
