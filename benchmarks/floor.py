"""The floor: what Manim alone needs per frame here. One small dot moving for a given number
of seconds (``FLOOR_SECONDS`` in the environment), rendered like the lesson."""

import os

from manim import LEFT, RIGHT, Dot, Scene


class Floor(Scene):
    def construct(self):
        seconds = float(os.environ.get("FLOOR_SECONDS", "10"))
        dot = Dot(LEFT * 3, radius=0.08)
        self.add(dot)
        steps = max(1, round(seconds / 2))
        for i in range(steps):
            self.play(
                dot.animate.move_to((RIGHT if i % 2 == 0 else LEFT) * 3), run_time=seconds / steps
            )
