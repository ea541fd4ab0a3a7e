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
