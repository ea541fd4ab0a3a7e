"""The narration: words per beat (``scenes/narration.toml``), recorded audio
(``narration/<beat>.wav|mp3``), and the subtitle cues made from them.

The file and folder can be moved with ``$GDLESSON_NARRATION`` and ``$GDLESSON_AUDIO_DIR``.
A follow-up lesson's narration is beside its parameter file: ``lessons/narration/<name>.toml``
(one table per scene) and recordings in ``lessons/narration/<name>/``.

With a voice (``voice = "piper"`` at the top of the file, or ``$GDLESSON_VOICE``, which
``gdlesson build --voice`` sets), a beat without a recording is spoken by it
(``scenes/voice.py``): its cues and marks then fall when their sentences are said.

The words of a lesson of scenes may say numbers of its trace: ``${name}`` is replaced by the
lesson's ``narration_values(trace)[name]`` before anything else reads the words (subtitles,
page transcript, slide notes, the voice), so they say what this run did, not the defaults.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re
import subprocess
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import srt

ROOT = Path(__file__).resolve().parents[1]
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac", ".m4a")
CUE_CHARS = 84  # about two lines of subtitle
LINE_CHARS = 42
CHARS_PER_SECOND = 15.0  # a calm speaking pace: about 150 words a minute
MAX_SECONDS = 600.0  # the longest a beat's set duration may be: ten minutes


class NarrationError(ValueError):
    """A bad narration file or recording; the message is one line naming the file."""


@dataclass(frozen=True)
class Speech:
    """Words spoken into an audio file, and when: each sentence's (start, end) of sound, in
    seconds from the file's start (the sentences of :func:`sentences`)."""

    audio: Path
    seconds: float
    sentences: tuple[str, ...]
    said: tuple[tuple[float, float], ...]

    def time_at(self, at: int) -> float:
        """When the character ``at`` of the words (joined by single spaces) is said: within
        its sentence in proportion to its characters; between sentences, as the next begins."""
        start = 0
        for sentence, (a, b) in zip(self.sentences, self.said):
            if at <= start + len(sentence):
                return a + (b - a) * max(at - start, 0) / max(len(sentence), 1)
            start += len(sentence) + 1
        return self.said[-1][1] if self.said else 0.0


@dataclass(frozen=True)
class Narration:
    text: str = ""  # the words, without their marks
    duration: float | None = None
    audio: Path | None = None
    audio_seconds: float | None = None
    marks: tuple[tuple[str, int], ...] = ()  # (mark, characters of the words before it)
    speech: Speech | None = None  # the words as the voice said them (``audio`` is its file)


#: a mark in the words, ``{name}``: the reveal of that name lands where it is said
MARK = re.compile(r"\s*\{([a-z_]+)\}")


