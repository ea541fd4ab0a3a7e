"""`gdlesson build --all`: the whole course in one command, its pages linked together, and a
follow-up lesson's outputs as built by it. (A file of its own, so that pytest-xdist runs
it beside the other build tests.)"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_build_all_builds_the_whole_course_linked_together(tmp_path):
    out = tmp_path / "course"
    cmd = [sys.executable, "-m", "gdlesson", "build", "--all", "-q", "l", "--out", str(out)]
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-2000:]
    from gd_engine.followup import load_followup

    page = (out / "index.html").read_text()
    assert (out / "lesson" / "Lesson.mp4").exists()
    for toml in sorted((ROOT / "lessons").glob("*.toml")):
        lesson = out / toml.stem
        manifest = json.loads((lesson / "manifest.json").read_text())
        assert any(o["path"].startswith("videos/") for o in manifest["outputs"])
        assert '<a href="../index.html">' in (lesson / "index.html").read_text()
        assert f'<a href="{toml.stem}/index.html">{load_followup(toml).title}</a>' in page
    check_batch_modes(out / "batch_modes")
    manifest = (out / "batch_modes" / "manifest.json").read_text()
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0
    assert again.stderr.count("│     0 │") == 5  # five builds, nothing built again
    assert (out / "batch_modes" / "manifest.json").read_text() == manifest
    refused = subprocess.run([*cmd, "--set", "train.lr=0.2"], capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.strip().count("\n") == 0


def check_batch_modes(out: Path) -> None:
    """The batch-modes lesson: its outputs, its video as long as planned, its narration as
    subtitles inside the video, its page."""
    import srt

    from gd_engine.followup import FollowUpTrace
    from gdlesson.lesson_video import duration
    from scenes.followup import planned_seconds
    from scenes.narration import followup_narration

    manifest = json.loads((out / "manifest.json").read_text())
    paths = {o["path"] for o in manifest["outputs"]}
    assert {
        "trace.json",
        "videos/BatchModes.mp4",
        "videos/BatchModes.srt",
        "videos/BatchModes.vtt",
        "gifs/BatchModes.gif",
        "index.html",
    } <= paths
    assert manifest["config"]["lesson"]["kind"] == "batch_modes"
    trace = FollowUpTrace.load(out / "trace.json")
    video = out / "videos" / "BatchModes.mp4"
    # the narration fits in the animation: the plan is the animation's
    assert duration(video) == pytest.approx(planned_seconds(trace, "BatchModes"), abs=0.2)
    words = followup_narration(ROOT / "lessons" / "batch_modes.toml", ("BatchModes",))
    cues = list(srt.parse((out / "videos" / "BatchModes.srt").read_text()))
    spoken = " ".join(" ".join(c.content.split()) for c in cues)
    assert spoken == " ".join(words["BatchModes"].text.split())
    assert cues[-1].end.total_seconds() <= duration(video) + 0.05
    assert (out / "videos" / "BatchModes.vtt").read_text().startswith("WEBVTT")
    page = (out / "index.html").read_text()
    assert 'src="videos/BatchModes.mp4"' in page and 'src="gifs/BatchModes.gif"' in page
    assert 'src="videos/BatchModes.vtt"' in page
