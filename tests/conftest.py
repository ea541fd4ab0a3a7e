import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.chdir(ROOT)  # scenes and the CLI read lesson.toml from the working directory


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
