"""The whole course's build against the seconds of video it writes, in one run.

    python benchmarks/course.py -q h           # every lesson alone, then --all (about 25 min)
    python benchmarks/course.py -q h --all     # --all only
    python benchmarks/course.py -q k --first   # the first lesson alone at 4K

Each build is cold (``--force`` into a folder of its own). A lesson's video seconds are those
of every video its build renders, a beat counted once in the whole lesson (the first lesson:
Lesson.mp4, descent and regimes; the others: each scene's video). Prints, per lesson and for
the course, wall and CPU seconds over video seconds; with both, what building the lessons at
once (``--all``) saves against one after the other. Targets (issue 19): --all at -q h at most
0.5x, no lesson alone above 1.0x, the first lesson at -q k at most 1.0x.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.run import CPU, PY, timed  # noqa: E402
from gdlesson.course import lesson_files  # noqa: E402
from gdlesson.lesson_video import duration  # noqa: E402


def video_seconds(out: Path) -> float:
    """Seconds of the videos a lesson's build in ``out`` wrote (beats counted in its whole)."""
    outputs = json.loads((out / "manifest.json").read_text())["outputs"]
    return sum(
        duration(out / o["path"]) for o in outputs if o["path"].endswith(".mp4") and not o["beat"]
    )


def build(q: str, out: Path, *args: str) -> tuple[float, float]:
    """(wall, CPU) seconds of a cold ``gdlesson build -q q`` into ``out``."""
    cmd = [PY, "-m", "gdlesson", "build", "-q", q, "--force", "--out", str(out), *args]
    wall, _ = timed(cmd)
    return wall, CPU[" ".join(cmd)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-q", choices=["l", "m", "h", "k"], default="h")
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--all", action="store_true", help="only the course built with --all")
    what.add_argument("--first", action="store_true", help="only the first lesson, alone")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gdlesson-course-"))
    files = lesson_files()[:1] if args.first else lesson_files()
    rows, results = [], {"quality": args.q, "cores": os.cpu_count(), "lessons": {}}
    if not args.all:
        for toml in files:
            out = tmp / "alone" / toml.stem
            wall, cpu = build(args.q, out, "--config", str(toml))
            seconds = video_seconds(out)
            results["lessons"][toml.stem] = {"video_s": seconds, "wall_s": wall, "cpu_s": cpu}
            rows.append((toml.stem, seconds, wall, cpu))
    if not args.first:
        out = tmp / "course"
        wall, cpu = build(args.q, out, "--all")
        seconds = sum(
            video_seconds(out if toml.name == "lesson.toml" else out / toml.stem) for toml in files
        )
        results["all"] = {"video_s": seconds, "wall_s": wall, "cpu_s": cpu}
        if rows:
            results["all"]["alone_wall_s"] = sum(r[2] for r in rows)
        rows.append(("course, --all", seconds, wall, cpu))
    print(f"gdlesson course build, -q {args.q}, {os.cpu_count()} cores, cold")
    print(f"  {'':<22} {'video s':>8} {'wall s':>8} {'wall/video':>10} {'CPU/video':>10}")
    for name, seconds, wall, cpu in rows:
        ratios = f"{wall / seconds:10.2f} {cpu / seconds:10.2f}"
        print(f"  {name:<22} {seconds:8.1f} {wall:8.1f} {ratios}")
    if "all" in results and "alone_wall_s" in results["all"]:
        saved = results["all"]["wall_s"] / results["all"]["alone_wall_s"]
        print(f"  --all wall / the lessons one after the other: {saved:.2f}")
    (ROOT / "benchmarks" / f"course-{args.q}.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