def take_marks(text: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The words without their marks (spaces as subtitles have them), and each mark with the
    number of characters said before it."""
    words, marks = [], []
    for piece, name in zip(*[iter(MARK.split(text) + [None])] * 2):
        words.append(piece)
        if name:
            marks.append((name, len(" ".join("".join(words).split()))))
    return " ".join("".join(words).split()), tuple(marks)


#: a number from the trace in the words, ``${name}`` (a mark has no dollar sign)
VALUE = re.compile(r"\$\{([^{}]*)\}")


def say_values(text: str, values: Callable[[], Mapping[str, str]] | None, where: str) -> str:
    """The words with each ``${name}`` replaced by ``values()[name]`` (``values`` is asked only
    when the words hold one); an unknown name is a NarrationError that says ``where``."""
    names = VALUE.findall(text)
    if not names:
        return text
    known = dict(values()) if values is not None else {}
    for name in names:
        if name not in known:
            choice = f"one of {', '.join(sorted(known))}" if known else "this lesson has none"
            raise NarrationError(
                f"{where}: ${{{name}}} is not a number the lesson's trace gives ({choice})"
            )
    return VALUE.sub(lambda m: known[m.group(1)], text)


def said_number(v: float, digits: int = 2) -> str:
    """A number as the words say it: ``digits`` significant digits, thousands grouped,
    "minus" for a minus sign (``-10`` -> "minus 10", ``52_930`` -> "53,000")."""
    rounded = float(f"{abs(v):.{digits}g}")
    text = f"{rounded:,.0f}" if rounded >= 10 ** (digits - 1) else f"{rounded:g}"
    return f"minus {text}" if v < 0 and rounded else text


#: how a small size is said: in the largest of these parts that it is at least one of
PARTS = ((1e-3, "thousandths"), (1e-6, "millionths"), (1e-9, "billionths"))


def said_size(v: float) -> str:
    """A size as the words say it; a small one in parts (``8.6e-6`` -> "8.6 millionths")."""
    if v == 0 or abs(v) >= 0.01:
        return said_number(v)
    part, name = next(((p, n) for p, n in PARTS if abs(v) >= p), PARTS[-1])
    return f"{said_number(v / part)} {name}"


def said_times(ratio: float) -> str:
    """How many times larger (or smaller) one thing is than another: "53,000 times larger"."""
    if ratio >= 1:
        return f"{said_number(ratio)} times larger"
    return f"{said_number(1 / ratio)} times smaller" if ratio > 0 else "not comparable"


def mark_times(n: Narration, seconds: float) -> dict[str, tuple[float, float]]:
    """When each mark is said (as the voice said it, or over ``seconds`` as the subtitles
    spread the words), and when the cue that says it ends: {mark: (seconds, end of its cue)}."""
    cues = split_cues(n.text)
    times = narration_cue_times(cues, seconds, n.speech)
    result, start = {}, 0
    for cue, (a, b) in zip(cues, times):
        end = start + len(cue)
        for name, at in n.marks:
            if start <= at <= end and name not in result:
                said = (
                    n.speech.time_at(at)
                    if n.speech
                    else a + (b - a) * (at - start) / max(len(cue), 1)
                )
                result[name] = (said, b)
        start = end + 1  # the space between cues
    return result


#: the voices that can speak a narration (scenes/voice.py)
VOICES = ("piper",)


def voice_choice(raw: dict, path: Path) -> str | None:
    """The voice that speaks the narration: ``$GDLESSON_VOICE``, else the file's ``voice``
    (taken out of ``raw``), else none."""
    given = raw.pop("voice", None)
    if given is not None and given not in VOICES:
        raise NarrationError(f"{path}: voice = {given!r} must be one of: {', '.join(VOICES)}")
    chosen = os.environ.get("GDLESSON_VOICE")
    if chosen and chosen not in VOICES:
        raise NarrationError(
            f"$GDLESSON_VOICE = {chosen!r} is not a voice; voices are {', '.join(VOICES)}"
        )
    return chosen or given


def narration_path() -> Path:
    return Path(os.environ.get("GDLESSON_NARRATION") or ROOT / "scenes" / "narration.toml")


def audio_dir() -> Path:
    return Path(os.environ.get("GDLESSON_AUDIO_DIR") or ROOT / "narration")


def load_narration(
    beats: tuple[str, ...],
    path: Path | None = None,
    audio: Path | None = None,
    what="beat",
    marks: dict[str, tuple[str, ...]] | None = None,
    values: Callable[[], Mapping[str, str]] | None = None,
) -> dict[str, Narration]:
    """Every beat's narration (or scene's: ``what``): its words, the numbers they say (each
    ``${name}`` one of ``values()``), the marks in them (each one of ``marks[beat]``), its
    duration and its recording, checked."""
    named = "$GDLESSON_NARRATION" if path is None and os.environ.get("GDLESSON_NARRATION") else ""
    path = path or narration_path()
    audio = audio or audio_dir()
    raw: dict = {}
    if path.is_dir():
        raise NarrationError(
            f"{path}: {named or 'the narration'} must be a TOML file, not a folder"
        )
    if named and not path.exists():
        raise NarrationError(f"{path}: {named} names no file")
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise NarrationError(f"{path}: malformed TOML: {exc}") from None
        except OSError as exc:
            raise NarrationError(f"{path}: cannot read file ({exc.__class__.__name__})") from None
    voice = voice_choice(raw, path)
    result = {}
    for beat in raw:
        if beat not in beats:
            raise NarrationError(
                f"{path}: [{beat}] is not a {what}; {what}s are {', '.join(beats)}"
            )
        if not isinstance(raw[beat], dict):
            raise NarrationError(
                f"{path}: {beat} must be one table [{beat}] (text, duration, audio), "
                f"not {_kind(beat, raw[beat])}"
            )
    values = values and functools.cache(values)  # the trace's numbers: asked once at most
    for beat in beats:
        entry = raw.get(beat, {})
        unknown = set(entry) - {"text", "duration", "audio"}
        if unknown:
            raise NarrationError(
                f"{path}: {beat}.{sorted(unknown)[0]} is not a narration key "
                "(text, duration, audio)"
            )
        text = entry.get("text", "")
        if not isinstance(text, str):
            raise NarrationError(f"{path}: {beat}.text must be a string")
        text, said = take_marks(say_values(text, values, f"{path}: {beat}.text"))
        known = (marks or {}).get(beat, ())
        for name, _ in said:
            if name not in known:
                choice = f"one of {', '.join(known)}" if known else "none: this one has none"
                raise NarrationError(
                    f"{path}: {beat}.text: mark {{{name}}} is not a mark of the {what} ({choice})"
                )
        duration = entry.get("duration")
        if duration is not None and (
            isinstance(duration, bool)
            or not isinstance(duration, int | float)
            or not 0 < duration <= MAX_SECONDS  # also false for nan
        ):
            raise NarrationError(
                f"{path}: {beat}.duration = {duration!r} must be a number of seconds > 0 "
                f"and at most {MAX_SECONDS:g}"
            )
        recording = None
        if "audio" in entry:
            given = entry["audio"]
            if not isinstance(given, str) or not given.strip():
                raise NarrationError(
                    f"{path}: {beat}.audio = {given!r} must be a file name (a string)"
                )
            recording = (path.parent / given).resolve()
            if not recording.exists():
                raise NarrationError(f"{recording}: audio file for {what} {beat} not found")
            if not recording.is_file():
                raise NarrationError(
                    f"{path}: {beat}.audio = {given!r} is a folder, not an audio file"
                )
        else:
            found = [
                audio / f"{beat}{s}" for s in AUDIO_SUFFIXES if (audio / f"{beat}{s}").exists()
            ]
            recording = found[0] if found else None
        seconds = audio_seconds(recording) if recording else None
        result[beat] = Narration(text, duration and float(duration), recording, seconds, said)
    unrecorded = {b: n.text for b, n in result.items() if n.audio is None and n.text}
    if voice and unrecorded:
        from scenes.voice import speak

        for beat, speech in zip(unrecorded, speak(list(unrecorded.values()))):
            result[beat] = replace(
                result[beat], audio=speech.audio, audio_seconds=speech.seconds, speech=speech
            )
    return result


def _kind(name: str, value) -> str:
    """What the TOML value ``name`` that should have been a table is, said in words."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"an array of tables [[{name}]]"
    return f"{name} = {value!r}"


