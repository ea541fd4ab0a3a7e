"""The first lesson: linear regression in PyTorch, the hard way (one weight w).

Its engine is gd_engine/training.py, its scenes scenes/lesson.py (one per beat, cut
together into the lesson), its beats and plan scenes/storyboard.py, its narration
scenes/narration.toml, its figures scenes/figures.py, its parameter file lesson.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gd_engine.config import LessonConfig, with_theme
from gdlesson.registry import LessonKind


@dataclass
class Plan:
    """What each output of a build of the lesson is made from."""

    cfg: LessonConfig
    opts: object
    code: dict[str, str]  # kind of output -> the digest of the code that makes it
    narration: dict[str, str]

    def config_part(self, *tables: str) -> dict:
        d = with_theme(self.cfg, "dark").to_dict()
        return {t: d[t] for t in tables}

    @property
    def theme(self) -> str:
        return self.opts.theme or self.cfg.view.theme

    def clip_inputs(self, beat: str) -> str:
        from gdlesson.build import digest
        from scenes.storyboard import TRAINING_FREE_BEATS  # from the beats' declarations

        tables = ("data",) if beat in TRAINING_FREE_BEATS else ("data", "train", "view")
        return digest(
            "clip",
            beat,
            self.config_part(*tables),
            self.theme,
            self.opts.quality,
            self.code["clip"],
            self.narration.get(beat),
        )

    def trace_inputs(self) -> str:
        from gdlesson.build import digest

        return digest("trace", self.config_part("data", "train", "view"), self.code["trace"])

    def gif_inputs(self, clip_hash: str) -> str:
        from gdlesson.build import gif_inputs

        return gif_inputs(self.opts, clip_hash, self.code["gif"])

    def descent_inputs(self) -> str:
        from gdlesson.build import digest

        tables = self.config_part("data", "train", "view")
        return digest("descent", tables, self.theme, self.opts.quality, self.code["clip"])

    def figures_inputs(self) -> str:
        from gdlesson.build import digest

        tables = self.config_part("data", "train", "view")
        return digest("figures", tables, self.theme, self.code["figures"])

    def explorer_inputs(self) -> str:
        """The explorer's runs: the data, the training settings and the code that trains
        and writes them (the view and the theme do not shape them)."""
        from gdlesson.build import digest

        return digest("explorer", self.config_part("data", "train"), self.code["explorer"])

    def video_inputs(self, clip_inputs: list[str | None], titles: list[str]) -> str:
        """The whole lesson: its beats' clips, cut together, each a chapter of its title."""
        from gdlesson.build import digest

        return digest("lesson", clip_inputs, titles, self.code["video"])

    def page_inputs(self, outputs, links) -> str:
        """The page: every output it shows, the pages it links to, its words and
        parameters, the code that writes it."""
        from gdlesson.build import digest

        shown = sorted((o.path, o.inputs) for o in outputs)
        config = self.config_part("data", "train", "view")
        return digest("page", shown, links, self.narration, config, self.code["page"])


