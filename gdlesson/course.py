"""The course: its lessons in teaching order (``course.toml``), and which of them are built.

The first lesson's page links the others that are built beside it; theirs link back.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST = "lesson.toml"


def lesson_files(root: Path = ROOT) -> list[Path]:
    """Every lesson's parameter file in teaching order: those ``course.toml`` lists, then
    any other ``lessons/*.toml`` by name."""
    listed = tomllib.loads((root / "course.toml").read_text(encoding="utf-8"))["lessons"]
    files = [root / name for name in listed]
    others = sorted(p for p in (root / "lessons").glob("*.toml") if p not in files)
    return files + others


def built_followups(renders: Path, root: Path = ROOT) -> list[tuple[str, str]]:
    """(folder, title) of each lesson after the first whose page is built in a folder of
    ``renders`` (as ``gdlesson build --all`` puts it), in teaching order."""
    from gd_engine.config import ConfigError
    from lessons.two_parameters.config import load_followup

    built = []
    for toml in lesson_files(root):
        if toml.name == FIRST and toml.parent == root:
            continue
        if (renders / toml.stem / "index.html").exists():
            try:
                built.append((toml.stem, load_followup(toml).title))
            except ConfigError:  # a broken lesson file is its own build's error
                continue
    return built


def default_out(config_path: str) -> Path:
    """``renders/<name of the parameter file>/``: where a lesson after the first goes."""
    return ROOT / "renders" / Path(config_path).stem
