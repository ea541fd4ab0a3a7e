"""Measure the build side by side with Manim's own floor, in one run, as ratios.

    python benchmarks/run.py            # the full lesson at -q h (tens of minutes)
    python benchmarks/run.py --quick    # -q l and a shorter run (a few minutes)

Prints a table and writes benchmarks/results.json. The machines are shared and noisy:
every figure that matters is a ratio of two things measured in this same run.
``benchmarks/stages.py`` says where one build's seconds go, stage by stage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this tree, as the commands run below see it
from gdlesson.lesson_video import duration, probe  # noqa: E402

PY = sys.executable
QUALITY = {"l": ("-ql", "480p15", 15, 854), "h": ("-qh", "1080p60", 60, 1920)}


CPU = {}  # command -> CPU seconds (user + system) of it and its children


def timed(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, str]:
    """Wall seconds and output of ``cmd``; its CPU seconds go to ``CPU``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[" ".join(cmd)] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    return wall, r.stdout + r.stderr


def ssim(candidate: Path, source: Path, width: int, fps: int) -> float:
    """Mean SSIM of ``candidate`` against ``source`` brought to the same size and rate."""
    graph = (
        f"[0:v]fps={fps},scale={width}:-2,format=rgb24[a];"
        f"[1:v]fps={fps},scale={width}:-2:flags=lanczos,format=rgb24[b];[a][b]ssim"
    )
    r = subprocess.run(
        ["ffmpeg", "-i", str(candidate), "-i", str(source), "-lavfi", graph, "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    m = re.search(r"All:([0-9.]+)", r.stderr)
    if not m:
        raise SystemExit(f"ssim failed: {r.stderr[-500:]}")
    return float(m.group(1))


def manim_cmd(flag: str, media_dir: Path, script: Path, scene: str, *extra: str) -> list[str]:
    """``manim`` rendering ``scene`` of ``script`` into ``media_dir``, like the build does."""
    options = [flag, "--disable_caching", *extra, "--media_dir", str(media_dir)]
    return [PY, "-m", "manim", *options, str(script), scene]


def build_report(output: str) -> dict[str, int]:
    m = re.search(r"│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│", output)
    return dict(zip(("built", "reused", "failed"), map(int, m.groups()))) if m else {}


def watch_edit(gd: list[str], q: str, out: Path, tmp: Path, *args: str) -> tuple[float, float]:
    """Seconds from saving an edit of one beat's words to the page's first reload event
    (the page shows the new clip) and to its last (every output made), with ``gdlesson
    watch *args`` serving ``out`` (built with them just before)."""
    import queue
    import threading
    import urllib.request

    words = tmp / "narration.toml"
    words.write_text((ROOT / "scenes" / "narration.toml").read_text())
    env = {**os.environ, "GDLESSON_NARRATION": str(words)}
    cmd = [*gd, "watch", "-q", q, "--out", str(out), "--port", "0", *args]
    watch = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    said: queue.Queue = queue.Queue()  # every line read, so that the pipe never fills

    def read() -> None:
        for line in watch.stderr:
            said.put(line)

    threading.Thread(target=read, daemon=True).start()

    def line_with(*marks: str) -> str:
        while not any(m in (line := said.get(timeout=900)) for m in marks):
            pass
        return line

    try:
        url = line_with("serving ").split("serving ")[1].strip()
        line_with("watching")
        events = urllib.request.urlopen(url.replace("index.html", "__reload"), timeout=900)
        events.readline()  # ": watching"
        reloads: list[float] = []

        def listen() -> None:
            while line := events.fp.readline():
                if line.startswith(b"data: reload"):
                    reloads.append(time.perf_counter() - start)

        text = words.read_text()
        start = time.perf_counter()
        words.write_text(text.replace("The bottom plot shows", "Here the bottom plot shows", 1))
        threading.Thread(target=listen, daemon=True).start()
        line_with("the page reloads")  # said once the build is over and its reload sent
        done = time.perf_counter() - start
        while not reloads:
            time.sleep(0.02)
        return reloads[0], done
    finally:
        watch.terminate()
        watch.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="-q l and fewer steps")
    ap.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    args = ap.parse_args()
    q = "l" if args.quick else "h"
    flag, folder, fps, width = QUALITY[q]
    results: dict = {"quality": q, "cores": os.cpu_count()}
    tmp = Path(tempfile.mkdtemp(prefix="gdlesson-bench-"))
    out = tmp / "renders"
    gd = [PY, "-m", "gdlesson"]

    # 6. engine: the trace, and what importing costs a render
    from gd_engine import load_config, train

    cfg = load_config(ROOT / "lesson.toml")
    start = time.perf_counter()
    for _ in range(5):
        train(cfg)
    results["engine_trace_s"] = (time.perf_counter() - start) / 5
    results["import_scene_s"], _ = timed([PY, "-c", "import scenes.lesson"])
    results["import_torch_s"], _ = timed([PY, "-c", "import torch"])
    from scenes.lesson_trace import lesson_trace

    lesson_trace()  # a render finds the trace cached (a fresh clone has none yet)
    torch_probe = (
        "import sys, scenes.lesson; from scenes.lesson_trace import lesson_trace; "
        "lesson_trace(); print('torch' in sys.modules)"
    )
    _, printed = timed([PY, "-c", torch_probe])
    results["scene_render_imports_torch"] = printed.strip().endswith("True")

    # 2. cold build, then 1. the floor for the same number of frames
    cold_cmd = [*gd, "build", "-q", q, "--force", "--out", str(out)]
    cold, log = timed(cold_cmd)
    video = out / "lesson" / "Lesson.mp4"
    seconds = duration(video)
    clips = sorted((out / "lesson" / "beats").glob("*.mp4")) + [out / "lesson" / "descent.mp4"]
    frames = round(sum(duration(c) for c in clips) * fps)
    # a pause is one frame held (scenes/still_frames.py): fewer frames stored than shown
    stored = sum(int(probe(c, "stream=nb_frames", "v:0")) for c in clips)
    floor_dir = tmp / "floor"
    floor_cmd = manim_cmd(flag, floor_dir, ROOT / "benchmarks" / "floor.py", "Floor")
    floor_wall, _ = timed(floor_cmd, env={"FLOOR_SECONDS": str(frames / fps)})
    cold_cpu, floor_cpu = CPU[" ".join(cold_cmd)], CPU[" ".join(floor_cmd)]
    results.update(
        video_s=seconds,
        frames_rendered=frames,
        frames_stored=stored,
        cold_build_s=cold,
        cold_over_video=cold / seconds,
        floor_s=floor_wall,
        floor_per_frame_ms=1000 * floor_wall / frames,
        build_per_frame_ms=1000 * cold / frames,
        # the floor runs on one core, the build on all of them: compare wall and CPU
        build_over_floor=cold / floor_wall,
        cold_cpu_s=cold_cpu,
        floor_cpu_s=floor_cpu,
        build_cpu_over_floor_cpu=cold_cpu / floor_cpu,
    )

    # 3. no-op rebuild
    noop, log = timed([*gd, "build", "-q", q, "--out", str(out)])
    results["noop_s"], results["noop_report"] = noop, build_report(log)

    # 4. edit rebuild: a new learning rate
    edit, log = timed([*gd, "build", "-q", q, "--out", str(out), "--set", "train.lr=0.2"])
    manifest = json.loads((out / "manifest.json").read_text())
    results.update(
        edit_s=edit,
        edit_over_cold=edit / cold,
        edit_report=build_report(log),
        edit_outputs=len(manifest["outputs"]),
    )

    # 4b. watch: a one-beat narration edit saved, to the page told to reload
    lr = ("--set", "train.lr=0.2")
    results["watch_page_s"], results["watch_done_s"] = watch_edit(gd, q, out, tmp, *lr)

    # 5. GIF: ours against Manim's --format gif of the same clip, same width and fps
    manim_gif_dir = tmp / "manim-gif"
    timed(
        manim_cmd(flag, manim_gif_dir, ROOT / "scenes" / "lesson.py", "Descent", "--format", "gif")
    )
    manim_gif = next(manim_gif_dir.rglob("Descent*.gif"))
    mp4_dir = tmp / "descent-mp4"
    timed(manim_cmd(flag, mp4_dir, ROOT / "scenes" / "lesson.py", "Descent"))
    source = next(mp4_dir.rglob("Descent.mp4"))
    from gdlesson.gif import GifSettings, export_gif

    ours = export_gif(source, tmp / "descent.gif", GifSettings(width=width, fps=fps))
    results.update(
        gif_width=width,
        gif_fps=fps,
        gif_ours_bytes=ours.bytes,
        gif_manim_bytes=manim_gif.stat().st_size,
        gif_bytes_ratio=ours.bytes / manim_gif.stat().st_size,
        gif_ours_ssim=ssim(ours.path, source, width, fps),
        gif_manim_ssim=ssim(manim_gif, source, width, fps),
    )

    # 7. the whole test suite
    if not args.skip_tests:
        results["tests_s"], _ = timed([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"])

    shutil.rmtree(tmp, ignore_errors=True)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    print_table(results)


def print_table(r: dict) -> None:
    rows = [
        ("floor: Manim alone, ms per frame (1 core)", f"{r['floor_per_frame_ms']:.1f}"),
        ("cold build: wall / video seconds", f"{r['cold_over_video']:.2f}  (target <= 0.7)"),
        ("cold build: ms per frame (all cores)", f"{r['build_per_frame_ms']:.1f}"),
        ("cold build: wall / floor wall, same frames", f"{r['build_over_floor']:.2f}"),
        (
            "cold build: CPU / floor CPU, same frames (per-frame cost)",
            f"{r['build_cpu_over_floor_cpu']:.2f}  (target <= 1.3)",
        ),
        (
            "no-op rebuild: seconds",
            f"{r['noop_s']:.2f}  {r['noop_report']}  (target <= 2, 0 built)",
        ),
        ("edit train.lr: wall / cold", f"{r['edit_over_cold']:.2f}  {r['edit_report']}"),
        (
            "watch: one beat's words saved -> page with the new clip, s",
            f"{r['watch_page_s']:.1f}  (target <= 5)",
        ),
        ("watch: ... -> every output made, page reloaded again, s", f"{r['watch_done_s']:.1f}"),
        ("GIF bytes: ours / Manim's", f"{r['gif_bytes_ratio']:.2f}  (target <= 0.5)"),
        ("GIF SSIM: ours vs Manim's", f"{r['gif_ours_ssim']:.4f} vs {r['gif_manim_ssim']:.4f}"),
        ("engine: trace seconds", f"{r['engine_trace_s']:.3f}"),
        (
            "import scenes.lesson / import torch, s",
            f"{r['import_scene_s']:.2f} / {r['import_torch_s']:.2f}  "
            f"(render imports torch: {r['scene_render_imports_torch']})",
        ),
    ]
    if "tests_s" in r:
        rows.append(("test suite: seconds", f"{r['tests_s']:.0f}  (target <= 300)"))
    width = max(len(a) for a, _ in rows)
    print(
        f"gdlesson benchmarks, -q {r['quality']}, {r['cores']} cores, "
        f"{r['frames_rendered']} frames ({r['video_s']:.1f} s of lesson; "
        f"{r['frames_stored']} stored, the rest are pauses held)"
    )
    for a, b in rows:
        print(f"  {a:<{width}}  {b}")


if __name__ == "__main__":
    main()
