"""A changed config through the real ``gdlesson build``, from the course every build test
starts from (conftest's ``built``): what it renders again, and a build of it killed midway.
Beside tests/test_build.py, so that the two files' builds run on two workers at once."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from building import ROOT, build, build_cmd, differences, every_file, manifest


def inputs_of(out: Path, overrides: tuple[str, ...]) -> dict[str, str]:
    """What a ``gdlesson build -q l --out out`` of the lesson with ``overrides`` decides each
    output is made from (the inputs it compares with the manifest's to reuse a file): its
    clips, their GIFs, the trace and the whole lesson, asked of the build itself."""
    from gdlesson.build import Build, Options, clip_name
    from gdlesson.registry import lesson_for

    lesson = lesson_for("lesson.toml")
    cfg = lesson.load_config("lesson.toml", overrides)
    b = Build(lesson, cfg, Options(quality="l", overrides=overrides, renders=out))
    inputs = {"trace.json": b.plan.trace_inputs()}
    for stem, _scene, clip, beat in b.render_jobs():
        inputs[f"{stem}.mp4"] = clip
        inputs[f"gifs/{beat or Path(stem).name}.gif"] = b.plan.gif_inputs(clip)
    parts = [inputs[f"{clip_name(b.beats, beat)}.mp4"] for beat in b.beats]
    titles = [lesson.chapter_titles[beat] for beat in b.beats]
    inputs["lesson/Lesson.mp4"] = b.plan.video_inputs(parts, titles)
    return inputs


def test_editing_lr_rerenders_only_what_depends_on_the_trace(built, monkeypatch):
    """An lr edit makes the build draw again the beats that show the training, their GIFs,
    the trace and the whole lesson, and reuse the others. The build's own decisions are
    asked, not its renders (every clip drawn again would take a minute and a half): at the
    course's lr they are exactly the manifest's, so they are what the build goes by."""
    out, env, _ = built
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = {path: output["inputs"] for path, output in manifest(out).items()}
    unchanged = inputs_of(out, ())
    assert unchanged == {path: before[path] for path in unchanged}
    after = inputs_of(out, ("train.lr=0.2",))
    same = {path for path in after if after[path] == before[path]}
    assert {
        "lesson/beats/01_data.mp4",
        "lesson/beats/02_model_and_cost.mp4",
        "gifs/data.gif",
        "gifs/model_and_cost.gif",
    } <= same
    for path in (
        "lesson/beats/03_settings.mp4",
        "lesson/beats/09_iterate.mp4",
        "lesson/Lesson.mp4",
        "trace.json",
        "gifs/descent.gif",
    ):
        assert path not in same, path


def changed_since(out: Path, pattern: str, since: float) -> bool:
    return any(p.stat().st_mtime > since for p in out.glob(pattern))


#: moments to kill a changed-config build at (the file that marks the moment, the build's
#: --jobs): once the new trace.json is written, and once the first new clip is renamed into
#: place (its other clips are being drawn then). For the second, each clip is drawn in a
#: manim process of its own (the lesson has 16 clips): the first is in place once the
#: shortest is drawn, with every other under way. With one process per core it would be in
#: place only with a whole half of the lesson, and that half would be drawn again.
KILL_MOMENTS = {
    "trace written": ("trace.json", None),
    "first clip in place": ("lesson/beats/*.mp4", "16"),
}


@pytest.mark.slow
def test_a_killed_changed_config_build_never_leaves_a_mix(built, tmp_path):
    """Kill a build of lr 0.2 at several moments, then build lr 0.1 again: every file is
    byte for byte what the clean lr 0.1 build wrote, and no child process outlives it."""
    import shutil

    out0, env, _ = built
    clean = every_file(out0)
    out = tmp_path / "renders"
    shutil.copytree(out0, out)
    for moment, (pattern, jobs) in KILL_MOMENTS.items():
        since = time.time()
        time.sleep(0.05)
        proc = subprocess.Popen(
            build_cmd(out, "--set", "train.lr=0.2", *(["--jobs", jobs] if jobs else [])),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not changed_since(out, pattern, since):
            assert proc.poll() is None, f"the build ended before {moment}"
            time.sleep(0.05)
        if jobs:  # its renders are forked from its render server, named by its folder
            server = subprocess.run(["pgrep", "-f", f"gdlesson.render_server .* {out}$"])
            assert server.returncode == 0, "no render server"
        proc.kill()  # the build alone: its manim children, and its render server, die with it
        proc.wait()
        time.sleep(0.5)
        orphans = subprocess.run(["pgrep", "-f", str(out)], capture_output=True, text=True)
        assert orphans.stdout == "", f"{moment}: children outlived the build"
        r = build(out, env=env)
        assert differences(every_file(out), clean) == [], moment
        assert "built" in r.stderr
