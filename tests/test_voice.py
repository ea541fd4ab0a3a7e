"""The offline draft voice (``--voice piper``): two short beats built with it, their sound
checked by ear's proxies (length, loudness, where each sentence is heard), one beat's words
edited, and a model that is not the pinned one refused."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import srt
from building import build, manifest

from gdlesson.build import clip_name
from gdlesson.lesson_video import cut_together
from scenes.narration import (
    Narration,
    NarrationError,
    Speech,
    load_narration,
    mark_times,
    narration_cue_times,
    sentences,
    split_cues,
    take_marks,
)
from scenes.storyboard import BEATS, MARKS
from scenes.voice import CACHE, MODEL_SHA256, cache_key

ROOT = Path(__file__).resolve().parents[1]
RATE = 22050
LEVEL = 0.02  # of full scale: louder than this is sound
QUIET = 0.3  # seconds of quiet before a sentence is heard (the voice pauses 0.4 s)
FRAME = 1 / 15  # -q l

#: each cue one sentence: cost_curve says more than its animation lasts (5.8 s)
WORDS = {
    "cost_curve": (
        "Now look at the same numbers as a picture. "
        "The top plot{curve} is the cost for many values of w. "
        "The blue dot{dot} marks where we are at the start of the run."
    ),
    "fit": "The bottom plot shows the data and the line{line}. It starts far too steep.",
}


def narration_toml(words: dict[str, str]) -> str:
    return "".join(f'[{beat}]\ntext = "{text}"\n\n' for beat, text in words.items())


def voiced_build(out: Path, narration: Path, *args, **kw):
    only = [a for beat in WORDS for a in ("--only", beat)]
    return build(
        out, *only, "--voice", "piper", *args, env={"GDLESSON_NARRATION": str(narration)}, **kw
    )


@pytest.fixture(scope="module")
def voiced(tmp_path_factory):
    """The two beats, built with the voice at -q l; (out folder, narration file)."""
    folder = tmp_path_factory.mktemp("voice")
    narration = folder / "narration.toml"
    narration.write_text(narration_toml(WORDS))
    out = folder / "out"
    voiced_build(out, narration)
    return out, narration


def clip(out: Path, beat: str) -> Path:
    return out / f"{clip_name(BEATS, beat)}.mp4"


def stream_seconds(video: Path) -> dict[str, float]:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,duration"]
        + ["-of", "json", str(video)],
        capture_output=True,
        text=True,
        check=True,
    )
    streams = json.loads(probe.stdout)["streams"]
    assert [s["codec_name"] for s in streams if s["codec_type"] == "audio"] == ["aac"]
    return {s["codec_type"]: float(s["duration"]) for s in streams}


def heard(video: Path) -> np.ndarray:
    """The video's sound, mono, as floats of full scale."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-map", "0:a:0"]
        + ["-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.int16) / 32768.0


def onsets(sound: np.ndarray) -> list[float]:
    """When sound is heard after at least QUIET seconds of quiet (or at first), seconds."""
    loud = np.flatnonzero(np.abs(sound) > LEVEL)
    starts = [loud[0]] + [b for a, b in zip(loud, loud[1:]) if b - a > QUIET * RATE]
    return [i / RATE for i in starts]


def spoken_file(words: str) -> Path:
    """Where the voice caches its speech of ``words``."""
    return CACHE / f"{cache_key(sentences(take_marks(words)[0]))}.wav"


def cues(path: Path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_text(encoding="utf-8")))


