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
  (``tests/test_speedups.py`` checks both);
- a play Manim skips draws nothing. A skipped play (a dry run, ``-s`` for a last frame, the
  plays before ``-n``) writes no frame, yet Manim drew the still part of the picture for it,
  then the moving part, and kept the still part as the next frames' background. Now it
  keeps no background and draws nothing; a picture asked for after the plays (the last
  frame Manim saves, a test's ``update_frame``) is drawn whole, from scratch, as before;
- an outline Cairo traced is traced once. Manim's camera turns every shape's points into a
  Cairo path anew for every frame, a call per curve (a line of code is hundreds of curves),
  though most of what a frame shows (a code listing, axes, labels) has not moved since the
  last. The camera now keeps the path of a shape drawn twice with the same points and the
  same frame matrix, and hands Cairo that path again: the same path, so the same pixels.
"""

from __future__ import annotations

import weakref

import numpy as np
from manim import Mobject
from manim.camera.camera import Camera
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.renderer.cairo_renderer import CairoRenderer

from scenes import still_frames


def _copy_sharing_the_path(self, memo: dict):
    memo[id(self.path_obj)] = self.path_obj  # deepcopy's memo: "already copied, as itself"
    return Mobject.__deepcopy__(self, memo)


_play = CairoRenderer.play
_update_frame = CairoRenderer.update_frame
_save_static_frame_data = CairoRenderer.save_static_frame_data


def _play_marked(self, scene, *args, **kwargs):
    self.playing = True
    try:
        return _play(self, scene, *args, **kwargs)
    finally:
        self.playing = False


def _update_frame_unless_skipped(self, scene, *args, **kwargs):
    if self.skip_animations and getattr(self, "playing", False):
        return None  # a skipped play: no frame of it is written
    return _update_frame(self, scene, *args, **kwargs)


def _save_static_frame_data_unless_skipped(self, scene, static_mobjects):
    if self.skip_animations:
        self.static_image = None  # nothing kept: the next picture is drawn whole
        return None
    return _save_static_frame_data(self, scene, static_mobjects)


_set_cairo_context_path = Camera.set_cairo_context_path


def _set_cairo_context_path_traced_once(self, ctx, vmobject):
    projected = type(self).transform_points_pre_display is not Camera.transform_points_pre_display
    if projected or len(vmobject.points) == 0:  # a 3-D camera's; nothing to trace
        return _set_cairo_context_path(self, ctx, vmobject)
    traced = self.__dict__.setdefault("traced", weakref.WeakKeyDictionary())
    points, matrix = vmobject.points, tuple(ctx.get_matrix())
    seen = traced.get(vmobject)  # (its points, the frame's matrix, its path or None)
    if seen is not None and seen[1] == matrix and np.array_equal(seen[0], points):
        if seen[2] is not None:
            ctx.new_path()
            ctx.append_path(seen[2])
            return self
        _set_cairo_context_path(self, ctx, vmobject)  # the same twice: keep its path
        traced[vmobject] = (seen[0], matrix, ctx.copy_path())
        return self
    _set_cairo_context_path(self, ctx, vmobject)
    traced[vmobject] = (points.copy(), matrix, None)
    return self


def install() -> None:
    still_frames.install()
    VMobjectFromSVGPath.__deepcopy__ = _copy_sharing_the_path
    CairoRenderer.play = _play_marked
    CairoRenderer.update_frame = _update_frame_unless_skipped
    CairoRenderer.save_static_frame_data = _save_static_frame_data_unless_skipped
    Camera.set_cairo_context_path = _set_cairo_context_path_traced_once
