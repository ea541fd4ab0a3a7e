"""A process that has imported Manim once and forks a renderer for each render it is asked
for: a render started from it skips Manim's import (about 2 s of CPU, most of a short
render's start). ``gdlesson watch`` keeps one for its builds (``$GDLESSON_RENDER_SERVER``);
a build that runs more than one manim process, or ``build --all``, starts one when its first
render asks (``OnFirstRender``).

Only Manim and the libraries it imports are loaded before the fork: the scenes, and all of
gdlesson's code, are imported by each renderer, so an edited scene draws as edited. What
Python or Manim read once at start-up (manim.cfg, Python's ``PYTHON*`` variables, the
interpreter, the folder) is compared with the render's own; where one differs the server
refuses and the build starts manim itself, as it does without a server.

A renderer is the server's child, so it is killed with the server (the parent-death signal);
it also watches the build that asked for it, on the socket they share, and kills itself
when that build is gone: a killed build leaves no renderer writing behind it.

The protocol, on an AF_UNIX SOCK_SEQPACKET socket in a folder only its user can open: the
build sends the render (JSON: manim's arguments, the environment, the folder, the
interpreter) with the write end of a pipe that becomes the renderer's stderr; the
renderer answers with JSON: ``{"refused": why}``, or ``{"started": its pid}`` and, when the
render has ended, ``{"status": its exit status}``.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

#: the environment variable that names the socket of the server a build renders through
ADDRESS = "GDLESSON_RENDER_SERVER"
#: what the interpreter reads from the environment when it starts: a render whose values
#: differ from the server's is not forked from it
STARTUP_VARIABLES = ("LANG", "LC_ALL", "LC_CTYPE")
PR_SET_PDEATHSIG = 1


def startup_env(env) -> dict:
    """What of ``env`` the interpreter reads when it starts."""
    return {k: v for k, v in env.items() if k.startswith("PYTHON") or k in STARTUP_VARIABLES}


def startup_state(cwd: str) -> dict:
    """What a forked renderer inherits instead of reading it again: the interpreter, the
    folder (manim reads manim.cfg from it), the contents of every manim.cfg Manim reads at
    import, and the environment the interpreter reads at start."""
    from manim._config.utils import config_file_paths

    files = {}
    for path in config_file_paths():
        path = Path(cwd, path) if not Path(path).is_absolute() else Path(path)
        files[str(path)] = path.read_text() if path.is_file() else None
    return {"python": sys.executable, "cwd": cwd, "files": files, "env": startup_env(os.environ)}


def differences(server: dict, request: dict) -> str:
    """Why a render cannot be forked from the server, or "" when it can."""
    if request["python"] != server["python"]:
        return f"another interpreter ({request['python']})"
    if os.path.realpath(request["cwd"]) != os.path.realpath(server["cwd"]):
        return f"another folder ({request['cwd']})"
    env = startup_env(request["env"])
    if env != server["env"]:
        changed = sorted(set(env.items()) ^ set(server["env"].items()))
        return f"another start-up environment ({changed[0][0]})"
    for path, text in server["files"].items():
        now = Path(path).read_text() if Path(path).is_file() else None
        if now != text:
            return f"{path} changed"
    return ""


# -- the server --------------------------------------------------------------------------------
def serve(address: str) -> None:
    """Import Manim, say "ready" on stdout, and fork a renderer for each render asked for on
    ``address``, until killed."""
    import manim.__main__  # noqa: F401  (what every renderer would import)

    state = startup_state(os.getcwd())
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(address)
    listener.listen(8)
    # renderers are waited for as they end, so that their CPU counts in the server's (and
    # so in its owner's, as a spawned manim's does): the server ends at SIGTERM
    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            for sig in (signal.SIGCHLD, signal.SIGTERM):  # as in a manim started anew
                signal.signal(sig, signal.SIG_DFL)
            code = 1
            try:
                code = render(conn, state)
            finally:
                os._exit(code)
        conn.close()


def reap(*_) -> None:
    """Wait for every renderer that has ended."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def render(conn: socket.socket, state: dict) -> int:
    """In a forked child: the render asked for on ``conn``, as ``python -m manim`` would run
    it; its exit status, also sent on ``conn``."""
    server = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server:  # the server died before the line above
        return 1
    message, fds, _flags, _ = socket.recv_fds(conn, 1 << 20, 1)
    request = json.loads(message)
    why = differences(state, request) if len(fds) == 1 else "no stderr"
    if why:
        conn.send(json.dumps({"refused": why}).encode())
        return 1
    conn.send(json.dumps({"started": os.getpid()}).encode())
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(fds[0], 2)
    os.close(fds[0])
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import manim.__main__

    sys.argv = [manim.__main__.__file__, *request["args"]]

    def die_with_the_build() -> None:
        conn.recv(1)  # returns when the build's end of the socket closes
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=die_with_the_build, daemon=True).start()
    try:
        manim.__main__.main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (stop.code is not None)
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    conn.send(json.dumps({"status": code}).encode())
    return code


