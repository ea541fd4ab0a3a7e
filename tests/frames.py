"""What the frame tests share: the small render config, a frame of a scene, the comparison
with a control image in tests/control/, and an encoder's settings."""

from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import numpy as np
from manim.renderer.cairo_renderer import CairoRenderer
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
    renderer = scene.renderer
    renderer.static_image = None  # drawn from scratch, not over a cached background
    renderer.drawing = True  # drawn, even in a play ``undrawn``
    try:
        renderer.update_frame(scene)
    finally:
        del renderer.drawing
    return renderer.get_frame()[..., :3].copy()


@contextmanager
def undrawn():
    """Scenes played as Manim plays them (every frame's updaters and animations, at the
    frame rate), but with no frame drawn: for tests that read what the scene holds at its
    end and draw that picture alone (``frame_of``). Drawing changes nothing a scene holds,
    and it was about half of the CPU of playing one."""
    update_frame = CairoRenderer.update_frame

    def update_frame_if_drawing(self, *args, **kwargs):
        if getattr(self, "drawing", False):
            return update_frame(self, *args, **kwargs)
        return None

    CairoRenderer.update_frame = update_frame_if_drawing
    try:
        yield
    finally:
        CairoRenderer.update_frame = update_frame


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


def margin_content(frame: np.ndarray, background: tuple[int, int, int], margin=0.05) -> bool:
    """Whether anything is drawn in the outer ``margin`` of ``frame`` (pixels that differ
    from the background by more than 40 in a channel)."""
    h, w = frame.shape[:2]
    drawn = np.abs(frame[..., :3].astype(int) - np.array(background)).max(axis=2) > 40
    dy, dx = int(round(h * margin)), int(round(w * margin))
    inner = np.zeros_like(drawn)
    inner[dy : h - dy, dx : w - dx] = True
    return bool((drawn & ~inner).any())


def video_frames(video: Path, fps: float = 2.0) -> list[tuple[float, np.ndarray]]:
    """(time, RGB frame) of ``video`` every 1/fps seconds, decoded by ffmpeg."""
    import subprocess

    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height",
            "-of",
            "csv=p=0",
            str(video),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    w, h = map(int, probe.stdout.strip().split(","))
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(video),
            "-vf",
            f"fps={fps}",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)
    return [(i / fps, f) for i, f in enumerate(frames)]


def encoder_spec(width: int = 320, height: int = 180):
    """The settings of an encoder of frames of this size (x264 ``veryfast``, as manim.cfg)."""
    from manim._config.video_encoder import VideoEncoderSpec

    return VideoEncoderSpec(
        container_format="mp4",
        codec="libx264",
        pixel_format="yuv420p",
        width=width,
        height=height,
        frame_rate=Fraction(60),
        options=(("preset", "veryfast"), ("crf", "23")),
    )
