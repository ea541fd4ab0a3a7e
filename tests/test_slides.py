"""The slide deck and the handout of the course build (conftest's ``built``): the deck in
Chromium from file:// (a slide per beat, each clip resolves and plays, the words as speaker
notes, keyboard navigation, no request outside the build's folder), a deck with a recording
(its audio plays), the handout's pages, words and numbers (checked against the math), and
its PDF printed again byte for byte."""

import functools
import http.server
import json
import math
import re
import shutil
import subprocess
import threading
import wave
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest

from gdlesson.build import clip_name
from gdlesson.registry import lessons
from scenes.storyboard import BEATS, TITLES, lesson_narration

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


class Browser:
    """Chromium through Playwright on a page of the deck, with every request, console error
    and page error it sees."""

    def __init__(self, playwright, url: str):
        self.browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        self.page = self.browser.new_page(viewport={"width": 960, "height": 540})
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function("window.Reveal && Reveal.isReady()")

    def loaded(self) -> list[str]:
        """Every address the page asked for: its requests and the resources it timed."""
        timed = self.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        return [unquote(u) for u in self.requests + timed]


def playing(page, selector: str) -> None:
    """Wait until the current slide's ``selector`` element plays (its time runs)."""
    page.wait_for_function(
        f"""(() => {{ const m = Reveal.getCurrentSlide().querySelector('{selector}');
            return m && !m.paused && m.currentTime > 0.1 && m.readyState >= 2; }})()""",
        timeout=20000,
    )


@pytest.mark.slow
def test_the_deck_has_a_slide_per_beat_that_plays_its_clip_with_its_words_as_notes(built):
    from playwright.sync_api import sync_playwright

    out, env, _ = built
    words = lesson_narration(Path(env["GDLESSON_NARRATION"]))
    deck = out / "slides" / "index.html"
    with sync_playwright() as p:
        b = Browser(p, deck.as_uri())
        page = b.page
        slides = page.evaluate("""Reveal.getSlides().map(s => ({
            id: s.id, notes: s.querySelector('aside.notes').textContent,
            speaker: Reveal.getSlideNotes(s),
            clip: s.querySelector('video')?.getAttribute('src'),
            frame: s.querySelector('iframe')?.dataset.src,
            audio: s.querySelectorAll('audio').length }))""")
        assert [s["id"] for s in slides] == [*BEATS, "explorer"]
        explorer = slides.pop()  # the last: the course page's explorer, for the class to try
        assert explorer["frame"] == "../index.html#explorer" and explorer["speaker"]
        for beat, s in zip(BEATS, slides):
            assert s["notes"] == words[beat].text and s["speaker"]  # the presenter sees them
            assert s["clip"] == f"../{clip_name(BEATS, beat)}.mp4"
            assert s["audio"] == 0  # no recordings in this build
        # each slide plays its clip when it appears (the keys a clicker sends), and the
        # one it leaves stops
        for i, beat in enumerate(BEATS):
            if i:
                page.keyboard.press("ArrowRight" if i % 2 else "PageDown")
            assert page.evaluate("Reveal.getCurrentSlide().id") == beat
            playing(page, "video")
            if i:
                left = page.evaluate(
                    f"document.getElementById('{BEATS[i - 1]}').querySelector('video').paused"
                )
                assert left, BEATS[i - 1]
        # the last clip plays to its end and stays on its last frame
        page.evaluate("""(() => { const v = Reveal.getCurrentSlide().querySelector('video');
            v.currentTime = Math.max(0, v.duration - 0.4); })()""")
        page.wait_for_function("Reveal.getCurrentSlide().querySelector('video').ended")
        page.wait_for_timeout(400)
        end = page.evaluate("""(() => { const v = Reveal.getCurrentSlide().querySelector('video');
            return [v.currentTime, v.duration, v.ended, v.loop]; })()""")
        assert end[0] == pytest.approx(end[1], abs=0.01) and end[2] and not end[3]
        # the explorer's slide shows its slider and the readouts' table, working
        page.keyboard.press("ArrowRight")
        assert page.evaluate("Reveal.getCurrentSlide().id") == "explorer"
        frame = page.frame_locator("#explorer iframe")
        frame.locator("#ex-lr").wait_for(timeout=20000)
        assert frame.locator("#ex-rows tr").count() > 1
        loaded, errors = b.loaded(), b.errors
        b.browser.close()
    assert errors == []
    inside = unquote(out.as_uri()) + "/"
    assert loaded and [u for u in loaded if not u.startswith(inside)] == []
    assert {u for u in loaded if u.endswith(".mp4")} >= {
        unquote((out / f"{clip_name(BEATS, b)}.mp4").as_uri()) for b in BEATS
    }  # and, on the explorer's slide, what the course page loads


