"""The whole lesson from its beat clips: the videos cut together without re-encoding the
picture, the subtitles shifted onto one timeline (.srt and .vtt)."""

from __future__ import annotations

import datetime
import os
import subprocess
import tempfile
from pathlib import Path

import srt

from gd_engine.trace import write_atomic
from scenes.narration import to_webvtt

from .processes import WITH_PARENT


def probe(path: Path, entries: str, stream: str | None = None) -> str:
    cmd = ["ffprobe", "-v", "error"]
    if stream:
        cmd += ["-select_streams", stream]
    cmd += ["-show_entries", entries, "-of", "csv=p=0", str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()


def duration(path: Path) -> float:
    return float(probe(path, "format=duration"))


def picture_seconds(path: Path) -> str:
    """How long the video's picture lasts, in seconds, as ffprobe writes it."""
    return probe(path, "stream=duration", "v:0")


def has_audio(path: Path) -> bool:
    return bool(probe(path, "stream=codec_type", "a"))


def ffmpeg(*args: str) -> None:

    cmd = [*WITH_PARENT, "ffmpeg", "-v", "error", "-y", *args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("ffmpeg: " + (result.stderr.strip().splitlines() or ["failed"])[-1])


def cut_together(clips: list[Path], out: Path, work: Path) -> None:
    """``out`` (.mp4, .srt, .vtt) from ``clips`` in order, each written atomically."""
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix="cut-") as tmp:
        tmpdir = Path(tmp)
        inputs = ["-f", "concat", "-safe", "0", "-i", concat_list(tmpdir / "clips.txt", clips)]
        streams = ["-c", "copy"]
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
            streams = ["-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac"]
        joined = tmpdir / "lesson.mp4"
        ffmpeg(*inputs, *streams, "-movflags", "+faststart", str(joined))
        subtitles = merged_subtitles(clips)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out.with_suffix(".srt"), srt.compose(subtitles))
        write_atomic(out.with_suffix(".vtt"), to_webvtt(subtitles))
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
