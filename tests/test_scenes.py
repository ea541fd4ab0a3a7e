"""What the viewer sees, measured on the built mobjects and on rendered frames."""

import dataclasses

import numpy as np
import pytest
from frames import SMALL, assert_matches_control, frame_of
from manim import Dot, Line, Transform, tempconfig

from scenes.code import CodeListing
from scenes.lesson import SCENES, Lesson
from scenes.storyboard import BEATS, board_after, board_before, epoch, plan
from scenes.theme import LOSS_BIG, LOSS_SMALL

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


def manim_frames(animations, kwargs) -> int:
    """The frames Manim 0.22 writes for one ``Scene.play``, worked out as it works them
    out: a held pause (a Wait with a frozen frame) ``int(duration / dt)`` frames
    (CairoRenderer.freeze_current_frame), anything else a frame per step of
    ``arange(0, run_time, dt)`` (Scene.get_time_progression)."""
    from manim import Wait, config

    dt = 1 / config.frame_rate
    if "run_time" in kwargs:  # every play of the scenes says how long it takes
        return len(np.arange(0, kwargs["run_time"], dt))
    (wait,) = animations  # else Manim's wait, one Wait
    assert isinstance(wait, Wait) and wait.is_static_wait is not None  # which pause: said
    if wait.is_static_wait:
        return int(wait.run_time / dt)
    return len(np.arange(0, wait.run_time, dt))


class Counted(Lesson):
    """The lesson played without drawing; a stand-in for Manim's Scene.play (``counting``)
    notes, beat by beat, the frames Manim would write for each play and pause, and here
    the frames each beat holds to reach a time (its words' marks, their end)."""

    def play_beat(self, name):
        self.beat_now = name
        self.held.setdefault(name, 0)
        super().play_beat(name)

    def hold_until(self, t):
        self.held[self.beat_now] += self.frames_until(t)
        super().hold_until(t)


def count_frames(patch: pytest.MonkeyPatch) -> None:
    """A stand-in for Manim's Scene.play that notes in ``scene.counted`` (beat -> frames)
    what each call would write, then plays it."""
    from manim import Scene

    original = Scene.play

    def play(self, *animations, **kwargs):
        counted = self.__dict__.setdefault("counted", {})
        beat = getattr(self, "beat_now", None)
        counted[beat] = counted.get(beat, 0) + manim_frames(animations, kwargs)
        original(self, *animations, **kwargs)

    patch.setattr(Scene, "play", play)


@pytest.fixture
def counting(monkeypatch):
    count_frames(monkeypatch)


def test_every_beat_plays_its_plan_to_the_frame(monkeypatch, tmp_path, counting):
    """With words short enough that the plays set each beat's length (its plays, its pause
    to read, its tidy), the frames Manim is given for every beat are the plan's, exactly,
    for a run longer than the default's that diverges: the code walked line by line for two
    epochs only, five tangents, 'diverged' said twice. (The default run, with its words,
    is counted in test_every_beat_alone_starts_from_the_picture_the_lesson_leaves.)"""
    from building import narration_file

    from scenes.storyboard import BEAT_TIMES, base_plan, tidy_seconds
    from scenes.timing import frames

    monkeypatch.setenv("GDLESSON_NARRATION", str(narration_file(tmp_path)))
    monkeypatch.setenv("GDLESSON_SET", "train.epochs=20;train.lr=0.5")
    with tempconfig({**SMALL, "dry_run": True}):
        scene = Counted(skip_animations=True)  # every animation, no frame drawn
        scene.held = {}
        scene.render()
        fps = scene.camera.frame_rate
    planned = {beat: round(seconds * fps) for beat, seconds in scene.plan.items()}
    assert scene.counted == planned  # and nothing played outside a beat
    assert {b: round((e - s) * fps) for b, (s, e) in scene.beat_times.items()} == planned
    # each beat holds for its pause to read and not a frame more: the plays fill the rest
    # (a play the plan counts and the scene leaves out would be made up by a longer hold)
    read = {beat: frames(BEAT_TIMES[beat]["read"], fps) for beat in BEATS}
    assert scene.held == read
    base = base_plan(scene.trace, fps=fps)  # the short words set no beat's length
    assert planned == {b: round(base[b] * fps) + frames(tidy_seconds(b), fps) for b in BEATS}
    assert scene.verdict is not None and len(scene.trace.epochs) == 20


