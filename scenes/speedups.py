"""What the scenes change in Manim to draw the same pictures for less CPU.

``install()`` does all of it; every scene module calls it on import:

- pauses are one frame held for their length (``scenes/still_frames.py``);
- a text's SVG is parsed once and kept, not parsed again in every process
  (``scenes/svg_cache.py``);
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
  same frame matrix, and hands Cairo that path again: the same path, so the same pixels;
- a frame of a play is drawn again only where it changed: the still background is put back
  only where the last frame's moving mobjects were drawn, and the encoder converts only
  where either frame drew (``scenes/frame_changes.py``);
- Python's cycle collector runs less often (``_fewer_collections``);
- a play that only fades things in and out (``FadeIn``/``FadeOut``, nothing moved or
  scaled, nothing updated) draws each thing it fades once, into a picture of its own, and
  makes every frame by laying those pictures over the still background, each at its
  opacity of the moment and only in the box of what it shows. Manim instead set the
  opacity of every glyph of, say, a code listing at every frame and drew them all again.
  A thing now fades as one layer, as in a video editor: where its parts overlap (a
  listing's letters over its background), the parts beneath no longer show through the
  parts above halfway through the fade. The first and last frames are the same pictures
  (to a unit of a colour channel).
"""

from __future__ import annotations

import gc
import itertools
import weakref

import cairo
import numpy as np
from manim import FadeIn, FadeOut, Mobject, Scene
from manim.camera.camera import Camera
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.renderer.cairo_renderer import CairoRenderer

from scenes import frame_changes, still_frames, svg_cache


def _copy_sharing_the_path(self, memo: dict):
    memo[id(self.path_obj)] = self.path_obj  # deepcopy's memo: "already copied, as itself"
    return Mobject.__deepcopy__(self, memo)


_play = CairoRenderer.play
_save_static_frame_data = CairoRenderer.save_static_frame_data


def _play_marked(self, scene, *args, **kwargs):
    self.playing = True
    try:
        return _play(self, scene, *args, **kwargs)
    finally:
        self.playing = False


def _update_frame_unless_skipped(
    self, scene, mobjects=None, include_submobjects=True, ignore_skipping=True, **kwargs
):
    if self.skip_animations and (getattr(self, "playing", False) or not ignore_skipping):
        return None  # a skipped play: no frame of it is written
    return frame_changes.update_frame(self, scene, mobjects, include_submobjects, **kwargs)


def _save_static_frame_data_unless_skipped(self, scene, static_mobjects):
    if self.skip_animations:
        self.static_image = None  # nothing kept: the next picture is drawn whole
        return None
    return _save_static_frame_data(self, scene, static_mobjects)


_set_cairo_context_path = Camera.set_cairo_context_path


def _set_cairo_context_path_traced_once(self, ctx, vmobject):
    if not frame_changes.flat(self) or len(vmobject.points) == 0:  # 3-D; nothing to trace
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


_play_internal = Scene.play_internal


def _fade_layers(scene) -> list[tuple[list, object]] | None:
    """What the frames of this play are made of, bottom to top, over the still background:
    (the mobjects drawn together, the fade that sets their opacity or None for fully
    opaque); None when the play does anything but fade (it is then played as Manim plays
    it)."""
    camera = scene.renderer.camera
    if not frame_changes.bounds_flat(camera) or scene.updaters:
        return None
    fade_of = {}  # id of each mobject a fade changes: the fade
    for a in scene.animations:
        if type(a) not in (FadeIn, FadeOut):
            return None
        moved = a.shift_vector is not None and np.any(a.shift_vector)
        if moved or a.scale_factor != 1 or a.point_target or a.lag_ratio != 0:
            return None
        fade_of.update((id(m), a) for m in a.mobject.get_family())
    layers: list[tuple[list, object]] = []  # Manim's moving mobjects: every family member
    for m in scene.moving_mobjects:
        if m.updaters or m.z_index != 0:
            return None
        fade = fade_of.get(id(m))
        if fade is None:
            if not m.has_points():
                continue  # a group: its members are listed after it
            if layers and layers[-1][1] is None:
                layers[-1][0].append(m)
            else:
                layers.append(([m], None))
        elif not layers or layers[-1][1] is not fade:
            if any(f is fade for _, f in layers):
                return None  # something between the parts of what fades
            drawn = fade.target_copy if isinstance(fade, FadeIn) else fade.starting_mobject
            layers.append((drawn.family_members_with_points(), fade))
    return layers


