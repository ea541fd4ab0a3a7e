"""Learning rates compared: the four presets side by side on the same data.

``manim -qh scenes/regimes.py Regimes``: for each regime, the dot's path on its cost curve
(a creep, a smooth descent, a zig-zag, a climb out of the bowl), and the loss per
iteration of all four on one plot, log scale when the range demands it.
"""

from __future__ import annotations

import math

from manim import DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, Line, Scene, Text, VGroup

from gd_engine import Trace
from gd_engine.regimes import PRESETS
from scenes.lesson_trace import lesson_trace, scene_config
from scenes.panels import CostPanel, Panel, fmt_value, nice_step
from scenes.still_frames import install as install_still_frames
from scenes.theme import THEMES, Theme

install_still_frames()

MIN_EPOCHS = 8  # enough steps for each regime to show its character
STEP_TIME = 1.0
SMALL_PANEL = dict(width=2.75, height=1.55)
GRID = [(-5.2, 1.45), (-1.55, 1.45), (-5.2, -2.15), (-1.55, -2.15)]


def regime_traces(cfg) -> dict[str, Trace]:
    """One trace per preset, same data, at least MIN_EPOCHS epochs."""
    from dataclasses import replace

    epochs = max(cfg.train.epochs, MIN_EPOCHS)
    return {
        name: lesson_trace(replace(cfg, train=replace(cfg.train, preset=name, epochs=epochs)))
        for name in PRESETS
    }


class SharedLossPanel(Panel):
    """Loss per iteration for several runs on one plot (log scale past three decades)."""

    def __init__(self, traces: dict[str, Trace], theme: Theme, colors, **size):
        self.traces = traces
        n = max(len(t.epochs) for t in traces.values())
        losses = [v for t in traces.values() for v in t.loss_history if v > 0]
        log_y = max(losses) / min(losses) > 1e3
        if log_y:
            y_range = (math.floor(math.log10(min(losses))), math.ceil(math.log10(max(losses))))
        else:
            y_range = (0.0, max(losses) * 1.1)
        super().__init__(
            theme,
            (0.0, float(max(n - 1, 1))),
            tuple(map(float, y_range)),
            "iteration",
            "loss (log scale)" if log_y else "loss",
            x_step=max(1, nice_step(max(n - 1, 1))),
            log_y=log_y,
            **size,
        )
        self.colors = dict(zip(traces, colors))

    def point(self, name: str, k: int):
        return self.axes.c2p(k, self.to_y(self.traces[name].epochs[k].loss))


class Regimes(Scene):
    def setup(self) -> None:
        cfg = scene_config()
        self.theme = THEMES[cfg.view.theme]
        self.camera.background_color = self.theme.background
        self.traces = regime_traces(cfg)
        self.colors = dict(zip(PRESETS, self.theme.regimes))

    def construct(self) -> None:
        self.next_section("regimes")
        th = self.theme
        title = (
            Text(
                "Learning rates compared",
                font=th.font,
                font_size=th.title_size * 0.75,
                color=th.muted,
            )
            .to_edge(UP, buff=0.2)
            .set_x(3.7)
        )
        panels = {}
        for (name, trace), center in zip(self.traces.items(), GRID):
            panel = CostPanel(trace, th, center=(center[0], center[1], 0), **SMALL_PANEL)
            a = trace.analysis
            head = VGroup(
                Text(name, font=th.font, font_size=th.label_size, color=self.colors[name]),
                Text(
                    f"lr {trace.config.train.lr:.3f}   error \u00d7{a.shrink:+.2f} a step",
                    font=th.font,
                    font_size=th.tick_size,
                    color=th.muted,
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            head.next_to(panel.axes, UP, buff=0.15).align_to(panel.axes, LEFT)
            panel.y_title.set_opacity(0)
            panel.x_title.next_to(
                panel.axes.c2p(panel.x_range[1], panel.y_range[0]), RIGHT, buff=0.1
            )
            panels[name] = (panel, head)
        loss = SharedLossPanel(
            self.traces, th, self.theme.regimes, center=(3.85, -0.35, 0), width=5.2, height=5.0
        )
        legend = (
            VGroup(
                *(
                    Text(f"\u25cf {name}", font=th.font, font_size=th.tick_size + 2, color=c)
                    for name, c in self.colors.items()
                )
            )
            .arrange(RIGHT, buff=0.3)
            .next_to(loss.axes, UP, buff=0.45)
        )
        self.play(
            FadeIn(title),
            *(FadeIn(VGroup(p, h, p.curve)) for p, h in panels.values()),
            FadeIn(loss),
            FadeIn(legend),
            run_time=1.0,
        )

        dots = {}
        for name, (panel, _) in panels.items():
            w, v = panel.iterate(0)
            dots[name] = Dot(panel.point_at(w, v), radius=0.07, color=self.colors[name])
        self.play(*(FadeIn(d) for d in dots.values()), run_time=0.4)

        steps = max(len(t.epochs) for t in self.traces.values())
        for k in range(steps):
            anims = []
            for name, trace in self.traces.items():
                if k >= len(trace.epochs):  # this run stopped (diverged past the bound)
                    continue
                panel = panels[name][0]
                start, end = (
                    panel.point_at(*panel.iterate(k)),
                    panel.point_at(*panel.iterate(k + 1)),
                )
                if panel.on_plot(*panel.iterate(k)) and panel.on_plot(*panel.iterate(k + 1)):
                    # the path: a straight jump from iterate to iterate over the bowl
                    anims.append(
                        Create(Line(start, end, color=self.colors[name], stroke_width=2.5))
                    )
                anims.append(dots[name].animate.move_to(end))
                anims.append(FadeIn(Dot(loss.point(name, k), radius=0.05, color=self.colors[name])))
                if k > 0:
                    anims.append(
                        Create(
                            Line(
                                loss.point(name, k - 1),
                                loss.point(name, k),
                                color=self.colors[name],
                                stroke_width=3,
                            )
                        )
                    )
            self.play(*anims, run_time=STEP_TIME)
        verdicts = []
        for name, (panel, _) in panels.items():
            w, v = panel.iterate(len(self.traces[name].epochs))
            if not panel.on_plot(w, v):
                note = Text(
                    f"off the plot: w = {fmt_value(w, 1)}",
                    font=th.font,
                    font_size=th.tick_size,
                    color=self.colors[name],
                )
                verdicts.append(note.next_to(panel.axes, DOWN, buff=0.35))
            if self.traces[name].analysis.regime == "divergent":
                verdicts.append(
                    Text(
                        "diverging", font=th.font, font_size=th.label_size, color=self.colors[name]
                    ).move_to(panel.axes)
                )
        if verdicts:
            self.play(*(FadeIn(v) for v in verdicts), run_time=0.6)
        self.wait(2.0)
