"""The real `manim` command, from the repository root, into renders/ (slow: a minute)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import srt
from building import narration_file

from gd_engine import load_config
from gdlesson.lesson_video import duration
from scenes.lesson import lesson_plan
from scenes.storyboard import BEATS

ROOT = Path(__file__).resolve().parents[1]
MANIM = [sys.executable, "-m", "manim"]
OUT = ROOT / "renders" / "videos" / "lesson" / "480p15"


def run_manim(*args, env=None):
    env = {**os.environ, "GDLESSON_SET": "", "GDLESSON_THEME": "", **(env or {})}
    return subprocess.run(
        [*MANIM, "--disable_caching", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        env=env,
    )


@pytest.mark.slow
def test_lesson_renders_with_one_section_per_beat_and_planned_durations(tmp_path, monkeypatch):
    # short words (tests/building.py): each beat as long as its animations, not its speech
    monkeypatch.setenv("GDLESSON_NARRATION", str(narration_file(tmp_path)))
    r = run_manim("-ql", "--save_sections", "scenes/lesson.py", "Lesson")
    assert r.returncode == 0, r.stderr[-2000:]
    video = OUT / "Lesson.mp4"
    assert video.exists() and video.stat().st_size > 100_000
    budget = lesson_plan(load_config(ROOT / "lesson.toml"), fps=15)  # -ql
    frame = 1 / 15
    lesson_seconds = duration(video)
    assert lesson_seconds == pytest.approx(sum(budget.values()), abs=len(BEATS) * frame)
    sections = json.loads((OUT / "sections" / "Lesson.json").read_text())
    assert [s["name"] for s in sections] == list(BEATS)
    starts, t = {}, 0.0
    for s in sections:
        clip = OUT / "sections" / s["video"]
        assert clip.exists()
        length = duration(clip)
        assert length == pytest.approx(budget[s["name"]], abs=2 * frame), s["name"]
        starts[s["name"]] = (t, t + length)
        t += length

    # subtitles beside the video: every beat's words, in order, no overlap, inside the video
    cues = list(srt.parse((OUT / "Lesson.srt").read_text()))
    assert len(cues) >= len(BEATS)
    for a, b in zip(cues, cues[1:]):
        assert a.start < a.end <= b.start
    assert cues[-1].end.total_seconds() <= lesson_seconds + 0.05
    for beat, (a, b) in starts.items():
        first = min(
            c.start.total_seconds() for c in cues if a - 0.05 <= c.start.total_seconds() < b
        )
        assert first == pytest.approx(a, abs=2 * frame), beat
    vtt = (OUT / "Lesson.vtt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == len(cues)


@pytest.mark.slow
def test_last_frame_png_in_the_light_theme(tmp_path):
    r = run_manim(
        "-ql",
        "-s",
        "--media_dir",
        str(tmp_path),
        "scenes/lesson.py",
        "AllTogether",
        env={"GDLESSON_THEME": "light"},
    )
    assert r.returncode == 0, r.stderr[-2000:]
    pngs = list(tmp_path.rglob("AllTogether*.png"))
    assert len(pngs) == 1
    from PIL import Image

    img = Image.open(pngs[0]).convert("RGB")
    assert img.size == (854, 480) and img.getpixel((2, 2)) == (255, 255, 255)


@pytest.mark.slow
def test_a_bad_parameter_stops_the_render_with_one_line(tmp_path):
    r = run_manim(
        "-ql",
        "--media_dir",
        str(tmp_path),
        "scenes/lesson.py",
        "Data",
        env={"GDLESSON_SET": "train.lr=-1"},
    )
    assert r.returncode != 0
    assert "train.lr = -1.0 must be > 0" in r.stderr + r.stdout


@pytest.mark.slow
def test_a_recorded_voice_plays_and_sets_its_beats_length(tmp_path):
    voice = tmp_path / "voice"
    voice.mkdir()
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=330:duration=13.5",
            str(voice / "model_and_cost.wav"),
        ],
        check=True,
    )
    media = tmp_path / "media"
    r = run_manim(
        "-ql",
        "--media_dir",
        str(media),
        "scenes/lesson.py",
        "ModelAndCost",
        env={"GDLESSON_AUDIO_DIR": str(voice)},
    )
    assert r.returncode == 0, r.stderr[-2000:]
    video = next(media.rglob("ModelAndCost.mp4"))
    assert duration(video) == pytest.approx(13.5, abs=0.15)
    streams = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a",
            "-show_entries",
            "stream=codec_type",
            "-of",
            "csv=p=0",
            str(video),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert streams == ["audio"]
    cues = list(srt.parse(video.with_suffix(".srt").read_text()))
    assert cues[0].start.total_seconds() == 0 and cues[-1].end.total_seconds() <= 13.5


@pytest.mark.slow
def test_an_empty_recording_stops_the_render_naming_the_file(tmp_path):
    (tmp_path / "data.wav").write_bytes(b"")
    r = run_manim(
        "-ql",
        "--media_dir",
        str(tmp_path / "media"),
        "scenes/lesson.py",
        "Data",
        env={"GDLESSON_AUDIO_DIR": str(tmp_path)},
    )
    assert r.returncode != 0 or "Traceback" not in r.stderr
    assert f"{tmp_path / 'data.wav'}: audio file is empty" in r.stderr