def _picture(camera, mobjects) -> tuple[np.ndarray, cairo.ImageSurface]:
    """``mobjects`` (each drawn without its submobjects, in this order) drawn by ``camera``
    on a clear picture the size of its frames."""
    pixels = np.zeros_like(camera.pixel_array)
    for kind, group in itertools.groupby(mobjects, camera.type_or_raise):
        camera.display_funcs[kind](list(group), pixels)
    camera.pixel_array_to_cairo_context.pop(id(pixels), None)  # its id outlives it
    height, width = pixels.shape[:2]
    surface = cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, width, height)
    return pixels, surface


def _box(pixels: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) of the pixels of a picture that are not clear; None if none."""
    shown = pixels[..., 3] > 0  # Cairo's ARGB32: alpha is the fourth byte
    rows, cols = np.flatnonzero(shown.any(axis=1)), np.flatnonzero(shown.any(axis=0))
    if len(rows) == 0:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _union(boxes: list) -> tuple[int, int, int, int] | None:
    if not boxes:
        return None
    x0s, y0s, x1s, y1s = zip(*boxes)
    return min(x0s), min(y0s), max(x1s), max(y1s)


def _play_internal_fading_pictures(self, skip_rendering: bool = False) -> None:
    renderer = self.renderer
    if skip_rendering or renderer.skip_animations or self.skip_animation_preview:
        return _play_internal(self, skip_rendering)
    layers = _fade_layers(self)
    if layers is None:
        return _play_internal(self, skip_rendering)
    camera = renderer.camera
    # (its pixels, the surface drawing on them, the box of what it shows, its fade), bottom
    # to top: the pixels are kept while the surface is painted from them
    pictures = []
    for mobjects, fade in layers:
        pixels, surface = _picture(camera, mobjects)
        box = _box(pixels)
        if box is not None:
            pictures.append((pixels, surface, box, fade))
    if renderer.static_image is not None:
        background = renderer.static_image.copy()
    else:
        camera.reset()
        background = camera.pixel_array.copy()
    # what the pictures can cover: the rest of every frame is the background
    covered = _union([box for _, _, box, _ in pictures])
    self.duration = self.get_run_time(self.animations)
    self.time_progression = self._get_animation_time_progression(self.animations, self.duration)
    ctx = camera.get_cairo_context(camera.pixel_array)
    camera.pixel_array[...] = background
    frame_changes.forget(renderer)
    changed = None  # the first frame: a new background
    for t in self.time_progression:
        if covered is not None:
            x0, y0, x1, y1 = covered
            camera.pixel_array[y0:y1, x0:x1] = background[y0:y1, x0:x1]
        ctx.save()
        ctx.identity_matrix()
        for _, surface, (x0, y0, x1, y1), fade in pictures:
            opacity = 1.0
            if fade is not None:
                shown = fade.get_sub_alpha(t / fade.run_time, 0, 1)
                opacity = shown if isinstance(fade, FadeIn) else 1.0 - shown
            if opacity > 0:  # composited where it shows anything: the same pixels
                ctx.save()
                ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
                ctx.clip()
                ctx.set_source_surface(surface, 0, 0)
                ctx.paint_with_alpha(min(opacity, 1.0))
                ctx.restore()
        ctx.restore()
        frame_changes.made_picture(renderer, changed)
        changed = (frame_changes.Box(*covered),) if covered is not None else ()
        renderer.add_frame(still_frames.frame_for_writer(renderer))
    for animation in self.animations:
        animation.finish()
        animation.clean_up_from_scene(self)
    self.update_mobjects(0)
    renderer.static_image = None
    self.time_progression.close()


def _fewer_collections() -> None:
    """Python's cycle collector runs less often, and never over what was made before the
    scene (Manim, numpy, the trace): a frame makes and drops thousands of small objects
    (points, colours), and collecting after every 700 of them cost 3 to 4% of a render
    (BatchModesCode and BatchModes at -ql, side by side, twice)."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def install() -> None:
    _fewer_collections()
    still_frames.install()
    svg_cache.install()
    VMobjectFromSVGPath.__deepcopy__ = _copy_sharing_the_path
    CairoRenderer.play = _play_marked
    CairoRenderer.update_frame = _update_frame_unless_skipped
    CairoRenderer.save_static_frame_data = _save_static_frame_data_unless_skipped
    Camera.set_cairo_context_path = _set_cairo_context_path_traced_once
    Scene.play_internal = _play_internal_fading_pictures
