"""Reading the build's videos and GIFs in the build's own process, with PyAV (the library
Manim writes them with): the times of a video's frames, how much each frame shows (for a
GIF's loop points), and one frame as a PNG (posters, the handout's pictures).

Each of these was an ffprobe or ffmpeg process of its own: about 0.14 s of CPU to start
one, some 200 of them in a course build, more than the work they did. The frames are the
ones the ffmpeg command line chose: after a seek to ``at``, the first frame that starts at
or after ``at``; a measure at ``fps`` runs ffmpeg's own ``fps`` and ``scale`` filters. The
PNGs are the bytes the command line wrote (the same filters, encoder and settings: the
course's 83 stills at -q l and the first lesson's 47 at -q h, key frames scaled to 1280
wide among them), and the loop points the same frames (the course's 35 clips at 12 and 8
fps).
"""

from __future__ import annotations

import contextlib
import os
import struct
from fractions import Fraction
from pathlib import Path

import numpy as np

#: no row filter, as the ffmpeg command line wrote them (the same bytes); PyAV's default,
#: Paeth, makes a GIF's dithered poster 70% larger
PNG_OPTIONS = {"pred": "none"}


class MediaError(ValueError):
    """A file PyAV cannot read, or one with no frame to take."""


@contextlib.contextmanager
def _reading(path: Path):
    """PyAV, imported when a video is read (a tenth of a second that a no-op build does not
    pay); its errors as MediaError, naming the file."""
    import av

    try:
        yield av
    except av.FFmpegError as exc:
        raise MediaError(f"{Path(path).name}: {exc}") from None


def _video(container):
    stream = container.streams.video[0]
    stream.codec_context.thread_count = 1  # the build runs as many of these as it has jobs
    return stream


def packet_times(video: Path) -> list[tuple[float, float]]:
    """(start, length) in seconds of each frame of ``video``, as stored: a pause is one
    frame held long (scenes/still_frames.py)."""
    with _reading(video) as av, av.open(str(video)) as container:
        stream = container.streams.video[0]
        return [
            (float(p.pts * p.time_base), float((p.duration or 0) * p.time_base))
            for p in container.demux(stream)
            if p.pts is not None
        ]


def frame_spread(
    video: Path,
    fps: int,
    size: tuple[int, int],
    seconds: float | None = None,
    last: float | None = None,
) -> np.ndarray:
    """The standard deviation of each frame's luma at ``size``, frame by frame at ``fps``
    (ffmpeg's ``fps`` filter): of the first ``seconds`` of the video only, or of its
    ``last`` seconds only (what is shown from then on)."""
    w, h = size
    with _reading(video) as av, av.open(str(video)) as container:
        stream = _video(container)
        start = None
        if last is not None:
            start = max(0.0, (container.duration or 0) / av.time_base - last)
            container.seek(int(start / stream.time_base), backward=True, stream=stream)
        filters = [("fps", str(fps)), ("scale", f"{w}:{h}:flags=area"), ("format", "gray")]
        graph = _graph(av, filters, template=stream)
        rows: list[np.ndarray] = []

        def push(frame) -> None:
            """``frame`` (None: the end) into the filters; what comes out, measured."""
            graph.vpush(frame)
            while True:
                try:
                    rows.append(graph.vpull().to_ndarray())
                except (av.BlockingIOError, av.EOFError):
                    return

        offset, held = (0 if start is None else round(start / stream.time_base)), None
        for frame in container.decode(stream):
            if seconds is not None and frame.time >= seconds:
                break
            if start is not None:
                if frame.time < start:  # before the part measured; shown at its start
                    held = frame
                    continue
                if held is not None and frame.pts > offset:
                    held.pts = 0
                    push(held)
                held = None
                frame.pts -= offset
            push(frame)
        if held is not None:  # nothing starts after ``start``: what was shown then, alone
            held.pts = 0
            push(held)
        push(None)
    frames = np.array(rows, np.uint8).reshape(-1, h, w)
    return frames.astype(np.float64).std(axis=(1, 2))


