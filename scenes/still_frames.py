"""Pauses stored as one frame held for their length.

A pause with nothing moving (``self.wait()``) hands Manim's encoder one frame to write N
times, and Manim 0.22 converts and encodes it N times: at 1080p60 about 20 ms of CPU for
each of those frames, while more than half the lesson's frames are pauses.
``HeldFrameEncoder`` encodes the frame once; the next frame's timestamp says how long it
lasts (a variable frame rate, as in a phone's videos). Every instant of the video shows the
picture Manim's own encoder would show there, and the length is the same to the frame
(``tests/test_still_frames.py``); a pause costs one frame. Manim's own ``--format gif``
still gets every frame. An editor that wants a constant frame rate can have one:
``ffmpeg -i Lesson.mp4 -fps_mode cfr -r 60 Lesson_cfr.mp4``.

``install()`` makes Manim's file writer use it; every scene module of this package calls
it on import. It builds on Manim 0.22's encoder (pyproject pins ``<0.23``); the tests
above fail if a Manim release changes what it relies on.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import av
from manim import config
from manim._config.output import OutputFormat
from manim.scene import scene_file_writer
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, writing a repeated frame once and letting the next frame's
    timestamp say how long it lasts."""

    def __init__(self, *, target, spec) -> None:
        # no B-frames: with them, x264's decode timestamps around a held frame end the MP4
        # track before its last frame is shown (and x264 spends less on moving frames)
        spec = replace(spec, options=(*spec.options, ("bf", "0")))
        super().__init__(target=target, spec=spec)
        # Manim makes a GIF by numbering the frames one by one, which would lose the
        # holds: for a GIF, every copy is written (converted to YUV once)
        self._holds = OutputFormat.parse(config.format) is not OutputFormat.GIF
        rate = spec.frame_rate
        self._time_base = Fraction(rate.denominator, rate.numerator)
        self._last_held = None  # the last frame written, if it is a pause

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            if self._holds:
                self._encode(frame, self._next_pts)
            else:
                frame = frame.reformat(format=self._stream.pix_fmt)
                for i in range(repeat):
                    self._encode(frame, self._next_pts + i)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
        self._next_pts += repeat
        self._last_held = frame if repeat > 1 and self._holds else None

    def finish(self) -> None:
        # a pause that ends the segment is written again as its last frame: the file ends
        # with it
        if not self._closed and self._last_held is not None:
            try:
                self._encode(self._last_held, self._next_pts - 1)
            except BaseException as error:
                raise self._operation_error("finish", error) from error
        super().finish()

    def _encode(self, frame, pts: int) -> None:
        frame.pts, frame.time_base = pts, self._time_base
        for packet in self._stream.encode(frame):
            self._container.mux(packet)


def install() -> None:
    """Have Manim's file writer encode with ``HeldFrameEncoder``."""
    scene_file_writer.VideoSegmentEncoder = HeldFrameEncoder
