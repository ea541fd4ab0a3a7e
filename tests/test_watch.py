"""``gdlesson watch`` on the tiny lesson (tests/tiny_lesson/), as an author uses it: the page
served on 127.0.0.1, an edit of the narration saved, the page told to reload as soon as it
shows the new clip, and again when every other output is made; a bad edit said in one line,
and the watch goes on."""

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from gdlesson.watch import RELOAD_SCRIPT

TINY = Path(__file__).resolve().parent / "tiny_lesson"
RELOAD = RELOAD_SCRIPT.decode()
WAIT = 240  # seconds: a generous bound on a build of the tiny lesson on a busy machine


def lines_of(stream) -> queue.Queue:
    """The lines a stream prints, read by a thread into a queue."""
    found: queue.Queue = queue.Queue()

    def read() -> None:
        while line := stream.readline():
            found.put((line.decode() if isinstance(line, bytes) else line).rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return found


def next_line(found: queue.Queue, containing: str, seen: list[str]) -> str:
    while True:
        try:
            line = found.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail(f"no line with {containing!r} after: {seen[-10:]}")
        seen.append(line)
        if containing in line:
            return line


def inputs(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text())
    return {o["path"]: o["inputs"] for o in manifest["outputs"]}


def fetch(url: str) -> bytes:
    return urllib.request.urlopen(url, timeout=30).read()


def test_watch_serves_the_page_and_rebuilds_what_an_edit_changes(tmp_path):
    lesson = tmp_path / "tiny"
    shutil.copytree(TINY, lesson, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "out"
    env = {**os.environ, "GDLESSON_LESSONS": str(lesson)}
    cmd = [sys.executable, "-m", "gdlesson", "watch", "--config", "tiny.toml"]
    watch = subprocess.Popen(
        [*cmd, "--out", str(out), "--port", "0"],
        cwd=lesson,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        said, seen = lines_of(watch.stderr), []
        url = next_line(said, "serving http://127.0.0.1:", seen).split("serving ")[1]
        next_line(said, "watching", seen)
        page = fetch(url).decode()
        assert 'new EventSource("/__reload")' in page
        assert 'src="videos/TinyScene.mp4"' in page
        before = inputs(out)
        clip = out / "videos" / "TinyScene.mp4"
        old_clip = clip.stat().st_mtime_ns

        events = urllib.request.urlopen(url.replace("index.html", "__reload"), timeout=WAIT)
        messages = lines_of(events.fp)
        next_line(messages, ": watching", [])
        words = lesson / "narration" / "tiny.toml"
        new_words = "A step goes a quarter of the way to three."
        words.write_text(f'[TinyScene]\ntext = "{new_words}"\n')
        next_line(said, "tiny.toml saved; building", seen)
        # first the page with the new clip and its words, before the GIF and the rest
        next_line(said, "the new clips are on the page", seen)
        assert next_line(messages, "data:", []) == "data: reload"
        early = fetch(url).decode()
        assert new_words in early and 'src="videos/TinyScene.mp4"' in early
        assert clip.stat().st_mtime_ns != old_clip  # the page plays the clip drawn anew
        # then every other output, the page written again, and a second reload
        next_line(said, "the page reloads", seen)
        assert next_line(messages, "data:", []) == "data: reload"
        after = inputs(out)
        changed = {p for p in after if after[p] != before.get(p)}
        clips = {"videos/TinyScene.mp4", "gifs/TinyScene.gif"}
        posters = {"videos/TinyScene.png", "gifs/TinyScene.png"}  # made of the clip and GIF
        # the deck's notes are the words
        assert changed == {*clips, *posters, "index.html", "slides/index.html"}
        manifest = json.loads((out / "manifest.json").read_text())
        for o in manifest["outputs"]:  # nothing left as the first page had it
            assert hashlib.sha256((out / o["path"]).read_bytes()).hexdigest() == o["sha256"]
        served = fetch(url).decode()
        assert served.replace(RELOAD, "") == (out / "index.html").read_text()  # the new page
        assert new_words in served

        config = lesson / "tiny.toml"
        config.write_text(config.read_text().replace("lr = 0.25", "lr = -1"))
        error = next_line(said, "gdlesson: ", seen)
        assert "lr" in error and "tiny.toml" in error
        next_line(said, "nothing built", seen)
        assert watch.poll() is None  # still watching
        assert inputs(out) == after  # and nothing was written
    finally:
        watch.send_signal(signal.SIGINT)
        try:
            watch.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watch.kill()
