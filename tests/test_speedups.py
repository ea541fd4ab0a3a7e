"""What scenes/speedups.py changes in Manim draws the same pictures."""

import numpy as np
from manim import Text

import scenes.speedups  # noqa: F401  (the scene modules install it; so does this test)
from scenes.speedups import install


def glyphs(text):
    return text.family_members_with_points()


def test_a_copied_text_shares_only_the_parsed_paths_its_glyphs_were_made_from():
    install()
    text = Text("w = -3.1415", font_size=40)
    copy = text.copy()
    assert len(glyphs(copy)) == len(glyphs(text)) > 5
    for a, b in zip(glyphs(text), glyphs(copy), strict=True):
        assert b.path_obj is a.path_obj  # read once, when the glyph was made
        assert b.points is not a.points and np.array_equal(b.points, a.points)
        assert b.fill_rgbas is not a.fill_rgbas
    # what is drawn stays the copy's own: moving and colouring it leaves the original alone
    before = [g.points.copy() for g in glyphs(text)]
    copy.shift([1, 2, 0]).set_color("#ff0000")
    assert all(np.array_equal(g.points, p) for g, p in zip(glyphs(text), before, strict=True))
    assert text.get_color() != copy.get_color()


def test_a_text_made_again_is_drawn_from_the_same_points():
    """Manim makes a text it has made before as a copy of the first (its SVG cache)."""
    install()
    first, again = Text("loss 147.05"), Text("loss 147.05")
    for a, b in zip(glyphs(first), glyphs(again), strict=True):
        assert np.array_equal(a.points, b.points)
