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

A frame reaches the encoder converted already: ``frame_for_writer`` turns the camera's
RGBA picture into the video's pixel format where it was drawn. Manim copied the whole RGBA
picture for the encoder's thread (about 8 MB a frame at 1080p, 33 MB at 4K), and the
encoder copied it twice more before converting it; the converted frame is what the encoder
would have made, byte for byte, in three-eighths of the memory
(``tests/test_still_frames.py``).

``install()`` makes Manim's file writer and renderer use them; every scene module of this
package calls it on import. It builds on Manim 0.22's encoder (pyproject pins ``<0.23``);
the tests above fail if a Manim release changes what it relies on.
"""

from __future__ import annotations

import os
from dataclasses import replace
from fractions import Fraction

import av
import numpy as np
from av.video.reformatter import VideoReformatter
from manim import config
from manim._config.output import OutputFormat
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene import scene_file_writer
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, writing a repeated frame once and letting the next frame's
    timestamp say how long it lasts."""

    def __init__(self, *, target, spec) -> None:
        # no B-frames: with them, x264's decode timestamps around a held frame end the MP4
        # track before its last frame is shown (and x264 spends less on moving frames)
        options = (*spec.options, ("bf", "0"))
        if threads := os.environ.get("GDLESSON_X264_THREADS"):  # a build's: see build.py
            options = (*options, ("threads", threads))
        spec = replace(spec, options=options)
        super().__init__(target=target, spec=spec)
        # Manim makes a GIF by numbering the frames one by one, which would lose the
        # holds: for a GIF, every copy is written (converted to YUV once)
        self._holds = OutputFormat.parse(config.format) is not OutputFormat.GIF
        rate = spec.frame_rate
        self._time_base = Fraction(rate.denominator, rate.numerator)
        self._last_held = None  # the last frame written, if it is a pause
        self._converter = VideoReformatter()  # the drawing thread's (``converted``)
        self._shape_of_a_frame = np.empty((spec.height, spec.width, 4), np.uint8)  # for checks

    def converted(self, pixels: np.ndarray) -> av.VideoFrame | None:
        """``pixels`` (RGBA, drawn on again after this) as a new frame in the video's pixel
        format, or None when the encoder wants Manim's copy (a GIF's frames, a picture of
        another size). Called by the thread that draws."""
        shape = self._shape_of_a_frame.shape
        if not self._holds or pixels.shape != shape or not pixels.flags.c_contiguous:
            return None
        rgba = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
        ctx = self._stream.codec_context  # what its encode() would convert with
        return self._converter.reformat(
            rgba, ctx.width, ctx.height, ctx.pix_fmt, threads=ctx.thread_count
        )

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        converted = isinstance(pixels, av.VideoFrame)  # by ``converted``: only encoded here
        self._validate_frame(self._shape_of_a_frame if converted else pixels, repeat)
        try:
            # Manim hands the array over (it is a copy): no copy of it here
            frame = pixels if converted else av.VideoFrame.from_numpy_buffer(pixels, "rgba")
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


def frame_for_writer(renderer: CairoRenderer):
    """The camera's picture for ``renderer``'s file writer: converted here when a
    ``HeldFrameEncoder`` writes it, else Manim's copy of the RGBA array."""
    job = getattr(renderer.file_writer, "_current_encode_job", None)
    encoder = getattr(job, "encoder", None)
    if isinstance(encoder, HeldFrameEncoder) and not renderer.skip_animations:
        if not renderer.file_writer.output_spec.is_image_sequence:
            frame = encoder.converted(renderer.camera.pixel_array)
            if frame is not None:
                return frame
    return renderer.get_frame()


def _render(self, scene, time, moving_mobjects=None) -> None:
    self.update_frame(scene, moving_mobjects)
    self.add_frame(frame_for_writer(self))


def _freeze_current_frame(self, duration: float) -> None:
    dt = 1 / self.camera.frame_rate  # as Manim counts the frames
    self.add_frame(frame_for_writer(self), num_frames=int(duration / dt))


def install() -> None:
    """Have Manim's file writer encode with ``HeldFrameEncoder``, and its renderer hand it
    frames converted where they are drawn."""
    scene_file_writer.VideoSegmentEncoder = HeldFrameEncoder
    CairoRenderer.render = _render
    CairoRenderer.freeze_current_frame = _freeze_current_frame
