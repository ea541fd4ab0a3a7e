"""GIFs for course pages: ffmpeg's two-pass palette (palettegen/paletteuse); optionally
shrunk until a size budget is met, with gifsicle's lossy compression among the steps.

gifsicle runs only for a lossy step: after ffmpeg's rectangle-diff palette GIF, its -O3
gained 0.4% in size (2,316 -> 2,308 kB on the iterate beat) for as much CPU as the whole
ffmpeg pass (1.5 s).

A GIF loops, so it starts and ends on a picture: a clip that opens on a near-empty frame
(a beat fading in from the background) starts once its content has faded in, and one that
fades out at the end stops before it dims, so no loop flashes the background."""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import media
from .processes import WITH_PARENT

DEFAULT_WIDTH = 720
DEFAULT_FPS = 12
DEFAULT_COLORS = 256

#: how content is measured: the spread (standard deviation) of a frame's luma, at a small
#: size. It is 0 on a blank background, dark or light, and grows in proportion to the
#: opacity of what fades in over it.
PROBE_SIZE = (160, 90)
NEAR_EMPTY = 0.5  # an end frame with less than this share of the content around it is near-empty
SETTLED = 1.02  # a fade has ended once the next frame adds less than 2% to the content
LOOKAHEAD_S = 2.0  # "the content around it": the frames within this many seconds
HEAD_MARGIN_S = 0.5  # decoded past the frames looked at: the fps filter's last frame may differ


class GifError(RuntimeError):
    pass


@dataclass(frozen=True)
class GifSettings:
    width: int = DEFAULT_WIDTH
    fps: int = DEFAULT_FPS
    colors: int = DEFAULT_COLORS
    lossy: int = 0  # gifsicle --lossy level (0: off)

    def describe(self) -> str:
        lossy = f", lossy {self.lossy}" if self.lossy else ""
        return f"{self.width} px, {self.fps} fps, {self.colors} colours{lossy}"


@dataclass(frozen=True)
class GifResult:
    path: Path
    settings: GifSettings
    bytes: int


