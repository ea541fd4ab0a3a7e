"""The whole lesson from its beat clips: the videos cut together without re-encoding the
picture, the subtitles shifted onto one timeline (.srt and .vtt), and the beats as chapters:
inside the MP4 (players such as VLC and mpv list them), as a WebVTT chapters track for the
page (``chapters.vtt``) and as "0:00 Title" lines for a video platform's description
(``chapters.txt``)."""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import srt

from gd_engine.trace import write_atomic
from scenes.narration import to_webvtt

from . import media
from .processes import WITH_PARENT


def probe(path: Path, entries: str, stream: str | None = None) -> str:
    cmd = ["ffprobe", "-v", "error"]
    if stream:
        cmd += ["-select_streams", stream]
    cmd += ["-show_entries", entries, "-of", "csv=p=0", str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()


def probed(path: Path) -> dict:
    """What ffprobe says of the file's container and streams (their kinds and durations),
    asked once per version of the file: a build asks it of every clip, more than once, and
    each ffprobe costs a tenth of a second."""
    stat = Path(path).stat()
    return _probed(Path(path).resolve(), stat.st_ino, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _probed(path: Path, _ino, _size, _mtime) -> dict:
    cmd = ["ffprobe", "-v", "error", "-of", "json", "-show_entries"]
    cmd += ["format=duration:stream=codec_type,duration", str(path)]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def duration(path: Path) -> float:
    """How long the file lasts, as ffmpeg's concat demuxer counts it: an MP4's own header
    (read here, not by an ffprobe process: a build asks it of every clip), else ffprobe's."""
    seconds = media.mp4_seconds(path)
    return seconds if seconds is not None else float(probed(path)["format"]["duration"])


def picture_seconds(path: Path) -> str:
    """How long the video's picture lasts, in seconds, as ffprobe writes it."""
    video = [s for s in probed(path)["streams"] if s.get("codec_type") == "video"]
    return video[0].get("duration", "N/A") if video else ""


def has_audio(path: Path) -> bool:
    return any(s.get("codec_type") == "audio" for s in probed(path)["streams"])


def ffmpeg(*args: str) -> None:

    cmd = [*WITH_PARENT, "ffmpeg", "-v", "error", "-y", *args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("ffmpeg: " + (result.stderr.strip().splitlines() or ["failed"])[-1])


def cut_together(clips: list[Path], out: Path, work: Path, titles: list[str]) -> None:
    """``out`` (.mp4, .srt, .vtt) from ``clips`` in order, each clip a chapter named by
    ``titles``, and the chapters beside it (``chapters.vtt``, ``chapters.txt``); each file
    written atomically."""
    work.mkdir(parents=True, exist_ok=True)
    chapters = chapter_times(clips, titles)
    with tempfile.TemporaryDirectory(dir=work, prefix="cut-") as tmp:
        tmpdir = Path(tmp)
        metadata = tmpdir / "chapters.ffmeta"
        metadata.write_text(ffmetadata(chapters), encoding="utf-8")
        inputs = ["-f", "concat", "-safe", "0", "-i", concat_list(tmpdir / "clips.txt", clips)]
        inputs += ["-f", "ffmetadata", "-i", str(metadata)]
        streams = ["-map", "0:v:0", "-c", "copy"]
        if any(has_audio(c) for c in clips):
            # one clip with a voice: one sound track of every clip's sound (silence if it has
            # none), each exactly as long as its picture, encoded once (an encoder's delay
            # at each cut would add up)
            sounds = [tmpdir / f"{i:02d}.wav" for i in range(len(clips))]
            for clip, sound in zip(clips, sounds):
                sound_inputs, sound_options = exact_sound(clip)
                ffmpeg(*sound_inputs, *sound_options, "-c:a", "pcm_s16le", str(sound))
            sound_list = concat_list(tmpdir / "sounds.txt", sounds)
            inputs += ["-f", "concat", "-safe", "0", "-i", sound_list]
            streams = ["-map", "0:v:0", "-map", "2:a:0", "-c:v", "copy", "-c:a", "aac"]
        joined = tmpdir / "lesson.mp4"
        chaptered = ["-map_chapters", "1", "-movflags", "+faststart"]
        ffmpeg(*inputs, *streams, *chaptered, str(joined))
        subtitles = merged_subtitles(clips)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out.with_suffix(".srt"), srt.compose(subtitles))
        write_atomic(out.with_suffix(".vtt"), to_webvtt(subtitles))
        write_atomic(out.parent / "chapters.vtt", chapters_webvtt(chapters))
        write_atomic(out.parent / "chapters.txt", chapters_text(chapters))
        os.replace(joined, out)


def exact_sound(clip: Path, sound: Path | None = None) -> tuple[list[str], list[str]]:
    """ffmpeg's inputs (``clip`` first) and options for ``sound`` from the clip's start (by
    default the clip's own, or silence if it has none): 48 kHz stereo, exactly as long as
    the clip's picture."""
    seconds = picture_seconds(clip)
    if sound is None and has_audio(clip):
        extra, track = [], "0:a:0"
    elif sound is None:
        extra, track = ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"], "1:a:0"
    else:
        extra, track = ["-i", str(sound)], "1:a:0"
    exact = f"apad=whole_dur={seconds},atrim=end={seconds}"
    return ["-i", str(clip), *extra], ["-map", track, "-af", exact, "-ar", "48000", "-ac", "2"]


def with_sound(clip: Path, out: Path, sound: Path) -> None:
    """``clip`` with ``sound`` from its start as AAC, exactly as long as its picture."""
    inputs, options = exact_sound(clip, sound)
    ffmpeg(*inputs, "-map", "0:v:0", "-c:v", "copy", *options, "-c:a", "aac", str(out))


def concat_list(path: Path, files: list[Path]) -> str:
    """``path``, written as ffmpeg's concat list of ``files``."""
    path.write_text("".join(f"file {concat_quoted(f)}\n" for f in files))
    return str(path)


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds from the start of the whole video
    end: float


def chapter_times(clips: list[Path], titles: list[str]) -> list[Chapter]:
    """One chapter per clip, from where the clips before it end to where it ends."""
    chapters, start = [], 0.0
    for clip, title in zip(clips, titles, strict=True):
        end = start + duration(clip)
        chapters.append(Chapter(title, start, end))
        start = end
    return chapters


def ffmetadata(chapters: list[Chapter]) -> str:
    """The chapters in ffmpeg's metadata format (``-f ffmetadata``), in milliseconds."""

    def escaped(text: str) -> str:  # ffmetadata escapes = ; # \ and newlines
        return re.sub(r"([=;#\\\n])", r"\\\1", text)

    lines = [";FFMETADATA1"]
    for c in chapters:
        start, end = round(c.start * 1000), round(c.end * 1000)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}"]
        lines.append(f"title={escaped(c.title)}")
    return "\n".join(lines) + "\n"


def chapters_webvtt(chapters: list[Chapter]) -> str:
    """The chapters as a WebVTT file, for ``<track kind="chapters">``."""
    cues = [
        srt.Subtitle(i, _delta(c.start), _delta(c.end), c.title) for i, c in enumerate(chapters, 1)
    ]
    return to_webvtt(cues)


def chapters_text(chapters: list[Chapter]) -> str:
    """ "0:00 Title" a line, as video platforms read chapters from a description (each start
    rounded down to the second, so that it never falls after the cut)."""
    return "".join(f"{clock(c.start)} {c.title}\n" for c in chapters)


def clock(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour on."""
    s = int(seconds + 1e-6)
    h, m = divmod(s // 60, 60)
    return f"{h}:{m:02d}:{s % 60:02d}" if h else f"{m}:{s % 60:02d}"


def _delta(seconds: float) -> datetime.timedelta:
    return datetime.timedelta(milliseconds=round(seconds * 1000))


def concat_quoted(path: Path) -> str:
    """``path`` quoted for ffmpeg's concat list: a quote inside is closed, escaped, reopened."""
    return "'" + str(path.resolve()).replace("'", "'\\''") + "'"


def merged_subtitles(clips: list[Path]) -> list[srt.Subtitle]:
    """Every clip's cues, shifted by the length of the clips before it."""
    merged, offset = [], 0.0
    for clip in clips:
        sub = clip.with_suffix(".srt")
        shift = datetime.timedelta(seconds=offset)
        if sub.exists():
            for cue in srt.parse(sub.read_text(encoding="utf-8")):
                merged.append(
                    srt.Subtitle(len(merged) + 1, cue.start + shift, cue.end + shift, cue.content)
                )
        offset += duration(clip)
    return merged
