"""The surface scenes' camera (scenes/surface.py) draws what Manim's own ThreeDCamera draws:
the same surface, labels that face the camera and a title fixed in the frame, as the camera
turns (the outlines it traced once are moved, not traced again)."""

import numpy as np
from frames import frame_of
from manim import DEGREES, ThreeDAxes, ThreeDScene, tempconfig
from manim.camera.three_d_camera import ThreeDCamera

from scenes.surface import CostSurface, SurfaceCamera
from scenes.theme import DARK

SIZE = {"pixel_width": 640, "pixel_height": 360, "frame_rate": 15, "dry_run": True}


def frames(camera_class) -> list[np.ndarray]:
    """The bowl w² + b² with a label on each axis and a title, from three angles."""
    scene = ThreeDScene(camera_class=camera_class)
    axes = ThreeDAxes(x_range=(-3, 3, 1), y_range=(-3, 3, 1), z_range=(0, 18, 6))
    surface = CostSurface(
        axes, lambda w, b: w * w + b * b, (-3, 3), (-3, 3), 15, DARK, fill_opacity=0.8
    )
    w, b = DARK.text("w", 36), DARK.text("b", 36)
    w.move_to(axes.c2p(3.4, 0, 0))
    b.move_to(axes.c2p(0, 3.4, 0))
    title = DARK.text("The cost over (w, b)", 36).to_edge([0, 1, 0])
    scene.add(axes, surface)
    scene.add_fixed_orientation_mobjects(w, b, use_static_center_func=True)
    scene.add_fixed_in_frame_mobjects(title)
    shots = []
    for theta in (-60, -45, -30):
        scene.set_camera_orientation(phi=65 * DEGREES, theta=theta * DEGREES)
        surface.far_first(scene.renderer.camera.get_rotation_matrix()[2])
        shots.append(frame_of(scene))
    return shots


def test_the_surface_camera_draws_what_manims_draws_as_the_camera_turns():
    with tempconfig(SIZE):
        ours, manims = frames(SurfaceCamera), frames(ThreeDCamera)
    for k, (a, b) in enumerate(zip(ours, manims, strict=True)):
        diff = np.abs(a.astype(int) - b).max(axis=2)
        assert diff.max() <= 16 and (diff > 2).mean() < 5e-4, (k, diff.max(), (diff > 2).mean())
    # the pictures are not empty, and they turn
    assert (ours[0].max(axis=2) > 60).mean() > 0.05
    assert np.abs(ours[0].astype(int) - ours[2]).max() > 100
