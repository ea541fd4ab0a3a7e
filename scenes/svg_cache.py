"""Text outlines parsed once, not once per process.

Manim turns each text into an SVG (Pango) and parses that SVG into glyph mobjects
(svgelements, then a mobject per glyph), for every ``Text`` made, even the same text made
again (a ``Text`` does not use Manim's map of parsed SVGs). Parsing was a fifth of the CPU
of a course build at -q l (a code listing: about a second), paid again by every process: a
build runs one per lesson, a watch one per edit, the tests dozens. A text met for the first
time is parsed glyph by glyph (``scenes/glyphs.py``): the same mobjects, about a fifth of
the CPU.

``install()`` keeps each parse under a key made of what it reads (the SVG's bytes, Manim's
SVG settings, the versions of Manim, ManimPango and of this format), in the process and on
disk, and an SVG met again is a copy of its parse, as Manim's map would give it. What a
scene draws is therefore the same mobject a parse makes (``tests/test_speedups.py``).

The cache is ``renders/cache/svg/`` (``$GDLESSON_CACHE/svg/`` when that is set: the tests
keep one per run); deleting it costs only the parses. An entry is written to a file of its
own and renamed into place, with a checksum of its contents; an entry that cannot be read
or does not match its checksum is parsed again and written again. A full disk or an
unwritable cache only means parsing as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import manimpango
from manim import Text, config
from manim import __version__ as MANIM_VERSION
from manim.mobject.svg.svg_mobject import SVGMobject, VMobjectFromSVGPath

from scenes import glyphs

FORMAT = 1  # of an entry: raise it when what is stored changes
ROOT = Path(__file__).resolve().parents[1]


def folder() -> Path:
    return Path(os.environ.get("GDLESSON_CACHE") or ROOT / "renders" / "cache") / "svg"


def key(mob: SVGMobject) -> str | None:
    """What the parse of ``mob``'s SVG depends on, hashed; None without a file to read."""
    try:
        svg = mob.get_file_path().read_bytes()
    except (OSError, ValueError):
        return None
    seed = (
        FORMAT,
        MANIM_VERSION,
        manimpango.__version__,
        type(mob).__name__,
        repr(mob.svg_default),
        repr(mob.path_string_config),
        str(config.renderer),
    )
    return hashlib.sha256(repr(seed).encode() + b"\0" + svg).hexdigest()


def load(name: str) -> bytes | None:
    """The parse kept under ``name`` (pickled), if it is there whole."""
    try:
        data = (folder() / name).read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    return payload if hashlib.sha256(payload).digest() == digest else None


def pickled(mob: SVGMobject) -> bytes:
    """``mob`` just parsed, pickled without the parsed SVG paths its glyphs were made from
    (nothing reads them after the glyph's points are made)."""
    glyphs = [m for m in mob.get_family() if isinstance(m, VMobjectFromSVGPath)]
    paths = [g.path_obj for g in glyphs]
    try:
        for g in glyphs:
            g.path_obj = None
        return pickle.dumps(mob, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        for g, path in zip(glyphs, paths):
            g.path_obj = path


def store(name: str, payload: bytes) -> None:
    path = folder() / name
    part = path.with_name(f".{name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "wb") as f:
            f.write(hashlib.sha256(payload).digest() + payload)
        os.replace(part, path)
    except OSError:  # a full disk, a read-only home: parse as before
        part.unlink(missing_ok=True)


_init_svg_mobject = SVGMobject.init_svg_mobject
PARSED: dict[str, bytes] = {}  # key -> a parse, pickled, in this process


def _init_svg_mobject_kept(self: SVGMobject, use_svg_cache: bool):
    # a Text only: a Typst formula keeps more of its parse than its glyphs (two builds, one
    # with its formulas loaded, differed), so formulas are parsed as Manim parses them
    name = key(self) if isinstance(self, Text) else None
    if name is None:
        return _init_svg_mobject(self, use_svg_cache)
    payload = PARSED.get(name) or load(name)
    if payload is not None:
        try:
            mob = pickle.loads(payload)  # a new copy of the parse
        except Exception:
            payload = None  # unreadable: parsed and written again
    if payload is None:
        glyphs.generate(self)  # Manim's parse, an outline read once per glyph
        PARSED[name] = pickled(self)
        store(name, PARSED[name])
        return self
    PARSED[name] = payload
    self.add(*mob)
    self.id_to_vgroup_dict = mob.id_to_vgroup_dict
    return self


def install() -> None:
    SVGMobject.init_svg_mobject = _init_svg_mobject_kept
