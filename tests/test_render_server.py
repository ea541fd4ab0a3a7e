"""The render server (``gdlesson/render_server.py``), which ``gdlesson watch`` keeps so that
its builds' renders skip Manim's import: a render forked from it writes the same bytes as
``python -m manim``, draws a scene as last saved, is refused (and drawn the usual way) when
what Python and Manim read at start-up differs, and dies with the build that asked for it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdlesson import render_server
from gdlesson.build import MANIM_INTERPRETER

ROOT = Path(__file__).resolve().parents[1]
SCENE = """
from manim import BLUE, RIGHT, Circle, Scene, Text

class Saved(Scene):
    def construct(self):
        self.add(Text("{word}", font_size=48))
        self.play(Circle(color=BLUE).animate.shift(RIGHT), run_time=0.5)
"""
#: a build's environment for its renders (gdlesson/build.py)
ENV = {**os.environ, **MANIM_INTERPRETER}


@pytest.fixture(scope="module")
def server():
    with render_server.Server(ROOT) as s:
        assert s.wait(timeout=120)
        yield s


def args(scene: Path, media: Path) -> list[str]:
    return ["-ql", "--disable_caching", "--media_dir", str(media), str(scene), "Saved"]


def video(media: Path) -> bytes:
    return (media / "videos" / "scene" / "480p15" / "Saved.mp4").read_bytes()


def forked(server, scene: Path, media: Path) -> bytes:
    render = render_server.start(server.address, args(scene, media), str(ROOT), ENV)
    assert render is not None
    said = render.stderr.read()
    assert render.wait() == 0, said[-2000:]
    return video(media)


def spawned(scene: Path, media: Path) -> bytes:
    cmd = [sys.executable, "-m", "manim", *args(scene, media)]
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, capture_output=True)
    return video(media)


def test_a_forked_render_is_manims_own_and_draws_the_scene_as_saved(server, tmp_path):
    scene = tmp_path / "scene.py"
    scene.write_text(SCENE.format(word="first"))
    first = forked(server, scene, tmp_path / "forked")
    assert first == spawned(scene, tmp_path / "spawned")
    scene.write_text(SCENE.format(word="second"))  # saved while the server runs
    second = forked(server, scene, tmp_path / "forked")
    assert second != first
    assert second == spawned(scene, tmp_path / "spawned")


def test_what_python_or_manim_read_at_start_up_must_be_the_servers(server, tmp_path):
    scene = tmp_path / "scene.py"
    scene.write_text(SCENE.format(word="refused"))
    argv = args(scene, tmp_path / "media")
    other_path = {**ENV, "PYTHONPATH": str(tmp_path)}
    other_seed = {**ENV, "PYTHONHASHSEED": "1"}
    for env, cwd in ((other_path, ROOT), (other_seed, ROOT), (ENV, tmp_path)):
        assert render_server.start(server.address, argv, str(cwd), env) is None
    assert not (tmp_path / "media").exists()  # nothing drawn
    # a manim.cfg edited after the server read it
    project = tmp_path / "project"
    project.mkdir()
    (project / "manim.cfg").write_text((ROOT / "manim.cfg").read_text())
    with render_server.Server(project) as other:
        assert other.wait(timeout=120)
        (project / "manim.cfg").write_text("[CLI]\nframe_rate = 5\n")
        assert render_server.start(other.address, argv, str(project), ENV) is None
    assert render_server.start(str(tmp_path / "no-server"), argv, str(ROOT), ENV) is None


def test_a_render_dies_with_the_build_that_asked_for_it(server, tmp_path):
    scene = tmp_path / "scene.py"
    scene.write_text(SCENE.replace("run_time=0.5", "run_time=600"))
    client = (
        "import os, sys\n"
        "from gdlesson import render_server\n"
        f"r = render_server.start({server.address!r}, {args(scene, tmp_path)!r}, "
        f"{str(ROOT)!r}, {ENV!r})\n"
        "print(r.pid, flush=True)\n"
        "r.stderr.read()\n"
    )
    build = subprocess.Popen(
        [sys.executable, "-c", client], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    pid = int(build.stdout.readline())
    os.kill(pid, 0)  # drawing
    build.send_signal(signal.SIGKILL)
    build.wait()
    start = time.monotonic()
    while Path(f"/proc/{pid}").exists() and time.monotonic() - start < 30:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()
    assert server.proc.poll() is None  # the server goes on


def test_the_course_builds_server_outlives_the_render_thread_that_first_asked(tmp_path):
    """``build --all`` starts its server when a render first asks, in that render's thread,
    which ends with its lesson's build; the server must go on for the other lessons (a
    parent-death signal follows the thread that started a process), and end with the
    course build."""
    import threading

    scene = tmp_path / "scene.py"
    scene.write_text(SCENE.format(word="later"))
    with render_server.OnFirstRender(ROOT) as servers:
        asking = threading.Thread(target=servers.address)
        asking.start()
        asking.join()
        server = servers.server.proc
        time.sleep(0.5)  # time for a parent-death signal to arrive
        assert server.poll() is None
        render = render_server.start(servers.address(), args(scene, tmp_path), str(ROOT), ENV)
        assert render is not None
        render.stderr.read()
        assert render.wait() == 0
    assert server.poll() is not None  # ended with the course build


def test_a_new_server_takes_away_the_socket_folders_of_killed_ones():
    """A killed build's server leaves its socket's folder (named after the build's pid) in
    the temporary folder; the next server takes away those whose build is gone."""
    import tempfile

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    tmp = Path(tempfile.gettempdir())
    left = Path(tempfile.mkdtemp(prefix=f"{render_server.PREFIX}{gone.stdout.strip()}-"))
    (left / "socket").touch()
    alive = Path(tempfile.mkdtemp(prefix=f"{render_server.PREFIX}{os.getpid()}-"))
    try:
        with render_server.Server(ROOT) as s:
            assert s.wait(timeout=120)
            assert Path(s.folder).parent == tmp and Path(s.folder).is_dir()
        assert not left.exists() and alive.is_dir()
        assert not Path(s.folder).exists()  # its own, when it ends
    finally:
        alive.rmdir()
