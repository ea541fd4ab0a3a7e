"""The shown code runs and matches the trace; narration becomes well-formed subtitles."""

import subprocess

import pytest
import srt
import torch

from gd_engine import load_config, train
from scenes.lesson import LessonScene
from scenes.lesson_code import code_blocks, lesson_code
from scenes.narration import (
    CUE_CHARS,
    LINE_CHARS,
    NarrationError,
    cue_times,
    reading_seconds,
    split_cues,
    to_webvtt,
)
from scenes.storyboard import BEATS, base_plan, lesson_narration, plan


@pytest.mark.parametrize(
    "overrides",
    [
        [],
        ["data.noise_std=0"],
        ["train.lr=0.25", "train.epochs=7"],
        ["train.w0=5.0", "data.seed=7"],
    ],
)
def test_the_code_on_screen_runs_and_reproduces_the_engine(overrides, capsys):
    cfg = load_config("lesson.toml", overrides)
    trace = train(cfg)
    namespace: dict = {}
    exec(compile(lesson_code(cfg), "lesson_code.py", "exec"), namespace)
    assert namespace["loss_history"] == trace.loss_history  # bit for bit
    assert namespace["w"].item() == trace.final.w
    assert torch.equal(namespace["Y"].view(-1), torch.tensor(trace.data.y))


def test_code_blocks_are_the_lessons_steps():
    blocks = code_blocks(lesson_code(load_config("lesson.toml")))
    assert list(blocks) == ["data", "model and cost", "settings", "training"]
    loop = "\n".join(blocks["training"])
    for fragment in (
        "loss.backward()",
        "w.data = w.data - lr * w.grad.data",
        "w.grad.data.zero_()",
        "loss_history.append(loss.item())",
        "w.grad",
    ):
        assert fragment in loop
    settings = "\n".join(blocks["settings"])
    assert "w = torch.tensor(-10.0,\n                 requires_grad=True)" in settings
    # lines short enough for code a hall can read in half the frame
    assert max(len(line) for block in blocks.values() for line in block) <= 38


def test_every_beat_has_narration_in_the_projects_words():
    narration = lesson_narration()
    assert set(narration) == set(BEATS)
    assert all(len(n.text) > 40 for n in narration.values())


def test_cues_are_short_two_line_and_keep_every_word():
    text = lesson_narration()["data"].text
    cues = split_cues(text)
    assert " ".join(c.replace("\n", " ") for c in cues).split() == text.split()
    for c in cues:
        assert len(c) <= CUE_CHARS and c.count("\n") <= 1
        assert all(len(line) <= CUE_CHARS for line in c.splitlines())
    assert max(len(line) for c in cues for line in c.splitlines()) <= LINE_CHARS + 20


def test_cue_times_share_the_beat_in_order_without_overlap():
    cues = split_cues(lesson_narration()["iterate"].text)
    times = cue_times(cues, 10.0, 12.0)
    assert times[0][0] == 10.0 and times[-1][1] <= 22.0 + 1e-9
    for (a0, a1), (b0, _) in zip(times, times[1:]):
        assert a0 < a1 < b0


def test_beats_last_as_long_as_their_words_take(tmp_path):
    trace = train(load_config("lesson.toml"))
    narration = lesson_narration()
    p, base = plan(trace, narration), base_plan(trace)
    for beat in BEATS:
        assert p[beat] >= base[beat]
        assert p[beat] >= reading_seconds(narration[beat].text) - 0.01


def make_tone(path, seconds):
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            str(path),
        ],
        check=True,
    )


def test_a_recording_sets_its_beats_length(tmp_path):
    make_tone(tmp_path / "fit.wav", 9.5)
    narration = lesson_narration(audio=tmp_path)
    assert narration["fit"].audio == tmp_path / "fit.wav"
    assert narration["fit"].audio_seconds == pytest.approx(9.5, abs=0.05)
    assert plan(train(load_config("lesson.toml")), narration)["fit"] == pytest.approx(9.5, abs=0.05)


@pytest.mark.parametrize(
    "content, rule",
    [(b"", "audio file is empty"), (b"this is not sound" * 10, "cannot be read as audio")],
)
def test_a_bad_recording_is_named_in_one_line(tmp_path, content, rule):
    bad = tmp_path / "backward.wav"
    bad.write_bytes(content)
    with pytest.raises(NarrationError) as err:
        lesson_narration(audio=tmp_path)
    assert str(bad) in str(err.value) and rule in str(err.value)


def test_a_missing_recording_named_in_the_narration_file(tmp_path):
    toml = tmp_path / "narration.toml"
    toml.write_text('[close]\ntext = "Done."\naudio = "voice/close.mp3"\n')
    with pytest.raises(NarrationError, match="close.mp3: audio file for beat close not found"):
        lesson_narration(path=toml, audio=tmp_path)


def test_unknown_beat_in_the_narration_file(tmp_path):
    toml = tmp_path / "narration.toml"
    toml.write_text('[ending]\ntext = "Done."\n')
    with pytest.raises(NarrationError, match=r"\[ending\] is not a beat"):
        lesson_narration(path=toml)


def test_webvtt_has_the_same_cues():
    subs = [
        srt.Subtitle(
            1,
            srt.srt_timestamp_to_timedelta("00:00:01,500"),
            srt.srt_timestamp_to_timedelta("00:01:02,250"),
            "two\nlines",
        )
    ]
    assert to_webvtt(subs) == "WEBVTT\n\n00:00:01.500 --> 00:01:02.250\ntwo\nlines\n"


def test_lesson_scene_lists_only_known_beats():
    assert set(LessonScene.beats) == set(BEATS)


def test_marks_leave_the_words_and_are_timed_as_the_subtitles_say_them():
    from scenes.narration import Narration, mark_times, take_marks

    words, marks = take_marks("First the curve {curve}. Then the blue dot{dot} moves. End.")
    assert words == "First the curve. Then the blue dot moves. End."
    assert marks == (
        ("curve", len("First the curve")),
        ("dot", len("First the curve. Then the blue dot")),
    )
    n = Narration(words, marks=marks)
    seconds = 9.0
    times = mark_times(n, seconds)
    cues = split_cues(words)
    assert "{" not in "".join(cues)
    # a mark said at the share of its cue's time that its characters are of the cue
    ((start, end),) = [t for c, t in zip(cues, cue_times(cues, 0.0, seconds)) if "curve" in c]
    assert times["curve"][0] == pytest.approx(start + (end - start) * 15 / len(cues[0]))
    assert times["curve"][1] == pytest.approx(end)
    assert 0 < times["curve"][0] < times["dot"][0] < seconds


def test_the_lessons_marks_are_in_its_words():
    from scenes.storyboard import MARKS

    narration = lesson_narration()
    for beat, marks in MARKS.items():
        assert [m for m, _ in narration[beat].marks] == list(marks), beat
        assert "{" not in narration[beat].text
