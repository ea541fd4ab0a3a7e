"""Code listings on screen: lines of a lesson's code, syntax highlighted, with a band on
the line being run. Each lesson gives its own lines (the first lesson's are made by
``scenes/lesson_code.py``)."""

from __future__ import annotations

from manim import Code, Rectangle, VGroup

from .theme import Theme

#: the first lesson's blocks of code, marked by a ``# <block>`` comment line
BLOCKS = ("data", "model and cost", "settings", "training")


def code_blocks(code: str, names=BLOCKS) -> dict[str, list[str]]:
    """The code split at its ``# <block>`` comments: block name -> its lines (no comment)."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in code.splitlines():
        if line.startswith("# ") and line[2:] in names:
            current = line[2:]
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    return {k: _strip_blank_ends(v) for k, v in blocks.items()}


def _strip_blank_ends(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


class CodeListing(VGroup):
    """Lines of the lesson's code, syntax highlighted (Manim's ``Code``), with a band
    behind the line being run: ``band_at(fragment)`` is where the band goes next."""

    def __init__(self, lines: list[str], theme: Theme, font_size: float | None = None):
        super().__init__()
        self.lines = lines
        self.theme = theme
        code = Code(
            code_string="\n".join(lines),
            language="python",
            formatter_style="monokai" if theme.name == "dark" else "friendly",
            add_line_numbers=False,
            background="rectangle",
            background_config={
                "fill_color": theme.code_bg,
                "stroke_width": 0,
                "buff": 0.14,
                "corner_radius": 0.08,
            },
            paragraph_config={"font": theme.mono, "font_size": font_size or theme.code_size},
        )
        self.background, self.code_lines = code.background, code.code_lines
        self.band = self._band(0, opacity=0.0)
        # The band is not part of the listing: the scene draws it over the code, tinting
        # its line, so that moving it makes Manim redraw the band alone.
        self.add(self.background, self.code_lines)
        self.font_size = font_size or theme.code_size
        self.natural_width = self.width

    def drawn_size(self) -> float:
        """The font size the code is drawn at, after any scaling."""
        return self.font_size * self.width / self.natural_width

    def index_of(self, fragment: str) -> int:
        """The index of the first line containing ``fragment``."""
        for i, line in enumerate(self.lines):
            if fragment in line:
                return i
        raise KeyError(f"no line of the listing contains {fragment!r}")

    def line(self, fragment: str):
        return self.code_lines[self.index_of(fragment)]

    def _band(self, index: int, opacity: float) -> Rectangle:
        bg, line = self.background, self.code_lines[index]
        pitch = self.code_lines.height / max(len(self.lines), 1)
        band = Rectangle(
            width=bg.width - 0.08,
            height=pitch * 1.02,
            fill_color=self.theme.highlight,
            fill_opacity=opacity,
            stroke_width=0,
        )
        return band.move_to([bg.get_center()[0], line.get_center()[1], 0])

    def band_at(self, fragment: str | None) -> Rectangle:
        """The band on the line containing ``fragment`` (``None``: hidden)."""
        if fragment is None:
            return self._band(0, opacity=0.0).move_to(self.band)
        return self._band(self.index_of(fragment), opacity=0.25)
