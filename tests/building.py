"""What the build tests share: the real ``gdlesson build`` command, its manifest, the files
of a build folder, and the one course build that every build test starts from."""

import json
import subprocess
import sys
from pathlib import Path

from running import gdlesson

ROOT = Path(__file__).resolve().parents[1]
BEATS_WORDS = "Short words for a test."


def narration_file(tmp: Path) -> Path:
    """Short narration, so the test lesson is as short as its animations allow."""
    from scenes.storyboard import BEATS

    path = tmp / "narration.toml"
    path.write_text("".join(f'[{b}]\ntext = "{BEATS_WORDS}"\n' for b in BEATS))
    return path


def build_args(out: Path, *args) -> list[str]:
    """The command's arguments for a -q l build of the lesson into ``out``."""
    return ["build", "-q", "l", "--out", str(out), *args]


def build_cmd(out: Path, *args) -> list[str]:
    """The real CLI, in a new interpreter: a -q l build of the lesson into ``out``."""
    return [sys.executable, "-m", "gdlesson", *build_args(out, *args)]


def build(out: Path, *args, env=None, check=True):
    r = gdlesson(*build_args(out, *args), env=env)
    if check:
        assert r.returncode == 0, r.stderr[-3000:]
    return r


def manifest(out: Path) -> dict:
    return {o["path"]: o for o in json.loads((out / "manifest.json").read_text())["outputs"]}


def every_file(out: Path) -> dict[str, bytes]:
    """Every file of a build folder, by path, but the lock (which only exists)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".build.lock"
    }


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))


def build_course(folder: Path) -> tuple[Path, dict, subprocess.CompletedProcess]:
    """The whole course, as ``gdlesson build --all`` makes it (the first lesson with short
    words, so that its video is as short as its animations allow), under ``folder``: the
    lesson in ``out``, each follow-up lesson in ``out/<name>/``. Returns (out, the
    environment of its builds, the finished ``--all`` command)."""
    env = {"GDLESSON_NARRATION": str(narration_file(folder))}
    out = folder / "Bob's renders"  # a quote in the path: manim and ffmpeg get it escaped
    first = gdlesson(*build_args(out, "--all"), env=env)
    return out, env, first
