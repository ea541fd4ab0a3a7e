"""``gdlesson build --config lessons/<name>.toml``: a follow-up lesson's outputs.

The same machinery as the first lesson's build (input hashes per output, renders in
parallel, atomic renames, the lock), with the follow-up's scenes. Outputs go to
``renders/<name>/`` (or ``--out``)::

    trace.json                 the follow-up trace the renders were drawn from
    videos/<Scene>.mp4         each of the lesson's scenes (see SCENES)
    gifs/<Scene>.gif
    figures/*.png *.svg        the contour with the paths, the losses (matplotlib)
    manifest.json, index.html  every output with its input hash; the lesson's page
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from gd_engine.config import with_theme
from gd_engine.followup.config import FollowUpConfig
from gd_engine.trace import write_atomic

from .build import (
    QUALITY,
    Build,
    Options,
    code_digest,
    digest,
    gif_inputs,
    narration_digests,
)
from .page import TITLE, figures_section, head, parameters_section, video

#: the scenes of scenes/followup.py that each kind of lesson renders
#: the code that draws a follow-up lesson
CODE_GLOBS = (
    "gd_engine/*.py",
    "gd_engine/followup/*.py",
    "scenes/followup.py",
    "scenes/contour.py",
    "scenes/panels.py",
    "scenes/plotting.py",
    "scenes/theme.py",
    "scenes/lesson_trace.py",
    "scenes/narration.py",
    "scenes/still_frames.py",
    "gdlesson/build.py",
    "gdlesson/followup_build.py",
    "scenes/followup_figures.py",
    "scenes/figures.py",
)
SCENES = {
    "slope_bias": ("SlopeBias", "SlopeBiasSurface"),
    "batch_modes": ("BatchModes",),
    "learning_rates": ("LearningRates",),
}
CAPTIONS = {
    "SlopeBias": "The path of (w, b) on the contour of the cost, with the fitted line",
    "SlopeBiasSurface": "The same path on the cost surface",
    "BatchModes": "Batch, stochastic and mini-batch paths and losses, on one clock",
    "LearningRates": "Training and validation loss for each learning rate",
}


def built_followups(renders: Path) -> list[tuple[str, str]]:
    """(folder, title) of each follow-up lesson of ``lessons/`` whose page is built in a
    folder of ``renders``, as ``gdlesson build --config lessons/<name>.toml`` puts it."""
    from gd_engine.config import ConfigError
    from gd_engine.followup import load_followup

    from .build import ROOT

    built = []
    for toml in sorted((ROOT / "lessons").glob("*.toml")):
        if (renders / toml.stem / "index.html").exists():
            try:
                built.append((toml.stem, load_followup(toml).title))
            except ConfigError:  # a broken follow-up file is its own build's error
                continue
    return built


def default_out(config_path: str) -> Path:
    """``renders/<name of the parameter file>/``."""
    from .build import RENDERS

    return RENDERS / Path(config_path).stem


@dataclass
class FollowUpPlan:
    cfg: FollowUpConfig
    opts: Options
    code: str
    narration: dict[str, str]  # scene -> digest of its words and recording

    @property
    def theme(self) -> str:
        return self.opts.theme or self.cfg.view.theme

    @property
    def config(self) -> dict:
        return with_theme(self.cfg, "dark").to_dict()

    def trace_inputs(self) -> str:
        return digest("followup-trace", self.config, self.code)

    def clip_inputs(self, scene: str) -> str:
        return digest(
            "followup-clip",
            scene,
            self.config,
            self.theme,
            self.opts.quality,
            self.code,
            self.narration.get(scene),
        )

    def figures_inputs(self) -> str:
        return digest("followup-figures", self.config, self.theme, self.code)

    def gif_inputs(self, clip_hash: str) -> str:
        return gif_inputs(self.opts, clip_hash)


class FollowUpBuild(Build):
    SCENE_FILE = "followup.py"

    def plan_outputs(self):
        """No beats: the lesson's scenes (see SCENES), and what each is made from."""
        from scenes.narration import followup_narration

        self.scenes = SCENES[self.cfg.lesson.kind]
        self.narration = followup_narration(self.opts.config_path, self.scenes)
        code = code_digest(CODE_GLOBS, leave_out=())
        return (), FollowUpPlan(self.cfg, self.opts, code, narration_digests(self.narration))

    @property
    def trace(self):
        if self._trace is None:
            from scenes.lesson_trace import followup_trace

            self._trace = followup_trace(self.cfg)
        return self._trace

    def run(self):
        self.clear_leftovers()
        self.build_trace()
        clips = self.build_clips()
        self.build_gifs(clips)
        self.build_figures()
        self.write_manifest_and_page()
        self.clear_leftovers()
        return self.report

    def render_jobs(self):
        return [
            (f"videos/{scene}", scene, self.plan.clip_inputs(scene), None) for scene in self.scenes
        ]

    def expected_frames(self) -> dict[str, int]:
        from scenes.followup import planned_seconds
        from scenes.narration import spoken_seconds

        fps = QUALITY[self.opts.quality][2]
        spoken = {scene: spoken_seconds(n) for scene, n in self.narration.items()}
        return {
            scene: int(planned_seconds(self.trace, scene, spoken[scene]) * fps)
            for scene in self.scenes
        }

    def render_weights(self) -> dict[str, float]:
        from scenes.followup import planned_seconds

        return {scene: planned_seconds(self.trace, scene) for scene in self.scenes}

    def write_figures(self, folder: Path) -> list[Path]:
        from scenes.followup_figures import write_followup_figures
        from scenes.theme import THEMES

        return write_followup_figures(self.trace, THEMES[self.plan.theme], folder)

    def write_manifest_and_page(self) -> None:
        first_lesson = (self.renders.parent / "index.html").exists()
        page_inputs = digest(
            "followup-page",
            sorted((o.path, o.inputs) for o in self.outputs.values()),
            first_lesson,
        )
        built = not self.up_to_date("index.html", page_inputs)
        if built:
            write_page(self.renders, self.cfg, list(self.outputs), first_lesson)
        self.keep("index.html", "page", None, page_inputs, built=built)
        outputs = sorted(self.outputs.values(), key=lambda o: o.path)
        manifest = {
            "config": with_theme(self.cfg, self.plan.theme).to_dict(),
            "quality": self.opts.quality,
            "outputs": [o.__dict__ for o in outputs],
        }
        write_atomic(self.renders / "manifest.json", json.dumps(manifest, indent=1) + "\n")


def write_page(
    renders: Path, cfg: FollowUpConfig, paths: list[str], first_lesson: bool = False
) -> Path:
    """The lesson's page: each scene's video and GIF, and the parameters; with
    ``first_lesson``, a link back to the first lesson's page in the folder above."""
    e = html.escape
    parts = head(
        cfg.title,
        f'A follow-up to "{TITLE}": every number from the run itself.',
    )
    if first_lesson:
        parts.append(f'<p><a href="../index.html">\u2190 {e(TITLE)}</a></p>')
    for scene in SCENES[cfg.lesson.kind]:
        caption = e(CAPTIONS[scene])
        parts.append(f'<section class="beat" id="{scene}"><h3>{caption}</h3>')
        gif, clip = f"gifs/{scene}.gif", f"videos/{scene}"
        left = f'<img src="{gif}" alt="{caption}" loading="lazy">' if gif in paths else ""
        right = video(clip, paths) if f"{clip}.mp4" in paths else ""
        parts.append(f"<div>{left}</div><div>{right}</div></section>")
    parts += figures_section(paths)
    parts += parameters_section(cfg.to_dict())
    parts.append("</body></html>")
    path = renders / "index.html"
    write_atomic(path, "\n".join(parts) + "\n")
    return path
