"""Time in whole frames: what a plan adds up and what a scene plays are the same frames.

Manim draws an animation of ``run_time`` seconds as ``ceil(run_time * fps)`` frames (a
product such as 0.4 * 15 lands a hair above 6: a seventh frame), and holds a pause of
``duration`` for ``int(duration * fps)`` frames. A plan that adds up seconds drifts from
the video by a frame here and there. Here every play and pause is a whole number of
frames, ``frames(seconds, fps)``, counted the same way by the plan (no Manim needed) and
by the scene (``WholeFrames``).
"""

from __future__ import annotations

from collections.abc import Iterable


def frames(seconds: float, fps: float) -> int:
    """The frames a play of ``seconds`` takes: the nearest whole number, at least one."""
    return max(1, round(seconds * fps))


def total_frames(seconds: Iterable[float], fps: float) -> int:
    """The frames of these plays, one after another."""
    return sum(frames(s, fps) for s in seconds)


class WholeFrames:
    """A Scene mixin: ``play`` and ``wait`` take ``frames(seconds, fps)`` frames exactly,
    and ``frame`` counts them: the scene's clock (``now``), the same whether Manim draws
    the frames or skips them (tests)."""

    frame = 0  # frames played so far

    @property
    def now(self) -> float:
        """Seconds since the scene began, in whole frames."""
        from manim import config

        return self.frame / config.frame_rate

    def play(self, *animations, run_time: float | None = None, **kwargs) -> None:
        from manim import config

        if run_time is None:  # Manim's own wait: a Wait, timed already (``wait``)
            super().play(*animations, **kwargs)
            return
        n = frames(run_time, config.frame_rate)
        # a hair under: Manim rounds a play's time up to frames
        super().play(*animations, run_time=(n - 0.01) / config.frame_rate, **kwargs)
        self.frame += n

    def wait(self, duration: float, **kwargs) -> None:
        from manim import config

        # held (one picture: Manim's frozen frame) unless something moves with time, as
        # Manim decides it; said here, since Manim counts the frames of the two apart: a
        # hair over for a held pause (it rounds down), a hair under for the other
        moving = self.updaters or any(
            m.has_time_based_updater() for m in self.get_mobject_family_members()
        )
        held = not (moving or self.always_update_mobjects)
        n = frames(duration, config.frame_rate)
        seconds = (n + (0.01 if held else -0.01)) / config.frame_rate
        super().wait(seconds, frozen_frame=held, **kwargs)
        self.frame += n

    def frames_until(self, t: float) -> int:
        """Whole frames from now to time ``t`` of the scene (none if it is past)."""
        from manim import config

        return max(0, round((t - self.now) * config.frame_rate))
