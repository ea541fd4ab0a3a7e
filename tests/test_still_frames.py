"""The still-frame encoder writes the video Manim's own encoder writes, byte for byte."""

from fractions import Fraction

import av
import numpy as np
from manim.scene import scene_file_writer
from manim.scene.video_segment_encoder import VideoSegmentEncoder

import scenes.lesson  # noqa: F401  (installs the encoder, as a render does)
from scenes.still_frames import StillOnceEncoder

SPEC_OPTIONS = (("preset", "veryfast"), ("crf", "23"))


def spec(width: int = 320, height: int = 180):
    from manim._config.video_encoder import VideoEncoderSpec

    return VideoEncoderSpec(
        container_format="mp4",
        codec="libx264",
        pixel_format="yuv420p",
        width=width,
        height=height,
        frame_rate=Fraction(60),
        options=SPEC_OPTIONS,
    )


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
    encoder = encoder_class(target=path, spec=spec())
    for pixels, repeat in writes:
        encoder.write_frame(pixels, repeat=repeat)
    encoder.finish()
    return path.read_bytes()


def test_pauses_encode_to_the_same_bytes_as_manims_encoder(tmp_path):
    f = frames(6)
    writes = [(f[0], 1), (f[1], 30), (f[2], 1), (f[3], 1), (f[4], 45), (f[5], 2)]
    ours = write(StillOnceEncoder, tmp_path / "ours.mp4", writes)
    manims = write(VideoSegmentEncoder, tmp_path / "manim.mp4", writes)
    assert ours == manims
    with av.open(str(tmp_path / "ours.mp4")) as video:
        decoded = [fr.to_ndarray(format="rgb24") for fr in video.decode(video=0)]
    assert len(decoded) == sum(r for _, r in writes)
    # the pause shows its frame all along (x264 is lossy: within a few levels)
    for d in decoded[1:31]:
        assert np.abs(d.astype(int) - f[1][..., :3]).mean() < 3
    assert np.abs(decoded[31].astype(int) - f[2][..., :3]).mean() < 3


def test_a_scene_module_installs_it():
    assert scene_file_writer.VideoSegmentEncoder is StillOnceEncoder
