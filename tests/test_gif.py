"""GIF export: ffmpeg's palette GIF, and the size budget's ladder (with gifsicle's lossy)."""

import subprocess

import pytest

from gdlesson.gif import GifError, GifSettings, budget_ladder, export_gif


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
