"""``gdlesson watch``: build a lesson, serve its page on 127.0.0.1, and on every saved edit of
its parameters, narration, recordings or code, build again and reload the page.

Each build is the real ``gdlesson build`` in a process of its own (an edit of the code takes
effect; the build's hashes decide what is drawn again, so a one-beat edit draws one beat).
The builds fork their renders from a render server the watch keeps (``render_server``):
Manim is imported once, not at every edit's render.
The page reloads twice: as soon as the build has written it with the new clips (it says so
on a pipe, see ``page_signal``), and when the build has finished the slower outputs (the
whole lesson, GIFs, deck, handout) and written the page and manifest again.
Watching is watchfiles'; serving is the standard library's, with a small script added to
every HTML page that listens on ``/__reload`` (server-sent events) and reloads the page.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from gdlesson import render_server

ROOT = Path(__file__).resolve().parents[1]

#: what an edit of can change an output: parameters and narration, recordings, code (with
#: the script and style the explorer puts on the first lesson's page, gdlesson/static/)
WATCHED = {".toml", ".py", ".tmpl", ".js", ".css", ".wav", ".mp3", ".ogg", ".flac", ".m4a"}
#: folders never watched (besides watchfiles' own list: .git, .venv, __pycache__, ...)
IGNORED = ("renders", "benchmarks", "tests", "docs")
#: how long a burst of saves is waited out, in ms (an editor writes a file in several steps)
DEBOUNCE_MS = 300
#: the file descriptor a build started by the watch says "page" on, once its page shows
#: the new clips
PAGE_FD = "GDLESSON_WATCH_PAGE_FD"

RELOAD_SCRIPT = b"""<script>
new EventSource("/__reload").onmessage = function () { location.reload(); };
</script>"""


class Builds:
    """How many times the page was written anew, for the pages waiting to reload."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def finished(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_after(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.count > seen, timeout=timeout)
            return self.count


class Handler(http.server.SimpleHTTPRequestHandler):
    """The build folder's files; HTML pages with the reload script; ``/__reload`` events."""

    builds: Builds

    def log_message(self, format, *args) -> None:  # quiet: the builds say what happens
        pass

    def end_headers(self) -> None:  # a reload fetches the clips again, never a cached one
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path == "/__reload":
            return self.events()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().do_GET()

    def events(self) -> None:
        """One ``reload`` message each time the page is written anew, until the page goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.builds.count
        try:
            self.wfile.write(b": watching\n\n")
            self.wfile.flush()
            while True:
                now = self.builds.wait_after(seen, timeout=15)
                message = b"data: reload\n\n" if now > seen else b": still here\n\n"
                seen = now
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def serve(folder: Path, port: int, builds: Builds) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on 127.0.0.1:``port`` (0: any free port) from a thread."""
    handler = type("WatchHandler", (Handler,), {"builds": builds})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), partial(handler, directory=str(folder))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watched_folders(config_path: Path) -> list[Path]:
    """The project and, kept elsewhere, the parameter file's folder and that of the
    narration of ``$GDLESSON_NARRATION``."""
    folders = [ROOT]
    others = [config_path, Path(os.environ.get("GDLESSON_NARRATION") or config_path)]
    for path in others:
        folder = path.resolve().parent
        if not folder.is_relative_to(ROOT) and folder not in folders:
            folders.append(folder)
    return folders


def edits(config_path: Path, out: Path, ready=lambda: None, stop=None):
    """Each burst of saved edits that can change an output: the files' paths. ``ready`` is
    called once the files are watched (an edit saved before then would go unseen)."""
    from watchfiles import DefaultFilter, watch

    ignore = [ROOT / name for name in IGNORED] + [out.resolve()]

    class Edits(DefaultFilter):
        def __call__(self, change, path: str) -> bool:
            p = Path(path)
            return (
                super().__call__(change, path)
                and p.suffix in WATCHED
                and not p.name.startswith(".")
                and not any(p.is_relative_to(folder) for folder in ignore)
            )

    watching = False
    for changes in watch(
        *watched_folders(config_path),
        watch_filter=Edits(),
        debounce=DEBOUNCE_MS,
        step=50,
        stop_event=stop,
        rust_timeout=200,
        yield_on_timeout=True,  # an empty set: the watcher is up, and nothing was saved
    ):
        if not watching:
            watching = True
            ready()
        if changes:
            yield sorted({path for _, path in changes})


def page_signal():
    """In a build the watch started: what tells the watch that the page shows the new clips
    (Options.on_page); else None."""
    fd = os.environ.pop(PAGE_FD, None)  # the build's own children need not know
    if fd is None:
        return None
    return lambda: os.write(int(fd), b"page\n")


def build_once(
    args: list[str], on_page=lambda seconds: None, renders: str | None = None
) -> tuple[int, float]:
    """``gdlesson build`` with ``args``: its exit status and its seconds; ``on_page`` is
    called with the seconds when its page shows the new clips; ``renders``, the address of
    a render server it forks its renders from. Its summary and errors go to this terminal."""
    start = time.monotonic()
    said, tell = os.pipe()
    env = {**os.environ, PAGE_FD: str(tell)}
    if renders:
        env[render_server.ADDRESS] = renders
    try:
        build = subprocess.Popen(
            [sys.executable, "-m", "gdlesson", "build", *args], env=env, pass_fds=(tell,)
        )
    finally:
        os.close(tell)

    def listen() -> None:
        with os.fdopen(said, "rb") as lines:
            for line in lines:
                if line == b"page\n":
                    on_page(time.monotonic() - start)

    listening = threading.Thread(target=listen, daemon=True)
    listening.start()
    status = build.wait()
    listening.join(timeout=5)  # its last words, before the build is said to be over
    return status, time.monotonic() - start


def run(config_path: Path, out: Path, args: list[str], port: int, echo=print) -> None:
    """Build, serve ``out``, and build again on every edit, until interrupted."""
    # the watch's render server: Manim imported while the first build runs
    try:
        renders = render_server.Server(ROOT, label=str(out))
    except OSError:  # no temporary folder, say: each render imports Manim, as without it
        renders = None
    with renders or nullcontext():
        watch(config_path, out, args, port, echo, renders)


def watch(config_path: Path, out: Path, args: list[str], port: int, echo, renders) -> None:
    builds = Builds()
    status, seconds = build_once(args)
    echo(f"gdlesson watch: built in {seconds:.1f} s" + ("" if status == 0 else " (with errors)"))
    address = renders.wait(timeout=60) if renders else None  # the first edit's forks too
    out.mkdir(parents=True, exist_ok=True)
    server = serve(out, port, builds)
    echo(f"gdlesson watch: serving http://127.0.0.1:{server.server_address[1]}/index.html")

    def page_ready(seconds: float) -> None:
        builds.finished()
        echo(f"gdlesson watch: the new clips are on the page in {seconds:.1f} s; reloading")

    try:
        ready = lambda: echo("gdlesson watch: watching for saved edits (Ctrl-C stops)")  # noqa: E731
        for paths in edits(config_path, out, ready):
            names = ", ".join(Path(p).name for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
            echo(f"gdlesson watch: {names} saved; building")
            status, seconds = build_once(args, page_ready, address)
            if status == 2:  # bad input: the build said which, in a line, and wrote nothing
                echo(f"gdlesson watch: nothing built ({seconds:.1f} s); fix it and save again")
                continue
            builds.finished()
            done = "built" if status == 0 else "built, with failures"
            echo(f"gdlesson watch: {done} in {seconds:.1f} s; the page reloads")
    finally:
        server.shutdown()