class OneWeight(LessonKind):
    kind = "one_weight"
    title = "Linear regression in PyTorch, the hard way"
    scene_file = "scenes/lesson.py"
    default_config = "lesson.toml"
    at_the_root = True
    code = {
        "trace": ("gd_engine.training",),
        "clip": ("scenes.lesson",),
        "figures": ("scenes.figures",),
        "gif": ("gdlesson.gif",),
        "video": ("gdlesson.lesson_video",),
        "page": ("gdlesson.page", "lessons.one_weight.page", "gdlesson.explorer"),
        "explorer": ("gdlesson.explorer", "gd_engine.training"),
        "slides": ("gdlesson.slides",),
        # the numbers of a beat's page: what its board shows (storyboard), written as the
        # readouts and labels write them (panels)
        "handout": ("gdlesson.handout", "scenes.storyboard", "scenes.panels"),
    }

    @property
    def beats(self) -> tuple[str, ...]:
        from scenes.storyboard import BEATS

        return BEATS

    def load_config(self, path, overrides=()):
        from gd_engine.config import load_config

        return load_config(path, list(overrides))

    def train(self, cfg):
        """The lesson's trace, with the regimes clip's traces: all cached, so that the
        renders read them without importing torch."""
        from scenes.lesson_trace import lesson_trace, regime_traces

        regime_traces(cfg)
        return lesson_trace(cfg)

    scene_files = ("scenes/lesson.py", "scenes/regimes.py")

    def run_engine(self, cfg):
        from gd_engine import train

        return train(cfg)

    def narration(self, config_path) -> dict:
        from scenes.storyboard import lesson_narration

        return lesson_narration()

    # the build -------------------------------------------------------------------------
    def plan(self, build) -> Plan:
        from gdlesson.build import code_digests, narration_digests

        build.narration = self.narration(build.opts.config_path)
        narration = narration_digests(build.narration)
        return Plan(build.cfg, build.opts, code_digests(self.code, self.build_files), narration)

    def check(self, build) -> None:
        """A trace that cannot be drawn stops the build before anything is written."""
        from scenes.lesson_trace import check_animatable

        opts = build.opts
        overridden = any(o.startswith(("train.lr", "train.preset")) for o in opts.overrides)
        check_animatable(build.trace, "--set" if overridden else opts.config_path)

    def render_jobs(self, build, every: bool = False) -> list:
        """The beats' clips; with the whole lesson, the descent and the regimes too."""
        jobs = build.beat_jobs(every)
        if every or not build.opts.only:
            inputs = build.plan.descent_inputs()
            jobs.append(("lesson/descent", "Descent", inputs, None))
            jobs.append(("lesson/regimes", "Regimes", inputs, None))
        return jobs

    def seconds(self, build, narrated: bool = True) -> dict[str, float]:
        """Seconds of each clip, to the frame at the build's frame rate: with the narration,
        as long as the clip lasts; without it, as long as it moves and pauses to read."""
        from gdlesson.build import QUALITY
        from scenes.storyboard import descent_seconds, plan, regimes_seconds

        fps = QUALITY[build.opts.quality][2]
        seconds = plan(build.trace, build.narration if narrated else None, fps=fps)
        seconds["descent"] = descent_seconds(build.trace, fps=fps)
        seconds["regimes"] = regimes_seconds(build.cfg.train.epochs, fps=fps)
        return seconds

    def write_figures(self, build, folder: Path) -> list[Path]:
        from scenes.figures import write_figures
        from scenes.theme import THEMES

        return write_figures(build.trace, THEMES[build.plan.theme], folder)

    def page_data(self, build) -> list:
        """The explorer's runs (gdlesson/explorer.py), trained with the lesson's data."""
        from gdlesson.explorer import DATA_FILE, write_data

        return [(DATA_FILE, build.plan.explorer_inputs(), lambda path: write_data(build.cfg, path))]

    def page_links(self, build) -> list:
        """The other lessons built beside it, which its page links."""
        from gdlesson.course import built_followups

        return built_followups(build.renders)

    # the deck and the handout -------------------------------------------------------------
    def unit_titles(self) -> dict[str, str]:
        from scenes.storyboard import TITLES

        return dict(TITLES)

    def numbers(self, trace, unit: str) -> list[tuple[str, str]]:
        """The numbers the beat shows, as its picture writes them: the code's parameters
        (data, settings), the readouts it leaves, the tangents' slopes (why it slows), the
        loss per iteration (from when the loss plot is up), the divergence."""
        from scenes.panels import Readouts, fmt_value, readout_numbers
        from scenes.storyboard import board_after, epoch, tangent_epochs

        board, n = board_after(unit), len(trace.epochs)
        cfg, shown = trace.config, []
        if board.code == "data":
            d = cfg.data
            points = len(trace.data.x)
            shown += [
                ("x", f"arange({d.x_start!r}, {d.x_stop!r}, {d.x_step!r}): {points} points"),
                ("true line", f"f = {d.slope!r} * x"),
                ("noise", f"{d.noise_std!r} * randn, seed {d.seed!r}"),
            ]
        if board.code == "settings":
            t = cfg.train
            shown += [("lr", repr(t.lr)), ("epochs", repr(t.epochs)), ("w0", repr(t.w0))]
        if board.readouts and board.reading:
            k, stage = board.reading
            values = readout_numbers(trace, epoch(k, n), stage)
            shown += [(name, v or "\u2013") for name, v in zip(Readouts.ROWS, values)]
        if unit == "why_it_slows":
            shown += [
                (f"slope at epoch {k}", fmt_value(trace.epochs[k].grad, 2))
                for k in tangent_epochs(trace)
            ]
        if board.history and board.loss:
            losses = ", ".join(fmt_value(e.loss) for e in trace.epochs)
            shown.append(("loss per iteration", losses))
        if board.verdict and trace.diverged_at is not None:
            shown.append(("diverged at epoch", str(trace.diverged_at)))
        return shown

    @property
    def chapter_titles(self) -> dict[str, str]:
        """Each beat's title without its number: "Data", "Model and cost", ..."""
        from scenes.storyboard import TITLES

        return {beat: TITLES[beat].split(maxsplit=1)[1] for beat in self.beats}

    def page(self, build, links):
        from lessons.one_weight.page import lesson_page

        return lesson_page(build, links, self.chapter_titles)


LESSON = OneWeight()
