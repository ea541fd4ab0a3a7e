"""The real ``gdlesson`` command, run as ``python -m gdlesson`` runs it, for the tests.

Each run is a process of its own, with its own folder, environment, umask, stdout and
stderr, and the project's code imported afresh from disk; only the libraries it imports
(torch, NumPy, Matplotlib, click, rich, PyAV) are imported once per test worker, by two
fork servers (this file run as a script: a new interpreter that imports them and then
forks a child per run, the two in turn), not once per run: importing torch alone costs
about 3 s of CPU on these machines, and the suite runs the command about 150 times. The
commands that are killed or run side by side (tests/test_build.py, test_rebuild.py,
test_watch.py) start a new interpreter, as the README's do.

A run whose environment changes a variable that Python or those libraries read when they
start (a ``PYTHONPATH`` that hides torch, say) starts a new interpreter instead."""

from __future__ import annotations

import atexit
import io
import json
import os
import runpy
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: what a gdlesson process imports that costs time and does not depend on the lesson
PRELOAD = ("torch", "numpy", "click", "rich.progress", "matplotlib.pyplot", "av", "PIL.Image")

#: variables the interpreter or those libraries read when they start
READ_AT_START_UP = ("PYTHON", "OMP_", "OPENBLAS_", "MKL_", "MPL", "TORCH")

#: two servers, asked in turn: each interpreter hashes strings with a random seed of its
#: own, so that two runs one after the other (a build and its rebuild, say) do not share
#: one, as two new interpreters would not
SERVERS = 2
_servers: list[subprocess.Popen | None] = [None] * SERVERS
_turn = 0
_lock = threading.Lock()
_started_with: dict[str, str] | None = None  # the environment the servers start with


def gdlesson(*args, cwd=ROOT, env=None, timeout: float = 1200) -> subprocess.CompletedProcess:
    """``python -m gdlesson *args`` in ``cwd``, with ``os.environ`` updated by ``env``: its
    exit status (negative: the signal that ended it) and its output as text."""
    global _started_with
    environ = {**os.environ, **(env or {})}
    argv = [sys.executable, "-m", "gdlesson", *map(str, args)]
    with _lock:
        if _started_with is None:
            _started_with = dict(os.environ)
        base = _started_with
    changed = {k for k in environ.keys() | base.keys() if environ.get(k) != base.get(k)}
    if any(key.startswith(READ_AT_START_UP) for key in changed):
        return subprocess.run(
            argv, cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout
        )
    umask = os.umask(0o077)
    os.umask(umask)
    with _lock, tempfile.TemporaryDirectory(prefix="gdlesson-run-") as tmp:
        server = _next_server()
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        request = dict(args=argv[3:], cwd=str(cwd), env=environ, umask=umask)
        request.update(out=str(out), err=str(err))
        server.stdin.write(json.dumps(request).encode() + b"\n")
        server.stdin.flush()
        pid = int(server.stdout.readline())
        if not select.select([server.stdout], [], [], timeout)[0]:
            os.kill(pid, signal.SIGKILL)
            server.stdout.readline()
            raise subprocess.TimeoutExpired(argv, timeout)
        status = int(server.stdout.readline())
        return subprocess.CompletedProcess(
            argv, status, out.read_text(), err.read_text(errors="backslashreplace")
        )


def _next_server() -> subprocess.Popen:
    """The next of this worker's fork servers, started on first use."""
    global _turn
    _turn = (_turn + 1) % SERVERS
    server = _servers[_turn]
    if server is None or server.poll() is not None:
        server = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=_started_with,
        )
        _servers[_turn] = server
    return server


def serve() -> None:
    """The server: import PRELOAD, then for each request read from stdin, fork a child that
    runs it; write the child's pid, then its exit status, one line each."""
    for name in PRELOAD:
        __import__(name)
    base_path = sys.path[1:]  # without this file's folder, which ``python -m`` would not add
    for line in sys.stdin.buffer:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run(request, base_path)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(f"{os.waitstatus_to_exitcode(status)}\n")
        sys.stdout.flush()


def _run(request: dict, base_path: list[str]) -> None:
    """In the forked child: become ``python -m gdlesson <args>``; exit with its status."""
    status = 1
    try:
        os.chdir(request["cwd"])
        os.umask(request["umask"])  # the test's, as a process started now would have
        os.environ.clear()
        os.environ.update(request["env"])
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        for fd, path in ((1, request["out"]), (2, request["err"])):
            opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        sys.stdin = open(0, closefd=False)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False), errors="backslashreplace", write_through=True
        )
        sys.path[:] = [request["cwd"], *base_path]  # ``python -m`` puts the folder first
        sys.argv = ["-m", *request["args"]]
        status = 0
        runpy.run_module("gdlesson", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        if isinstance(done.code, int) or done.code is None:
            status = done.code or 0
        else:
            print(done.code, file=sys.stderr)
            status = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


if __name__ == "__main__":
    serve()
