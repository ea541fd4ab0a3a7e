"""A lesson's slide deck, ``slides/index.html``: one reveal.js slide per beat (per scene for
a lesson of scenes) that plays the beat's clip when it appears and stops on its last frame,
its recording (if the beat has one) beside it, and the beat's words as the slide's speaker
notes (press S for the speaker view).

reveal.js comes from npm (``package.json`` pins it, ``npm ci`` installs it into
``node_modules/``); the few files the deck needs are copied into ``slides/reveal/``, so the
deck runs offline, from ``file://`` or from any server. The clips are linked where the build
put them (``../lesson/beats/...``), never copied. Every file of the deck is a build output:
in the manifest, written atomically, byte-identical on rebuild.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from gd_engine.trace import write_atomic
from scenes.theme import THEMES

ROOT = Path(__file__).resolve().parents[1]
REVEAL = ROOT / "node_modules" / "reveal.js"
#: what the deck takes of the reveal.js package: its code, its style, the speaker notes
#: plugin and the licence (MIT: a copy carries its notice)
REVEAL_FILES = {
    "dist/reveal.js": "reveal/reveal.js",
    "dist/reveal.css": "reveal/reveal.css",
    "dist/plugin/notes.js": "reveal/plugin/notes.js",
    "LICENSE": "reveal/LICENSE",
}
#: the slide is the video's own size: a clip fills it
SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080


class DeckError(Exception):
    """The deck cannot be made; the message is one line saying why and what to do."""


#: the last slide of a lesson whose page has an explorer: that part of its page
EXPLORER, EXPLORER_DATA = "index.html#explorer", "explorer/traces.js"
EXPLORER_TITLE = "Try a learning rate"
EXPLORER_NOTES = (
    "Now the class chooses. Move the learning rate and pick a start: the plots and the table "
    "show that run of the lesson's loop, trained when the page was built, and the regime is "
    "named under the slider. Ask for one rate in each band, and for one just past each bound."
)


@dataclass(frozen=True)
class Slide:
    """One slide: a beat (or scene), its title, its clip (relative to the build's folder),
    its words and its recording."""

    key: str
    title: str
    clip: str | None  # None: a page of the build's shown instead (``frame``)
    notes: str
    audio: Path | None = None
    frame: str | None = None  # a page of the build's folder, shown on the slide

    @property
    def audio_path(self) -> str | None:
        """Where the deck keeps its recording (relative to the build's folder)."""
        return f"slides/audio/{self.key}{self.audio.suffix.lower()}" if self.audio else None


def reveal_version() -> str:
    """The version of reveal.js in node_modules, checked against the one package.json pins
    (a missing or other version: one line saying to run ``npm ci``)."""
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["reveal.js"]
    try:
        found = json.loads((REVEAL / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        found = None
    if found != pinned:
        have = f"reveal.js {found} is installed" if found else "reveal.js is not installed"
        raise DeckError(
            f"slides: {have}, package.json pins {pinned}: run `npm ci` (./dev.sh render does it)"
        )
    return found


def deck_inputs(slides: list[Slide], title: str, theme: str, code: str) -> dict[str, str]:
    """Each file of the deck (relative to the build's folder) -> the hash of what it is made
    from: the page of its slides, titles, words and theme; reveal.js's files by content;
    each recording by content."""
    from gdlesson.build import digest, file_digest

    version = reveal_version()
    inputs = {
        f"slides/{target}": digest("reveal", version, source, file_digest(REVEAL / source))
        for source, target in REVEAL_FILES.items()
    }
    for s in slides:
        if s.audio:
            inputs[s.audio_path] = digest("slide-audio", file_digest(s.audio))
    shown = [(s.key, s.title, s.clip, s.notes, s.audio_path, s.frame) for s in slides]
    inputs["slides/index.html"] = digest("slides", title, theme, shown, code, version)
    return inputs


def write_deck(renders: Path, slides: list[Slide], title: str, theme: str, todo) -> list[str]:
    """Write the files of the deck among ``todo`` (paths relative to ``renders``); return
    them."""
    written = []
    for source, target in REVEAL_FILES.items():
        if f"slides/{target}" in todo:
            write_atomic(renders / "slides" / target, (REVEAL / source).read_bytes())
            written.append(f"slides/{target}")
    for s in slides:
        if s.audio and s.audio_path in todo:
            write_atomic(renders / s.audio_path, s.audio.read_bytes())
            written.append(s.audio_path)
    if "slides/index.html" in todo:
        write_atomic(renders / "slides/index.html", deck_html(slides, title, theme))
        written.append("slides/index.html")
    return written


def deck_html(slides: list[Slide], title: str, theme: str) -> str:
    """The deck's page: reveal.js's markup, one section per slide."""
    e = html.escape
    sections = []
    for s in slides:
        if s.frame:  # loaded when the slide comes near, as reveal.js does with data-src
            media = [
                f'<iframe class="page" data-src="../{e(s.frame)}" title="{e(s.title)}"></iframe>'
            ]
        else:
            media = [
                f'<video class="clip" src="../{e(s.clip)}" data-autoplay muted playsinline '
                f'preload="auto" aria-label="{e(s.title)}"></video>'
            ]
        if s.audio:  # the clip is muted: its sound plays here, and may be muted alone
            media.append(f'<audio src="../{e(s.audio_path)}" data-autoplay preload="auto"></audio>')
        sections.append(
            f'<section id="{e(s.key)}" data-title="{e(s.title)}">'
            f"{''.join(media)}"
            f'<aside class="notes">{e(s.notes)}</aside></section>'
        )
    settings = {
        "width": SLIDE_WIDTH,
        "height": SLIDE_HEIGHT,
        "margin": 0,
        "center": False,
        "controls": False,  # the keys and a clicker move on; nothing drawn over the clip
        "hash": True,
        "transition": "none",
        "backgroundTransition": "none",
    }
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',  # no request for /favicon.ico
        f"<title>{e(title)}</title>",
        '<link rel="stylesheet" href="reveal/reveal.css">',
        f"<style>{deck_style(theme)}</style>",
        "</head><body>",
        '<div class="reveal"><div class="slides">',
        *sections,
        "</div></div>",
        '<script src="reveal/reveal.js"></script>',
        '<script src="reveal/plugin/notes.js"></script>',
        f"<script>Reveal.initialize({{...{json.dumps(settings)}, plugins: [RevealNotes]}});"
        "</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def deck_style(theme: str) -> str:
    """The deck in the clips' colours (scenes/theme.py): the slide is the clip."""
    t = THEMES[theme]
    return (
        f"html, body, .reveal-viewport {{ background: {t.background}; color: {t.foreground}; }}"
        f" .reveal {{ font-family: '{t.font}', sans-serif; }}"
        " .reveal .slides section { padding: 0; width: 100%; height: 100%; }"
        " .reveal video.clip { display: block; width: 100%; height: 100%; margin: 0;"
        " max-width: none; max-height: none; object-fit: contain; }"
        " .reveal iframe.page { display: block; width: 100%; height: 100%; border: 0;"
        " background: #fff; }"
        f" .reveal .controls, .reveal .progress {{ color: {t.muted}; }}"
    )


# the build's part ---------------------------------------------------------------------------
def lesson_clips(build) -> dict[str, str] | None:
    """{beat or scene: its clip (relative to the build's folder)}, in the lesson's order,
    when every one is there (built or kept by this build, or by ``--only`` beside it); else
    None, with a note saying what the deck and the handout wait for."""
    units = build.beats or build.lesson.scenes
    clips = {}
    for stem, _scene, _inputs, beat in build.render_jobs(every=True):
        key = beat or Path(stem).name
        if key in units:
            clips[key] = f"{stem}.mp4"
    kept = set(build.kept_inputs()) & set(build.old) if build.opts.only else set()
    missing = [u for u in units if clips.get(u) not in set(build.outputs) | kept]
    if missing:
        build.report.notes.append(f"the deck and the handout wait for: {', '.join(missing)}")
        forget(build, "slides", ())  # they would show what is no longer there
        forget(build, "handout", ())
        return None
    return {u: clips[u] for u in units}


def lesson_title(build) -> str:
    return getattr(build.cfg, "title", "") or build.lesson.title or build.lesson.kind


def build_deck(build, clips: dict[str, str]) -> None:
    """The deck's files (``clips``: see lesson_clips), rebuilt where their inputs changed; a
    failure is the build's, in one line."""
    titles = build.lesson.unit_titles()
    said = build.narration
    slides = [
        Slide(key, titles.get(key, key), clip, said[key].text, said[key].audio)
        for key, clip in clips.items()
    ]
    if EXPLORER_DATA in build.outputs:  # the course page's explorer, for the class to try
        slides.append(Slide("explorer", EXPLORER_TITLE, None, EXPLORER_NOTES, frame=EXPLORER))
    title, theme = lesson_title(build), build.plan.theme
    try:
        inputs = deck_inputs(slides, title, theme, build.plan.code["slides"])
    except DeckError as exc:
        build.report.failed["slides/index.html"] = str(exc)
        forget(build, "slides", ())  # no deck rather than the last build's
        return
    todo = {path for path, hashed in inputs.items() if not build.up_to_date(path, hashed)}
    write_deck(build.renders, slides, title, theme, todo)
    for path, hashed in sorted(inputs.items()):
        build.keep(path, "slides", None, hashed, built=path in todo)
    forget(build, "slides", inputs)


def forget(build, kind: str, kept) -> None:
    """Remove the files of ``kind`` that the last build made and this one does not (say, the
    recording of a beat that has none now)."""
    for path, old in build.old.items():
        if old.kind == kind and path not in kept:
            (build.renders / path).unlink(missing_ok=True)
