"""The base of the follow-up lessons' scenes: a scene with its lesson's theme, its trace and
its narration (the recording as its sound, the words as subtitles over the planned seconds).

A lesson's scene base says where those come from (``load_config``, ``load_trace``,
``load_narrations``) and how long its scene is planned to last (``scene_seconds``); the
setup, the last hold, the WebVTT beside the video and the headings are the same for all.
"""

from __future__ import annotations

from manim import LEFT, UP, Scene, Text

from scenes.layout import safe_area
from scenes.lesson_trace import bad_input_stops
from scenes.narration import Narration, add_subtitles, spoken_seconds, write_vtt_beside
from scenes.theme import THEMES


class NarratedScene(Scene):
    """Reads the lesson's config, the theme and trace it gives, and the scene's narration;
    plays the recording if there is one and shows the words as subtitles over the scene."""

    #: a heading's size, as a share of the theme's title size
    heading_size = 1.0
    #: where a heading's top left corner goes (x, y); None: the safe area's top left
    heading_corner: tuple[float, float] | None = None

    # -- what each lesson says ------------------------------------------------------------
    def load_config(self):
        """The lesson's parameters (a LessonConfig-like object with ``view.theme``)."""
        raise NotImplementedError

    def load_trace(self, cfg):
        """The trace of ``cfg``: what the scene draws."""
        raise NotImplementedError

    def load_narrations(self, cfg) -> dict[str, Narration]:
        """The lesson's narration, per scene (bad input raises; ``setup`` stops on it)."""
        raise NotImplementedError

    def scene_seconds(self) -> float:
        """How long this scene runs (it may read ``self.trace`` and ``self.spoken``)."""
        raise NotImplementedError

    # -- the same for every lesson --------------------------------------------------------
    def setup(self) -> None:
        cfg = self.load_config()
        self.theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.trace = self.load_trace(cfg)
        with bad_input_stops():
            self.narration = self.load_narrations(cfg)[type(self).__name__]
        self.spoken = spoken_seconds(self.narration)
        if self.narration.audio is not None:
            self.add_sound(str(self.narration.audio))
        self.planned = self.scene_seconds()
        add_subtitles(self, self.narration.text, self.planned, self.narration.speech)

    def tear_down(self) -> None:
        write_vtt_beside(self)

    @property
    def now(self) -> float:
        """Seconds since the scene began (``WholeFrames`` counts them in whole frames)."""
        return self.renderer.time

    def hold(self, seconds: float) -> None:
        """The last picture for ``seconds``, or until the narration is over."""
        self.wait(max(seconds, self.spoken - self.now))

    def text(self, s: str, size: float | None = None, color: str | None = None, mono=False):
        return self.theme.text(s, size, color, mono)

    def heading(self, s: str, color: str | None = None) -> Text:
        """A title at the top left (``heading_corner``), ``heading_size`` of the title size."""
        left, _, _, top = safe_area()
        x, y = self.heading_corner or (left, top)
        title = self.text(s, self.theme.title_size * self.heading_size, color)
        return title.move_to((x, y, 0.0), aligned_edge=UP + LEFT)
