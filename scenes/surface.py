"""A cost surface in 3D that is cheap to draw while the camera turns.

``CostSurface`` is Manim's ``Surface`` over (w, b), coloured by height and unshaded (Cairo's
3D shading doubled the cost of a frame), its patches drawn in order, the far ones first
(``far_first``). ``SurfaceCamera`` is Manim's ``ThreeDCamera``, drawing the same picture
faster: Manim draws each patch as a mobject of its own (its points projected alone, its
outline split into pieces again, about 0.2 ms of Python a patch, 225 patches, every frame);
this camera projects the points of a run of patches at once and hands Cairo each patch's
four edges, the same curves in the same colours in the same order. The outlines of what
stays upright to the camera or fixed in the frame (labels, titles) are traced once and
moved where they go. Everything else it draws as Manim does. The frames are Manim's (the
last frame of either surface scene at -qh within 2 of 255 in every channel). A scene uses
it with ``camera_class=SurfaceCamera`` (``SurfaceScene``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Surface, ThreeDAxes, ThreeDScene
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP
from manim.camera.three_d_camera import ThreeDCamera

from .theme import Theme


class Bilinear:
    """A cost given at the nodes of a grid (``loss[i][j]`` at w = ``ws[j]``, b = ``bs[i]``),
    between them bilinear in each cell: exact at the nodes, held at the grid's edge
    outside it."""

    def __init__(self, ws, bs, loss) -> None:
        self.ws, self.bs, self.z = np.array(ws), np.array(bs), np.array(loss)

    def __call__(self, w: float, b: float) -> float:
        ws, bs, z = self.ws, self.bs, self.z
        i = int(np.clip(np.searchsorted(bs, b) - 1, 0, len(bs) - 2))
        j = int(np.clip(np.searchsorted(ws, w) - 1, 0, len(ws) - 2))
        u = min(max((w - ws[j]) / (ws[j + 1] - ws[j]), 0.0), 1.0)
        v = min(max((b - bs[i]) / (bs[i + 1] - bs[i]), 0.0), 1.0)
        return float(
            (1 - u) * (1 - v) * z[i, j]
            + u * (1 - v) * z[i, j + 1]
            + (1 - u) * v * z[i + 1, j]
            + u * v * z[i + 1, j + 1]
        )


#: a patch's outline: four cubic curves, 16 points (Manim's ``set_points_as_corners``)
PATCH_POINTS = 16


class CostSurface(Surface):
    """``height(w, b)`` over w in ``w_range`` and b in ``b_range``, drawn on ``axes``:
    ``resolution`` patches a side, coloured from the theme's low to its high colour by
    height, with thin muted edges."""

    def __init__(
        self,
        axes: ThreeDAxes,
        height: Callable[[float, float], float],
        w_range: tuple[float, float],
        b_range: tuple[float, float],
        resolution: int,
        theme: Theme,
        fill_opacity: float,
    ):
        super().__init__(
            lambda w, b: axes.c2p(w, b, height(w, b)),
            u_range=w_range,
            v_range=b_range,
            resolution=(resolution, resolution),
            fill_opacity=fill_opacity,
            stroke_width=0.3,
            stroke_color=theme.muted,
        )
        self.set_fill_by_value(
            axes=axes, colorscale=[theme.surface_low, theme.surface_high], axis=2
        )
        for patch in self:
            patch.shade_in_3d = False
            patch.plain_patch = True  # SurfaceCamera draws it with its neighbours

    def far_first(self, toward: np.ndarray) -> None:
        """Order the patches for a camera in the direction ``toward`` (a unit vector from the
        scene): unshaded patches are drawn in order, the far ones first."""
        points = np.array([patch.points for patch in self])
        centres = (points.min(axis=1) + points.max(axis=1)) / 2  # each box's, as get_center
        order = np.argsort(centres @ toward, kind="stable")
        self.submobjects = [self.submobjects[i] for i in order]


class SurfaceCamera(ThreeDCamera):
    """Manim's ``ThreeDCamera``; runs of a :class:`CostSurface`'s patches drawn at once, and
    the outlines of what does not turn with the camera (labels, titles: text, where Manim
    spends most of a frame after the surface) traced once and reused while unchanged."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outlines = {}  # id: (the mobject, its points, its outline as Cairo took it)
        self.centres = {}  # this frame's centres of what faces the camera, by centre function

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        # a label's letters each ask for the label's centre (the box of all its letters):
        # asked once a frame
        self.centres = {}
        super().capture_mobjects(mobjects, **kwargs)

    def set_cairo_context_path(self, ctx, vmobject):
        """Manim's outline of ``vmobject``; for one fixed in the frame, or turned to face the
        camera (only moved on screen as the camera turns), the outline Manim traced the
        first time, moved by as much as the mobject has moved on screen since."""
        fixed_in_frame = vmobject in self.fixed_in_frame_mobjects
        if not fixed_in_frame and vmobject not in self.fixed_orientation_mobjects:
            return super().set_cairo_context_path(ctx, vmobject)
        if fixed_in_frame:
            shift = np.zeros(3)
        else:
            shift = self.facing_shift(self.fixed_orientation_mobjects[vmobject])
        seen = self.outlines.get(id(vmobject))
        if seen is None or seen[0] is not vmobject or not np.array_equal(seen[1], vmobject.points):
            super().set_cairo_context_path(ctx, vmobject)
            self.outlines[id(vmobject)] = (vmobject, vmobject.points.copy(), ctx.copy_path(), shift)
            return self
        _, _, outline, traced_at = seen
        ctx.new_path()
        ctx.save()  # the frame's matrix, moved
        ctx.translate(shift[0] - traced_at[0], shift[1] - traced_at[1])
        ctx.append_path(outline)
        ctx.restore()
        return self

    def facing_shift(self, center_func) -> np.ndarray:
        """How far the camera's projection moves what faces the camera about the centre
        ``center_func`` gives, this frame."""
        if id(center_func) not in self.centres:
            center = center_func()
            self.centres[id(center_func)] = self.project_point(center) - center
        return self.centres[id(center_func)]

    def display_multiple_non_background_colored_vmobjects(self, vmobjects, pixel_array) -> None:
        ctx = self.get_cairo_context(pixel_array)
        run = []
        for vmobject in vmobjects:
            if self.is_plain_patch(vmobject):
                run.append(vmobject)
                continue
            self.display_patches(run, ctx)
            run = []
            self.display_vectorized(vmobject, ctx)
        self.display_patches(run, ctx)

    def is_plain_patch(self, vmobject) -> bool:
        """A surface's patch that is drawn as Manim would draw it by ``display_patches``:
        one closed outline of four curves, one fill colour, one stroke colour, projected as
        the scene's other points are, unshaded."""
        return (
            getattr(vmobject, "plain_patch", False)
            and not vmobject.shade_in_3d
            and len(vmobject.points) == PATCH_POINTS
            and len(vmobject.get_fill_rgbas()) == 1
            and len(vmobject.get_stroke_rgbas()) == 1
            and vmobject.get_stroke_width(background=True) == 0
            and vmobject not in self.fixed_in_frame_mobjects
            and vmobject not in self.fixed_orientation_mobjects
        )

    def display_patches(self, patches: list, ctx) -> None:
        """Each patch's outline, filled, then stroked, in order (``display_vectorized``):
        the points of all of them projected at once."""
        if not patches:
            return
        points = np.concatenate([patch.points for patch in patches])
        if not np.all(np.isfinite(points)):  # Manim draws nothing for such a patch
            for patch in patches:
                self.display_vectorized(patch, ctx)
            return
        xy = self.project_points(points)[:, :2].reshape(len(patches), PATCH_POINTS * 2).tolist()
        for patch, p in zip(patches, xy):
            ctx.new_path()
            ctx.new_sub_path()
            ctx.move_to(p[0], p[1])
            for i in (2, 10, 18, 26):  # each curve's handles and end
                ctx.curve_to(*p[i : i + 6])
            ctx.close_path()
            r, g, b, a = patch.fill_rgbas[0].tolist()
            if a > 0:
                ctx.set_source_rgba(b, g, r, a)  # Manim's Cairo surface takes BGR
                ctx.fill_preserve()
            width = patch.get_stroke_width()
            r, g, b, a = patch.stroke_rgbas[0].tolist()
            if width > 0 and a > 0:
                ctx.set_source_rgba(b, g, r, a)
                ctx.set_line_width(width * self.cairo_line_width_multiple)
                ctx.set_line_join(LINE_JOIN_MAP[patch.joint_type])
                ctx.set_line_cap(CAP_STYLE_MAP[patch.cap_style])
                ctx.stroke_preserve()


class SurfaceScene(ThreeDScene):
    """A ``ThreeDScene`` filmed by :class:`SurfaceCamera`."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", SurfaceCamera)
        super().__init__(**kwargs)
