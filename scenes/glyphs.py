"""A text's outlines made glyph by glyph: each glyph's outline parsed once, not once per letter.

Pango writes a text as an SVG of glyph outlines (``<symbol>``), each placed by a ``<use>``
where a letter stands. Manim's parse (svgelements, then a mobject per path) reads a glyph's
outline again for every letter that shows it, and makes a group for every element: a code
listing of 300 letters costs about 0.3 s, where it has some 40 different glyphs.

``generate(text)`` makes the same mobjects as ``SVGMobject.generate_mobject`` (the same
points, bit for bit, and the same style; ``tests/test_speedups.py`` compares the two on
the lessons' texts): svgelements reads the document with the outlines left out (the
placements, the transforms and the styles, as Manim reads them), each outline's segments
are read once, and a letter's points are its glyph's, placed by its transform and turned
into Bezier points with Manim's own arithmetic (``VMobjectFromSVGPath.handle_commands``),
one array operation per letter instead of one per point. A letter's mobject is a copy of
a styled empty one per glyph and style.

What it makes differs from Manim's in two things no text reads after it is made:
``id_to_vgroup_dict`` holds the root group only (Manim makes a group per element; only Tex
and Typst read them, by name), and a glyph's ``path_obj`` (the parsed path its points were
made from) is None, as in a text loaded from ``scenes/svg_cache.py``. A document of any
other shape (another element than a path, a segment Manim does not know) or for OpenGL's
quadratic curves is parsed by Manim as before.
"""

from __future__ import annotations

import copy
import io
import xml.etree.ElementTree as ET

import numpy as np
import svgelements as se
from manim import RIGHT, VGroup
from manim.mobject.svg.svg_mobject import SVGMobject, VMobjectFromSVGPath

SVG_NS = "{http://www.w3.org/2000/svg}"
MARK = "data-gdlesson-glyph"  # the symbol an emptied path's outline belongs to


class Unsupported(Exception):
    """A document this fast path does not read exactly as Manim does."""


class Outline:
    """One glyph's outline: its points in the symbol's own coordinates and the recipe that
    turns them, once placed, into Manim's Bezier points."""

    def __init__(self, d: str):
        path = se.Path(d)
        xy: list[tuple[float, float]] = []
        segments: list[tuple[str, tuple[int, ...]]] = []

        def point(p) -> int:
            xy.append((p.x, p.y))
            return len(xy) - 1

        for segment in path:
            kind = type(segment)
            if kind is se.Move:
                segments.append(("M", (point(segment.end),)))
            elif kind is se.Line:
                segments.append(("L", (point(segment.end),)))
            elif kind is se.QuadraticBezier:
                segments.append(("Q", (point(segment.control), point(segment.end))))
            elif kind is se.CubicBezier:
                c1, c2, end = point(segment.control1), point(segment.control2), point(segment.end)
                segments.append(("C", (c1, c2, end)))
            elif kind is se.Close:
                segments.append(("Z", ()))
            else:
                raise Unsupported(kind.__name__)
        self.local = np.array(xy, dtype=np.float64).reshape(-1, 2)
        self.segments = segments
        self.recipes: dict[tuple[bool, ...], tuple] = {}

    def placed(self, m: se.Matrix) -> np.ndarray:
        """The outline's points under ``m``, as svgelements computes them
        (``Matrix.point_in_matrix_space``: x*a + y*c + 1*e), with z = 0."""
        x, y = self.local[:, 0], self.local[:, 1]
        out = np.zeros((len(self.local), 3))
        out[:, 0] = x * m.a + y * m.c + 1 * m.e
        out[:, 1] = x * m.b + y * m.d + 1 * m.f
        return out

    def recipe(self, p: np.ndarray) -> tuple:
        """Which rows Manim's ``handle_commands`` writes for points ``p``: (index, closes).
        A row (i, j, k) of ``index`` copies a point (j == -1: ``p[i]``) or is a handle
        ``(p[i] + p[j] + p[k]) / 3``. A close draws a line back only when the pen is more
        than 0.0001 away (Manim's test): ``closes`` holds (pen, start, whether it did), the
        distances the recipe depends on."""
        rows: list[tuple[int, int, int]] = []
        last_move = last_true_move = None
        closes = []

        def move_pen(i: int, true_move: bool = False):
            nonlocal last_move, last_true_move
            last_move = i
            if true_move:
                last_true_move = last_move

        def cubic(s: int, c1, c2, e: int):
            rows.extend((s, c1, c2, (e, -1, -1)))
            move_pen(e)

        def line(s: int, e: int):
            cubic((s, -1, -1), (s, s, e), (s, e, e), e)

        for kind, idx in self.segments:
            if kind == "M":
                move_pen(idx[0], true_move=True)
            elif kind == "L":
                line(last_move, idx[0])
            elif kind == "Q":
                s, cp, e = last_move, idx[0], idx[1]
                cubic((s, -1, -1), (s, cp, cp), (cp, cp, e), e)
            elif kind == "C":
                cubic((last_move, -1, -1), (idx[0], -1, -1), (idx[1], -1, -1), idx[2])
            else:  # Z
                if last_move is None or last_true_move is None:
                    raise Unsupported("a close before any move")
                far = abs(np.linalg.norm(p[last_move] - p[last_true_move])) > 0.0001
                closes.append((last_move, last_true_move, far))
                if far:
                    line(last_move, last_true_move)
        index = np.array(rows, dtype=np.intp).reshape(-1, 3)
        return index, closes

    def points(self, m: se.Matrix) -> np.ndarray:
        """Manim's points for this outline placed by ``m``, bit for bit."""
        p = self.placed(m)
        key = None
        for k, recipe in self.recipes.items():
            if all((abs(np.linalg.norm(p[a] - p[b])) > 0.0001) == far for a, b, far in recipe[1]):
                key = k
                break
        if key is None:
            index, closes = self.recipe(p)
            key = tuple(far for *_, far in closes)
            self.recipes[key] = (index, closes)
        index = self.recipes[key][0]
        if not len(index):
            return np.zeros((0, 3))
        single = index[:, 1] < 0
        out = np.empty((len(index), 3))
        out[single] = p[index[single, 0]]
        h = index[~single]
        out[~single] = (p[h[:, 0]] + p[h[:, 1]] + p[h[:, 2]]) / 3
        return out


