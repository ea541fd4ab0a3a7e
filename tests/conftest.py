import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.chdir(ROOT)  # scenes and the CLI read lesson.toml from the working directory


#: the test files that take longest, in the order the workers start them (the others follow
#: in their usual order): with ``--dist loadfile`` a file runs on one worker, and a long file
#: started last leaves the other worker idle at the end. test_build.py comes first: it builds
#: the course (``built``). Meanwhile the other worker runs the slow files that need no
#: course (test_scenes.py to test_bad_input.py: as long as the course build, measured on 2
#: cores), so that test_rebuild.py, which starts from the course, finds it there instead of
#: waiting for it with a core idle.
SLOW_FILES = (
    "test_build.py",
    "test_scenes.py",
    "test_two_parameters_scenes.py",
    "test_registry.py",
    "test_bad_input.py",
    "test_rebuild.py",
    "test_logistic_mse_vs_ce.py",
    "test_watch.py",
    "test_render.py",
    "test_momentum.py",
    "test_regimes.py",
    "test_voice.py",
    "test_gif.py",
    "test_cli.py",
)


def pytest_collection_modifyitems(config, items):
    """The slow files first (pyproject's ``--no-loadscope-reorder`` keeps this order)."""
    rank = {name: i for i, name in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FILES)))  # stable


def pytest_addoption(parser):
    parser.addoption(
        "--regenerate-controls",
        action="store_true",
        help="rewrite the control frames in tests/control/ from the current scenes",
    )


@pytest.fixture
def regenerate(request) -> bool:
    return request.config.getoption("--regenerate-controls")


@pytest.fixture(scope="session", autouse=True)
def own_manim_caches(tmp_path_factory):
    """Scenes built in this process keep Manim's text and Typst caches in a folder of their
    own: tests run in parallel (pytest-xdist), and a cache file read while another process
    writes it is half a file."""
    from manim import config

    config.media_dir = str(tmp_path_factory.mktemp("manim"))


@pytest.fixture(scope="session", autouse=True)
def own_svg_cache(tmp_path_factory):
    """Text outlines parsed in this run are kept for this run (scenes/svg_cache.py), shared
    by both workers and the processes they start, and not by the next run: every run parses
    its texts as a first build on a new machine does."""
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # the run's folder, above each worker's own
    os.environ["GDLESSON_CACHE"] = str(run / "gdlesson-cache")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The whole course, built once per run by ``gdlesson build --all`` (tests/building.py)
    and shared by the build tests of every worker: the first to ask builds it, under a lock,
    the others wait for it. Tests read it; a test that builds copies it first.

    Returns (out, the environment of its builds, the finished ``--all`` command)."""
    import shutil
    import subprocess

    from building import build_course
    from filelock import FileLock

    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # the run's folder, above each worker's own
    folder, done = run / "course", run / "course.json"
    with FileLock(str(run / "course.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that died left
            folder.mkdir()
            out, env, first = build_course(folder)
            result = {"out": str(out), "env": env, "args": first.args}
            result.update(returncode=first.returncode, stdout=first.stdout, stderr=first.stderr)
            done.write_text(json.dumps(result))
        result = json.loads(done.read_text())
    assert result["returncode"] == 0, result["stderr"][-3000:]
    first = subprocess.CompletedProcess(
        result["args"], result["returncode"], result["stdout"], result["stderr"]
    )
    return Path(result["out"]), result["env"], first