def encode(video: Path, out: Path, settings: GifSettings) -> int:
    """Write ``video`` as a looping GIF to ``out`` (atomically); return its size."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".gif-") as tmp:
        raw = Path(tmp) / "raw.gif"
        first, end = content_span(video, settings.fps)
        trim = ""
        if first or end:
            until = f":end_frame={end}" if end else ""
            trim = f"trim=start_frame={first}{until},setpts=PTS-STARTPTS,"
        graph = (
            f"fps={settings.fps},{trim}scale={settings.width}:-2:flags=lanczos,split[a][b];"
            f"[a]palettegen=max_colors={settings.colors}:stats_mode=diff[p];"
            "[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle"
        )
        run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                # one thread each: the build runs as many encodes as there are cores
                "-threads",
                "1",
                "-i",
                str(video),
                "-filter_complex_threads",
                "1",
                "-filter_complex",
                graph,
                "-loop",
                "0",
                str(raw),
            ]
        )
        final = raw
        if settings.lossy:
            if not shutil.which("gifsicle"):
                raise GifError("gifsicle: not installed; it makes the lossy steps of --gif-max-kb")
            final = Path(tmp) / "lossy.gif"
            cmd = ["gifsicle", "-O3", "--no-comments", "--no-names", f"--lossy={settings.lossy}"]
            run([*cmd, str(raw), "-o", str(final)])
        size = final.stat().st_size
        final.replace(out)
    return size


def content_span(video: Path, fps: int) -> tuple[int, int | None]:
    """The frames (at ``fps``, as the GIF's ``fps`` filter makes them) a looping GIF keeps:
    from ``first`` to ``end`` (exclusive; None: to the last). Found once per version of the
    file and ``fps``: a clip's GIF, each step of its size budget and its poster ask alike.

    A clip whose first frame is near-empty next to what follows (a fade-in from the
    background, perhaps with a small heading already up) starts at the first frame with at
    least half that content, and then where the fade-in has settled; the same, backwards,
    for a fade-out at its end. Only the clip's first two seconds and its last are decoded
    (four at the start of a fade-in), unless it ends in a fade-out: then all of it, to
    count its frames exactly."""
    stat = Path(video).stat()
    return _content_span(Path(video).resolve(), stat.st_ino, stat.st_size, stat.st_mtime_ns, fps)


@functools.lru_cache(maxsize=512)
def _content_span(video: Path, _ino, _size, _mtime, fps: int) -> tuple[int, int | None]:
    window = round(LOOKAHEAD_S * fps)
    first = _settled_start(_head(video, fps, window + 1), window)
    if first:  # a fade-in: where it settles is decided within the next window + 1 frames
        first = _settled_start(_head(video, fps, 2 * window + 2), window)
    tail = frame_spread(video, fps, last=LOOKAHEAD_S + HEAD_MARGIN_S)
    if _settled_start(tail[::-1], window) == 0:
        return first, None
    spread = frame_spread(video, fps)
    last = len(spread) - 1 - _settled_start(spread[::-1], window)
    return (first, last + 1) if last > first else (0, None)


def _head(video: Path, fps: int, frames: int) -> np.ndarray:
    """frame_spread of the first ``frames`` frames, decoding little more than those: the
    frames before the cut are the ones a decode of the whole clip gives."""
    seconds = frames / fps + HEAD_MARGIN_S
    return frame_spread(video, fps, seconds=seconds)[:frames]


def _settled_start(spread: np.ndarray, window: int) -> int:
    """Where a clip with this content per frame starts to show it (0: at once)."""
    if len(spread) < 2:
        return 0
    around = spread[: window + 1].max()
    if around <= 0 or spread[0] >= NEAR_EMPTY * around:
        return 0
    k = int(np.argmax(spread >= NEAR_EMPTY * around))
    cap = min(len(spread) - 1, k + window)
    while k < cap and spread[k + 1] > SETTLED * spread[k]:
        k += 1
    return k


def frame_spread(
    video: Path, fps: int, seconds: float | None = None, last: float | None = None
) -> np.ndarray:
    """The standard deviation of each frame's luma, frame by frame at ``fps``: of the first
    ``seconds`` of the clip only, or of its ``last`` seconds (gdlesson/media.py)."""
    with _read_as_gif_error():
        return media.frame_spread(video, fps, PROBE_SIZE, seconds=seconds, last=last)


@contextlib.contextmanager
def _read_as_gif_error():
    """A video or GIF that cannot be read: a GifError, as an ffmpeg that failed."""
    try:
        yield
    except media.MediaError as exc:
        raise GifError(str(exc)) from None


def export_gif(
    video: Path, out: Path, settings: GifSettings = GifSettings(), max_kb: int | None = None
) -> GifResult:
    """The GIF of ``video``; with ``max_kb``, the best of a ladder of cheaper settings
    (fewer frames, narrower, fewer colours, lossy) that fits the budget."""
    if not max_kb:
        return GifResult(out, settings, encode(video, out, settings))
    for candidate in budget_ladder(settings):
        size = encode(video, out, candidate)
        if size <= max_kb * 1024:
            return GifResult(out, candidate, size)
    out.unlink(missing_ok=True)
    raise GifError(
        f"{out.name}: no setting down to {candidate.describe()} fits {max_kb} kB "
        f"(smallest was {size // 1024} kB)"
    )


def budget_ladder(start: GifSettings) -> list[GifSettings]:
    """Settings from ``start`` down to a small GIF, each step a little cheaper."""
    ladder, s = [start], start
    steps = [
        dict(lossy=40),
        dict(fps=max(6, start.fps * 2 // 3)),
        dict(colors=128),
        dict(width=max(320, start.width * 2 // 3)),
        dict(lossy=80),
        dict(colors=64),
        dict(fps=max(5, start.fps // 2)),
        dict(width=max(240, start.width // 2)),
        dict(lossy=150),
        dict(colors=32),
    ]
    for change in steps:
        s = GifSettings(**{**s.__dict__, **change})
        if s != ladder[-1]:
            ladder.append(s)
    return ladder


def run(cmd: list[str]) -> None:

    result = subprocess.run([*WITH_PARENT, *cmd], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise GifError(f"{Path(cmd[0]).name}: {last}")


# -- stills for the page: what a video or a GIF shows before it plays ------------------------
def write_poster(video: Path, out: Path) -> None:
    """The clip's last whole picture as PNG, at the clip's size: its last frame, or, when
    it fades out to the background, the last frame before the fade (as its GIF ends)."""
    _first, end = content_span(video, DEFAULT_FPS)
    with _read_as_gif_error():
        if end:
            at = round((end - 1) / DEFAULT_FPS, 3)
        else:  # the last frame starts at the last packet's time (a still is held, not repeated)
            times = [t for t, _length in media.packet_times(video)]
            if not times:
                raise GifError(f"no frames in {video.name}")
            at = max(0.0, round(max(times) - 0.001, 3))
        media.write_still(video, out, at)


def write_gif_poster(gif: Path, out: Path) -> None:
    """The GIF's first frame as PNG, at the GIF's size: the picture its play button starts."""
    with _read_as_gif_error():
        media.write_still(gif, out)
