"""What the frame tests share: the small render config, a frame of a scene, and the
comparison with a control image in tests/control/."""

from pathlib import Path

import numpy as np
from PIL import Image

CONTROL = Path(__file__).parent / "control"
SMALL = {
    "pixel_width": 854,
    "pixel_height": 480,
    "frame_rate": 15,
    "dry_run": True,
    "disable_caching": True,
}


def frame_of(scene) -> np.ndarray:
    scene.renderer.static_image = None  # drawn from scratch, not over a cached background
    scene.renderer.update_frame(scene)
    return scene.renderer.get_frame()[..., :3].copy()


def assert_matches_control(frame: np.ndarray, name: str, regenerate: bool) -> None:
    """``frame`` against tests/control/<name>.png (written first with --regenerate-controls):
    a mean difference under 0.5 and fewer than 5e-5 of the pixels changed by more than 48."""
    path = CONTROL / f"{name}.png"
    if regenerate:
        CONTROL.mkdir(exist_ok=True)
        Image.fromarray(frame).save(path)
    assert path.exists(), f"no control image {path}: run pytest --regenerate-controls"
    control = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert control.shape == frame.shape
    diff = np.abs(frame.astype(int) - control)
    changed = (diff.max(axis=2) > 48).mean()
    assert diff.mean() < 0.5 and changed < 5e-5, (
        f"{name}: mean difference {diff.mean():.2f}, {changed:.2%} of pixels changed"
    )
