"""Lessons are plug-ins: the registry finds every lesson's package; a lesson from another
folder (tests/tiny_lesson, through $GDLESSON_LESSONS) trains, renders, builds and rebuilds
only what an edit of its files shapes, through the real command line, with nothing written
for it outside its package, its parameter file and its narration."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import running
from building import manifest

from gdlesson.course import lesson_files
from gdlesson.registry import kind_of, lesson_for, lessons

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).with_name("tiny_lesson")


def test_every_lesson_of_the_course_is_a_registered_lesson_that_owns_its_file():
    files = lesson_files()
    assert [f.name for f in files][:2] == ["lesson.toml", "slope_and_bias.toml"]  # taught so
    for path in files:
        lesson = lesson_for(path)
        assert lesson.kind == kind_of(path) or lesson.kind == "one_weight"
        assert (ROOT / lesson.default_config).resolve() == path.resolve()
    # every package of lessons/ that defines a LESSON is registered, under its own kind
    packages = [p.parent for p in (ROOT / "lessons").glob("*/__init__.py")]
    found = {lesson.package_file for lesson in lessons().values()}
    own = {
        str(p.relative_to(ROOT) / "__init__.py")
        for p in packages
        if "LESSON =" in (p / "__init__.py").read_text()
    }
    assert own == found and len(found) == len(lessons())


#: all a lesson is: its package, its parameter file and its narration
TINY_FILES = {
    "tiny/__init__.py",
    "tiny/config.py",
    "tiny/engine.py",
    "tiny/tiny_scenes.py",
    "tiny.toml",
    "narration/tiny.toml",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """The tiny lesson copied to a folder of its own: a folder of lessons like lessons/."""
    folder = tmp_path_factory.mktemp("tiny")
    shutil.copytree(TINY, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def gdlesson(tiny: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    env = {"GDLESSON_LESSONS": str(tiny), **(env or {})}
    return running.gdlesson(*args, cwd=tiny, env=env, timeout=300)


def test_a_lesson_is_its_package_its_parameter_file_and_its_narration_and_nothing_else(tiny):
    files = [p for p in tiny.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    written = {str(p.relative_to(tiny)) for p in files}
    assert written == TINY_FILES
    # the project's code and course list know no lesson of that name: nothing was added
    # for it (lessons/narration/*.toml are words, the word "tiny" may be in them)
    project = [ROOT / "course.toml", *ROOT.glob("*.toml")]
    for package in ("gd_engine", "gdlesson", "lessons", "scenes"):
        project += (ROOT / package).rglob("*.py")
    assert [p for p in project if "tiny" in p.read_text(encoding="utf-8")] == []


def reference(w0: float, lr: float, steps: int) -> list[tuple[float, float]]:
    """(w, loss) per step of gradient descent on (w - 3)^2, written from the math."""
    out, w = [], w0
    for _ in range(steps):
        out.append((w, (w - 3.0) ** 2))
        w -= lr * 2.0 * (w - 3.0)
    return out


def test_a_lesson_from_another_folder_trains_through_the_registry(tiny):
    r = gdlesson(tiny, "trace", "--config", "tiny.toml")
    assert r.returncode == 0, r.stderr
    rows = [float(v) for line in r.stdout.splitlines() for v in line.split()[1:]]
    assert rows == pytest.approx([v for row in reference(0.0, 0.25, 3) for v in row], abs=1e-6)


def test_a_lesson_from_another_folder_builds_and_rebuilds_only_what_an_edit_shapes(tiny, tmp_path):
    out = tmp_path / "out"
    first = gdlesson(tiny, "build", "--config", "tiny.toml", "-q", "l", "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    paths = set(manifest(out))
    clips = {"videos/TinyScene.mp4", "videos/TinyScene.png", "gifs/TinyScene.gif"}
    clips.add("gifs/TinyScene.png")  # the posters: the video's last picture, the GIF's first
    deck = {p for p in paths if p.startswith("slides/")}  # its deck, the reveal.js it needs
    assert "slides/index.html" in deck
    assert paths == {"trace.json", *clips, "index.html", *deck}
    steps = json.loads((out / "trace.json").read_text())["steps"]
    drawn = [v for s in steps for v in (s["w"], s["loss"])]
    assert drawn == pytest.approx([v for row in reference(0.0, 0.25, 3) for v in row])
    assert "w walks down (w - 3)^2" in (out / "index.html").read_text()
    said = "Each step moves w a quarter of the way down the slope."  # its narration
    assert said in (out / "slides/index.html").read_text()  # the slide's notes

    # a torch that cannot be imported, for the build and the manim it starts
    (tmp_path / "no_torch" / "torch").mkdir(parents=True)
    (tmp_path / "no_torch" / "torch" / "__init__.py").write_text("raise ImportError('torch')\n")
    no_torch = {"PYTHONPATH": str(tmp_path / "no_torch")}

    last = {}  # the last build's output and the outputs whose manifest entry it changed

    def built_by(edit: Path | None, env=None) -> set[str]:
        stamps = {p: (out / p).stat().st_mtime_ns for p in paths}
        before = manifest(out)
        if edit is not None:
            edit.write_text(edit.read_text() + "\n# an edit\n")
        args = ("build", "--config", "tiny.toml", "-q", "l", "--out", str(out))
        r = gdlesson(tiny, *args, env=env)
        assert r.returncode == 0, r.stderr[-2000:]
        after = manifest(out)
        moved = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        last.update(said=r.stdout[-1500:] + r.stderr[-1500:], entries_changed=moved)
        return {p for p in paths if (out / p).stat().st_mtime_ns != stamps[p]}

    # nothing changed: nothing built; an edited scene: its clip drawn again. Neither trains:
    # the trace the first build trained is kept (renders/cache/), build and scene read it
    assert built_by(None, env=no_torch) == set(), last
    scenes = tiny / "tiny" / "tiny_scenes.py"
    assert built_by(scenes, env=no_torch) == {*clips, "index.html"}
    engine = tiny / "tiny" / "engine.py"  # the scene draws what it trains
    assert built_by(engine) == paths - deck  # the deck shows the clips by name


def test_a_build_plans_every_lesson_of_the_course_without_importing_manim(tmp_path):
    """What a build needs before its renders, the seconds of every clip (to share the cores
    and check the frames), comes from each lesson's timing (``timing.py``, or the first
    lesson's storyboard), not its scenes: a build process that imports Manim pays 2 s of CPU
    for it, and a no-op or a watch's rebuild is a couple of seconds in all."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from gdlesson.build import Build, Options\n"
        "from gdlesson.course import lesson_files\n"
        "from gdlesson.registry import lesson_for\n"
        "seconds = {}\n"
        "for path in lesson_files():\n"
        "    lesson = lesson_for(path)\n"
        "    cfg = lesson.load_config(path)\n"
        f"    b = Build(lesson, cfg, Options(quality='l', renders=Path({str(tmp_path)!r})))\n"
        "    seconds[path.name] = [b.clip_seconds(), b.render_weights()]\n"
        "print(json.dumps([seconds, 'manim' in sys.modules]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    seconds, imported = json.loads(r.stdout)
    assert imported is False
    # every clip of every lesson timed: as long as its words, at least as long as it moves
    assert set(seconds) == {p.name for p in lesson_files()}
    for spoken, moving in seconds.values():
        assert spoken.keys() == moving.keys() and len(spoken) >= 2
        assert all(spoken[clip] >= moving[clip] > 4 for clip in spoken)
