"""An output's input hash covers every file of the project that shapes it, and no other:
each source file is edited in a copy of the project, and the outputs whose code digest
changes are the ones that file shapes (by lesson and kind of output)."""

import shutil
from pathlib import Path

import pytest

import gdlesson.build as build
from gdlesson.registry import lessons
from gdlesson.sources import closure

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
#: are hashed as the pages' links), the hashing itself
SHAPE_NOTHING = {
    "gdlesson/__main__.py",
    "gdlesson/cli.py",
    "gdlesson/course.py",
    "gdlesson/sources.py",
    "gdlesson/watch.py",  # runs builds and serves their pages; writes no output itself
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


def changed_by(root: Path, name: str) -> set[tuple[str, str]]:
    before = digests(root)
    path = root / name
    text = path.read_bytes()
    try:
        path.write_bytes(text + b"\n# an edit\n")
        after = digests(root)
    finally:
        path.write_bytes(text)
        build.sources_digest.cache_clear()
    return {k for k in before if before[k] != after[k]}


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
        ("lessons/one_weight/page.py", outputs(FIRST, "page")),
        ("gdlesson/slides.py", outputs(DECKS, "slides") | outputs(FIRST, "handout")),
        ("gdlesson/handout.py", outputs(FIRST, "handout")),
        ("scenes/lesson.py", outputs(FIRST, "clip")),
        ("scenes/lesson_code.py.tmpl", outputs(FIRST, "clip")),
        ("scenes/code.py", outputs(FIRST + TWO + LOGISTIC + OPT + MOMENTUM, "clip")),
        ("lessons/two_parameters/two_parameters_scenes.py", outputs(TWO, "clip")),
        # the kit's layout and races, which the (w, b) lessons of scenes share
        ("scenes/layout.py", outputs(TWO + LOGISTIC + OPT, "clip")),
        ("scenes/race.py", outputs(TWO + LOGISTIC + OPT, "clip")),
        ("lessons/optimizers/listing.py", outputs(OPT, "trace", "clip")),
        ("lessons/optimizers/optimizers_scenes.py", outputs(OPT, "clip")),
        ("lessons/logistic_mse_vs_ce/engine.py", outputs(LOGISTIC, "trace", "clip")),
        ("lessons/logistic_mse_vs_ce/listing.py", outputs(LOGISTIC, "clip")),
        ("lessons/logistic_mse_vs_ce/__init__.py", outputs(LOGISTIC)),
        ("lessons/two_parameters/figures.py", outputs(TWO, "figures")),
        ("scenes/figures.py", outputs(FIRST + TWO + OPT + LOGISTIC + MOMENTUM, "figures")),
        ("lessons/optimizers/figures.py", outputs(OPT, "figures")),
        ("lessons/logistic_mse_vs_ce/figures.py", outputs(LOGISTIC, "figures")),
        ("lessons/two_parameters/__init__.py", outputs(TWO)),
        ("lessons/batch_modes/__init__.py", outputs(("batch_modes",))),
        ("lessons/one_weight/__init__.py", outputs(FIRST)),
        ("gdlesson/build.py", outputs(EVERY)),
        ("gdlesson/registry.py", outputs(EVERY)),
        ("lessons/momentum/momentum_scenes.py", outputs(MOMENTUM, "clip")),
        ("lessons/momentum/engine.py", outputs(MOMENTUM, "trace", "clip")),
    ],
)
def test_an_edit_changes_the_hashes_of_what_the_file_shapes_and_no_others(project, name, shaped):
    assert changed_by(project, name) == shaped


def test_every_source_file_is_hashed_into_some_output(project):
    missed = [
        name for name in SOURCES if name not in SHAPE_NOTHING and not changed_by(project, name)
    ]
    assert missed == []


def test_imports_inside_functions_count():
    """The first lesson reads its beats and titles only when it is asked for them."""
    assert "scenes/storyboard.py" in closure(("lessons.one_weight",))
