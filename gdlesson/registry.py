"""The lessons gdlesson knows, registered in one place.

A lesson is a package: a folder of ``lessons/`` (or of a folder named in
``$GDLESSON_LESSONS``) whose ``__init__.py`` defines ``LESSON``, a :class:`LessonKind`. Its
parameter files name it with ``[lesson] kind = "<kind>"``; a file without a ``[lesson]``
table is the first lesson's (``lesson.toml``). The build, the page and the command line
ask the lesson for everything particular to it, and know nothing of any one lesson.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_KIND = "one_weight"  # a parameter file without a [lesson] table


class LessonKind:
    """What the build, the page and the command line need to know of a kind of lesson.

    Subclasses set the attributes and implement the methods that raise here; see
    ``docs/new-lesson.md``.
    """

    kind: str = ""
    title: str = ""
    #: the Manim file of its scenes (relative to the project) and the scenes
    #: ``gdlesson render`` offers from it
    scene_file: str = ""
    scenes: tuple[str, ...] = ()

    #: the files ``gdlesson render`` lists scenes of, for this lesson
    @property
    def scene_files(self) -> tuple[str, ...]:
        return (self.scene_file,)

    #: its parameter file when a command names none
    default_config: str = ""
    #: kind of output ("trace", "clip", "figures", "gif", "page", ...) -> the modules that
    #: make it (their imports are followed: gdlesson/sources.py)
    code: dict[str, tuple[str, ...]] = {}
    #: its package's __init__.py (relative to the project) and its module name, set by the
    #: registry
    package_file: str = ""
    package: str = ""

    @property
    def build_files(self) -> tuple[str, ...]:
        """Hashed into every output of the lesson: the build, the files that define the
        lesson's kind (its class and the classes it derives from) and its package."""
        files = ["gdlesson/build.py"]
        for cls in type(self).__mro__:
            module = sys.modules.get(cls.__module__)
            path = Path(getattr(module, "__file__", None) or "/").resolve()
            if path.is_relative_to(ROOT):
                files.append(str(path.relative_to(ROOT)))
        files.append(self.package_file)
        if self.package and self._narration_module():  # the numbers its words say
            from gdlesson.sources import closure

            files.extend(closure((f"{self.package}.narration_values",)))
        return tuple(dict.fromkeys(f for f in files if f))

    #: a lesson of beats: one clip per beat, cut together into one video (``--only``
    #: builds some of them); empty: one clip per scene
    beats: tuple[str, ...] = ()
    #: its outputs go straight into renders/ (the first lesson); else renders/<file stem>/
    at_the_root: bool = False

    def load_config(self, path, overrides=()):
        raise NotImplementedError

    def train(self, cfg):
        """The trace of ``cfg``, trained (or read from the checked cache)."""
        raise NotImplementedError

    def run_engine(self, cfg):
        """The trace of ``cfg``, trained now (``gdlesson trace``)."""
        raise NotImplementedError

    def narration(self, config_path) -> dict:
        """Its narration, checked (NarrationError names the file, key and rule)."""
        raise NotImplementedError

    def narration_values(self, trace) -> dict[str, str]:
        """The numbers its narration says (``${name}`` in the words), written from ``trace``:
        ``narration_values(trace)`` of its package's module ``narration_values``, if it has
        one; none otherwise."""
        module = self._narration_module()
        return module.narration_values(trace) if module else {}

    def narration_marks(self) -> dict[str, tuple[str, ...]]:
        """scene -> the marks (``{name}``) its words may hold, each a reveal that lands where
        it is said: ``MARKS`` of its package's module ``narration_values``; none otherwise."""
        return dict(getattr(self._narration_module(), "MARKS", {}))

    def _narration_module(self):
        import importlib.util

        module = f"{self.package}.narration_values"
        if not self.package or importlib.util.find_spec(module) is None:
            return None
        return importlib.import_module(module)

    def format_trace(self, trace) -> str:
        """The trace as ``gdlesson trace`` prints it: its ``table()``."""
        return trace.table()

    def check_view(self, trace, config_path, overrides) -> None:
        """A view bound given against one the trace derived leaves a plot to draw (a lesson
        whose view has no bounds, ``view.w_min`` and the like, has nothing to check)."""
        from gd_engine.config import check_view

        view = getattr(getattr(trace, "config", None), "view", None)
        if hasattr(view, "w_min"):
            check_view(trace, config_path, overrides)

    # what the build asks (see gdlesson/build.py)
    def plan(self, build):
        raise NotImplementedError

    def check(self, build) -> None:
        """Before anything is written: refuse what cannot be drawn."""

    def render_jobs(self, build, every: bool = False) -> list:
        raise NotImplementedError

    def seconds(self, build, narrated: bool = True) -> dict[str, float]:
        raise NotImplementedError

    def write_figures(self, build, folder: Path) -> list[Path]:
        raise NotImplementedError

    @property
    def chapter_titles(self) -> dict[str, str]:
        """beat -> its title as a chapter of the whole lesson."""
        return {beat: beat.replace("_", " ").capitalize() for beat in self.beats}

    def page_data(self, build) -> list:
        """Data files its page reads, beside the videos: (path, inputs, write), ``write``
        making the file at the path it is given (atomically); none by default."""
        return []

    def page_links(self, build):
        """What its page links to (hashed into the page's inputs)."""
        return None

    # the deck and the handout (gdlesson/slides.py, gdlesson/handout.py)
    def unit_titles(self) -> dict[str, str]:
        """Each beat's (or scene's) title, as its slide and its handout page name it."""
        return {}

    def numbers(self, trace, unit: str) -> list[tuple[str, str]]:
        """The numbers a beat (or scene) shows, as (name, value written as on screen), for
        its handout page."""
        return []

    def page(self, build, links):
        """What its page shows: a :class:`gdlesson.page.Page` made of the build's outputs
        (``build.outputs``), its trace, narration and parameters."""
        raise NotImplementedError

    def out_folder(self, config_path: str, out: Path | None, course: bool) -> Path:
        """Where a build of ``config_path`` writes: renders/ (or ``--out``) for the first
        lesson; renders/<file stem>/ for the others, and <out>/<file stem>/ in a course
        build (``--all``)."""
        if self.at_the_root:
            return out or ROOT / "renders"
        if out is None:
            return ROOT / "renders" / Path(config_path).stem
        return out / Path(config_path).stem if course else out


