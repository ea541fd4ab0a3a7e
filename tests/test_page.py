"""The course pages as a student meets them: every page that ``gdlesson build --all`` writes
(the session's course, ``built``), opened in Debian's chromium through Playwright (one
browser for the module), checked by axe-core (npm, pinned in package-lock.json) at a desktop
and a phone width; the chapters against the clips' own lengths; the transcripts against the
narration; the alt texts against the trace."""

import functools
import http.server
import io
import json
import re
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
import srt

from gdlesson.course import lesson_files

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MINUS = "\u2212"
#: the pages of the course, in teaching order: the first lesson's, then each lesson's after it
PAGES = ["index.html", *(f"{p.stem}/index.html" for p in lesson_files()[1:])]

pytestmark = pytest.mark.slow  # the course build they read


def number(v: float) -> str:
    """A value as the pictures and their alt texts write it."""
    return f"{v:.4f}".replace("-", MINUS)


@pytest.fixture(scope="module")
def course(built):
    out, env, _ = built
    return out, env


@pytest.fixture(scope="module")
def pages(course) -> list[Path]:
    out, _ = course
    lessons = [p for p in out.glob("*/index.html") if p.parent.name not in ("slides", "handout")]
    return [out / "index.html", *sorted(lessons)]  # the course's pages: not its deck, handout


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Python's file server, quiet, answering a range request as web servers do (a video
    that is served without them cannot seek)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(match[1])
        end = min(int(match[2]) if match[2] else size - 1, size - 1)
        with open(path, "rb") as fh:
            fh.seek(start)
            body = fh.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def server(course):
    """The course folder behind a web server of this machine (as a course site serves it)."""
    out, _ = course

    handler = functools.partial(RangeHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def url_of(server: str, out: Path, page: Path) -> str:
    return f"{server}/{page.relative_to(out).as_posix()}"


# -- what the HTML says ---------------------------------------------------------------------
class Outline(HTMLParser):
    """The page's headings, images, transcripts (``<details>``) and contents links."""

    def __init__(self):
        super().__init__()
        self.headings, self.images, self.transcripts, self.nav_links = [], [], [], []
        self.ids = []
        self._heading = self._details = self._nav = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if self._details is not None and tag in ("p", "h3", "h4"):
            self._details.append([tag, ""])
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "img":
            self.images.append(a)
        elif tag == "details":
            self._details = []
        elif tag == "nav":
            self._nav = True
        elif tag == "a" and self._nav:
            self.nav_links.append(a["href"])

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append(tuple(self._heading))
            self._heading = None
        elif tag == "details":
            self.transcripts.append(self._details)
            self._details = None
        elif tag == "nav":
            self._nav = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data
        if self._details:
            self._details[-1][1] += data


def outline(page: Path) -> Outline:
    parsed = Outline()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


# -- in the browser -------------------------------------------------------------------------
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation_at_a_desktop_and_a_phone_width(browser, server, course, name):
    out, _ = course
    assert (out / name).exists()
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900})
    page.goto(url_of(server, out, out / name), wait_until="load")
    page.add_script_tag(path=str(AXE))
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert result["testEngine"]["version"] == "4.14.1"
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways
        found[width] = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    page.close()
    assert found == {width: [] for width in WIDTHS}