# -- the build's side --------------------------------------------------------------------------
class Render:
    """A render forked by the server, read as a ``subprocess.Popen`` of manim is: its
    ``stderr`` (text) and ``wait()``."""

    def __init__(self, conn: socket.socket, stderr: int, pid: int):
        self.conn, self.pid = conn, pid
        self.stderr = os.fdopen(stderr, "r", buffering=1)

    def wait(self) -> int:
        try:
            answer = self.conn.recv(1 << 16)
        finally:
            self.conn.close()
            self.stderr.close()
        return json.loads(answer)["status"] if answer else -signal.SIGKILL


def start(address: str, args: list[str], cwd: str, env: dict) -> Render | None:
    """``python -m manim`` with ``args``, forked by the server at ``address``; None when
    there is no server there or it refuses this render (the build then starts manim
    itself)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        conn.connect(address)
    except OSError:
        conn.close()
        return None
    request = {"python": sys.executable, "cwd": cwd, "env": env, "args": args}
    read, write = os.pipe()
    try:
        socket.send_fds(conn, [json.dumps(request).encode()], [write])
    except OSError:
        os.close(read)
        conn.close()
        return None
    finally:
        os.close(write)
    answer = json.loads(conn.recv(1 << 16) or b"{}")
    if "started" not in answer:  # refused (or the server is gone): manim is started anew
        os.close(read)
        conn.close()
        return None
    return Render(conn, read, answer["started"])


PREFIX = "gdlesson-render-"  # the temporary folders of the servers' sockets


def tidy() -> None:
    """Take away the socket folders that killed servers left: those of owners gone (a
    server dies with its owner; the folder is named after the owner's pid)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            os.kill(int(folder.name[len(PREFIX) :].split("-")[0]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, OSError):
            pass  # not of this form, or another user's


class Server:
    """A render server of our own, started in the background (``with Server() as s``):
    ``s.address`` is None until it has imported Manim, then its socket's path. It is killed
    when the thread that started it ends (the parent-death signal), and ended with the
    ``with``."""

    def __init__(self, cwd: Path, label: str = ""):
        from gdlesson.build import MANIM_INTERPRETER
        from gdlesson.processes import WITH_PARENT

        tidy()
        self.folder = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
        self.path = os.path.join(self.folder, "socket")
        self.address: str | None = None
        self.ready = threading.Event()  # set once it is ready, or gone
        env = {**os.environ, **MANIM_INTERPRETER}  # as the build starts manim
        env.pop(ADDRESS, None)
        self.proc = subprocess.Popen(
            # the label (the build's folder) only names it, and its renderers, in `ps`
            [*WITH_PARENT, sys.executable, "-m", "gdlesson.render_server", self.path, label],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        threading.Thread(target=self._wait_ready, daemon=True).start()

    def _wait_ready(self) -> None:
        if self.proc.stdout.readline() == b"ready\n":
            self.address = self.path
        self.ready.set()

    def wait(self, timeout: float) -> str | None:
        """Its address once it is ready (None if it is not after ``timeout`` seconds)."""
        self.ready.wait(timeout)
        return self.address

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)  # its socket


class OnFirstRender:
    """A render server started when a render first asks for it (``address()``), for a
    build that runs more than one manim process (or the builds of ``--all``): their renders
    pay no import of Manim, and a build that draws nothing starts none. ``with
    OnFirstRender(cwd, label) as servers``: ended with it.

    It is started, and ended, by a thread of its own that lives as long as it: the
    parent-death signal that kills it with the build is sent when the *thread* that started
    it ends, and the render threads that ask for it end with their build."""

    def __init__(self, cwd: Path, label: str = ""):
        self.cwd, self.label, self.server = cwd, label, None
        self.lock, self.over = threading.Lock(), threading.Event()
        self.owner: threading.Thread | None = None

    def address(self) -> str | None:
        with self.lock:
            if self.owner is None:
                started = threading.Event()
                self.owner = threading.Thread(target=self._own, args=(started,), daemon=True)
                self.owner.start()
                started.wait()
        return self.server.wait(timeout=120) if self.server else None

    def _own(self, started: threading.Event) -> None:
        try:
            self.server = Server(self.cwd, self.label)
        finally:
            started.set()
        with self.server:
            self.over.wait()

    def __enter__(self) -> OnFirstRender:
        return self

    def __exit__(self, *exc) -> None:
        self.over.set()
        if self.owner is not None:
            self.owner.join()


if __name__ == "__main__":
    serve(sys.argv[1])
