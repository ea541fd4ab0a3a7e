"""A frame redrawn and converted only where it changed is the frame drawn and converted whole
(scenes/frame_changes.py, scenes/still_frames.py)."""

import numpy as np
import pytest
from frames import encoder_spec

import scenes.lesson  # noqa: F401  (installs what a render installs)
from scenes import frame_changes
from scenes.frame_changes import Box, Change, merged
from scenes.still_frames import (
    PART_COSTS_PIXELS,
    PATCH_AT_MOST,
    HeldFrameEncoder,
    yuv_planes,
)


def encoder(tmp_path, width: int, height: int) -> HeldFrameEncoder:
    return HeldFrameEncoder(target=tmp_path / "segment.mp4", spec=encoder_spec(width, height))


@pytest.mark.parametrize("width, height", [(854, 480), (1280, 720)])
def test_a_frame_converted_in_boxes_is_the_frame_converted_whole(tmp_path, width, height):
    """Noise (the hardest case for a chroma filter), boxes anywhere, on the frame's edges,
    odd, overlapping: every byte of Y, U and V as one conversion of the whole frame."""
    rng = np.random.default_rng(7)
    enc = encoder(tmp_path, width, height)
    before = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    enc.converted(before, Change(1, None))
    serial, checked = 1, 0
    for trial in range(60):
        boxes = []
        for _ in range(int(rng.integers(1, 4))):
            x0, y0 = int(rng.integers(0, width - 1)), int(rng.integers(0, height - 1))
            x1 = int(rng.integers(x0 + 1, min(width, x0 + 160) + 1))
            y1 = int(rng.integers(y0 + 1, min(height, y0 + 90) + 1))
            if trial % 5 == 0:  # touching the edges
                x0, y1 = 0, height
            if trial % 7 == 0:
                x1, y0 = width, 0
            boxes.append(Box(x0, y0, x1, y1))
        after = before.copy()
        for b in boxes:
            after[b.y0 : b.y1, b.x0 : b.x1] = rng.integers(0, 256, (b.y1 - b.y0, b.x1 - b.x0, 4))
        serial += 1
        patched = enc.converted(after, Change(serial, tuple(boxes)))
        whole = enc._convert(after, width, height)
        if sum(b.area + PART_COSTS_PIXELS for b in boxes) <= PATCH_AT_MOST * width * height:
            checked += 1
        for a, b in zip(yuv_planes(patched), yuv_planes(whole), strict=True):
            assert np.array_equal(a, b), boxes
        before = after
    assert checked > 30  # most of them were patched, not converted whole


def test_the_same_picture_again_is_the_last_conversion(tmp_path):
    enc = encoder(tmp_path, 320, 180)
    pixels = np.random.default_rng(1).integers(0, 256, (180, 320, 4), dtype=np.uint8)
    first = enc.converted(pixels, Change(5, None))
    again = enc.converted(pixels, Change(5, ()))
    assert again is not first  # a frame of its own: the encoder sets its timestamp
    for a, b in zip(yuv_planes(first), yuv_planes(again), strict=True):
        assert np.array_equal(a, b)
    # a picture that does not follow the last one converted is converted whole
    other = np.zeros_like(pixels)
    for a, b in zip(
        yuv_planes(enc.converted(other, Change(9, ()))), yuv_planes(enc._convert(other, 320, 180))
    ):
        assert np.array_equal(a, b)


def test_boxes_merge_only_where_little_is_added():
    near = merged([Box(0, 0, 10, 10), Box(10, 0, 20, 10)], slack=0)
    assert near == (Box(0, 0, 20, 10),)
    apart = merged([Box(0, 0, 10, 10), Box(500, 300, 510, 310)], slack=100)
    assert apart == (Box(0, 0, 10, 10), Box(500, 300, 510, 310))
    # a box between two others joins them once it is merged with either
    chain = merged([Box(0, 0, 10, 10), Box(40, 0, 50, 10), Box(10, 0, 40, 10)], slack=0)
    assert chain == (Box(0, 0, 50, 10),)


def render(tmp_path, scene_class, name: str) -> bytes:
    from manim import tempconfig

    size = {"pixel_width": 480, "pixel_height": 270, "frame_rate": 15}
    with tempconfig({**size, "media_dir": str(tmp_path / name), "disable_caching": True}):
        scene = scene_class()
        scene.render()
        return scene.renderer.file_writer.movie_file_path.read_bytes()


def test_scenes_drawn_where_they_change_are_the_scenes_drawn_whole(tmp_path, monkeypatch):
    """Thick strokes with sharp mitres moving, a number counting, a text transformed, fades,
    a race's still lines, a point cloud (drawn whole), pauses: the MP4 is byte for byte the one
    drawn and converted whole at every frame, and most frames were drawn in boxes."""
    from manim import (
        DOWN,
        LEFT,
        RIGHT,
        UP,
        FadeIn,
        FadeOut,
        PointCloudDot,
        Polygon,
        Scene,
        Text,
        Transform,
    )

    from scenes.panels import Reading
    from scenes.race import GrowingPath, StillLines, race
    from scenes.theme import DARK

    class Changes(StillLines, Scene):
        def construct(self):
            self.add(Text("background", font_size=30).to_corner(UP + LEFT))
            # a corner of 12 degrees: its mitre reaches 9.6 half widths past it (Cairo's
            # limit is 10)
            spike = Polygon(
                LEFT * 2, LEFT * 2 + [2, 0.425, 0], LEFT * 2 + [2, 0, 0], stroke_width=24
            )
            self.add(spike)
            number = Reading(0.0, DARK, decimals=3).to_corner(DOWN + RIGHT)
            self.add(number)
            self.play(
                spike.animate.shift(UP * 1.5 + RIGHT * 0.5).rotate(0.4),
                number.count_to(12.5),
                run_time=1,
            )
            self.wait(0.4)
            word = Text("w.grad", font_size=36).shift(DOWN)
            self.play(FadeIn(word), run_time=0.4)
            self.play(Transform(word, Text("w.data", font_size=48).shift(DOWN * 1.5)), run_time=0.5)
            t = np.linspace(0, 1, 40)
            xy = np.stack([4 * t - 2, np.sin(6 * t), 0 * t], axis=1)
            path = GrowingPath(t, xy, "#ffcc00", 6, 0.08)
            self.add(path)
            race(self, [path], [(0.0, 0.5), (0.5, 1.0)], 0.5)
            cloud = PointCloudDot(radius=0.4, stroke_width=4).shift(DOWN * 2)
            self.play(cloud.animate.shift(RIGHT), FadeOut(word), run_time=0.3)
            self.play(FadeOut(spike), FadeOut(number), run_time=0.4)

    monkeypatch.setattr(frame_changes, "SMALLEST_FRAME", 0)  # a small frame, for speed
    kinds = {"boxes": 0, "whole": 0}
    boxes_of = frame_changes.drawn_boxes

    def counted(camera, mobjects):
        boxes = boxes_of(camera, mobjects)
        kinds["whole" if boxes is None else "boxes"] += 1
        return boxes

    monkeypatch.setattr(frame_changes, "drawn_boxes", counted)
    in_boxes = render(tmp_path, Changes, "boxes")
    assert kinds["boxes"] > 2 * kinds["whole"] > 0  # the point cloud's play is drawn whole

    # Manim's way: the background over the whole frame, every frame converted whole
    monkeypatch.setattr(frame_changes, "drawn_boxes", lambda camera, mobjects: None)
    monkeypatch.setattr(HeldFrameEncoder, "_patched", lambda self, *args: None)
    assert render(tmp_path, Changes, "whole") == in_boxes
