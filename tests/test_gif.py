"""GIF export: ffmpeg's palette GIF, and the size budget's ladder (with gifsicle's lossy);
a GIF starts and ends on its picture, so its loop never flashes the background."""

import subprocess

import numpy as np
import pytest

from gdlesson.gif import (
    DEFAULT_FPS,
    GifError,
    GifSettings,
    budget_ladder,
    content_span,
    export_gif,
    write_gif_poster,
    write_poster,
)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("gif") / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30"]
        + ["-t", "2", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )
    return path


def frames(gif) -> tuple[int, int]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0"]
        + ["-show_entries", "stream=nb_read_frames,width", "-of", "csv=p=0", str(gif)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    width, count = out.split(",")
    return int(width), int(count)


def test_a_gif_has_the_asked_width_and_frame_rate(clip, tmp_path):
    out = tmp_path / "a.gif"
    result = export_gif(clip, out, GifSettings(width=320, fps=10))
    assert result.settings == GifSettings(width=320, fps=10) and result.bytes == out.stat().st_size
    assert frames(out) == (320, 20)  # 2 s at 10 fps


def test_a_budget_walks_down_the_ladder_until_the_gif_fits(clip, tmp_path):
    out = tmp_path / "b.gif"
    full = export_gif(clip, tmp_path / "full.gif", GifSettings(width=320, fps=10)).bytes
    budget_kb = full // 1024 // 3
    result = export_gif(clip, out, GifSettings(width=320, fps=10), max_kb=budget_kb)
    assert result.bytes <= budget_kb * 1024 and out.stat().st_size == result.bytes
    assert result.settings in budget_ladder(GifSettings(width=320, fps=10))[1:]
    width, count = frames(out)
    assert width == result.settings.width and count == 2 * result.settings.fps


def test_an_impossible_budget_is_one_line_and_leaves_no_file(clip, tmp_path):
    out = tmp_path / "c.gif"
    with pytest.raises(GifError) as info:
        export_gif(clip, out, GifSettings(width=320, fps=10), max_kb=1)
    assert "c.gif: no setting down to" in str(info.value) and "\n" not in str(info.value)
    assert not out.exists() and list(tmp_path.iterdir()) == []


# -- a looping GIF starts and ends on its picture -------------------------------------------------
#: 3 s at 30 fps, as a beat clip is made: content fades in from the background over the
#: first second (from black, from white, or onto a dark background under a small heading
#: already up, as a beat's first frame is) and, for the first two, fades out over the last
#: half second
FADED = {
    "from black": "testsrc2=s=320x180:r=30,fade=t=in:d=1,fade=t=out:st=2.5:d=0.5",
    "from white": "testsrc2=s=320x180:r=30,fade=t=in:d=1:color=white,"
    "fade=t=out:st=2.5:d=0.5:color=white",
    "under a heading": "color=c=0x0f1419:s=320x180:r=30:d=3,"
    "drawbox=x=250:y=6:w=50:h=8:color=gray:t=fill[b];"
    "testsrc2=s=200x110:r=30:d=3,format=yuva420p,fade=t=in:d=0.8:alpha=1[f];"
    "[b][f]overlay=60:50:shortest=1",
}


@pytest.fixture(scope="module", params=sorted(FADED))
def faded(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("faded") / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-filter_complex", FADED[request.param] + ",format=yuv420p"]
        + ["-t", "3", str(path)],
        check=True,
    )
    return path


def gray_frames(video, fps: int | None = None) -> np.ndarray:
    """Every frame of ``video`` (at ``fps``, if given) as luma, float."""
    vf = (f"fps={fps}," if fps else "") + "format=gray"
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-vf", vf, "-f", "rawvideo", "-"],
        capture_output=True,
        check=True,
    ).stdout
    width, height = 320, 180
    return np.frombuffer(out, np.uint8).reshape(-1, height, width).astype(float)


