"""What scenes/speedups.py changes in Manim draws the same pictures."""

import numpy as np
import pytest
from frames import frame_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def test_a_reading_set_to_a_number_it_already_shows_keeps_its_glyphs():
    """Races set their readouts at every frame; most frames show the same step's numbers."""
    from scenes.panels import Reading
    from scenes.theme import THEMES

    reading = Reading(3.0, THEMES["dark"], decimals=2, font_size=24).move_to([2, 1, 0])
    glyphs_before = list(reading.submobjects)
    reading.set_value(3.001)  # shows 3.00 still
    assert reading.submobjects == glyphs_before and reading.get_value() == 3.001
    reading.set_value(-3.25)  # shows -3.25: laid out anew, where a new reading would be
    assert reading.shown() == "\u22123.25" and len(reading.submobjects) == 5
    fresh = Reading(3.0, THEMES["dark"], decimals=2, font_size=24).move_to([2, 1, 0])
    fresh.set_value(-3.25)
    for a, b in zip(glyphs(reading), glyphs(fresh), strict=True):
        assert np.allclose(a.points, b.points)
    nan = float("nan")
    reading.set_value(nan)
    assert reading.shown() == "" and reading.set_value(nan).shown() == ""


def test_a_reading_lays_out_a_new_number_where_manim_lays_it():
    """A count sets its number at every frame: the glyphs are placed in one pass over their
    points, exactly (to rounding) where Manim's DecimalNumber.set_value places new ones,
    after any number, at any size, in the same colours."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from manim.mobject.text.numbers import DecimalNumber

    from scenes.panels import Reading
    from scenes.theme import THEMES

    numbers = st.one_of(
        st.floats(-1e8, 1e8, allow_nan=False), st.sampled_from([0.0, -0.0004, float("nan")])
    )

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(numbers, min_size=2, max_size=4),
        st.sampled_from([0, 2, 3]),
        st.sampled_from([0.6, 1.0, 1.4]),
    )
    def check(values, decimals, scale):
        def made():
            return (
                Reading(values[0], THEMES["dark"], decimals, font_size=24)
                .scale(scale)
                .move_to([2, -1, 0])
                .set_color("#ffaa00")
            )

        ours, manims = made(), made()
        for v in values[1:]:
            ours.set_value(v)
            if manims._get_num_string(v) != manims._get_num_string(manims.number):
                DecimalNumber.set_value(manims, v)  # Manim's own, new glyphs
            else:
                manims.number = v
            assert ours.shown() == manims.shown()
            assert len(ours.submobjects) == len(manims.submobjects)
            for a, b in zip(ours.submobjects, manims.submobjects, strict=True):
                assert np.allclose(a.points, b.points, atol=1e-9)
                assert np.array_equal(a.fill_rgbas, b.fill_rgbas)
                assert np.array_equal(a.stroke_rgbas, b.stroke_rgbas)

    check()


def test_a_skipped_play_draws_nothing_and_the_picture_after_it_is_whole(monkeypatch):
    """A dry run draws no frame of its plays; the last frame, drawn after them, is the same
    picture as a render that draws every frame leaves."""
    from manim import Circle, Create, FadeIn, Scene, Square, tempconfig
    from manim.camera.camera import Camera

    install()

    class Still(Scene):
        def construct(self):
            self.add(Square(2, color="#ff8800").shift([-3, 0, 0]))  # still: a background
            self.play(FadeIn(Circle(1, color="#33aaff")))
            self.wait(0.2)
            self.play(Create(Square(1, color="#ffffff").shift([3, 1, 0])))

    drawn = []
    capture = Camera.capture_mobjects
    monkeypatch.setattr(
        Camera, "capture_mobjects", lambda cam, *a, **k: (drawn.append(1), capture(cam, *a, **k))
    )
    size = {"pixel_width": 320, "pixel_height": 180, "frame_rate": 15}
    with tempconfig({**size, "dry_run": True}):
        skipped = Still(skip_animations=True)
        skipped.render()
        assert drawn == []  # three plays, not one picture
        last = frame_of(skipped)
    with tempconfig({**size, "write_to_movie": False}):
        played = Still()
        played.render()  # every frame drawn
        played.renderer.update_frame(played)
        assert len(drawn) > 10
        assert np.array_equal(last, played.renderer.get_frame()[..., :3])
    assert last.max() > 200  # the picture has the shapes, not only the background


def test_a_play_of_fades_lays_pictures_drawn_once_and_shows_what_manim_shows(monkeypatch):
    """Fading a listing in and a shape out: each drawn once, and every frame within a unit of
    colour of Manim's own (glyph by glyph at every frame) but for the edges of what lies
    over something that fades with it; a fade that also moves is left to Manim."""
    from manim import Circle, FadeIn, FadeOut, Rectangle, Scene, Square, VGroup, tempconfig
    from manim.camera.camera import Camera

    import scenes.speedups as speedups

    install()
    assert Scene.play_internal is speedups._play_internal_fading_pictures  # every scene's

    class Fades(Scene):
        def construct(self):
            self.add(Square(3, color="#ff8800", fill_opacity=0.5).shift([-3, 0, 0]))
            circle = Circle(1, color="#33aaff", fill_opacity=1).shift([3, 1, 0])
            self.add(circle)
            listing = VGroup(
                Rectangle(width=5, height=2, fill_color="#223344", fill_opacity=1, stroke_width=0),
                Text("loss.backward()", font_size=36),
            )
            self.play(FadeIn(listing), FadeOut(circle), run_time=1)
            self.play(
                FadeIn(Square(1, color="#ffffff"), shift=np.array([0.0, 1.0, 0.0])), run_time=0.4
            )

    from manim.scene.scene_file_writer import SceneFileWriter

    write, capture = SceneFileWriter.write_frame, Camera.display_vectorized

    def frames_of(play_internal) -> tuple[list[np.ndarray], int]:
        frames, drawn = [], []
        monkeypatch.setattr(Scene, "play_internal", play_internal)
        # the RGBA pictures as drawn (not converted to the video's YUV for the encoder)
        monkeypatch.setattr(speedups.still_frames, "frame_for_writer", lambda r: r.get_frame())
        monkeypatch.setattr(
            SceneFileWriter,
            "write_frame",
            lambda self, frame, repeat=1: (
                frames.extend([frame[..., :3].copy()] * repeat),
                write(self, frame, repeat=repeat),
            )[1],
        )
        monkeypatch.setattr(
            Camera, "display_vectorized", lambda c, *a: (drawn.append(1), capture(c, *a))[1]
        )
        size = {"pixel_width": 480, "pixel_height": 270, "frame_rate": 15}
        with tempconfig(size):
            Fades().render()
        return frames, len(drawn)

    layered, drawn_layered = frames_of(speedups._play_internal_fading_pictures)
    manims, drawn_manims = frames_of(speedups._play_internal)
    assert len(layered) == len(manims) == 15 + 6
    assert drawn_layered < drawn_manims / 3  # the fade's 15 frames: each layer drawn once
    for i, (a, b) in enumerate(zip(layered, manims, strict=True)):
        diff = np.abs(a.astype(int) - b.astype(int))
        assert diff.mean() < 0.5, i
        if i in (0, 14) or i >= 15:  # the fade's ends; the moving fade is Manim's own
            assert (diff.max(axis=2) > 2).mean() < 0.002, i
    assert np.abs(layered[7].astype(int) - layered[0].astype(int)).mean() > 2  # it fades


def test_a_text_parsed_once_is_the_same_mobject_in_every_process(tmp_path, monkeypatch):
    """A text's SVG parsed in one process is loaded, not parsed, in the next (its outlines
    kept on disk): the same glyphs, points and colours as a parse; a damaged entry is parsed
    and written again."""
    import scenes.glyphs as glyph_parse
    import scenes.svg_cache as svg_cache

    install()
    monkeypatch.setenv("GDLESSON_CACHE", str(tmp_path))
    parses = []
    generate = glyph_parse.generate
    monkeypatch.setattr(glyph_parse, "generate", lambda self: (parses.append(1), generate(self))[1])

    def made() -> Text:
        svg_cache.PARSED.clear()  # as in a new process
        return Text("w.grad = -2.5e3", font="DejaVu Sans Mono", font_size=30, color="#ffaa00")

    def drawn(text: Text) -> list[tuple]:
        return [
            (type(m).__name__, m.points.tobytes(), m.fill_rgbas.tobytes(), m.stroke_width)
            for m in text.get_family()
        ]

    from manim.mobject.svg.svg_mobject import SVGMobject

    with monkeypatch.context() as manims:  # Manim's own: a parse
        manims.setattr(SVGMobject, "init_svg_mobject", svg_cache._init_svg_mobject)
        parsed = drawn(made())
    parses.clear()
    assert drawn(made()) == parsed and len(parses) == 1  # parsed, and kept
    (entry,) = (tmp_path / "svg").iterdir()
    assert drawn(made()) == parsed and len(parses) == 1  # loaded: no parse
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF  # damaged (a disk, a copy): a number in it changed
    entry.write_bytes(bytes(data))
    assert drawn(made()) == parsed and len(parses) == 2  # parsed again, and written again
    assert drawn(made()) == parsed and len(parses) == 2


# what the lessons write: letters, digits, code, maths and the unicode minus, spaces, lines
ALPHABET = "abcxyzABWXY0123456789 .,:;=+-*/()[]_#'\"<>−×·²√∂ηθΣ→≈≤ fiffl\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.text(ALPHABET, min_size=1, max_size=40),
    font=st.sampled_from(["DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif"]),
    size=st.sampled_from([14, 20, 36, 48, 96]),
    weight=st.sampled_from(["NORMAL", "BOLD"]),
    stroke=st.sampled_from([0, 2]),
)
def test_a_text_made_glyph_by_glyph_is_manims_parse_bit_for_bit(words, font, size, weight, stroke):
    """scenes/glyphs.py reads each glyph's outline once and places it for every letter: the
    glyphs, their points (to the bit), colours and stroke are those of Manim's own parse."""
    import manim.mobject.svg.svg_mobject as svg_mobject

    import scenes.glyphs as glyph_parse
    import scenes.svg_cache as svg_cache

    def made(parse) -> Text:
        svg_cache.PARSED.clear()
        parsed = []

        def init(self, use_svg_cache):
            parsed.append(1)
            parse(self)
            return self

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(svg_mobject.SVGMobject, "init_svg_mobject", init)
            text = Text(
                words,
                font=font,
                font_size=size,
                weight=weight,
                stroke_width=stroke,
                color="#ffaa00",
            )
        assert parsed == [1]
        return text

    manims = made(svg_mobject.SVGMobject.generate_mobject)
    ours = made(glyph_parse.generate)
    assert len(glyphs(ours)) == len(glyphs(manims))
    for a, b in zip(glyphs(manims), glyphs(ours), strict=True):
        assert type(a) is type(b) and set(a.__dict__) == set(b.__dict__)
        assert a.points.tobytes() == b.points.tobytes()
        for field in ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas"):
            assert getattr(a, field).tobytes() == getattr(b, field).tobytes(), field
        assert (a.stroke_width, a.background_stroke_width) == (
            b.stroke_width,
            b.background_stroke_width,
        )
    assert ours.get_all_points().tobytes() == manims.get_all_points().tobytes()  # placed alike


def test_a_document_of_another_shape_is_parsed_by_manim():
    """A Text's SVG that holds something else than placed glyph outlines (here a rectangle)
    goes to Manim's own parse, whole."""
    import scenes.glyphs as glyph_parse

    text = Text("ab")
    svg = text.get_file_path().read_text()
    other = text.get_file_path().with_name("other_shape.svg")
    other.write_text(svg.replace("</svg>", '<rect x="1" y="1" width="5" height="5"/></svg>'))
    text.file_name = str(other)
    with pytest.raises(glyph_parse.Unsupported):
        glyph_parse.glyph_mobjects(text)
    for m in list(text.submobjects):
        text.remove(m)
    glyph_parse.generate(text)
    assert len(text.submobjects) == 3  # the two letters and the rectangle, as Manim reads it
