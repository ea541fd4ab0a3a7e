"""A lesson's handout for students, ``handout.pdf``: one page per beat (per scene for a
lesson of scenes) with its key frame, its words and the numbers it shows.

The build writes the page to print, ``handout/index.html``, beside the key frames
(``handout/<beat>.png``: the last picture each clip holds still, taken by ffmpeg), and
Debian's Chromium prints it (``--print-to-pdf``): the text stays text, so it can be selected
and searched.

Two prints of the same page by the same Chromium differ only in their creation and
modification dates (Chromium writes no document ID; a table would add another difference:
see handout_html): :func:`settle_pdf` writes the PDF again through pypdf with a fixed
information dictionary (title, creator, producer, no dates), so a rebuild is byte-identical.
"""

from __future__ import annotations

import html
import logging
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gd_engine.trace import write_atomic
from gdlesson import media
from gdlesson.processes import WITH_PARENT
from gdlesson.slides import forget, lesson_title  # one title for the deck and handout
from scenes.theme import THEMES

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
FRAME_WIDTH = 1280  # key frames at most this wide: about 180 dpi across the page
HELD = 0.25  # seconds: a frame shown this long is a still picture, not a moving one


class HandoutError(Exception):
    """The handout cannot be made; the message is one line saying why."""


@dataclass(frozen=True)
class Page:
    """One page: a beat (or scene), its title, its words, the numbers it shows (name, value
    as on screen) and its key frame (relative to the build's folder)."""

    key: str
    title: str
    words: str
    numbers: tuple[tuple[str, str], ...]
    frame: str


def frame_path(key: str) -> str:
    return f"handout/{key}.png"


def key_frame(clip: Path, png: Path) -> None:
    """The clip's key frame as a PNG (at most FRAME_WIDTH wide): the last picture it holds
    still, the one its words end over (a pause is one frame held: scenes/still_frames.py),
    before the board is tidied away at its end; the last frame if it holds none."""
    try:
        packets = media.packet_times(clip)
    except media.MediaError as exc:
        raise HandoutError(f"{clip}: {exc}") from None
    if not packets:
        raise HandoutError(f"{clip}: no video frames")
    still = [pts for pts, held in packets if held >= HELD]
    at = still[-1] if still else max(pts for pts, _ in packets)
    png.parent.mkdir(parents=True, exist_ok=True)
    try:
        media.write_still(clip, png, max(0.0, at - 0.001), max_width=FRAME_WIDTH)
    except media.MediaError as exc:
        raise HandoutError(f"{clip}: could not take its key frame: {exc}") from None


def handout_html(title: str, pages: list[Page]) -> str:
    """The page Chromium prints: one sheet per beat."""
    e = html.escape
    sheets = []
    for p in pages:
        # a list, not a table: Chromium tags a table's header cells with IDs of its DOM
        # nodes, which are not the same from one print to the next
        rows = "".join(f"<dt>{e(n)}</dt><dd>{e(v)}</dd>" for n, v in p.numbers)
        numbers = f'<dl class="numbers">{rows}</dl>' if rows else ""
        sheets.append(
            f'<section id="{e(p.key)}"><p class="lesson">{e(title)}</p>'
            f"<h2>{e(p.title)}</h2>"
            f'<img src="{e(Path(p.frame).name)}" alt="{e(p.title)}: the last picture">'
            f'<p class="words">{e(p.words)}</p>{numbers}</section>'
        )
    return (
        "\n".join(
            [
                "<!doctype html>",
                '<html lang="en"><head><meta charset="utf-8">',
                '<link rel="icon" href="data:,">',
                f"<title>{e(title)}</title>",
                f"<style>{handout_style()}</style></head><body>",
                *sheets,
                "</body></html>",
            ]
        )
        + "\n"
    )


def handout_style() -> str:
    """Paper: the light theme's colours and fonts (scenes/theme.py), one beat a sheet."""
    t = THEMES["light"]
    return (
        "@page { size: A4; margin: 16mm 16mm 14mm; }"
        f" body {{ margin: 0; font-family: '{t.font}', sans-serif; color: {t.foreground};"
        " font-size: 12pt; line-height: 1.45; font-variant-ligatures: none; }"  # 'fi', not 'ﬁ'
        " section { break-after: page; } section:last-child { break-after: auto; }"
        f" .lesson {{ color: {t.muted}; font-size: 10pt; margin: 0 0 2mm; }}"
        " h2 { font-size: 17pt; margin: 0 0 5mm; white-space: pre-wrap; }"
        " img { display: block; width: 100%; border-radius: 2mm; }"
        " .words { margin: 6mm 0 5mm; font-size: 13pt; }"
        " dl.numbers { display: grid; grid-template-columns: max-content 1fr;"
        " gap: 1.5mm 6mm; margin: 0; }"
        f" .numbers dt {{ color: {t.muted}; }}"
        f" .numbers dd {{ margin: 0; font-family: '{t.mono}', monospace; }}"
    )


