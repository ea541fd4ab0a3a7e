"""A lesson's page, ``index.html`` in its build folder: one static file, no external
request, that works from ``file://`` and behind any web server (every path relative).

The page knows no lesson. A lesson says what its page shows as a :class:`Page` (its title,
lead, the course's contents, and its sections of videos, animations, pictures, words and
parameters; ``LessonKind.page``), and :func:`write_page` writes it:

- landmarks (a header with the contents as ``<nav>``, ``<main>``, a footer) and headings in
  order (h1, then h2 per section, h3 within one);
- every video with its poster (a still the build wrote), its real width and height, a
  captions track, a chapters track and chapter buttons when it has chapters, and its
  transcript (its narration in order, under the headings of its parts) in a ``<details>``;
- every GIF as its first frame with a play/pause button: nothing moves until asked, and
  anything that moves can be stopped (WCAG 2.2.2); the GIF's own link works without script.

Add a section with ``page.add(Section(...), after="some-id")``.
"""

from __future__ import annotations

import html
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from gd_engine.trace import write_atomic
from gdlesson.lesson_video import clock

STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 980px;
       padding: 0 1.25rem 2rem; color: #1b1f24; background: #fff; line-height: 1.5; }
header { padding-top: 1.2rem; } h1 { font-size: 1.7rem; margin: .2rem 0; }
h2 { margin-top: 2.2rem; } h3 { margin: 0 0 .4rem; }
.lead { color: #4a5562; margin-top: 0; }
nav { border: 1px solid #d6dae0; border-radius: 6px; padding: .4rem 1rem; margin: 1rem 0; }
nav h2 { font-size: 1rem; margin: .3rem 0; } nav ol { margin: .2rem 0; padding-left: 1.4rem; }
nav ol ol { font-size: .92rem; }
a { color: #0b57b5; } a:focus-visible, button:focus-visible, summary:focus-visible,
video:focus-visible { outline: 3px solid #0b57b5; outline-offset: 2px; }
video, img { max-width: 100%; height: auto; border-radius: 6px; background: #0f1419; }
video { display: block; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; align-items: start; }
.beat { border-top: 1px solid #e3e6ea; padding: 1rem 0; }
.animation { margin: 0; } .animation img { display: block; }
.animation button, .chapters button { font: inherit; font-size: .9rem; cursor: pointer;
  border: 1px solid #5f6b7a; border-radius: 4px; background: #f3f5f7; color: #1b1f24;
  padding: .15rem .6rem; margin: .3rem .4rem 0 0; }
.chapters ol { display: flex; flex-wrap: wrap; gap: 0 .2rem; list-style: none; padding: 0;
  margin: .3rem 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
           gap: .8rem; }
figure { margin: 0; } figcaption { font-size: .9rem; color: #4a5562; }
details { margin: .5rem 0; } summary { cursor: pointer; color: #0b57b5; }
details h3, details h4 { font-size: 1rem; margin: .8rem 0 .2rem; }
table { border-collapse: collapse; max-width: 100%; }
td { overflow-wrap: anywhere; } td, th { padding: .2rem .8rem; text-align: left;
        border-bottom: 1px solid #e3e6ea; } code { font-family: "DejaVu Sans Mono", monospace; }
footer { margin-top: 2.5rem; border-top: 1px solid #e3e6ea; color: #4a5562;
         font-size: .9rem; }
@media (max-width: 700px) { .pair { grid-template-columns: 1fr; } }
"""

#: the page's only script: play and pause of the animations, and the chapter buttons
SCRIPT = """
for (const figure of document.querySelectorAll('.animation')) {
  const img = figure.querySelector('img'), button = figure.querySelector('button');
  const still = img.getAttribute('src'), gif = figure.dataset.gif;
  button.hidden = false;
  button.addEventListener('click', () => {
    const play = button.getAttribute('aria-pressed') !== 'true';
    img.src = play ? gif : still;
    button.setAttribute('aria-pressed', String(play));
    button.textContent = play ? 'Pause' : 'Play';
  });
}
for (const list of document.querySelectorAll('.chapters')) {
  const video = document.getElementById(list.dataset.video);
  list.hidden = false;
  for (const button of list.querySelectorAll('button')) {
    button.addEventListener('click', () => {
      video.currentTime = Number(button.dataset.start);
      video.focus();
    });
  }
}
"""


# -- what a page shows ---------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """A part of a video: its heading and the words said in it (its narration)."""

    heading: str
    words: str


@dataclass(frozen=True)
class Video:
    """An MP4 of the build folder (``stem``.mp4), shown with what the build wrote beside it:
    ``stem``.png as its poster, ``stem``.vtt as captions."""

    stem: str
    label: str  # what it is, for a screen reader: "The whole lesson"
    transcript: tuple[Part, ...] = ()  # in order; one part without a heading for a scene
    chapters: str | None = None  # its WebVTT chapters track: a button per chapter
    id: str | None = None
    preload: str = "none"


@dataclass(frozen=True)
class Animation:
    """A GIF, shown as its first frame (``gifs/<name>.png``) until played."""

    gif: str
    alt: str  # what it shows, with its numbers


@dataclass(frozen=True)
class Picture:
    src: str
    alt: str  # what it shows, with its numbers
    caption: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (label, href): the same picture as SVG, ...


@dataclass(frozen=True)
class Words:
    text: str


@dataclass(frozen=True)
class Pair:
    """Two blocks side by side (one above the other on a narrow screen)."""

    left: tuple
    right: tuple


@dataclass(frozen=True)
class Figures:
    pictures: tuple[Picture, ...]


@dataclass(frozen=True)
class Parameters:
    """The parameters the lesson ran with: {table: {key: value}} (None: derived)."""

    tables: dict


@dataclass(frozen=True)
class Raw:
    """HTML of a section's own (an interactive explorer, ...), put in as it is."""

    html: str


@dataclass
class Section:
    id: str
    heading: str
    blocks: list = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    css_class: str = ""


@dataclass(frozen=True)
class Lesson:
    """A lesson of the course, as the contents list it."""

    href: str
    title: str
    current: bool = False


@dataclass
class Page:
    title: str
    lead: str
    sections: list[Section] = field(default_factory=list)
    course: list[Lesson] = field(default_factory=list)  # in teaching order
    footer: str = "Every number on this page comes from the run itself (trace.json)."

    def add(self, section: Section, after: str | None = None) -> None:
        """Put ``section`` after the section ``after`` (at the end when None or absent)."""
        ids = [s.id for s in self.sections]
        at = ids.index(after) + 1 if after in ids else len(self.sections)
        self.sections.insert(at, section)

    def section(self, id: str) -> Section:
        return next(s for s in self.sections if s.id == id)


def figures_section(outputs, texts: dict[str, tuple[str, str]]) -> Section | None:
    """A section of every ``figures/*.png`` among ``outputs`` (with a link to its SVG),
    each with the caption and alt text ``texts`` give its file's stem; None if none."""
    pictures = []
    for png in sorted(p for p in outputs if p.startswith("figures/") and p.endswith(".png")):
        svg = png[: -len(".png")] + ".svg"
        caption, alt = texts[Path(png).stem]
        links = (("SVG", svg),) if svg in outputs else ()
        pictures.append(Picture(png, alt, caption, links))
    return Section("figures", "Figures", [Figures(tuple(pictures))]) if pictures else None


# -- writing it ----------------------------------------------------------------------------
def write_page(folder: Path, page: Page) -> Path:
    """Write ``folder/index.html`` for ``page``; return its path. Posters, sizes and the
    files beside each video are read from ``folder``."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',  # no request for /favicon.ico
        f"<title>{e(page.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header>",
        f"<h1>{e(page.title)}</h1>",
        f'<p class="lead">{e(page.lead)}</p>',
        contents(page),
        "</header>",
        "<main>",
    ]
    for section in page.sections:
        parts.append(section_html(section, folder, 2))
    parts += [
        "</main>",
        f"<footer><p>{e(page.footer)}</p></footer>",
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    path = folder / "index.html"
    write_atomic(path, "\n".join(parts) + "\n")
    return path


def contents(page: Page) -> str:
    """The contents: the course's lessons in teaching order, this page's sections under its
    own entry."""
    e = html.escape
    own = "".join(f'<li><a href="#{e(s.id)}">{e(s.heading)}</a></li>' for s in page.sections)
    items = []
    for lesson in page.course or [Lesson("#", page.title, current=True)]:
        if lesson.current:
            items.append(
                f'<li><a href="#" aria-current="page">{e(lesson.title)}</a><ol>{own}</ol></li>'
            )
        else:
            items.append(f'<li><a href="{e(lesson.href)}">{e(lesson.title)}</a></li>')
    return (
        '<nav aria-labelledby="contents"><h2 id="contents">Contents</h2>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


def section_html(section: Section, folder: Path, level: int) -> str:
    e = html.escape
    css = f' class="{section.css_class}"' if section.css_class else ""
    body = [f'<section id="{e(section.id)}"{css} aria-labelledby="{e(section.id)}-h">']
    body.append(f'<h{level} id="{e(section.id)}-h">{e(section.heading)}</h{level}>')
    body += [block_html(b, folder, level) for b in section.blocks]
    body += [section_html(s, folder, level + 1) for s in section.subsections]
    body.append("</section>")
    return "".join(body)


def block_html(block, folder: Path, level: int) -> str:
    """One block of a section whose heading is at ``level``."""
    e = html.escape
    if isinstance(block, Words):
        return f"<p>{e(block.text)}</p>" if block.text else ""
    if isinstance(block, Pair):
        left = "".join(block_html(b, folder, level) for b in block.left)
        right = "".join(block_html(b, folder, level) for b in block.right)
        return f'<div class="pair"><div>{left}</div><div>{right}</div></div>'
    if isinstance(block, Video):
        return video_html(block, folder, level)
    if isinstance(block, Animation):
        return animation_html(block, folder)
    if isinstance(block, Picture):
        return picture_html(block, folder)
    if isinstance(block, Figures):
        pictures = "".join(picture_html(p, folder) for p in block.pictures)
        return f'<div class="figures">{pictures}</div>'
    if isinstance(block, Parameters):
        return parameters_html(block.tables)
    if isinstance(block, Raw):
        return block.html
    raise TypeError(f"a page cannot show {type(block).__name__}")


def video_html(v: Video, folder: Path, level: int) -> str:
    e = html.escape
    attrs = [f'id="{e(v.id)}"'] if v.id else []
    attrs += ["controls", f'preload="{v.preload}"', f'aria-label="{e(v.label)}"']
    poster = f"{v.stem}.png"
    if (folder / poster).exists():
        width, height = image_size(folder / poster)
        attrs += [f'poster="{poster}"', f'width="{width}"', f'height="{height}"']
    tracks = ""
    if (folder / f"{v.stem}.vtt").exists():
        tracks += (
            f'<track kind="captions" srclang="en" label="English captions" src="{v.stem}.vtt">'
        )
    chapters = []
    if v.chapters and (folder / v.chapters).exists():
        tracks += f'<track kind="chapters" srclang="en" label="Chapters" src="{v.chapters}">'
        chapters = read_chapters(folder / v.chapters)
    parts = [f'<video {" ".join(attrs)} src="{v.stem}.mp4">{tracks}</video>']
    if chapters and v.id:
        buttons = "".join(
            f'<li><button type="button" data-start="{start:.3f}">'
            f"{clock(start)} {e(title)}</button></li>"
            for start, title in chapters
        )
        parts.append(
            f'<div class="chapters" data-video="{e(v.id)}" hidden>'
            f"<p>Chapters (jump to):</p><ol>{buttons}</ol></div>"
        )
    if v.transcript:
        parts.append(transcript_html(v.transcript, level + 1))
    return "".join(parts)


def transcript_html(transcript: tuple[Part, ...], level: int) -> str:
    """The narration in order, each part under its heading (at ``level``)."""
    e = html.escape
    body = []
    for part in transcript:
        if part.heading:
            body.append(f"<h{level}>{e(part.heading)}</h{level}>")
        body.append(f"<p>{e(part.words)}</p>")
    return f"<details><summary>Transcript</summary>{''.join(body)}</details>"


def animation_html(a: Animation, folder: Path) -> str:
    """The GIF's first frame and a play/pause button (shown by the script); without the
    script, a link to the GIF."""
    e = html.escape
    still = a.gif[: -len(".gif")] + ".png"
    size = ""
    if (folder / still).exists():
        size = ' width="{}" height="{}"'.format(*image_size(folder / still))
    kb = (folder / a.gif).stat().st_size // 1024 if (folder / a.gif).exists() else 0
    return (
        f'<figure class="animation" data-gif="{a.gif}">'
        f'<img src="{still}" alt="{e(a.alt)}"{size} loading="lazy">'
        '<button type="button" aria-pressed="false" hidden>Play</button>'
        f'<a href="{a.gif}">GIF, {kb} kB</a></figure>'
    )


def picture_html(p: Picture, folder: Path) -> str:
    e = html.escape
    size = ""
    if (folder / p.src).exists():
        size = ' width="{}" height="{}"'.format(*image_size(folder / p.src))
    links = "".join(f' (<a href="{href}">{e(label)}</a>)' for label, href in p.links)
    caption = f"<figcaption>{e(p.caption)}{links}</figcaption>" if p.caption or links else ""
    return f'<figure><img src="{p.src}" alt="{e(p.alt)}"{size} loading="lazy">{caption}</figure>'


def parameters_html(tables: dict) -> str:
    e = html.escape
    rows = ["<table><caption>The parameters of this run</caption>"]
    rows.append('<tr><th scope="col">key</th><th scope="col">value</th></tr>')
    for table, values in tables.items():
        for key, value in values.items():
            text = value if value not in (None, "") else "derived"
            rows.append(f"<tr><td><code>{table}.{key}</code></td><td>{e(str(text))}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


CUE = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> [^\n]*\n([^\n]+)")


def read_chapters(path: Path) -> list[tuple[float, str]]:
    """(start in seconds, title) of each cue of a WebVTT chapters track."""
    text = path.read_text(encoding="utf-8")
    return [
        (int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000, title.strip())
        for h, m, s, ms, title in CUE.findall(text)
    ]


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG or GIF, from its header."""
    with open(path, "rb") as fh:
        head = fh.read(32)
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", head[16:24])
    if head[:4] == b"GIF8":
        return struct.unpack("<HH", head[6:10])
    raise ValueError(f"{path.name}: neither PNG nor GIF")
