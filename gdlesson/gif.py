"""GIFs for course pages: ffmpeg's two-pass palette (palettegen/paletteuse); optionally
shrunk until a size budget is met, with gifsicle's lossy compression among the steps.

gifsicle runs only for a lossy step: after ffmpeg's rectangle-diff palette GIF, its -O3
gained 0.4% in size (2,316 -> 2,308 kB on the iterate beat) for as much CPU as the whole
ffmpeg pass (1.5 s)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WIDTH = 720
DEFAULT_FPS = 12
DEFAULT_COLORS = 256


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
        graph = (
            f"fps={settings.fps},scale={settings.width}:-2:flags=lanczos,split[a][b];"
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
    from .build import WITH_PARENT

    result = subprocess.run([*WITH_PARENT, *cmd], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise GifError(f"{Path(cmd[0]).name}: {last}")
