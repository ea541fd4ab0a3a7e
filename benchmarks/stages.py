"""Where the seconds of one ``gdlesson build`` go, stage by stage.

    python benchmarks/stages.py -q l --out /tmp/renders       # any arguments of the build

Runs the real build in this process with each stage timed (the build's methods wrapped,
nothing else changed) and prints one line per stage: wall seconds, in the order they ran.
"""

from __future__ import annotations

import sys
import time

START = time.perf_counter()

from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMES: list[tuple[str, float]] = []


def timed(owner, name: str, label: str | None = None) -> None:
    """Wrap ``owner.name`` so that each call's wall seconds go to ``TIMES``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES.append((label or name, time.perf_counter() - start))

    setattr(owner, name, wrapper)


def main() -> None:
    from gdlesson import build, cli, handout, lesson_video, page, slides

    TIMES.append(("process start + imports (gdlesson.cli)", time.perf_counter() - START))
    for stage in (
        "build_trace",
        "build_clips",
        "build_lesson",
        "build_gifs",
        "build_posters",
        "build_figures",
        "build_page_data",
        "build_deck_and_handout",
        "write_manifest_and_page",
    ):
        timed(build.Build, stage)
    timed(build.Build, "run_manim", "  manim process (imports, render, encode)")
    timed(lesson_video, "with_sound", "  sound laid under a clip")
    timed(slides, "build_deck", "  deck")
    timed(handout, "build_handout", "  handout (Chromium print)")
    timed(page, "write_page", "  page written")
    try:
        cli.main(["build", *sys.argv[1:]], standalone_mode=False)
    except SystemExit:
        pass
    total = time.perf_counter() - START
    width = max(len(label) for label, _ in TIMES)
    print("stage seconds (wall), in the order they ran:")
    for label, seconds in TIMES:
        print(f"  {label:<{width}}  {seconds:6.2f}")
    print(f"  {'total':<{width}}  {total:6.2f}")


if __name__ == "__main__":
    main()
