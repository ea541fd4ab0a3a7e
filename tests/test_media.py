"""Reading videos in the build's process (gdlesson/media.py): lengths as the concat that
cuts the lesson together counts them. Posters and loop points: tests/test_gif.py; key
frames: tests/test_slides.py."""

import subprocess

import pytest

from gdlesson import media
from gdlesson.lesson_video import duration


def ffprobe(path, entries: str, *select: str) -> list[str]:
    cmd = ["ffprobe", "-v", "error", *select, "-show_entries", entries, "-of", "csv=p=0"]
    return subprocess.check_output([*cmd, str(path)], text=True).split()


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """Three clips of 31 frames at 30 fps (1.0333 s: not a whole millisecond, where
    ffmpeg's newer libavformat and the file's header disagree)."""
    folder = tmp_path_factory.mktemp("media")
    paths = []
    for i, colour in enumerate(("red", "green", "blue")):
        path = folder / f"{i}.mp4"
        source = f"color=c={colour}:s=160x90:r=30"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", source, "-frames:v", "31"]
            + ["-pix_fmt", "yuv420p", "-c:v", "libx264", str(path)],
            check=True,
        )
        paths.append(path)
    return paths


def test_a_clips_length_is_ffprobes_and_where_the_concat_puts_the_next(clips, tmp_path):
    for clip in clips:
        assert duration(clip) == float(ffprobe(clip, "format=duration")[0])
    listing = tmp_path / "clips.txt"
    listing.write_text("".join(f"file '{c}'\n" for c in clips))
    joined = tmp_path / "joined.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing)]
        + ["-c", "copy", str(joined)],
        check=True,
    )
    starts = [float(t) for t in ffprobe(joined, "packet=pts_time", "-select_streams", "v:0")]
    second, third = starts[31], starts[62]  # each clip's first frame in the lesson
    assert second == pytest.approx(duration(clips[0]), abs=1e-4)
    assert third == pytest.approx(duration(clips[0]) + duration(clips[1]), abs=1e-4)


def test_a_file_without_a_movie_header_has_no_mp4_length(clips, tmp_path):
    """Not an error: the length is then ffprobe's (which names what is wrong)."""
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x03not a box")
    assert media.mp4_seconds(junk) is None
    whole = clips[0].read_bytes()
    cut = tmp_path / "cut.mp4"
    for at in range(0, len(whole), 97):  # cut off anywhere, in a box or between two
        cut.write_bytes(whole[:at])
        seconds = media.mp4_seconds(cut)
        assert seconds is None or seconds == pytest.approx(1.0333, abs=1e-3)
    assert media.mp4_seconds(clips[0]) == pytest.approx(1.0333, abs=1e-3)