def followup_narration(
    lesson_file: str | Path,
    scenes: tuple[str, ...],
    values: Callable[[], Mapping[str, str]] | None = None,
    marks: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, Narration]:
    """A follow-up lesson's narration, per scene, from beside its parameter file; the numbers
    it says (``${name}``) from ``values()``, its marks each one of ``marks[scene]``."""
    lesson = Path(lesson_file)
    folder = lesson.parent / "narration"
    return load_narration(
        scenes, folder / f"{lesson.stem}.toml", folder / lesson.stem, "scene", marks, values
    )


def spoken_seconds(n: Narration) -> float:
    """How long the narration lasts: its recording, else its set duration, else the time its
    words take to say."""
    return n.audio_seconds or n.duration or reading_seconds(n.text)


def add_subtitles(scene, text: str, seconds: float, speech: Speech | None = None) -> None:
    """``text`` as subtitle cues over the next ``seconds`` of ``scene``; with its ``speech``,
    each cue from when its words are said."""
    cues = split_cues(text)
    for cue, (a, b) in zip(cues, narration_cue_times(cues, seconds, speech)):
        scene.add_subcaption(cue, duration=b - a, offset=a)


def write_vtt_beside(scene) -> None:
    """A WebVTT copy of the scene's subtitles beside its video (Manim writes the .srt)."""
    from manim import config

    from gd_engine.trace import write_atomic

    writer = scene.renderer.file_writer
    subs: list[srt.Subtitle] = list(getattr(writer, "subcaptions", []))
    plan_ = getattr(writer, "output_plan", None)
    target = getattr(plan_, "subcaption_file", None) if plan_ else None
    if subs and target is not None and not config.dry_run:
        write_atomic(Path(target).with_suffix(".vtt"), to_webvtt(subs))


