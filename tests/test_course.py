"""Every lesson the registry knows, as ``gdlesson build --all`` built it (the session's course,
``built``): a lesson added to ``lessons/`` is checked here without a line of this file
changing."""

import hashlib
import json

import pytest
import srt
from building import ROOT, manifest

from gdlesson.course import lesson_files
from gdlesson.lesson_video import duration
from gdlesson.registry import SceneLesson, lesson_for, lessons
from scenes.narration import spoken_seconds

SCENE_LESSONS = sorted(k for k, lesson in lessons().items() if isinstance(lesson, SceneLesson))


def test_every_lesson_file_of_the_course_has_a_registered_lesson():
    kinds = [lesson_for(path).kind for path in lesson_files()]
    assert set(kinds) == set(lessons())
    assert len(kinds) == len(set(kinds))  # one parameter file per lesson


def lesson_out(built, kind):
    lesson = lessons()[kind]
    out, _, _ = built
    return lesson, lesson.out_folder(lesson.default_config, out, course=True)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(lessons()))
def test_every_output_of_every_lesson_is_what_its_manifest_says(built, kind):
    _, out = lesson_out(built, kind)
    outputs = manifest(out)
    assert {"trace.json", "index.html"} <= set(outputs)
    for path, o in outputs.items():
        data = (out / path).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (o["bytes"], o["sha256"]), path


@pytest.mark.slow
@pytest.mark.parametrize("kind", SCENE_LESSONS)
def test_every_lesson_of_scenes_shows_its_trace_says_its_words_and_has_its_page(built, kind):
    """Each scene: a clip as long as the lesson plans it, its narration word for word as
    subtitles that end inside the clip, its GIF, and a page that plays all of it; the trace
    is the engine's for the lesson's parameter file."""
    lesson, out = lesson_out(built, kind)
    config = ROOT / lesson.default_config
    trace = lesson.train(lesson.load_config(config))
    assert json.loads((out / "trace.json").read_text()) == json.loads(trace.to_json())
    narration = lesson.narration(config)
    page = (out / "index.html").read_text()
    for scene in lesson.scenes:
        video = out / "videos" / f"{scene}.mp4"
        planned = lesson.scene_seconds(trace, scene, spoken_seconds(narration[scene]))
        assert duration(video) == pytest.approx(planned, abs=0.2), scene
        cues = list(srt.parse((out / "videos" / f"{scene}.srt").read_text()))
        said = " ".join(" ".join(c.content.split()) for c in cues)
        assert said == " ".join(narration[scene].text.split()), scene
        assert cues[-1].end.total_seconds() <= duration(video) + 0.05, scene
        assert (out / "videos" / f"{scene}.vtt").read_text().startswith("WEBVTT")
        for src in (f"videos/{scene}.mp4", f"videos/{scene}.vtt", f"gifs/{scene}.gif"):
            assert f'="{src}"' in page, (scene, src)  # a source, or a GIF waiting to play
