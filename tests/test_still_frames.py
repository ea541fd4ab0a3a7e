"""Pauses held as one frame show, at every instant, what Manim's own encoder shows."""

import av
import numpy as np
import pytest
from frames import encoder_spec
from manim.scene import scene_file_writer
from manim.scene.video_segment_encoder import VideoSegmentEncoder

import scenes.lesson  # noqa: F401  (installs the encoder, as a render does)
from scenes.still_frames import HeldFrameEncoder


def frames(n: int, width: int = 320, height: int = 180) -> list[np.ndarray]:
    """A square crossing a gradient: every frame differs from the one before."""
    y, x = np.mgrid[0:height, 0:width]
    out = []
    for i in range(n):
        px = np.zeros((height, width, 4), np.uint8)
        px[..., 0] = (x * 255 // width).astype(np.uint8)
        px[..., 1] = (y * 255 // height).astype(np.uint8)
        px[..., 3] = 255
        px[40:80, 10 + 7 * i : 50 + 7 * i, :3] = (230, 60, 60)
        out.append(px)
    return out


def write(encoder_class, path, writes) -> bytes:
    encoder = encoder_class(target=path, spec=encoder_spec())
    for pixels, repeat in writes:
        encoder.write_frame(pixels, repeat=repeat)
    encoder.finish()
    return path.read_bytes()


def at_every_frame(path) -> list[np.ndarray]:
    """The picture shown at each 1/60 s of the video, from its timestamps."""
    with av.open(str(path)) as video:
        stream = video.streams.video[0]
        shown = [
            (round(float(fr.pts * stream.time_base) * 60), fr.to_ndarray(format="rgb24"))
            for fr in video.decode(stream)
        ]
        total = round(float(stream.duration * stream.time_base) * 60)
    out = []
    for i, (start, picture) in enumerate(shown):
        end = shown[i + 1][0] if i + 1 < len(shown) else total
        out += [picture] * (end - start)
    return out


def test_a_pause_is_one_frame_held_and_shows_what_manims_encoder_shows(tmp_path):
    f = frames(6)
    writes = [(f[0], 1), (f[1], 30), (f[2], 1), (f[3], 1), (f[4], 45), (f[5], 20)]
    write(HeldFrameEncoder, tmp_path / "ours.mp4", writes)
    write(VideoSegmentEncoder, tmp_path / "manim.mp4", writes)
    with av.open(str(tmp_path / "ours.mp4")) as video:
        # a pause costs one frame, and the pause that ends the file one more
        assert video.streams.video[0].frames == len(writes) + 1
    ours, manims = at_every_frame(tmp_path / "ours.mp4"), at_every_frame(tmp_path / "manim.mp4")
    assert len(ours) == len(manims) == sum(r for _, r in writes)
    sources = [pixels[..., :3] for pixels, repeat in writes for _ in range(repeat)]
    for mine, theirs, source in zip(ours, manims, sources):  # x264 is lossy: a few levels
        assert np.abs(mine.astype(int) - source).mean() < 3
        assert np.abs(mine.astype(int) - theirs).mean() < 3


def test_a_scene_module_installs_it():
    assert scene_file_writer.VideoSegmentEncoder is HeldFrameEncoder


def test_the_track_lasts_as_long_as_the_video(tmp_path):
    """A pause at the end is shown to the end: the MP4 track is not cut short."""
    f = frames(3)
    write(HeldFrameEncoder, tmp_path / "ours.mp4", [(f[0], 1), (f[1], 40), (f[2], 50)])
    with av.open(str(tmp_path / "ours.mp4")) as video:
        stream = video.streams.video[0]
        assert float(stream.duration * stream.time_base) == pytest.approx(91 / 60, abs=1e-3)
        assert video.duration / 1e6 == pytest.approx(91 / 60, abs=2e-3)


def test_for_manims_gif_every_copy_is_written(tmp_path):
    """Manim numbers a GIF's frames one by one: a held frame would shorten the GIF."""
    from manim import tempconfig

    f = frames(3)
    writes = [(f[0], 1), (f[1], 40), (f[2], 5)]
    with tempconfig({"format": "gif"}):
        write(HeldFrameEncoder, tmp_path / "for_gif.mp4", writes)
    with av.open(str(tmp_path / "for_gif.mp4")) as video:
        assert video.streams.video[0].frames == 46
    assert len(at_every_frame(tmp_path / "for_gif.mp4")) == 46


def test_frames_converted_where_they_are_drawn_make_the_same_video(tmp_path, monkeypatch):
    """The encoder is handed each frame already in the video's pixel format (no copy of the
    RGBA picture for its thread): the MP4 is byte for byte the one made from Manim's copies."""
    from manim import LEFT, RIGHT, Dot, FadeOut, Scene, Square, tempconfig

    import scenes.still_frames as still_frames

    class Moves(Scene):
        def construct(self):
            self.add(Square(2, color="#ff8800", fill_opacity=0.6))
            dot = Dot(LEFT * 3, radius=0.3, color="#33aaff")
            self.play(dot.animate.move_to(RIGHT * 3), run_time=0.5)
            self.wait(0.5)
            self.play(FadeOut(dot), run_time=0.3)

    handed = []
    write = HeldFrameEncoder.write_frame
    monkeypatch.setattr(
        HeldFrameEncoder,
        "write_frame",
        lambda self, frame, repeat=1: (
            handed.append(type(frame)),
            write(self, frame, repeat=repeat),
        )[1],
    )

    def video(name: str) -> bytes:
        handed.clear()
        size = {"pixel_width": 320, "pixel_height": 180, "frame_rate": 30}
        with tempconfig({**size, "media_dir": str(tmp_path / name), "disable_caching": True}):
            scene = Moves()
            scene.render()
            return scene.renderer.file_writer.movie_file_path.read_bytes()

    converted = video("converted")
    assert handed and set(handed) == {av.VideoFrame}  # moving frames, the pause, the fade
    monkeypatch.setattr(still_frames, "frame_for_writer", lambda renderer: renderer.get_frame())
    copied = video("copied")
    assert set(handed) == {np.ndarray}
    assert converted == copied
