"""The real `manim` command, from the repository root, into renders/ (slow: a minute)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gd_engine import load_config
from scenes.lesson import BEATS, plan
from scenes.lesson_trace import lesson_trace

ROOT = Path(__file__).resolve().parents[1]
MANIM = [sys.executable, "-m", "manim"]
OUT = ROOT / "renders" / "videos" / "lesson" / "480p15"


def probe_duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def run_manim(*args, env=None):
    env = {**os.environ, "GDLESSON_SET": "", "GDLESSON_THEME": "", **(env or {})}
    return subprocess.run([*MANIM, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=1200, env=env)


@pytest.mark.slow
def test_lesson_renders_with_one_section_per_beat_and_planned_durations():
    r = run_manim("-ql", "--save_sections", "scenes/lesson.py", "Lesson")
    assert r.returncode == 0, r.stderr[-2000:]
    video = OUT / "Lesson.mp4"
    assert video.exists() and video.stat().st_size > 100_000
    budget = plan(lesson_trace(load_config(ROOT / "lesson.toml")))
    frame = 1 / 15
    assert probe_duration(video) == pytest.approx(sum(budget.values()), abs=len(BEATS) * frame)
    sections = json.loads((OUT / "sections" / "Lesson.json").read_text())
    assert [s["name"] for s in sections] == list(BEATS)
    for s in sections:
        clip = OUT / "sections" / s["video"]
        assert clip.exists()
        assert probe_duration(clip) == pytest.approx(budget[s["name"]], abs=2 * frame), s["name"]


@pytest.mark.slow
def test_last_frame_png_in_the_light_theme(tmp_path):
    r = run_manim("-ql", "-s", "--media_dir", str(tmp_path), "scenes/lesson.py", "AllTogether",
                  env={"GDLESSON_THEME": "light"})
    assert r.returncode == 0, r.stderr[-2000:]
    pngs = list(tmp_path.rglob("AllTogether*.png"))
    assert len(pngs) == 1
    from PIL import Image

    img = Image.open(pngs[0]).convert("RGB")
    assert img.size == (854, 480) and img.getpixel((2, 2)) == (255, 255, 255)


@pytest.mark.slow
def test_a_bad_parameter_stops_the_render_with_one_line(tmp_path):
    r = run_manim("-ql", "--media_dir", str(tmp_path), "scenes/lesson.py", "Data",
                  env={"GDLESSON_SET": "train.lr=-1"})
    assert r.returncode != 0
    assert "train.lr = -1.0 must be > 0" in r.stderr + r.stdout