OUTLINES: dict[str, Outline] = {}  # a symbol's d -> its outline, for this process


def outline(d: str) -> Outline:
    if d not in OUTLINES:
        OUTLINES[d] = Outline(d)
    return OUTLINES[d]


def clone(proto: VMobjectFromSVGPath) -> VMobjectFromSVGPath:
    """A copy of a styled, empty glyph mobject: its arrays, lists and other objects (colours)
    copied, numbers and strings shared, without going through Manim's ``copy()`` (which
    also marks the copy with an ``original_id`` that a parsed glyph does not have)."""
    mob = object.__new__(type(proto))
    fields = {}
    for name, value in proto.__dict__.items():
        if isinstance(value, np.ndarray):
            value = value.copy()
        elif isinstance(value, list):
            value = list(value)
        elif not isinstance(value, (str, int, float, bool, type(None))):
            value = copy.deepcopy(value)
        fields[name] = value
    mob.__dict__ = fields
    return mob


def generate(mob: SVGMobject) -> SVGMobject:
    """``mob.generate_mobject()``, glyph by glyph (see the module's docstring); a document of
    another shape goes to Manim's own parse."""
    try:
        glyphs = glyph_mobjects(mob)
    except Unsupported:
        return mob.generate_mobject()
    mob.add(*glyphs)
    mob.id_to_vgroup_dict = {"root": VGroup(*glyphs)}
    mob.flip(RIGHT)  # as Manim does: y down in SVG, up on screen
    return mob


def glyph_mobjects(mob: SVGMobject) -> list[VMobjectFromSVGPath]:
    tree = mob.modify_xml_tree(ET.parse(mob.get_file_path()))
    outlines: dict[str, str] = {}
    for symbol in tree.getroot().iter(f"{SVG_NS}symbol"):
        for path in symbol:
            if path.tag != f"{SVG_NS}path" or len(path):
                raise Unsupported("a symbol of another shape")
            name = f"{symbol.get('id')}/{len(outlines)}"
            outlines[name] = path.get("d", "")
            path.set("d", "")
            path.set(MARK, name)
    svg = se.SVG.parse(io.BytesIO(ET.tostring(tree.getroot())), reify=False)

    made: list[VMobjectFromSVGPath] = []
    protos: dict[tuple, VMobjectFromSVGPath] = {}
    stack = [svg]
    while stack:  # the order of Manim's get_mobjects_from: the document's
        element = stack.pop()
        if isinstance(element, (se.Group, se.Use)):
            stack.extend(element[::-1])
            continue
        if not isinstance(element, se.Shape):
            continue
        if not isinstance(element, se.Path) or MARK not in element.values:
            raise Unsupported(type(element).__name__)
        matrix = se.Matrix(element.transform)
        element.reify()  # what Manim's parse does to it (the stroke width scales)
        points = outline(outlines[element.values[MARK]]).points(matrix)
        if not len(points):
            continue  # Manim leaves out a path without points (a space)
        style = (
            element.stroke_width if element.stroke.value is not None else 0,
            element.stroke.hexrgb,
            element.stroke.opacity,
            element.fill.hexrgb,
            element.fill.opacity,
        )
        if style not in protos:
            proto = mob.path_to_mobject(se.Path())
            if proto.n_points_per_curve != 4:  # OpenGL's quadratic curves: Manim's own way
                raise Unsupported("curves of another degree")
            SVGMobject.apply_style_to_mobject(proto, element)
            proto.path_obj = None
            protos[style] = proto
        glyph = clone(protos[style])
        glyph.points = points
        made.append(glyph)
    return made