@pytest.mark.slow
def test_every_file_of_the_deck_and_the_handout_is_an_output_of_the_build(built):
    out, _, _ = built
    listed = {
        o["path"]: o["kind"] for o in json.loads((out / "manifest.json").read_text())["outputs"]
    }
    for folder, kind in (("slides", "slides"), ("handout", "handout")):
        files = {str(p.relative_to(out)) for p in (out / folder).rglob("*") if p.is_file()}
        assert files and all(listed.get(f) == kind for f in files), folder
    assert listed["handout.pdf"] == "handout"
    # the deck carries what it runs on, and nothing of reveal.js it does not need
    assert sorted(p.name for p in (out / "slides" / "reveal").rglob("*") if p.is_file()) == [
        "LICENSE",
        "notes.js",
        "reveal.css",
        "reveal.js",
    ]
    # the lessons of scenes have a deck of their own: a slide per scene
    for name, lesson in lessons().items():
        if lesson.beats:
            continue
        folder = out / Path(lesson.default_config).stem / "slides"
        deck = (folder / "index.html").read_text()
        for scene in lesson.scenes:
            assert f'id="{scene}"' in deck and f'src="../videos/{scene}.mp4"' in deck, name
        assert deck.count("<section ") == len(lesson.scenes)


def tiny_clip(path: Path, seconds: float) -> None:
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i"]
    cmd += [f"testsrc=size=160x90:rate=15:duration={seconds}", "-pix_fmt", "yuv420p"]
    subprocess.run([*cmd, "-c:v", "libx264", str(path)], check=True)


def tiny_recording(path: Path, seconds: float, rate: int = 16000) -> None:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * math.pi * 440 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(samples.tobytes())


@contextmanager
def served(folder: Path):
    """``folder`` on a local web server: the address of its root."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("where", ["file", "server"])
def test_a_slide_with_a_recording_plays_it_with_the_clip(tmp_path, where):
    """A beat with a recording: its slide plays the recording beside the clip (muted, so
    that the sound is heard once), from a server as from file://."""
    from playwright.sync_api import sync_playwright

    from gdlesson.slides import Slide, deck_inputs, write_deck

    tiny_clip(tmp_path / "clip.mp4", 3.0)
    tiny_recording(tmp_path / "words.wav", 3.0)
    words = 'Words with "quotes" & <angle brackets>, said aloud.'
    slides = [
        Slide("first", "1  First", "clip.mp4", words, tmp_path / "words.wav"),
        Slide("second", "2  Second", "clip.mp4", "Silent words."),
    ]
    todo = deck_inputs(slides, "A deck", "dark", "code")
    write_deck(tmp_path, slides, "A deck", "dark", todo)
    assert (tmp_path / "slides/audio/first.wav").read_bytes() == (
        tmp_path / "words.wav"
    ).read_bytes()
    with sync_playwright() as p, served(tmp_path) as server:
        root = unquote(tmp_path.as_uri()) if where == "file" else server
        b = Browser(p, f"{root}/slides/index.html")
        page = b.page
        playing(page, "video")
        playing(page, "audio")
        notes = page.evaluate("Reveal.getSlides().map(s => s.querySelector('.notes').textContent)")
        assert notes == [words, "Silent words."]
        assert page.evaluate("Reveal.getCurrentSlide().querySelector('video').muted")
        page.keyboard.press("ArrowRight")
        playing(page, "video")
        assert page.evaluate("document.querySelector('#first audio').paused")
        loaded, errors = b.loaded(), b.errors
        b.browser.close()
    assert errors == []
    assert any(u.endswith("slides/audio/first.wav") for u in loaded)
    assert [u for u in loaded if not u.startswith(root + "/")] == []


def test_a_missing_reveal_js_is_one_line_saying_what_to_run(tmp_path):
    import gdlesson.slides as slides

    installed, slides.REVEAL = slides.REVEAL, tmp_path / "node_modules" / "reveal.js"
    try:
        with pytest.raises(slides.DeckError) as caught:
            slides.reveal_version()
    finally:
        slides.REVEAL = installed
    message = str(caught.value)
    assert "\n" not in message and "npm ci" in message and "not installed" in message


# the handout --------------------------------------------------------------------------------
def reference_run(trace: dict) -> list[dict]:
    """Every epoch of the lesson's gradient descent in float64, from the math: the loss
    mean((w x - y)^2), its derivative mean(2 x (w x - y)), the step w - lr * grad."""
    x, y = np.array(trace["data"]["x"]), np.array(trace["data"]["y"])
    lr, w = trace["config"]["train"]["lr"], float(trace["config"]["train"]["w0"])
    run = []
    for _ in range(trace["config"]["train"]["epochs"]):
        loss, grad = np.mean((w * x - y) ** 2), np.mean(2 * x * (w * x - y))
        run.append({"w": w, "loss": loss, "grad": grad, "w_next": w - lr * grad})
        w = w - lr * grad
    return run