@pytest.mark.parametrize("name", PAGES)
def test_every_request_stays_in_the_pages_folder_and_every_file_loads(
    browser, server, course, name
):
    """Each page with every picture loaded and every animation played: its requests go to
    its own folder (or below it) and all answer; pictures have their real size before they
    load; no error in the console."""
    out, _ = course
    page_path = out / name
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors, statuses = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: statuses.append((r.url, r.status)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = url_of(server, out, page_path)
    page.goto(url, wait_until="load")
    sizes = page.evaluate("""async () => {
        const declared = [...document.querySelectorAll('img, video')].map(
            e => [e.getAttribute('src'), e.getAttribute('width'), e.getAttribute('height')]);
        for (const img of document.images) { img.loading = 'eager'; }
        await Promise.all([...document.images].map(i => i.decode()));
        const real = [...document.images].map(i => [i.naturalWidth, i.naturalHeight]);
        return {declared, real};
    }""")
    for button in page.locator(".animation button").all():
        button.click()
    page.evaluate("""async () => Promise.all([...document.images].map(i => i.decode()))""")
    played = page.evaluate("[...document.images].filter(i => i.src.endsWith('.gif')).length")
    for video in page.locator("video").all():
        video.evaluate("v => { v.preload = 'metadata'; v.load(); }")
    page.wait_for_function(
        "[...document.querySelectorAll('video')].every(v => v.readyState >= 1)",
        timeout=30000,
    )
    videos = page.evaluate(
        "[...document.querySelectorAll('video')].map(v => [v.videoWidth, v.videoHeight,"
        " +v.getAttribute('width'), +v.getAttribute('height'), v.poster])"
    )
    page.close()
    folder = url.rsplit("/", 1)[0] + "/"
    assert [r for r in requests if not r.startswith(folder)] == []
    assert [s for s in statuses if s[1] not in (200, 206)] == [] and errors == []
    assert all(w and h for _, w, h in sizes["declared"]), sizes["declared"]
    images = [s for s in sizes["declared"] if s[0].endswith(".png")]
    assert [[int(w), int(h)] for _, w, h in images] == sizes["real"]
    assert played == len(list((page_path.parent / "gifs").glob("*.gif"))) > 0
    assert videos and all(v[:2] == v[2:4] and v[4].endswith(".png") for v in videos)


def test_animations_stand_still_until_played_and_pause_from_the_keyboard(browser, server, course):
    """With reduced motion asked for (and without), every GIF shows its first frame; its
    button, reached and pressed from the keyboard, plays it and pauses it again."""
    out, _ = course
    for motion in ("reduce", "no-preference"):
        page = browser.new_page(viewport={"width": 390, "height": 800}, reduced_motion=motion)
        page.goto(url_of(server, out, out / "index.html"), wait_until="load")
        shown = page.evaluate("[...document.querySelectorAll('.animation img')].map(i => i.src)")
        assert len(shown) == 16 and all(src.endswith(".png") for src in shown)
        button = page.locator("#iterate .animation button")
        button.focus()
        page.keyboard.press("Enter")
        img = page.locator("#iterate .animation img")
        assert img.get_attribute("src") == "gifs/iterate.gif"
        assert button.get_attribute("aria-pressed") == "true" and button.inner_text() == "Pause"
        page.keyboard.press("Space")
        assert img.get_attribute("src") == "gifs/iterate.png"
        assert button.get_attribute("aria-pressed") == "false"
        page.close()


def test_the_lesson_video_offers_its_chapters_as_a_track_and_as_buttons(browser, server, course):
    from scenes.storyboard import BEATS

    out, _ = course
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url_of(server, out, out / "index.html"), wait_until="load")
    page.evaluate("""() => { const v = document.getElementById('lesson-video');
        for (const t of Array.from(v.textTracks)) t.mode = 'hidden'; }""")
    page.wait_for_function(
        "Array.from(document.getElementById('lesson-video').textTracks).every(t => t.cues?.length)",
        timeout=30000,
    )
    tracks = page.evaluate("""Array.from(document.getElementById('lesson-video').textTracks).map(
        t => [t.kind, [...t.cues].map(c => [c.startTime, c.text])])""")
    kinds = [kind for kind, _ in tracks]
    assert sorted(kinds) == ["captions", "chapters"]
    captions = list(srt.parse((out / "lesson/Lesson.srt").read_text()))
    assert [text for _, text in dict(tracks)["captions"]] == [c.content for c in captions]
    chapters = dict(tracks)["chapters"]
    assert len(chapters) == len(BEATS) == 14
    assert [round(t, 3) for t, _ in chapters] == [round(s, 3) for s in cut_times(out)[:-1]]
    page.wait_for_function("document.getElementById('lesson-video').readyState >= 1")
    page.locator(".chapters button").nth(8).click()  # "Iterate"
    assert page.evaluate("document.getElementById('lesson-video').currentTime") == pytest.approx(
        chapters[8][0], abs=0.05
    )
    page.close()