@dataclass
class ScenePlan:
    """What each output of a lesson of scenes is made from: its whole config (in the dark
    theme: the theme is its own input), the code of each kind of output, each scene's
    narration."""

    cfg: object
    opts: object
    code: dict[str, str]  # kind of output -> the digest of the code that makes it
    narration: dict[str, str]  # scene -> digest of its words and recording

    @property
    def theme(self) -> str:
        return self.opts.theme or self.cfg.view.theme

    @property
    def config(self) -> dict:
        from gd_engine.config import with_theme

        return with_theme(self.cfg, "dark").to_dict()

    def trace_inputs(self) -> str:
        from gdlesson.build import digest

        return digest("followup-trace", self.config, self.code["trace"])

    def clip_inputs(self, scene: str) -> str:
        from gdlesson.build import digest

        return digest(
            "followup-clip",
            scene,
            self.config,
            self.theme,
            self.opts.quality,
            self.code["clip"],
            self.code["trace"],  # a scene draws the trace, however it gets it
            self.narration.get(scene),
        )

    def figures_inputs(self) -> str:
        from gdlesson.build import digest

        figures, trace = self.code["figures"], self.code["trace"]
        return digest("followup-figures", self.config, self.theme, figures, trace)

    def gif_inputs(self, clip_hash: str) -> str:
        from gdlesson.build import gif_inputs

        return gif_inputs(self.opts, clip_hash, self.code["gif"])

    def page_inputs(self, outputs, links) -> str:
        """The page: every output it shows, the page it links back to, its words and
        parameters, the code that writes it."""
        from gdlesson.build import digest

        shown = sorted((o.path, o.inputs) for o in outputs)
        config = self.cfg.to_dict()
        return digest("followup-page", shown, links, self.narration, config, self.code["page"])