def audio_seconds(path: Path) -> float:
    """The length of a recording, read by ffprobe; a clear error if it is not usable."""
    try:
        size = path.stat().st_size
    except OSError:
        raise NarrationError(f"{path}: audio file cannot be read") from None
    if size == 0:
        raise NarrationError(f"{path}: audio file is empty")
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
    )
    try:
        seconds = float(probe.stdout.strip())
    except ValueError:
        raise NarrationError(f"{path}: cannot be read as audio") from None
    if seconds <= 0:
        raise NarrationError(f"{path}: audio file is empty")
    return seconds


def sentences(text: str) -> list[str]:
    """The words' sentences (and clauses after a colon or semicolon), in order: joined by
    single spaces they are the words."""
    return [s for s in re.split(r"(?<=[.!?:;])\s+", " ".join(text.split())) if s]


def split_cues(text: str, limit: int = CUE_CHARS) -> list[str]:
    """The text in cues of at most ``limit`` characters (about two subtitle lines): whole
    sentences where they fit, long sentences cut into near-equal parts at word breaks."""
    pieces: list[str] = []
    for sentence in sentences(text):
        parts = math.ceil(len(sentence) / limit)
        words, target, current = sentence.split(), len(sentence) / parts, ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if current and (len(candidate) > limit or len(current) >= target):
                pieces.append(current)
                current = word
            else:
                current = candidate
        pieces.append(current)
    cues: list[str] = []
    for piece in pieces:  # join short neighbours
        if cues and len(cues[-1]) + 1 + len(piece) <= limit:
            cues[-1] = f"{cues[-1]} {piece}"
        else:
            cues.append(piece)
    return [two_lines(c) for c in cues]


def two_lines(cue: str) -> str:
    """A cue longer than one subtitle line, broken at the space nearest its middle."""
    if len(cue) <= LINE_CHARS:
        return cue
    spaces = [i for i, ch in enumerate(cue) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(cue) / 2))
    return f"{cue[:cut]}\n{cue[cut + 1 :]}"


def reading_seconds(text: str) -> float:
    """How long the words take to say (and to read as subtitles) at a calm pace."""
    return len(" ".join(text.split())) / CHARS_PER_SECOND + 0.5 if text.strip() else 0.0


def cue_times(
    cues: list[str], start: float, duration: float, gap: float = 0.1
) -> list[tuple[float, float]]:
    """(start, end) of each cue: the beat's time shared in proportion to the cues' lengths,
    a short gap between cues, all inside [start, start + duration]."""
    if not cues:
        return []
    usable = max(duration - gap * len(cues), 0.1 * duration)
    total = sum(len(c) for c in cues)
    times, t = [], start
    for c in cues:
        length = usable * len(c) / total
        times.append((t, t + length))
        t += length + gap
    return times


def narration_cue_times(
    cues: list[str], seconds: float, speech: Speech | None, gap: float = 0.1
) -> list[tuple[float, float]]:
    """(start, end) of each cue within ``seconds``: from when its first word is said to a
    ``gap`` before the next cue (the last: to the end of the speech or of ``seconds``, the
    sooner, but not before its words end); without speech, :func:`cue_times`."""
    if speech is None:
        return cue_times(cues, 0.0, seconds)
    said, start = [], 0
    for cue in cues:
        said.append((speech.time_at(start), speech.time_at(start + len(cue))))
        start += len(cue) + 1
    times = []
    for i, (a, end) in enumerate(said):
        if i + 1 < len(said):
            b = max(said[i + 1][0] - gap, a)
        else:
            b = max(end, min(seconds, speech.seconds))
        times.append((a, b))
    return times


def to_webvtt(subtitles: list[srt.Subtitle]) -> str:
    """The same cues as WebVTT, for the web page's <track>."""

    def stamp(td: datetime.timedelta) -> str:
        ms = round(td.total_seconds() * 1000)
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"

    blocks = ["WEBVTT", ""]
    for sub in sorted(subtitles, key=lambda s: s.start):
        blocks += [f"{stamp(sub.start)} --> {stamp(sub.end)}", sub.content, ""]
    return "\n".join(blocks)
