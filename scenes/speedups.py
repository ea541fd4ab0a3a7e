"""What the scenes change in Manim to draw the same pictures for less CPU.

``install()`` does all of it; every scene module calls it on import:

- pauses are one frame held for their length (``scenes/still_frames.py``);
- a copy of a text shares the parsed SVG path each glyph was made from. Manim keeps that
  path (``VMobjectFromSVGPath.path_obj``, hundreds of svgelements objects a line of text)
  only to read it once, when the glyph's points are made, and nothing changes it after;
  yet every copy of a glyph deep-copied it. Manim copies mobjects all the time: each
  ``Text`` made again is a copy of the one it made first, and each fade or transform
  copies what it moves twice. A line of text now copies about six times faster; the points,
  colours and everything else a frame is drawn from are still copied
  (``tests/test_speedups.py`` checks both).
"""

from __future__ import annotations

from manim import Mobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

from scenes import still_frames


def _copy_sharing_the_path(self, memo: dict):
    memo[id(self.path_obj)] = self.path_obj  # deepcopy's memo: "already copied, as itself"
    return Mobject.__deepcopy__(self, memo)


def install() -> None:
    still_frames.install()
    VMobjectFromSVGPath.__deepcopy__ = _copy_sharing_the_path