def test_the_descent_clip_plays_its_plan_to_the_frame(monkeypatch, counting):
    """The looping descent beside the beats: its holds, every epoch and 'diverged'."""
    from scenes.lesson import Descent
    from scenes.storyboard import descent_seconds

    monkeypatch.setenv("GDLESSON_SET", "train.epochs=12;train.lr=0.5")
    with tempconfig({**SMALL, "dry_run": True}):
        scene = Descent(skip_animations=True)
        scene.render()
    fps = SMALL["frame_rate"]
    assert scene.verdict is not None
    assert scene.counted == {None: round(descent_seconds(scene.trace, fps=fps) * fps)}


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
    # played in order, every beat lasts its plan, to the frame: in Manim's count of the
    # frames it is given (``count_frames``) and in the scene's
    assert whole.overruns == {} and list(whole.beat_times) == list(BEATS)
    fps = PROBE_SIZE["frame_rate"]
    planned = {beat: round(seconds * fps) for beat, seconds in whole.plan.items()}
    assert whole.counted == planned
    assert {b: round((e - s) * fps) for b, (s, e) in whole.beat_times.items()} == planned
    monkeypatch.setenv("GDLESSON_SET", "")
    with tempconfig(PROBE_SIZE):
        for beat, cls in BEAT_SCENES.items():
            alone = cls(skip_animations=True)
            alone.setup()
            alone.put_up(board_before(beat))
            alone.show_beat_heading(beat)
            diff = np.abs(frame_of(alone).astype(int) - whole.entry_frames[beat])
            changed = (diff.max(axis=2) > 48).mean()
            assert changed < 0.001, f"{beat}: {changed:.2%} of pixels differ at the cut"


def board_seen(scene) -> dict:
    """The board as drawn, field by field of a Board: what is up (every part of it that has
    points), the code block shown, where the readouts are and their numbers, the iterate the
    dot and the line are at, the size of the loss plot, whether it has every loss."""
    shown = {id(m) for top in scene.mobjects for m in top.get_family()}

    def up(*mobjects) -> bool:
        drawn = [m for mob in mobjects if mob is not None for m in mob.get_family()]
        drawn = [m for m in drawn if len(m.points)]
        return None not in mobjects and bool(drawn) and all(id(m) in shown for m in drawn)

    dp, cost, readouts, loss = scene.data_panel, scene.cost, scene.readouts, scene.loss_panel
    listings = [m for top in scene.mobjects for m in top.get_family() if isinstance(m, CodeListing)]
    code = [b for b, lines in scene.blocks.items() for m in listings if up(m) and m.lines == lines]
    place = next((w for w in ("side", "right", "big") if readouts_at(scene, w)), "elsewhere")
    y0, y1 = (loss.axes.c2p(0, y)[1] for y in loss.y_range)
    sizes = {"small": LOSS_SMALL["height"], "big": LOSS_BIG["height"]}
    size = next((s for s, height in sizes.items() if abs(y1 - y0 - height) < 1e-6), "other")
    return dict(
        data=up(dp, dp.true_line, dp.data_points),
        code=code[0] if code else None,
        fitted=up(scene.fitted),
        readouts=place if up(readouts) else None,
        reading=tuple(readouts.numbers()) if up(readouts) else None,
        cost=up(cost, cost.curve, scene.dot),
        progress=scene.progress.get_value(),
        off_plot=up(scene.off_plot),
        loss=size if up(loss) else None,
        history=up(scene.history) and len(scene.history) == 2 * len(scene.trace.epochs) - 1,
        verdict=up(scene.verdict),
    )


def readouts_at(scene, where: str) -> bool:
    """Whether the readouts' names are where ``place_readouts`` puts them (to a glyph's
    height: the place centres the numbers shown when it was taken, and they count on)."""
    placed = scene.place_readouts(scene.readouts.copy(), where)
    return all(
        np.allclose(a.get_center(), b.get_center(), atol=0.05)
        for a, b in zip(placed.names, scene.readouts.names)
    )


def board_drawn(scene, board) -> dict:
    """What ``board`` puts on screen in ``scene``'s run, as :func:`board_seen` reads it."""
    n = len(scene.trace.epochs)
    fields = {f.name: getattr(board, f.name) for f in dataclasses.fields(board)}
    k, stage = board.reading or (0, "")
    return {
        **fields,
        "reading": tuple(scene.readouts.numbers(epoch(k, n), stage)) if board.readouts else None,
        "progress": float(epoch(board.progress, n)),
        "off_plot": board.off_plot and scene.off_plot_marker() is not None,
        "verdict": board.verdict and scene.cost.verdict() is not None,
    }


def wrong_boards(scene, **kwargs) -> dict:
    """The beats whose played end differs from the board declared for it, and how."""
    wrong = {}
    for beat, seen in scene.boards_left.items():
        declared = board_drawn(scene, board_after(beat, **kwargs))
        diff = {f: (seen[f], declared[f]) for f in seen if seen[f] != declared[f]}
        if diff:
            wrong[beat] = diff  # field: (seen, declared)
    return wrong


def test_every_beat_leaves_the_board_it_declares(played):
    """Element by element, what each beat leaves on screen is the board its declaration
    says: the board the next beat, played alone, starts from."""
    assert list(played.boards_left) == list(BEATS)
    assert wrong_boards(played) == {}