def test_the_course_contents_lead_in_teaching_order_and_every_lesson_links_back(course, pages):
    out, _ = course
    assert sorted(str(p.relative_to(out)) for p in pages) == sorted(PAGES)
    order = [f"{p.stem}/index.html" for p in lesson_files()[1:]]
    main = outline(out / "index.html")
    assert [link for link in main.nav_links if link.endswith("/index.html")] == order
    assert main.headings[0] == (1, "Linear regression in PyTorch, the hard way")
    assert main.headings[1][1] == "Contents"  # at the top, before the lesson
    for page in pages:
        parsed = outline(page)
        assert len(parsed.ids) == len(set(parsed.ids))  # each link and label finds one thing
        levels = [level for level, _ in parsed.headings]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
        if page != pages[0]:
            assert "../index.html" in parsed.nav_links


# -- the chapters, the transcripts, the alt texts --------------------------------------------
def duration(path: Path) -> float:
    r = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(r.stdout)


def cut_times(out: Path) -> list[float]:
    """Where each beat's clip starts in the whole lesson, and where the last ends: the sums
    of the clips' own lengths."""
    from scenes.storyboard import BEATS

    times = [0.0]
    for i, beat in enumerate(BEATS, 1):
        times.append(times[-1] + duration(out / f"lesson/beats/{i:02d}_{beat}.mp4"))
    return times


def test_the_chapters_are_the_beats_at_the_cut_times_in_all_three_forms(course):
    from scenes.storyboard import BEATS, TITLES

    out, _ = course
    cuts = cut_times(out)
    titles = [TITLES[b].split(maxsplit=1)[1] for b in BEATS]
    assert titles[:2] == ["Data", "Model and cost"]
    # the WebVTT track
    vtt = (out / "lesson/chapters.vtt").read_text()
    cues = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n(.+)", vtt)
    assert [c[8] for c in cues] == titles

    def seconds(h, m, s, ms):
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    assert [seconds(*c[:4]) for c in cues] == pytest.approx(cuts[:-1], abs=0.0011)
    assert [seconds(*c[4:8]) for c in cues] == pytest.approx(cuts[1:], abs=0.0011)
    # inside the MP4
    r = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", out / "lesson/Lesson.mp4"],
        capture_output=True,
        text=True,
        check=True,
    )
    mp4 = json.loads(r.stdout)["chapters"]
    assert [c["tags"]["title"] for c in mp4] == titles
    assert [float(c["start_time"]) for c in mp4] == pytest.approx(cuts[:-1], abs=0.0011)
    assert [float(c["end_time"]) for c in mp4] == pytest.approx(cuts[1:], abs=0.0011)
    assert duration(out / "lesson/Lesson.mp4") == pytest.approx(cuts[-1], abs=0.1)
    # for a description
    lines = (out / "lesson/chapters.txt").read_text().splitlines()
    expected = [f"{int(t) // 60}:{int(t) % 60:02d} {title}" for t, title in zip(cuts, titles)]
    assert lines == expected and lines[0] == "0:00 Data"