def number(text: str, name: str) -> float:
    """The value written after ``name`` on a handout page (a true minus sign)."""
    found = re.search(re.escape(name) + r"\s+([\u2212-]?\d+(?:\.\d+)?)", text)
    assert found, (name, text)
    return float(found.group(1).replace("\u2212", "-"))


@pytest.mark.slow
def test_the_handout_has_a_page_per_beat_with_its_picture_words_and_numbers(built):
    from pypdf import PdfReader

    out, env, _ = built
    words = lesson_narration(Path(env["GDLESSON_NARRATION"]))
    trace = json.loads((out / "trace.json").read_text())
    run = reference_run(trace)
    reader = PdfReader(out / "handout.pdf")
    assert len(reader.pages) == len(BEATS)
    pages = {}
    for beat, page in zip(BEATS, reader.pages):
        text = " ".join(page.extract_text().split())  # selectable text, not a picture
        assert " ".join(TITLES[beat].split()) in text and words[beat].text in text, beat
        assert len(page.images) == 1, beat  # its key frame
        pages[beat] = text
    lr = trace["config"]["train"]["lr"]
    assert number(pages["settings"], "lr") == lr
    assert number(pages["settings"], "epochs") == len(run)
    assert number(pages["settings"], "w0") == run[0]["w"]
    # the step worked out: the cost, its derivative, the update, as the readouts left them
    assert number(pages["cost_at_start"], "loss") == pytest.approx(run[0]["loss"], abs=2e-4)
    assert number(pages["backward"], "w.grad") == pytest.approx(run[0]["grad"], abs=2e-4)
    assert number(pages["backward"], "lr·grad") == pytest.approx(lr * run[0]["grad"], abs=2e-4)
    assert number(pages["update_and_zero"], "w") == pytest.approx(run[0]["w_next"], abs=2e-4)
    assert number(pages["update_and_zero"], "w.grad") == 0
    for k, step in enumerate(run):  # the tangents' slopes, to two decimals
        slope = number(pages["why_it_slows"], f"slope at epoch {k}")
        assert slope == pytest.approx(step["grad"], abs=0.006)
    listed = pages["loss_plot"].split("loss per iteration")[1]
    losses = [float(v.replace("\u2212", "-")) for v in re.findall(r"[\d.]+", listed)]
    assert losses == pytest.approx([s["loss"] for s in run], abs=2e-4)


@pytest.mark.slow
def test_a_key_frame_is_the_last_picture_its_clip_holds(built, tmp_path):
    """The handout's picture of a beat is a frame of its clip: the last one shown for a
    while (not one in the middle of the board going away at the end)."""
    from PIL import Image

    out, _, _ = built
    beat = "cost_at_start"
    clip = out / f"{clip_name(BEATS, beat)}.mp4"

    def probe(entries: str) -> list[float]:
        cmd = ["ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0"]
        found = subprocess.run([*cmd, str(clip)], capture_output=True, text=True, check=True)
        return [float(t.strip(",")) for t in found.stdout.split()]

    starts = probe("frame=pts_time")
    shown_for = np.diff(starts + probe("format=duration"))  # a pause: one frame, shown long
    held = [i for i, d in enumerate(shown_for) if d >= 0.25]
    assert held and held[-1] < len(starts) - 1  # the clip moves after its last still
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clip), "-fps_mode", "passthrough",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    picture = np.asarray(Image.open(out / "handout" / f"{beat}.png").convert("RGB"))
    size = picture.size
    assert len(raw) == size * len(starts)
    decoded = np.frombuffer(raw, np.uint8).reshape(len(starts), *picture.shape)
    gaps = [np.abs(f.astype(int) - picture).mean() for f in decoded]
    assert int(np.argmin(gaps)) == held[-1] and gaps[held[-1]] < 1.0
    assert gaps[-1] > gaps[held[-1]]  # the last frame is another picture


@pytest.mark.slow
def test_the_handout_prints_to_the_same_bytes_again(built, tmp_path):
    from gdlesson.handout import print_pdf

    out, _, _ = built
    page = tmp_path / "handout" / "index.html"
    shutil.copytree(out / "handout", page.parent)
    print_pdf(page, tmp_path / "again.pdf", lessons()["one_weight"].title)
    assert (tmp_path / "again.pdf").read_bytes() == (out / "handout.pdf").read_bytes()


def test_a_missing_chromium_is_one_line_saying_what_to_install(tmp_path):
    import gdlesson.handout as handout

    (tmp_path / "index.html").write_text("<p>a page</p>")
    installed, handout.CHROMIUM = handout.CHROMIUM, str(tmp_path / "no-chromium")
    try:
        with pytest.raises(handout.HandoutError) as caught:
            handout.print_pdf(tmp_path / "index.html", tmp_path / "handout.pdf", "A title")
    finally:
        handout.CHROMIUM = installed
    message = str(caught.value)
    assert "\n" not in message and "install the chromium package" in message
    assert not (tmp_path / "handout.pdf").exists()