def write_still(source: Path, out: Path, at: float = 0.0, max_width: int | None = None) -> None:
    """``source``'s first frame that starts at or after ``at`` seconds (its first frame by
    default), as an RGB PNG at ``out`` (atomically), at most ``max_width`` wide (the
    height in proportion, even)."""
    with _reading(source) as av:
        with av.open(str(source)) as container:
            stream = _video(container)
            if at > 0:
                container.seek(int(at / stream.time_base), backward=True, stream=stream)
            frame = None
            for decoded in container.decode(stream):
                frame = decoded
                if decoded.time is None or decoded.time >= at:
                    break
        if frame is None:
            raise MediaError(f"{Path(source).name}: no frame to take")
        width, height = frame.width, frame.height
        filters = [("format", "rgb24")]
        if max_width and width > max_width:
            width, height = max_width, 2 * int(max_width * height / (2 * width) + 0.5)
            filters.insert(0, ("scale", f"{width}:{height}"))
        rgb = _filtered(av, frame, filters)
        png = av.CodecContext.create("png", "w")
        png.width, png.height, png.pix_fmt = width, height, "rgb24"
        png.options = PNG_OPTIONS
        data = b"".join(bytes(p) for p in (*png.encode(rgb), *png.encode(None)))
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _graph(av, filters: list[tuple[str, str]], **source):
    """ffmpeg's ``filters`` (name, arguments) in a chain, as the command line's ``-vf``
    runs them, from a source of frames described by ``source`` (PyAV's ``add_buffer``)."""
    graph = av.filter.Graph()
    chain = [graph.add_buffer(**source), *(graph.add(n, a) for n, a in filters)]
    chain.append(graph.add("buffersink"))
    for a, b in zip(chain, chain[1:]):
        a.link_to(b)
    graph.configure()
    return graph


def _filtered(av, frame, filters: list[tuple[str, str]]):
    """``frame`` through ffmpeg's ``filters``: the same scaler as the command line's, so the
    same pixels."""
    size = dict(width=frame.width, height=frame.height, format=frame.format)
    graph = _graph(av, filters, **size, time_base=frame.time_base or Fraction(1, 1000))
    graph.vpush(frame)
    return graph.vpull()


def mp4_seconds(path: Path) -> float | None:
    """How long an MP4 file says it lasts (its movie header, ``moov/mvhd``), or None for a
    file without one. ffmpeg's concat demuxer, which cuts the lesson together, puts each
    clip after the ones before it by this length (ffprobe's ``format=duration``); PyAV's
    newer libavformat reports the tracks' own, up to a millisecond shorter."""
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        try:
            for kind, body, stop in _boxes(fh, 0, end):
                if kind == b"moov":
                    for kind2, body2, _stop2 in _boxes(fh, body, min(stop, end)):
                        if kind2 == b"mvhd":
                            return _mvhd_seconds(fh, body2)
        except (struct.error, IndexError):  # cut off inside a box
            return None
    return None


def _mvhd_seconds(fh, body: int) -> float | None:
    fh.seek(body)
    version = fh.read(4)[0]  # then 3 bytes of flags
    fh.seek(16 if version == 1 else 8, os.SEEK_CUR)  # its dates
    layout = ">IQ" if version == 1 else ">II"
    scale, length = struct.unpack(layout, fh.read(struct.calcsize(layout)))
    return length / scale if scale else None


def _boxes(fh, start: int, end: int):
    """(type, where its body starts, where it ends) of each ISO media box from ``start``
    to ``end``."""
    at = start
    while at + 8 <= end:
        fh.seek(at)
        size, kind = struct.unpack(">I4s", fh.read(8))
        body = at + 8
        if size == 1:  # a 64-bit size follows
            (size,) = struct.unpack(">Q", fh.read(8))
            body += 8
        elif size == 0:  # to the end of the file
            size = end - at
        if size < body - at:
            return  # not a box: a damaged file
        yield kind, body, at + size
        at += size