def test_each_transcript_is_the_narration_in_order_under_its_beats(course):
    from gdlesson.registry import lessons
    from scenes.storyboard import BEATS, TITLES, lesson_narration

    out, env = course
    words = lesson_narration(Path(env["GDLESSON_NARRATION"]))
    lesson = outline(out / "index.html").transcripts
    assert len(lesson) == 1
    expected = []
    for i, beat in enumerate(BEATS, 1):
        expected += [["h3", f"{i}. {TITLES[beat].split(maxsplit=1)[1]}"], ["p", words[beat].text]]
    assert lesson[0] == expected
    for toml in sorted((ROOT / "lessons").glob("*.toml")):
        lesson = next(k for k in lessons().values() if k.default_config == f"lessons/{toml.name}")
        said = lesson.narration(toml)
        transcripts = outline(out / toml.stem / "index.html").transcripts
        assert transcripts == [[["p", " ".join(said[s].text.split())]] for s in lesson.scenes]


def test_alt_texts_say_what_each_picture_shows_with_the_traces_numbers(course, pages):
    out, _ = course
    for page in pages:
        parsed = outline(page)
        headings = {text.strip() for _, text in parsed.headings}
        for img in parsed.images:
            alt, name = img["alt"], Path(img["src"]).stem
            assert alt not in headings and alt.casefold() != name.replace("_", " ").casefold()
            assert not re.search(r"\.(png|gif|svg)\b|_epoch\d", alt), alt
            assert len(alt) > 60 and re.search(r"\d", alt), (img["src"], alt)
    trace = json.loads((out / "trace.json").read_text())
    epochs, final = trace["epochs"], trace["final"]
    alts = {Path(i["src"]).stem: i["alt"] for i in outline(out / "index.html").images}
    for k, e in enumerate(epochs):
        assert f"w = {number(e['w'])}, loss {number(e['loss'])}" in alts[f"cost_epoch{k:02d}"]
        assert f"slope {number(e['grad'])}" in alts[f"cost_epoch{k:02d}"]
        assert f"y = {number(e['w'])}·x" in alts[f"fit_epoch{k:02d}"]
    assert f"to {number(final['w'])}" in alts["iterate"]
    assert f"counting up to the cost {number(epochs[0]['loss'])}" in alts["cost_at_start"]
    assert f"worked out to {number(epochs[0]['grad'])}" in alts["backward"]
    assert f"to {number(epochs[0]['w_next'])}" in alts["update_and_zero"]
    history = ", ".join(number(e["loss"]) for e in epochs)
    assert history in alts["loss_per_iteration"] and history in alts["loss_plot"]
    from lessons.two_parameters.trace import FollowUpTrace

    rates = FollowUpTrace.load(out / "learning_rates" / "trace.json")
    images = outline(out / "learning_rates/index.html").images
    alt = next(i["alt"] for i in images if i["src"].startswith("gifs/LearningRates."))
    finals = [r.loss_val[-1] for r in rates.runs if r.diverged_at is None]
    assert len(finals) >= 3 and all(f"validation {number(v)}" in alt for v in finals)


def test_each_lesson_lists_only_the_parameters_it_uses(course):
    out, _ = course
    listed = {}
    for name in ("slope_and_bias", "batch_modes", "learning_rates"):
        html = (out / name / "index.html").read_text()
        listed[name] = set(re.findall(r"<code>(\w+\.\w+)</code>", html))
    assert "compare.lrs" in listed["learning_rates"] and "train.lr" not in listed["learning_rates"]
    assert "compare.batch_sizes" not in listed["learning_rates"]
    assert "compare.batch_sizes" in listed["batch_modes"]
    assert (
        "train.batch_size" not in listed["batch_modes"]
        and "compare.lrs" not in listed["batch_modes"]
    )
    assert not any(key.startswith("compare.") for key in listed["slope_and_bias"])
    assert "train.shuffle" not in listed["slope_and_bias"]
    assert "data.outlier_y" in listed["learning_rates"]
    assert "data.outlier_y" not in listed["batch_modes"]
    main = (out / "index.html").read_text()
    assert "<code>train.lr</code></td><td>0.1</td>" in main


def test_the_readme_says_where_to_look():
    assert "renders/index.html" in (ROOT / "README.md").read_text().split("## Using it")[0]