def chromium_identity() -> str:
    """Which Chromium prints (its installed file's size and time: cheap, and it changes
    with every package upgrade), hashed into the PDF's inputs."""
    try:
        real = Path(CHROMIUM).resolve()
        lib = Path("/usr/lib/chromium/chromium")
        st = (lib if lib.exists() else real).stat()
        return f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return "none"


def print_pdf(page: Path, pdf: Path, title: str) -> None:
    """Chromium prints ``page`` into ``pdf`` (atomically), its dates taken out."""
    if not Path(CHROMIUM).exists():
        raise HandoutError(
            f"handout: {CHROMIUM} not found: install the chromium package (./dev.sh does)"
        )
    with tempfile.TemporaryDirectory(prefix="gdlesson-handout-") as tmp:
        printed = Path(tmp) / "handout.pdf"
        cmd = [
            *WITH_PARENT, CHROMIUM, *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={printed}", page.resolve().as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300
            )
        except subprocess.TimeoutExpired:
            raise HandoutError("handout: chromium did not print within 300 s") from None
        if done.returncode or not printed.exists():
            tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise HandoutError(f"handout: chromium could not print {page}: {tail}")
        write_atomic(pdf, settle_pdf(printed, title))


def settle_pdf(printed: Path, title: str) -> bytes:
    """The PDF again, its information dictionary fixed: Chromium stamps the time it printed
    (/CreationDate, /ModDate) and its user agent; nothing else of it changes between two
    prints of the same page (the page has no table: see handout_html). No /ID is written
    (Chromium writes none either)."""
    import io

    from pypdf import PdfReader, PdfWriter

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Skia's trailer /Size is short
    reader = PdfReader(printed)
    producer = str((reader.metadata or {}).get("/Producer", "Chromium"))
    writer = PdfWriter(clone_from=reader)
    writer.metadata = {"/Title": title, "/Creator": "gdlesson", "/Producer": producer}
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# the build's part ---------------------------------------------------------------------------
def build_handout(build, clips: dict[str, str]) -> None:
    """The key frames, the page and the PDF (``clips``: see gdlesson/slides.py's
    lesson_clips), each rebuilt where its inputs changed."""
    from gdlesson.build import _version, digest

    code, title = build.plan.code["handout"], lesson_title(build)
    titles = build.lesson.unit_titles()
    frames = {}
    for key, clip in clips.items():
        made = build.outputs.get(clip) or build.old.get(clip)
        frames[frame_path(key)] = (clip, digest("key-frame", made.inputs, code))
    pages_inputs = digest(
        "handout",
        title,
        [(k, titles.get(k, k), build.narration[k].text) for k in clips],
        build.plan.trace_inputs(),  # the numbers come from the trace
        sorted((p, h) for p, (_c, h) in frames.items()),
        code,
    )
    pdf_inputs = digest("handout-pdf", pages_inputs, chromium_identity(), _version("pypdf"))
    try:
        todo = [p for p, (_clip, inputs) in frames.items() if not build.up_to_date(p, inputs)]

        # each a decode of its clip (gdlesson/media.py): as many at once as the build has
        # jobs
        def take(path: str) -> None:
            key_frame(build.renders / frames[path][0], build.renders / path)

        with ThreadPoolExecutor(max_workers=max(1, build.opts.jobs)) as pool:
            list(pool.map(take, todo))  # a HandoutError of any of them is raised here
        for path, (_clip, inputs) in frames.items():
            build.keep(path, "handout", None, inputs, built=path in todo)
        page = "handout/index.html"
        built = not build.up_to_date(page, pages_inputs)
        if built:
            pages = [
                Page(
                    key,
                    titles.get(key, key),
                    build.narration[key].text,
                    tuple(build.lesson.numbers(build.trace, key)),
                    frame_path(key),
                )
                for key in clips
            ]
            write_atomic(build.renders / page, handout_html(title, pages))
        build.keep(page, "handout", None, pages_inputs, built=built)
        built = not build.up_to_date("handout.pdf", pdf_inputs)
        if built:
            print_pdf(build.renders / page, build.renders / "handout.pdf", title)
        build.keep("handout.pdf", "handout", None, pdf_inputs, built=built)
    except HandoutError as exc:
        build.report.failed["handout.pdf"] = str(exc)
    # what is not kept is out of date: a failed PDF leaves none, not the last build's
    forget(build, "handout", {p for p, o in build.outputs.items() if o.kind == "handout"})
