"""`gdlesson build` through the real CLI: the whole course (`--all`, conftest's ``built``,
made once per run), incremental rebuilds, failures, and every regeneration right (damage,
permissions). A changed config and a killed build are in tests/test_rebuild.py."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import srt
from building import ROOT, build, build_cmd, differences, every_file, manifest
from running import gdlesson


def probe(path: Path, entries="format=duration", stream=None) -> str:
    cmd = [
        "ffprobe",
        "-v",
        "error",
        *(["-select_streams", stream] if stream else []),
        "-show_entries",
        entries,
        "-of",
        "csv=p=0",
        str(path),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.slow
def test_a_build_writes_every_output_and_a_manifest_of_them(built):
    from scenes.storyboard import BEATS

    out, env, first = built
    m = manifest(out)
    assert "built" in first.stderr
    for i, beat in enumerate(BEATS, 1):
        for suffix in (".mp4", ".srt", ".vtt", ".png"):  # .png: the clip's poster
            assert f"lesson/beats/{i:02d}_{beat}{suffix}" in m
        assert f"gifs/{beat}.gif" in m and f"gifs/{beat}.png" in m
    for path in (
        "lesson/Lesson.mp4",
        "lesson/Lesson.srt",
        "lesson/Lesson.vtt",
        "lesson/Lesson.png",
        "lesson/chapters.vtt",
        "lesson/chapters.txt",
        "gifs/descent.gif",
        "trace.json",
        "index.html",
        "figures/loss_per_iteration.png",
        "figures/cost_epoch02.svg",
    ):
        assert path in m, path
    for path, entry in m.items():
        assert (out / path).stat().st_size == entry["bytes"] > 0
        assert len(entry["inputs"]) == 20 and entry["kind"]
    # the lesson is its clips cut together, subtitles on the same timeline
    clips = [out / f"lesson/beats/{i:02d}_{b}.mp4" for i, b in enumerate(BEATS, 1)]
    total = sum(float(probe(c)) for c in clips)
    assert float(probe(out / "lesson/Lesson.mp4")) == pytest.approx(total, abs=0.2)
    cues = list(srt.parse((out / "lesson/Lesson.srt").read_text()))
    assert len(cues) == len(BEATS)
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:]))
    assert cues[-1].end.total_seconds() <= total
    # GIFs: looping, palette-optimised, web width
    from PIL import Image

    gif = Image.open(out / "gifs/descent.gif")
    assert gif.size[0] == 720 and gif.info.get("loop") == 0 and gif.n_frames > 10
    assert not list(out.glob(".work/*")) and not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_nothing_changed_renders_nothing(built, tmp_path):
    import shutil

    out0, env, _ = built
    out = tmp_path / "renders"
    shutil.copytree(out0, out)  # as it is, times and all
    before = {p: (out / p).stat().st_mtime_ns for p in manifest(out)}
    r = build(out, env=env)
    assert "│     0 │" in r.stderr  # built 0
    after = {p: (out / p).stat().st_mtime_ns for p in manifest(out)}
    changed = [p for p in before if after[p] != before[p]]
    assert changed == []


def failing_beat_path() -> str:
    """PYTHONPATH with tests/failing_beat/ first: its sitecustomize makes a beat fail."""
    paths = [str(ROOT / "tests" / "failing_beat"), os.environ.get("PYTHONPATH", "")]
    return os.pathsep.join(p for p in paths if p)


@pytest.mark.slow
def test_a_failed_beat_is_named_and_the_rest_completes(built, tmp_path):
    import shutil

    out0, env, _ = built
    out = tmp_path / "renders"
    shutil.copytree(out0, out)
    r = build(
        out,
        "--force",
        "--only",
        "fit",
        "--only",
        "loss_plot",
        env={**env, "GDLESSON_TEST_FAIL_BEAT": "fit", "PYTHONPATH": failing_beat_path()},
        check=False,
    )
    assert r.returncode == 1
    assert "failed lesson/beats/08_fit.mp4" in r.stderr.replace("\n", " ")
    assert "beat fit failed on purpose" in r.stderr.replace("\n", " ")
    m = manifest(out)
    assert "lesson/beats/12_loss_plot.mp4" in m and (out / "lesson/beats/12_loss_plot.mp4").exists()


@pytest.mark.slow
def test_damaged_and_deleted_outputs_are_rebuilt_byte_for_byte(built, tmp_path):
    import shutil

    out0, env, _ = built
    clean = every_file(out0)
    out = tmp_path / "renders"
    shutil.copytree(out0, out)
    for path in (
        # drawn again with the outlines the first build kept (scenes/svg_cache.py): 02 shows
        # Typst formulas, 14 texts only
        "lesson/beats/02_model_and_cost.mp4",
        "lesson/beats/14_close.mp4",
        "gifs/close.gif",
        "figures/loss_per_iteration.png",
        "lesson/Lesson.vtt",
        "lesson/chapters.vtt",
        "lesson/beats/03_settings.png",
        "gifs/fit.png",
        "trace.json",
        "explorer/traces.js",
        "index.html",
    ):
        (out / path).write_bytes(b"")
    (out / "gifs/data.gif").unlink()
    (out / "figures/fit_epoch01.svg").write_text("<svg/>")  # edited, same name
    r = build(out, env=env)
    assert differences(every_file(out), clean) == []
    m = manifest(out)
    assert all(entry["bytes"] > 0 for entry in m.values())
    assert "14_close.mp4" in r.stderr or "built" in r.stderr


@pytest.mark.slow
def test_only_with_another_config_refuses_and_writes_nothing(built, tmp_path):
    import shutil

    out0, env, _ = built
    out = tmp_path / "renders"
    shutil.copytree(out0, out)
    before = every_file(out)
    r = build(out, "--only", "iterate", "--set", "train.lr=0.2", env=env, check=False)
    assert r.returncode == 2, r.stderr[-2000:]
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("gdlesson: --only iterate:")
    assert "build without --only" in r.stderr and "Traceback" not in r.stderr
    assert differences(every_file(out), before) == []


@pytest.mark.slow
def test_every_output_gets_the_users_umask(built):
    out, _, _ = built
    mask = os.umask(0o022)
    os.umask(mask)
    for path in out.rglob("*"):
        mode = path.stat().st_mode & 0o777
        expected = (0o777 if path.is_dir() else 0o666) & ~mask
        assert mode == expected, (str(path.relative_to(out)), oct(mode))


@pytest.mark.slow
def test_two_builds_at_once_take_turns(built, tmp_path):
    import shutil

    out0, env, _ = built
    out = tmp_path / "renders"
    shutil.copytree(out0, out)
    cmd = build_cmd(out, "--only", "close")
    a = subprocess.Popen(
        [*cmd, "--force"], cwd=ROOT, env={**os.environ, **env}, stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.5)
    b = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=600
    )
    a_err = a.communicate(timeout=600)[1]
    assert a.returncode == 0 and b.returncode == 0, (a_err[-1000:], b.stderr[-1000:])
    assert "another build is running" in b.stderr
    # the second waited for the first and read what it wrote: nothing left to build
    assert "│     0 │" in b.stderr and "│     0 │" not in a_err
    assert json.loads((out / "manifest.json").read_text())["outputs"]


def test_a_bad_parameter_stops_the_build_in_one_line(tmp_path):
    r = gdlesson("build", "--out", tmp_path / "r", "--set", "train.epochs=0")
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "train.epochs = 0 must be between 1 and 1000" in r.stderr
    assert not (tmp_path / "r").exists()
    r = gdlesson("build", "--only", "nope")
    assert r.returncode == 2 and "--only nope: not a beat" in r.stderr


def test_a_first_step_past_the_bound_stops_the_build_before_it_writes(tmp_path):
    out = tmp_path / "r"
    r = build(out, "--set", "train.lr=1e12", check=False)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0, r.stderr
    assert "--set: train.lr = 1e+12 sends the first step past |w| = 1e12" in r.stderr
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []


def test_the_renders_read_the_traces_the_build_trained_without_torch():
    """What the build trains before its renders (the lesson's ``train``) is every trace its
    clips read: a render finds them cached and never imports torch (a second or two of
    CPU in each manim process)."""
    from gdlesson.registry import lesson_for

    noise = "data.noise_std=0.4321"  # a config no other test trains
    lesson = lesson_for("lesson.toml")
    lesson.train(lesson.load_config("lesson.toml", [noise]))
    code = (
        "import sys; import scenes.lesson, scenes.regimes; "
        "from scenes.lesson_trace import lesson_trace, regime_traces, scene_config; "
        "cfg = scene_config(); lesson_trace(cfg); regime_traces(cfg); "
        "print('torch' in sys.modules)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GDLESSON_SET": noise},
    )
    assert r.stdout.strip() == "False"


@pytest.fixture
def tmpfs(tmp_path):
    """A small RAM disk of our own (the tests run as root, as CI does)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def one_line_failure(r, status: int) -> str:
    assert r.returncode == status, r.stderr[-2000:]
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("gdlesson: "), r.stderr
    assert "Traceback" not in r.stderr
    return r.stderr


def test_an_out_folder_under_a_file_stops_in_one_line(tmp_path):
    (tmp_path / "a file").write_text("x")
    r = build(tmp_path / "a file" / "renders", check=False)
    assert "--out" in one_line_failure(r, 2) and "cannot write there" in r.stderr


def test_a_read_only_out_folder_stops_in_one_line(tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    r = build(tmpfs / "renders", check=False)
    assert "Read-only file system" in one_line_failure(r, 2)


def test_a_full_disk_ends_the_build_in_one_line_and_leaves_no_half_file(tmpfs):
    (tmpfs / "filler").write_bytes(b"\0" * 12 * 1024)
    r = build(tmpfs, check=False)
    assert "No space left on device" in one_line_failure(r, 1)
    assert not list(tmpfs.glob("*.tmp")) and not list(tmpfs.glob(".*.tmp"))


@pytest.mark.slow
def test_no_frame_of_the_built_lesson_draws_in_the_outer_five_percent(built):
    """Frames of the lesson twice a second, as a student sees them: nothing within 5% of
    the edges (text that does not fit would be cut by a projector's overscan)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from frames import margin_content, video_frames

    from scenes.theme import DARK

    out, _, _ = built
    background = tuple(int(DARK.background[i : i + 2], 16) for i in (1, 3, 5))
    frames = video_frames(out / "lesson/Lesson.mp4", fps=2.0)
    assert len(frames) > 60
    assert [t for t, f in frames if margin_content(f, background)] == []


@pytest.mark.slow
def test_build_all_builds_the_whole_course_linked_together(built, tmp_path):
    """Every lesson in its folder, linked to and from the first lesson's page (each lesson's
    own outputs: tests/test_course.py); built again, nothing changes."""
    import shutil

    from gdlesson.course import lesson_files

    out0, env, _ = built
    out = tmp_path / "renders"
    shutil.copytree(out0, out)
    page = (out / "index.html").read_text()
    assert (out / "lesson" / "Lesson.mp4").exists()
    files = lesson_files()
    for toml in files[1:]:
        assert '<a href="../index.html">' in (out / toml.stem / "index.html").read_text()
        assert f'<a href="{toml.stem}/index.html">' in page
    before = every_file(out)
    cmd = [*build_cmd(out), "--all"]
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})
    assert again.returncode == 0
    # nothing built again: one summary per lesson, each of its two passes (the lessons at
    # once, then each again for its links)
    assert again.stderr.count("│     0 │") == len(files)
    assert differences(every_file(out), before) == []
    refused = subprocess.run([*cmd, "--set", "train.lr=0.2"], capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.strip().count("\n") == 0


def test_a_builds_clips_are_encoded_by_x264_without_threads_of_its_own(built):
    """A build runs a manim per core, each drawing in one thread and encoding in another:
    x264's own threads would only cost CPU. x264 writes its settings into the stream."""
    import re

    out, _, _ = built
    clips = [out / "lesson/beats/08_fit.mp4", out / "batch_modes/videos/BatchModesCode.mp4"]
    for clip in clips:
        settings = re.search(rb"x264 - core .*? options: (.*?)\x00", clip.read_bytes())
        assert settings is not None, clip
        assert b" threads=1 " in b" " + settings.group(1) + b" ", clip
