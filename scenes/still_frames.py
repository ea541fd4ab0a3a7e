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
(``tests/test_still_frames.py``). A frame that differs from the last one converted only in a
few boxes (``scenes/frame_changes.py`` says where) is that conversion with the boxes
converted again: the same bytes, for a fraction of the work.

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

from scenes.frame_changes import Box, Change

#: pixels converted around what is kept of a part: swscale's chroma filter reads two pixels
#: around a 2x2 block
MARGIN = 4
#: boxes that cost more than this part of the frame to convert: the whole frame is converted
PATCH_AT_MOST = 0.6
#: what converting a part costs beyond its pixels (swscale set up for its size: about 60 us,
#: the time of 16,000 pixels)
PART_COSTS_PIXELS = 16_000


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
        self._last = None  # (number, conversion) of the last picture converted
        self._shape_of_a_frame = np.empty((spec.height, spec.width, 4), np.uint8)  # for checks

    def converted(self, pixels: np.ndarray, change: Change | None = None) -> av.VideoFrame | None:
        """``pixels`` (RGBA, drawn on again after this) as a new frame in the video's pixel
        format, or None when the encoder wants Manim's copy (a GIF's frames, a picture of
        another size). Called by the thread that draws. ``change``: the picture's number
        and where it differs from the one numbered before (``scenes/frame_changes.py``):
        when that one was the last converted, only those boxes are converted again."""
        shape = self._shape_of_a_frame.shape
        if not self._holds or pixels.shape != shape or not pixels.flags.c_contiguous:
            return None
        frame = None
        if change is not None and self._last is not None:
            serial, last = self._last
            if change.serial == serial:  # the same picture again
                frame = self._patched(last, pixels, ())
            elif change.serial == serial + 1 and change.boxes is not None:
                frame = self._patched(last, pixels, change.boxes)
        if frame is None:
            frame = self._convert(pixels, *shape[1::-1])
        self._last = (change.serial, frame) if change is not None else None
        return frame

    def _convert(self, rgba: np.ndarray, width: int, height: int) -> av.VideoFrame:
        ctx = self._stream.codec_context  # what its encode() would convert with
        return self._converter.reformat(
            av.VideoFrame.from_numpy_buffer(rgba, format="rgba"),
            width,
            height,
            ctx.pix_fmt,
            threads=ctx.thread_count,
        )

    def _patched(
        self, last: av.VideoFrame, pixels: np.ndarray, boxes: tuple[Box, ...]
    ) -> av.VideoFrame | None:
        """A copy of ``last`` (the conversion of the picture before) with ``boxes`` of
        ``pixels`` converted into it; None when a whole conversion is as cheap.

        Swscale makes each 2x2 block's chroma from the pixels within two of it, and
        nothing else depends on where a pixel is: a part cut with a margin of ``MARGIN``
        (or the frame's edge) converts to the same bytes as the whole frame there
        (``tests/test_frame_changes.py``)."""
        if self._stream.codec_context.pix_fmt != "yuv420p":
            return None
        height, width = pixels.shape[:2]
        cost = sum(box.area for box in boxes) + len(boxes) * PART_COSTS_PIXELS
        if cost > PATCH_AT_MOST * width * height:
            return None
        frame = av.VideoFrame(width, height, "yuv420p")
        y, u, v = planes = yuv_planes(frame)
        for new, old in zip(planes, yuv_planes(last)):
            new[...] = old
        for box in boxes:
            # what the box's pixels change: their 2x2 blocks' chroma and the blocks' next
            # to them (swscale's chroma filter reaches a pixel past a block); the part
            # converted reaches MARGIN further, for the filter at the edge of what is kept
            x0, y0 = max(0, box.x0 // 2 * 2 - 2), max(0, box.y0 // 2 * 2 - 2)
            x1 = min(width, -(-box.x1 // 2) * 2 + 2)
            y1 = min(height, -(-box.y1 // 2) * 2 + 2)
            cx0, cy0 = max(0, x0 - MARGIN), max(0, y0 - MARGIN)
            cx1, cy1 = min(width, x1 + MARGIN), min(height, y1 + MARGIN)
            cut = np.ascontiguousarray(pixels[cy0:cy1, cx0:cx1])
            py, pu, pv = yuv_planes(self._convert(cut, cx1 - cx0, cy1 - cy0))
            y[y0:y1, x0:x1] = py[y0 - cy0 : y1 - cy0, x0 - cx0 : x1 - cx0]
            half = (slice(y0 // 2, y1 // 2), slice(x0 // 2, x1 // 2))
            inside = (
                slice((y0 - cy0) // 2, (y1 - cy0) // 2),
                slice((x0 - cx0) // 2, (x1 - cx0) // 2),
            )
            u[half], v[half] = pu[inside], pv[inside]
        return frame

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


def yuv_planes(frame: av.VideoFrame) -> list[np.ndarray]:
    """The Y, U and V planes of a yuv420p ``frame``, as arrays over its own memory."""
    return [
        np.frombuffer(p, np.uint8).reshape(p.height, p.line_size)[:, : p.width]
        for p in frame.planes
    ]


def frame_for_writer(renderer: CairoRenderer):
    """The camera's picture for ``renderer``'s file writer: converted here when a
    ``HeldFrameEncoder`` writes it, else Manim's copy of the RGBA array."""
    job = getattr(renderer.file_writer, "_current_encode_job", None)
    encoder = getattr(job, "encoder", None)
    if isinstance(encoder, HeldFrameEncoder) and not renderer.skip_animations:
        if not renderer.file_writer.output_spec.is_image_sequence:
            change = getattr(renderer, "frame_change", None)
            frame = encoder.converted(renderer.camera.pixel_array, change)
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