@pytest.mark.slow
@pytest.mark.parametrize("beat", list(WORDS))
def test_each_beat_carries_its_speech_as_long_as_its_picture(voiced, beat):
    out, _ = voiced
    seconds = stream_seconds(clip(out, beat))
    assert abs(seconds["audio"] - seconds["video"]) < FRAME
    sound = heard(clip(out, beat))
    assert len(sound) / RATE == pytest.approx(seconds["video"], abs=FRAME)
    said = sound[: int(onsets(sound)[-1] * RATE) + RATE // 2]
    assert np.sqrt(np.mean(said**2)) > 0.03  # speech, not silence nor hiss


@pytest.mark.slow
@pytest.mark.parametrize("beat", list(WORDS))
def test_every_cue_starts_when_its_sentence_is_heard(voiced, beat):
    out, _ = voiced
    heard_at = onsets(heard(clip(out, beat)))
    starts = [c.start.total_seconds() for c in cues(clip(out, beat).with_suffix(".srt"))]
    assert len(starts) == len(split_cues(take_marks(WORDS[beat])[0]))
    for start in starts:
        assert min(abs(start - t) for t in heard_at) <= 0.05, (start, heard_at)


@pytest.mark.slow
def test_a_beat_lasts_as_long_as_its_speech_needs(voiced):
    out, _ = voiced
    sound = heard(clip(out, "cost_curve"))
    last_sound = np.flatnonzero(np.abs(sound) > LEVEL)[-1] / RATE
    picture = stream_seconds(clip(out, "cost_curve"))["video"]
    assert last_sound > 5.8 + 1  # longer than the beat's animation
    assert last_sound < picture < last_sound + 1.0  # the speech ends, then the beat


@pytest.mark.slow
def test_the_lesson_cut_keeps_each_clips_sound_under_its_picture(voiced, tmp_path):
    out, _ = voiced
    clips = [clip(out, "cost_curve"), clip(out, "fit")]
    lesson = tmp_path / "Lesson.mp4"
    cut_together(clips, lesson, tmp_path / "work", ["The cost curve", "The fit"])
    seconds = stream_seconds(lesson)
    assert abs(seconds["audio"] - seconds["video"]) < FRAME
    first = stream_seconds(clips[0])["video"]
    assert seconds["video"] == pytest.approx(first + stream_seconds(clips[1])["video"], abs=0.01)
    heard_at = onsets(heard(lesson))
    for cue in cues(lesson.with_suffix(".srt")):
        assert min(abs(cue.start.total_seconds() - t) for t in heard_at) <= 0.05
    assert any(abs(t - first) <= 0.05 for t in heard_at)  # the second beat speaks at its start


@pytest.mark.slow
def test_editing_one_beats_words_speaks_and_renders_that_beat_again_only(voiced, tmp_path):
    out, narration = voiced
    copy, edited = tmp_path / "out", tmp_path / "narration.toml"
    shutil.copytree(out, copy)
    words = {**WORDS, "fit": "The bottom plot shows the line{line}. It is far too steep at first."}
    edited.write_text(narration_toml(words))
    kept = spoken_file(WORDS["cost_curve"])
    written = kept.stat().st_mtime_ns
    voiced_build(copy, edited)
    assert kept.stat().st_mtime_ns == written and spoken_file(words["fit"]).exists()
    before, after = manifest(out), manifest(copy)
    changed = {p for p in after if after[p]["sha256"] != before.get(p, {}).get("sha256")}
    fit, cost_curve = clip_name(BEATS, "fit"), clip_name(BEATS, "cost_curve")
    assert {f"{fit}.mp4", f"{fit}.srt", f"{fit}.vtt", "gifs/fit.gif"} <= changed
    assert not any(p.startswith(cost_curve) or p == "gifs/cost_curve.gif" for p in changed)
    said = " ".join(c.content.replace("\n", " ") for c in cues(copy / f"{fit}.srt"))
    assert said == "The bottom plot shows the line. It is far too steep at first."


def test_a_model_that_is_not_the_pinned_one_stops_the_build_in_one_line(tmp_path):
    model = tmp_path / "en_US-joe-medium.onnx"
    model.write_bytes(b"not the voice")
    narration = tmp_path / "narration.toml"
    narration.write_text(narration_toml({"fit": "Words to say."}))
    paths = [str(ROOT / "tests" / "wrong_voice"), os.environ.get("PYTHONPATH", "")]
    out = tmp_path / "out"
    r = build(
        out,
        "--voice",
        "piper",
        env={
            "GDLESSON_NARRATION": str(narration),
            "GDLESSON_TEST_VOICE_MODEL": str(model),
            "PYTHONPATH": os.pathsep.join(paths),
        },
        check=False,
    )
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    actual = hashlib.sha256(b"not the voice").hexdigest()
    assert (
        lines[0] == f"gdlesson: {model}: sha256 {actual} does not match the pinned {MODEL_SHA256}"
    )
    assert not out.exists()


# the words' timing, without synthesis ----------------------------------------------------
SPOKEN = Speech(
    Path("spoken.wav"),
    6.0,
    ("One sentence here.", "And the next one comes."),
    ((0.1, 1.9), (2.3, 5.2)),
)


def test_cues_and_marks_fall_when_their_sentences_are_said():
    text = "One sentence here. And the next one comes."
    said = narration_cue_times(["One sentence here.", "And the next one comes."], 5.5, SPOKEN)
    # each cue from when its sentence is heard to a tenth before the next; the last to 5.5
    assert [t for cue in said for t in cue] == pytest.approx([0.1, 2.2, 2.3, 5.5])
    marks = (("first", 0), ("second", len("One sentence here. ")), ("end", len(text)))
    n = Narration(text, marks=marks, speech=SPOKEN)
    times = mark_times(n, 5.5)
    assert times["first"] == (0.1, 5.5)  # one cue: both sentences fit in it
    assert times["second"][0] == pytest.approx(2.3)
    assert times["end"][0] == pytest.approx(5.2)
    # within a sentence, in proportion to its characters
    assert SPOKEN.time_at(len("One sentence")) == pytest.approx(0.1 + 1.8 * 12 / 18)


def test_a_voice_that_is_not_one_stops_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "narration.toml"
    path.write_text('voice = "espeak"\n[fit]\ntext = "Words."\n')
    with pytest.raises(NarrationError, match=r"voice = 'espeak' must be one of: piper$"):
        load_narration(BEATS, path, tmp_path, marks=MARKS)
    monkeypatch.setenv("GDLESSON_VOICE", "robot")
    path.write_text('[fit]\ntext = "Words."\n')
    with pytest.raises(NarrationError, match=r"GDLESSON_VOICE = 'robot' is not a voice"):
        load_narration(BEATS, path, tmp_path, marks=MARKS)


def test_a_recording_wins_over_the_voice_and_the_voice_speaks_the_same_bytes(tmp_path, monkeypatch):
    recordings = tmp_path / "narration"
    recordings.mkdir()
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=1.5"]
        + [str(recordings / "fit.wav")],
        check=True,
    )
    path = tmp_path / "narration.toml"
    path.write_text(
        'voice = "piper"\n' + narration_toml({"fit": "Recorded.", "close": "Short words."})
    )
    found = load_narration(BEATS, path, recordings, marks=MARKS)
    assert found["fit"].audio == recordings / "fit.wav" and found["fit"].speech is None
    assert found["close"].speech is not None and found["data"].speech is None  # no words
    spoken = found["close"].speech
    assert spoken.audio.read_bytes()  # cached under renders/cache/voice
    # a clean cache speaks the same file, byte for byte
    from scenes.voice import speak

    again = speak(["Short words."], tmp_path / "cache")[0]
    assert again.audio.read_bytes() == spoken.audio.read_bytes()
    assert again.said == spoken.said