def test_a_gif_starts_and_ends_on_its_picture_not_on_the_background(faded, tmp_path):
    out = tmp_path / "faded.gif"
    export_gif(faded, out, GifSettings(width=320, fps=10))
    gif = gray_frames(out)
    content = gray_frames(faded, fps=10)[12:24]  # the picture, all in (1.2 s to 2.3 s)
    spread, mean = content.std(axis=(1, 2)).mean(), content.mean()
    assert len(gif) < 30  # the fades are left out
    for end, frame in (("first", gif[0]), ("last", gif[-1])):
        # not near-uniform: the whole picture (a fade's first frame has 3% of it)
        assert frame.std() >= 0.9 * spread, end
        # no flash: as bright as the picture (half faded in is 60 grey levels off)
        assert abs(frame.mean() - mean) <= 5, (end, frame.mean(), mean)
    # the loop's seam: the last frame goes into the first without a jump of brightness
    assert abs(gif[-1].mean() - gif[0].mean()) <= 3


def test_what_a_gif_leaves_out_is_only_the_fades(faded):
    first, end = content_span(faded, 10)
    spread = gray_frames(faded, fps=10).std(axis=(1, 2))
    assert 8 <= first <= 10  # the fade-in takes 8 (heading) or 10 frames
    assert end in (None, 25)  # the fade-out starts at 2.5 s
    kept = spread[first:end]
    assert kept.min() >= 0.9 * kept.max()


def test_a_gif_of_the_same_clip_is_byte_identical(faded, tmp_path):
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    export_gif(faded, a, GifSettings(width=320, fps=10))
    export_gif(faded, b, GifSettings(width=320, fps=10))
    assert a.read_bytes() == b.read_bytes()


def test_a_clip_that_starts_and_ends_on_its_picture_keeps_every_frame(clip):
    assert content_span(clip, 10) == (0, None)


# -- posters: what the page shows before a clip or GIF plays --------------------------------------
def rgb_frames(video, vf: str = "null") -> np.ndarray:
    """Every frame of ``video`` through the filter ``vf``, as RGB, decoded by ffmpeg."""
    probe = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries"]
    probe += ["stream=width,height", "-of", "csv=p=0", str(video)]
    width, height = map(int, subprocess.check_output(probe, text=True).split(","))
    cmd = ["ffmpeg", "-v", "error", "-i", str(video), "-vf", vf, "-pix_fmt", "rgb24"]
    out = subprocess.run([*cmd, "-f", "rawvideo", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(out, np.uint8).reshape(-1, height, width, 3).astype(float)


def png_pixels(path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB")).astype(float)


def nearest(picture: np.ndarray, frames: np.ndarray) -> tuple[int, float]:
    """The frame of ``frames`` most like ``picture``, and how far it is (mean per channel)."""
    distances = [np.abs(picture - f).mean() for f in frames]
    return int(np.argmin(distances)), min(distances)


def test_a_clips_poster_is_its_gifs_last_picture_at_the_clips_size(faded, clip, tmp_path):
    """A clip that fades out: the frame its GIF ends on (at the GIF's 12 fps, before the
    fade); one that does not: its last frame. The testsrc pictures change every frame, so
    a frame off by one is far off."""
    for video in (faded, clip):
        poster = tmp_path / "poster.png"
        write_poster(video, poster)
        _first, end = content_span(video, DEFAULT_FPS)
        at_gif_rate = rgb_frames(video, f"fps={DEFAULT_FPS}")
        want = at_gif_rate[end - 1] if end else rgb_frames(video)[-1]
        assert png_pixels(poster).shape == want.shape
        assert np.abs(png_pixels(poster) - want).mean() < 1.0, video


def test_a_gifs_poster_is_its_first_frame(clip, tmp_path):
    gif, poster = tmp_path / "a.gif", tmp_path / "a.png"
    export_gif(clip, gif, GifSettings(width=320, fps=10))
    write_gif_poster(gif, poster)
    frames = rgb_frames(gif)
    assert nearest(png_pixels(poster), frames) == (0, 0.0)


def test_a_damaged_clip_is_one_line_naming_it_and_leaves_no_poster(clip, tmp_path):
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(clip.read_bytes()[:2000])  # the header and the start, cut off
    poster = tmp_path / "damaged.png"
    with pytest.raises(GifError) as info:
        write_poster(damaged, poster)
    assert "damaged.mp4" in str(info.value) and "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.mp4"]
