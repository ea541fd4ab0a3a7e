"""The tiny lesson's one scene: the iterates, written out from the trace."""

import os

from manim import DOWN, Scene, Text, VGroup, Write

from gdlesson.registry import lessons


class TinyScene(Scene):
    def construct(self):
        lesson = lessons()["tiny"]
        trace = lesson.train(lesson.load_config(os.environ["GDLESSON_CONFIG"]))
        rows = VGroup(*(Text(f"w = {s['w']:.4f}", font_size=36) for s in trace.steps))
        self.play(Write(rows.arrange(DOWN)), run_time=0.5)
        self.wait(0.5)
