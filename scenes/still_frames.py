"""Still frames encoded once converted, not once per frame.

A pause with nothing moving (``self.wait()``) hands Manim's encoder one RGBA frame to
write N times. Manim 0.22 converts it to YUV 4:2:0 N times over, which is half the cost
of each of those frames (about 10 of 21 ms at 1080p on our machines), and more than half
the lesson's frames are such pauses. ``StillOnceEncoder`` converts the frame once and
gives x264 the same picture N times: the video is byte for byte the one Manim writes
(``tests/test_still_frames.py``), for less CPU.

``install()`` makes Manim's file writer use it; every scene module of this package calls
it on import.
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.scene import scene_file_writer
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class StillOnceEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, converting a repeated frame once."""

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        if repeat == 1:
            super().write_frame(pixels)
            return
        self._validate_frame(pixels, repeat)
        stream, rate = self._stream, self.spec.frame_rate
        time_base = Fraction(rate.denominator, rate.numerator)
        try:
            still = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
                format=stream.pix_fmt, width=stream.width, height=stream.height
            )
            for _ in range(repeat):
                still.pts, still.time_base = self._next_pts, time_base
                self._next_pts += 1
                for packet in stream.encode(still):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


def install() -> None:
    """Have Manim's file writer encode with ``StillOnceEncoder``."""
    scene_file_writer.VideoSegmentEncoder = StillOnceEncoder