def test_a_wrong_declaration_is_seen(played):
    """The check above catches two beats' declarations swapped, and two beats swapped in
    the order the boards are worked out in."""
    from scenes.storyboard import STAGING

    swapped = {**STAGING, "backward": STAGING["update_and_zero"]}
    swapped["update_and_zero"] = STAGING["backward"]
    assert set(wrong_boards(played, staging=swapped)) == {"backward", "update_and_zero"}
    reordered = list(BEATS)
    i = reordered.index("cost_curve")
    reordered[i : i + 2] = reversed(reordered[i : i + 2])  # fit before the cost curve
    assert set(wrong_boards(played, beats=tuple(reordered))) == {"fit"}


class Pictures(Lesson):
    """The lesson (the beats given) played without drawing, noting the picture after every
    animation."""

    def play(self, *animations, **kwargs):
        super().play(*animations, **kwargs)
        self.pictures.append(frame_of(self))


def pictures_of(monkeypatch, beat: str, overrides: list[str]) -> tuple[list, float]:
    """Every picture of ``beat`` played alone for a config, and its length."""
    monkeypatch.setenv("GDLESSON_SET", ";".join(overrides))
    with tempconfig(PROBE_SIZE):
        scene = Pictures(skip_animations=True)
        scene.beats, scene.pictures = (beat,), []
        scene.render()
    start, end = scene.beat_times[beat]
    return scene.pictures, end - start


def test_training_free_beats_draw_the_same_whatever_the_training(monkeypatch):
    """The beats whose boards show nothing of the training (their clips are kept when
    train.* changes) draw the same pictures for as long with another run; the settings,
    which print lr, do not."""
    from scenes.storyboard import TRAINING_FREE_BEATS

    assert "data" in TRAINING_FREE_BEATS and "settings" not in TRAINING_FREE_BEATS
    other = ["train.lr=0.01", "train.epochs=2", "train.w0=5.0"]
    for beat in (*TRAINING_FREE_BEATS, "settings"):
        (a, seconds_a), (b, seconds_b) = (pictures_of(monkeypatch, beat, o) for o in ([], other))
        same = len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))
        assert same == (beat in TRAINING_FREE_BEATS), beat
        assert seconds_a == seconds_b


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
    its entry and heading) and the board it leaves, the readouts after every code line run
    while they are on screen, every animation of the readouts' numbers, what is drawn after
    every animation and whether what a mark revealed stays while its cue is up."""

    def entered(self, name):
        self.entry_frames[name] = frame_of(self)

    def run_line(self, fragment, listing=None, **kwargs):
        super().run_line(fragment, listing, **kwargs)
        if fragment and self.readouts in self.mobjects:
            self.after_lines.append((self.beat_now, fragment, self.readouts.numbers()))

    def play_beat(self, name):
        self.beat_now = name
        super().play_beat(name)
        self.boards_left[name] = board_seen(self)

    def play(self, *animations, **kwargs):
        from scenes.panels import Reading

        for a in animations:
            family = a.mobject.get_family() if getattr(a, "mobject", None) else []
            if any(isinstance(m, Reading) for m in family):
                self.number_animations.append(type(a))
        super().play(*animations, **kwargs)
        self.extents.append((self.beat_now, drawn_extent(self)))
        self.code_sizes.extend(
            (self.beat_now, m.drawn_size())
            for top in self.mobjects
            for m in top.get_family()
            if isinstance(m, CodeListing)
        )
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
            if self.now <= cue_end - 1e-6:
                drawn = [m for mob in mobjects for m in mob.get_family() if len(m.points)]
                if any(id(m) not in on_screen for m in drawn):
                    self.gone_early.append((mark, round(self.now, 2)))


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
    with tempconfig(PROBE_SIZE), pytest.MonkeyPatch.context() as patch:
        count_frames(patch)
        probe = CodeProbe(skip_animations=True)
        probe.after_lines, probe.number_animations, probe.extents = [], [], []
        probe.gone_early, probe.entry_frames, probe.code_sizes = [], {}, []
        probe.boards_left = {}
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
    appear, go and move as a whole (to a copy of themselves placed elsewhere: MoveToTarget),
    but are never transformed glyph into glyph."""
    from manim import ChangingDecimal, FadeIn, FadeOut, MoveToTarget

    kinds = played.number_animations
    assert kinds.count(ChangingDecimal) > 20
    moves = FadeIn | FadeOut | MoveToTarget
    morphs = [t for t in kinds if issubclass(t, Transform) and not issubclass(t, moves)]
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


def test_code_is_drawn_for_the_back_of_a_hall(played):
    """Every listing on screen, in every beat that shows code, draws its capitals at least
    36 px tall at 1080p: 1.5 times the 24 px of the first layout."""
    from manim import Text

    from scenes.storyboard import CODE_BEATS

    cap_per_size = Text("X", font=played.theme.mono, font_size=48).height / 48
    px = 1080 / 8  # frame units to pixels at 1080p
    caps = {}
    for beat, size in played.code_sizes:
        caps[beat] = min(caps.get(beat, 1e9), size * cap_per_size * px)
    assert set(caps) == set(CODE_BEATS)
    assert min(caps.values()) >= 36, caps