class SceneLesson(LessonKind):
    """A lesson of scenes: one clip per scene of ``scene_file`` (videos/<Scene>.mp4, and its
    GIF), each with its caption and its narration (``narration/<file stem>.toml`` beside
    the parameter file), figures if it draws any, a slide deck and a page.

    A package ``<name>/`` beside ``<name>.toml`` that follows the convention writes only what
    is its own: its kind is ``<name>``; its parameters are ``config.py``'s ``load_config``, its
    loop ``engine.py``'s ``train``, its scenes ``<name>_scenes.py``, how long each lasts
    ``planned_seconds`` (in ``timing.py``, or else in the scenes' module), its figures (if
    any) ``figures.py``'s ``write_figures`` and, when its scenes read a cached trace,
    ``source.py``'s ``scene_trace``. A subclass sets or overrides what differs."""

    #: scene -> what its page says it shows
    captions: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        """What the class does not set, from its package (see the class's docstring)."""
        super().__init_subclass__(**kwargs)
        package = sys.modules[cls.__module__]
        folder = Path(package.__file__).parent
        name, dotted = folder.name, package.__package__
        code = {"trace": (f"{dotted}.engine",), "clip": (f"{dotted}.{name}_scenes",)}
        if (folder / "figures.py").is_file():
            code["figures"] = (f"{dotted}.figures",)
        code.update(gif=("gdlesson.gif",), page=("gdlesson.page",), slides=("gdlesson.slides",))
        defaults = {
            "kind": name,
            "scene_file": _project_path(folder / f"{name}_scenes.py"),
            "default_config": _project_path(folder.parent / f"{name}.toml"),
            "code": code,
        }
        for attr, value in defaults.items():
            if not getattr(cls, attr):
                setattr(cls, attr, value)

    def own(self, module: str):
        """The lesson's own module ``module`` (``config``, ``engine``, ...), None if its package
        has none: its package is the one its class is defined in."""
        package = sys.modules[type(self).__module__].__package__
        try:
            return importlib.import_module(f"{package}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{module}":
                raise
            return None

    def load_config(self, path, overrides=()):
        return self.own("config").load_config(path, list(overrides))

    def run_engine(self, cfg):
        return self.own("engine").train(cfg)

    def train(self, cfg):
        """The trace its scenes draw: read where they read it (``source.scene_trace``) or,
        without a ``source.py``, the engine's, kept in renders/cache/ by the config and the
        engine's code (``engine_trace``): its scenes and a build that changes nothing read
        it, without training or importing torch."""
        source = self.own("source")
        if source:
            return source.scene_trace(cfg)
        from gdlesson.sources import code_digest
        from scenes.lesson_trace import engine_trace

        code = code_digest(self.code["trace"])
        return engine_trace(cfg, self.kind, code, self.run_engine, self.package)

    @property
    def scenes(self) -> tuple[str, ...]:
        return tuple(self.captions)

    def unit_titles(self) -> dict[str, str]:
        return dict(self.captions)

    def narration(self, config_path, trace=None) -> dict:
        """Its narration, its numbers said from ``trace()`` (by default: the trace of the
        file's own parameters, trained only if the words say a number), its marks checked."""
        from scenes.narration import followup_narration

        def values() -> dict[str, str]:
            run = trace() if trace else self.train(self.load_config(config_path))
            return self.narration_values(run)

        return followup_narration(config_path, self.scenes, values, self.narration_marks())

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        """How long ``scene`` lasts (with ``spoken`` seconds of words to say): the
        ``planned_seconds`` of its ``timing.py``, which the build imports without Manim, or
        else of its scene module."""
        timing = self.own("timing") or self.own(Path(self.scene_file).stem)
        return timing.planned_seconds(trace, scene, spoken)

    def plan(self, build) -> ScenePlan:
        from gdlesson.build import code_digests, narration_digests

        config_path = build.opts.config_path
        build.narration = self.narration(config_path, lambda: self.train(build.cfg))
        narration = narration_digests(build.narration)
        return ScenePlan(
            build.cfg, build.opts, code_digests(self.code, self.build_files), narration
        )

    def render_jobs(self, build, every: bool = False) -> list:
        return [
            (f"videos/{scene}", scene, build.plan.clip_inputs(scene), None) for scene in self.scenes
        ]

    def seconds(self, build, narrated: bool = True) -> dict[str, float]:
        from scenes.narration import spoken_seconds

        spoken = {s: spoken_seconds(n) for s, n in build.narration.items()} if narrated else {}
        return {s: self.scene_seconds(build.trace, s, spoken.get(s, 0.0)) for s in self.scenes}

    def write_figures(self, build, folder: Path) -> list[Path]:
        """Its figures in the build's theme: ``figures.write_figures``, if it has figures."""
        figures = self.own("figures")
        if figures is None:
            return []
        from scenes.theme import THEMES

        return figures.write_figures(build.trace, THEMES[build.plan.theme], folder)

    def alt_text(self, trace, scene: str) -> str:
        """What ``scene``'s picture shows, with its numbers from ``trace`` (its GIF's alt
        text)."""
        raise NotImplementedError

    def figure_texts(self, trace) -> dict[str, tuple[str, str]]:
        """figure (its file's stem) -> (its caption, what it shows with its numbers)."""
        return {}

    def parameters(self, cfg) -> dict:
        """The parameters its page lists: those the lesson uses ({table: {key: value}})."""
        return cfg.to_dict()

    def lead(self, cfg) -> str:
        return "Every number in it comes from the run itself."

    def page_links(self, build) -> list[tuple[str, str]]:
        """The first lesson's page, when it is built in the folder above (its contents list
        the whole course): [(href, title)]."""
        if (build.renders.parent / "index.html").exists():
            return [("../index.html", lessons()[FIRST_KIND].title)]
        return []

    def page(self, build, links):
        """Its page: a section per scene (its GIF, its video with captions and transcript),
        the figures and the parameters."""
        from gdlesson.page import (
            Animation,
            Lesson,
            Page,
            Pair,
            Parameters,
            Part,
            Section,
            Video,
            figures_section,
        )

        outputs = build.outputs
        page = Page(build.cfg.title, self.lead(build.cfg))
        page.course = [Lesson(href, title) for href, title in links]
        page.course.append(Lesson("#", build.cfg.title, current=True))
        for scene in self.scenes:
            words = build.narration[scene].text if scene in build.narration else ""
            left, right = [], []
            if f"gifs/{scene}.gif" in outputs:
                left.append(Animation(f"gifs/{scene}.gif", self.alt_text(build.trace, scene)))
            if f"videos/{scene}.mp4" in outputs:
                transcript = (Part("", words),) if words else ()
                right.append(Video(f"videos/{scene}", self.captions[scene], transcript))
            block = Pair(tuple(left), tuple(right))
            page.sections.append(Section(scene, self.captions[scene], [block]))
        figures = figures_section(outputs, self.figure_texts(build.trace))
        if figures:
            page.sections.append(figures)
        parameters = Parameters(self.parameters(build.cfg))
        page.sections.append(Section("parameters", "Parameters", [parameters]))
        return page


def _project_path(path: Path) -> str:
    """``path`` relative to the project when it is in it (how lessons/ files are named)."""
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def lesson_folders() -> list[Path]:
    """The folders lessons are found in: the project's ``lessons/`` and those of
    ``$GDLESSON_LESSONS`` (separated by the path separator)."""
    extra = [Path(p) for p in os.environ.get("GDLESSON_LESSONS", "").split(os.pathsep) if p]
    return [ROOT / "lessons", *extra]


@functools.cache
def lessons() -> dict[str, LessonKind]:
    """Every lesson, by kind."""
    found: dict[str, LessonKind] = {}
    for folder in lesson_folders():
        for init in sorted(folder.glob("*/__init__.py")):
            package = _load(init)
            lesson = getattr(package, "LESSON", None)
            if lesson is None:  # a package of code that lessons share
                continue
            lesson.package = package.__name__
            init = init.resolve()
            lesson.package_file = str(init.relative_to(ROOT) if init.is_relative_to(ROOT) else init)
            found.setdefault(lesson.kind, lesson)
    return found


def _load(init: Path):
    """The package of ``init``: ``lessons.<name>`` for the project's own; a lesson of another
    folder under its folder's name, that folder put on the import path."""
    folder = init.parent
    if folder.parent == ROOT / "lessons":
        return importlib.import_module(f"lessons.{folder.name}")
    if str(folder.parent) not in sys.path:
        sys.path.insert(0, str(folder.parent))
    return importlib.import_module(folder.name)


def kind_of(config_path: str | Path) -> str:
    """The kind of lesson a parameter file is for (its ``[lesson] kind``; the first
    lesson's for a file without one, or one that cannot be read: its loader says why)."""
    try:
        raw = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return FIRST_KIND
    table = raw.get("lesson")
    if isinstance(table, dict) and isinstance(table.get("kind", "slope_bias"), str):
        return table.get("kind", "slope_bias")
    return FIRST_KIND


def lesson_for(config_path: str | Path) -> LessonKind:
    """The lesson a parameter file is for (an unknown kind: the follow-ups' loader names
    it as a bad key)."""
    known = lessons()
    return known.get(kind_of(config_path)) or known["slope_bias"]
