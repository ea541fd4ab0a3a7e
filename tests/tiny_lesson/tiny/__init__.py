"""A tiny lesson, the smallest whole one: w walks down (w - 3)^2. The tests copy this folder
elsewhere and build it through $GDLESSON_LESSONS; docs/new-lesson.md walks through it.

Everything else comes from its files by convention: its kind is its folder's name, its
parameters ``config.py``, its loop ``engine.py``, its scene ``tiny_scenes.py``, its
parameter file ``../tiny.toml`` and its narration ``../narration/tiny.toml``."""

from gdlesson.registry import SceneLesson


class Tiny(SceneLesson):
    captions = {"TinyScene": "w walks down (w - 3)^2"}

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        return max(1.0, spoken)  # its scene writes the steps out in a second

    def alt_text(self, trace, scene: str) -> str:
        first, last = trace.steps[0], trace.steps[-1]
        return (
            f"w and the loss (w - 3)^2 over {len(trace.steps)} steps: w from {first['w']:g} "
            f"to {last['w']:g}, the loss from {first['loss']:g} to {last['loss']:g}"
        )


LESSON = Tiny()
