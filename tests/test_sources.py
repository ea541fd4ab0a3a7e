"""An output's input hash covers every file of the project that shapes it, and no other:
each source file is edited in a copy of the project, and the outputs whose code digest
changes are the ones that file shapes (by lesson and kind of output).

The files the whole course shares are rows written here; each lesson's own files are rows
derived from the registry (its ``code`` modules and the files they import), so a new lesson
needs none."""

import shutil
from pathlib import Path

import pytest

import gdlesson.build as build
from gdlesson.registry import lessons
from gdlesson.sources import closure, module_file

ROOT = build.ROOT
PACKAGES = ("gd_engine", "scenes", "gdlesson", "lessons")
FIRST = ("one_weight",)
TWO = ("slope_bias", "batch_modes", "learning_rates")  # the lessons on (w, b)
OPT = ("optimizers",)  # optimizers compared on (w, b): its scenes draw with the (w, b) kit
LOGISTIC = ("logistic_mse_vs_ce",)  # its scenes draw with some of the (w, b) scenes' parts
MOMENTUM = ("momentum",)
EVERY = tuple(lessons())  # what every lesson's outputs go through: the build, GIFs, pages
DECKS = tuple(k for k, lesson in lessons().items() if "slides" in lesson.code)
#: files that shape no output: the command line and its watch, the course list (its titles
#: are hashed as the pages' links), the hashing itself, the render server
SHAPE_NOTHING = {
    "gdlesson/__main__.py",
    "gdlesson/cli.py",
    "gdlesson/course.py",
    "gdlesson/sources.py",
    "gdlesson/watch.py",  # runs builds and serves their pages; writes no output itself
    # forks renders that write the bytes a manim started anew writes (test_render_server)
    "gdlesson/render_server.py",
    "lessons/__init__.py",
}


def outputs(kinds, *what) -> set[tuple[str, str]]:
    """(lesson, kind of output) for those lessons: these kinds, or all of theirs."""
    return {(k, w) for k in kinds for w in (what or lessons()[k].code)}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("project")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return copy


def digests(root: Path) -> dict[tuple[str, str], str]:
    build.sources_digest.cache_clear()
    found = {}
    for kind, lesson in lessons().items():
        for what, d in build.code_digests(lesson.code, lesson.build_files, root).items():
            found[(kind, what)] = d
    return found


@pytest.fixture(scope="module")
def changed_by(project):
    """name -> the outputs whose code digest an edit of that file changes (each file is
    edited once, then restored)."""
    before = digests(project)
    found: dict[str, set[tuple[str, str]]] = {}

    def edit(name: str) -> set[tuple[str, str]]:
        if name not in found:
            path = project / name
            text = path.read_bytes()
            try:
                path.write_bytes(text + b"\n# an edit\n")
                after = digests(project)
            finally:
                path.write_bytes(text)
                build.sources_digest.cache_clear()
            found[name] = {k for k in before if before[k] != after[k]}
        return found[name]

    return edit


def shaped_by(name: str) -> set[tuple[str, str]]:
    """The outputs the registry says ``name`` shapes: those its lesson's build files name
    (every output of the lesson) and those whose modules are made of it."""
    return {
        (kind, what)
        for kind, lesson in lessons().items()
        for what, modules in lesson.code.items()
        if name in lesson.build_files or name in closure(modules)
    }


def own_files() -> list[str]:
    """Each lesson's own files: of its package's folder, its __init__.py and the files its
    outputs are made of."""
    files = set()
    for lesson in lessons().values():
        folder = Path(lesson.package_file).parent
        made_of = {f for modules in lesson.code.values() for f in closure(modules)}
        files.update(f for f in {lesson.package_file, *made_of} if Path(f).parent == folder)
    return sorted(files)


SOURCES = sorted(
    str(p.relative_to(ROOT))
    for package in PACKAGES
    for p in (ROOT / package).rglob("*")
    if p.suffix in (".py", ".tmpl") and "__pycache__" not in p.parts
)


@pytest.mark.parametrize(
    "name, shaped",
    [
        ("gdlesson/page.py", outputs(EVERY, "page")),
        # the explorer's code and the script and style it puts on the page
        ("gdlesson/explorer.py", outputs(FIRST, "page", "explorer")),
        ("gdlesson/static/explorer.js", outputs(FIRST, "page", "explorer")),
        ("gdlesson/static/explorer.css", outputs(FIRST, "page", "explorer")),
        ("gdlesson/gif.py", outputs(EVERY, "gif")),
        # the pages read the chapters it writes, in its clock
        ("gdlesson/lesson_video.py", outputs(FIRST, "video") | outputs(EVERY, "page")),
        ("gdlesson/slides.py", outputs(DECKS, "slides") | outputs(FIRST, "handout")),
        ("gdlesson/handout.py", outputs(FIRST, "handout")),
        ("scenes/lesson.py", outputs(FIRST, "clip")),
        ("scenes/lesson_code.py.tmpl", outputs(FIRST, "clip")),
        ("scenes/code.py", outputs(FIRST + TWO + LOGISTIC + OPT + MOMENTUM, "clip")),
        ("lessons/two_parameters/two_parameters_scenes.py", outputs(TWO, "clip")),
        # the follow-up lessons' scene base: setup, narration, subtitles, headings
        ("scenes/narrated.py", outputs(TWO + LOGISTIC + OPT + MOMENTUM, "clip")),
        # the kit's layout (the scene base's headings too) and races, which the (w, b)
        # lessons of scenes share
        ("scenes/layout.py", outputs(TWO + LOGISTIC + OPT + MOMENTUM, "clip")),
        ("scenes/race.py", outputs(TWO + LOGISTIC + OPT, "clip")),
        ("scenes/surface.py", outputs(TWO + LOGISTIC, "clip")),  # the 3-D scenes' camera
        ("lessons/two_parameters/figures.py", outputs(TWO, "figures")),
        ("scenes/figures.py", outputs(FIRST + TWO + OPT + LOGISTIC + MOMENTUM, "figures")),
        ("lessons/two_parameters/__init__.py", outputs(TWO)),
        ("gdlesson/build.py", outputs(EVERY)),
        ("gdlesson/registry.py", outputs(EVERY)),
    ],
)
def test_an_edit_of_a_shared_file_changes_what_it_shapes_and_nothing_else(changed_by, name, shaped):
    assert changed_by(name) == shaped


@pytest.mark.parametrize("name", own_files())
def test_an_edit_of_a_lessons_file_changes_what_it_shapes_and_nothing_else(changed_by, name):
    assert changed_by(name) == shaped_by(name)


def test_a_lessons_package_engine_and_scenes_shape_its_outputs(changed_by):
    for kind, lesson in lessons().items():
        assert {(kind, what) for what in lesson.code} <= changed_by(lesson.package_file)
        for what in ("trace", "clip"):
            files = [str(module_file(m, ROOT).relative_to(ROOT)) for m in lesson.code[what]]
            assert all((kind, what) in changed_by(f) for f in files), (kind, what, files)


def test_every_source_file_is_hashed_into_some_output(changed_by):
    missed = [name for name in SOURCES if name not in SHAPE_NOTHING and not changed_by(name)]
    assert missed == []


def test_imports_inside_functions_count():
    """The first lesson reads its beats and titles only when it is asked for them."""
    assert "scenes/storyboard.py" in closure(("lessons.one_weight",))
