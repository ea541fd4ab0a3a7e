"""``gdlesson build``: every output of the lesson, up to date, rebuilt only where its inputs
changed, rendered in parallel, written atomically, under a lock.

Outputs (all under ``renders/``)::

    trace.json                      the trace the renders were drawn from
    lesson/Lesson.mp4 .srt .vtt     the whole lesson: the beat clips cut together
    lesson/chapters.vtt .txt        its beats as chapters (inside Lesson.mp4 too)
    lesson/beats/NN_<beat>.mp4 ...  one clip per beat, with its subtitles
    <video>.png, gifs/<name>.png    posters: a video's last whole picture, a GIF's first
    gifs/<beat>.gif, gifs/descent.gif
    figures/*.png *.svg             matplotlib figures for slides
    slides/index.html, reveal/ ...  the slide deck (gdlesson/slides.py)
    handout.pdf, handout/           the students' handout (gdlesson/handout.py)
    manifest.json                   every output: path, kind, beat, bytes, input hash
    index.html                      the course page

Each output has an input hash: the parts of the config it depends on, the code that draws
it, its narration, the quality and theme, the versions of manim, gdlesson, matplotlib and
PyAV. An output whose hash matches the manifest and whose file exists is reused. Nothing
here imports manim, matplotlib or torch until something has to be rebuilt, so a no-op
build is quick.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from heapq import heappop, heappush
from importlib import metadata
from itertools import count
from pathlib import Path

from gd_engine.config import with_theme
from gd_engine.trace import write_atomic

from . import render_server
from .processes import WITH_PARENT
from .sources import code_digest as sources_digest

ROOT = Path(__file__).resolve().parents[1]
RENDERS = ROOT / "renders"
QUALITY = {  # manim flag, folder manim writes into, frames per second
    "l": ("-ql", "480p15", 15),
    "m": ("-qm", "720p30", 30),
    "h": ("-qh", "1080p60", 60),
    "k": ("-qk", "2160p60", 60),
}


@dataclass
class Options:
    quality: str = "h"
    jobs: int = os.cpu_count() or 2
    only: tuple[str, ...] = ()
    force: bool = False
    theme: str | None = None
    gif_width: int = 720
    gif_fps: int = 12
    gif_max_kb: int | None = None
    config_path: str = "lesson.toml"
    overrides: tuple[str, ...] = ()
    renders: Path = RENDERS
    #: ``gdlesson watch``: called once the page shows the new clips, before the slower
    #: outputs are made (see Build.page_first)
    on_page: Callable[[], None] | None = None
    #: ``gdlesson build --all``: the manim processes' slots and the progress display that
    #: the lessons' builds, running at once, share (see Slots); None: the build's own
    slots: Slots | None = None
    progress: object | None = None
    #: ``gdlesson build --all``: the render server its builds share (render_server's
    #: OnFirstRender); ``$GDLESSON_RENDER_SERVER``, a watch's, comes first
    servers: object | None = None


#: what a render's interpreter is started with, by the build or its render server (which
#: forks renders only for the same): Manim's TransformMatchingShapes pairs shapes in an
#: order that follows Python's string hashes, salted per process: one seed, the same frames
#: every build; and manim's progress reaches the build as it is written
MANIM_INTERPRETER = {"PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1"}


class Slots:
    """At most ``n`` manim processes at once, whichever builds ask: ``--all`` builds its
    lessons at the same time, so that a core one lesson leaves idle (its last scene still
    rendering on the other) renders the next lesson's scenes. Of the renders waiting, the
    costliest starts first: the longest finish early, none is left alone at the end."""

    def __init__(self, n: int):
        self.free = max(1, n)
        self.waiting: list[tuple[float, int]] = []
        self.order = count()
        self.turn = threading.Condition()

    @contextmanager
    def held(self, weight: float):
        ticket = (-weight, next(self.order))
        with self.turn:
            heappush(self.waiting, ticket)
            while not self.free or self.waiting[0] != ticket:
                self.turn.wait()
            heappop(self.waiting)
            self.free -= 1
            self.turn.notify_all()  # the next in line may take another free slot
        try:
            yield
        finally:
            with self.turn:
                self.free += 1
                self.turn.notify_all()


class BuildRefused(Exception):
    """A build that would leave mixed outputs; the message is one line saying why."""


@dataclass
class Output:
    path: str  # relative to renders/
    kind: str
    beat: str | None
    inputs: str  # hash of everything it is made from
    bytes: int = 0
    sha256: str = ""  # of the file's content: what a rebuild checks before it reuses it


@dataclass
class Report:
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # output -> reason
    notes: list[str] = field(default_factory=list)


#: a child of the build dies with it, even of SIGKILL: the kernel signals it when the
#: thread that started it ends (setpriv is in util-linux, on every Debian machine)


# -- hashing ------------------------------------------------------------------------------
def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


def file_digest(path: Path) -> str:
    return file_sha256(path)[:20]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def code_digest(modules: tuple[str, ...], build_files=(), root: Path = ROOT) -> str:
    """The code that makes an output: ``modules`` and what they import, the build's own
    files, and the tools' versions."""
    versions = {name: _version(name) for name in ("manim", "gdlesson", "matplotlib", "av")}
    files = [(f, file_digest(root / f)) for f in build_files]
    return digest(sources_digest(tuple(modules), root), files, versions)


def code_digests(code: dict, build_files=(), root: Path = ROOT) -> dict[str, str]:
    """``code_digest`` of each kind of output in ``code`` (kind -> its modules)."""
    return {kind: code_digest(modules, build_files, root) for kind, modules in code.items()}


@functools.cache
def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def narration_digests(narration: dict) -> dict[str, str]:
    """Per beat (or scene): its words, duration and recording (by content)."""
    result = {}
    for beat, n in narration.items():
        audio = file_digest(n.audio) if n.audio else None
        result[beat] = digest(n.text, n.duration, audio, n.marks)  # a moved mark re-renders
    return result


def gif_inputs(opts: Options, clip_hash: str, code: str) -> str:
    """A GIF is made of its clip, the GIF settings and the code that encodes it."""
    return digest("gif", clip_hash, opts.gif_width, opts.gif_fps, opts.gif_max_kb, code)


#: beside the whole lesson: its beats as a WebVTT chapters track and as "0:00 Title" lines
CHAPTER_FILES = ("chapters.vtt", "chapters.txt")


def progress_display():
    """The rich display of a build's renders: what renders, frames done of all, time."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("frames"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    )


def clip_name(beats: tuple[str, ...], beat: str) -> str:
    return f"lesson/beats/{beats.index(beat) + 1:02d}_{beat}"


# -- the build ------------------------------------------------------------------------------
class Build:
    """The build of one lesson: what is particular to the lesson, it asks the lesson
    (gdlesson/registry.py)."""

    def __init__(self, lesson, cfg, opts: Options, echo: Callable[[str], None] = print):
        self.lesson, self.cfg, self.opts, self.echo = lesson, cfg, opts, echo
        self.renders = opts.renders
        self.work = self.renders / ".work"
        self.beats = lesson.beats
        self.narration: dict = {}
        self.plan = lesson.plan(self)  # what each output is made from (sets the narration)
        self.old = self._read_manifest()
        self.outputs: dict[str, Output] = {}
        self.report = Report()
        self._trace = None
        self._sha256: dict[str, str] = {}  # path -> content hash, of files checked this build
        self.sounds: dict[str, Path] = {}  # clip stem -> its sound (see clip_sounds)
        self.servers = None  # the render server the renders fork from (see render_parallel)

    # manifest ------------------------------------------------------------------------------
    def _read_manifest(self) -> dict[str, Output]:
        path = self.renders / "manifest.json"
        try:
            data = json.loads(path.read_text())
            return {o["path"]: Output(**o) for o in data["outputs"]}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def up_to_date(self, path: str, inputs: str) -> bool:
        """The file at ``path`` is the one the manifest lists for these inputs, by content:
        a file that a killed build replaced, or that was damaged, emptied or edited, is not."""
        old = self.old.get(path)
        return (
            not self.opts.force and old is not None and old.inputs == inputs and self.intact(path)
        )

    def intact(self, path: str) -> bool:
        """The file at ``path`` has the content the manifest recorded for it."""
        old = self.old.get(path)
        if old is None or not old.sha256:
            return False
        if path not in self._sha256:  # hashed once a build: check_only may have done it
            try:
                self._sha256[path] = file_sha256(self.renders / path)
            except OSError:
                return False
        return self._sha256[path] == old.sha256

    def video_up_to_date(self, stem: str, inputs: str) -> bool:
        """A video and exactly the subtitles the manifest lists beside it, all intact."""
        for suffix in (".srt", ".vtt"):
            path = f"{stem}{suffix}"
            listed = path in self.old
            if listed and not self.up_to_date(path, inputs):
                return False
            if not listed and (self.renders / path).exists():
                return False  # left by a build that did not finish
        return self.up_to_date(f"{stem}.mp4", inputs)

    def keep(self, path: str, kind: str, beat: str | None, inputs: str, built: bool) -> None:
        file = self.renders / path
        sha = file_sha256(file) if built else self._sha256.get(path) or file_sha256(file)
        self._sha256[path] = sha
        self.outputs[path] = Output(path, kind, beat, inputs, file.stat().st_size, sha)
        (self.report.built if built else self.report.reused).append(path)

    def keep_video(self, stem: str, kind: str, beat: str | None, inputs: str, built: bool):
        """Keep a video and the subtitles beside it (.srt, .vtt) that exist."""
        self.keep(f"{stem}.mp4", kind, beat, inputs, built)
        for suffix in (".srt", ".vtt"):
            if (self.renders / f"{stem}{suffix}").exists():
                self.keep(f"{stem}{suffix}", "subtitles", beat, inputs, built)

    @property
    def trace(self):
        if self._trace is None:
            self._trace = self.lesson.train(self.cfg)
        return self._trace

    # the whole build -----------------------------------------------------------------------
    def run(self) -> Report:
        self.lesson.check(self)  # before anything is written
        if self.opts.only:
            self.check_only()
        self.clear_leftovers()
        self.build_trace()
        clips = self.build_clips()
        if self.opts.on_page:
            self.page_first()
        if self.beats:
            self.build_lesson(clips)
        self.build_gifs(clips)
        self.build_posters()
        self.build_figures()
        self.build_page_data()
        self.build_deck_and_handout()
        self.write_manifest_and_page()
        self.clear_leftovers()
        return self.report

    def page_first(self) -> None:
        """``gdlesson watch``: the page with the new clips (and their posters) first, the
        outputs not remade yet standing as the manifest lists them; the end of the build
        writes the page again from every output, as it always does."""
        from gdlesson.page import write_page

        self.build_posters(kinds=("clip",))
        made = self.outputs
        listed = {p: o for p, o in self.old.items() if (self.renders / p).exists()}
        self.outputs = {**listed, **made}
        try:
            write_page(self.renders, self.lesson.page(self, self.lesson.page_links(self)))
        finally:
            self.outputs = made
        self._sha256.pop("index.html", None)  # not the file the manifest lists any more
        self.opts.on_page()

    def check_only(self) -> None:
        """``--only`` renders some beats beside the outputs already there: it refuses when
        any of those is not what this config, code and narration make (or was changed since
        it was written), for the lesson, its GIFs and its page would mix the two."""
        kept = self.kept_inputs()
        stale = [
            path
            for path, old in self.old.items()
            if path in kept and (old.inputs != kept[path] or not self.intact(path))
        ]
        if stale:
            raise BuildRefused(
                f"--only {','.join(self.opts.only)}: {len(stale)} other outputs in "
                f"{self.renders} (such as {stale[0]}) are not what this config, code and "
                "narration make, or were changed since; build without --only"
            )

    def kept_inputs(self) -> dict[str, str]:
        """The outputs that ``--only`` keeps, with the inputs each must be made from: the
        other beats' clips, subtitles and GIFs, the descent and regimes, the figures."""
        kept = {}
        for stem, _scene, inputs, beat in self.render_jobs(every=True):
            if beat in self.opts.only:
                continue
            for suffix in (".mp4", ".srt", ".vtt"):
                kept[f"{stem}{suffix}"] = inputs
            kept[f"{stem}.png"] = self.poster_inputs(inputs)
            gif = f"gifs/{beat or Path(stem).name}"
            kept[f"{gif}.gif"] = self.plan.gif_inputs(inputs)
            kept[f"{gif}.png"] = self.poster_inputs(kept[f"{gif}.gif"])
        for path, old in self.old.items():
            if old.kind == "figure":
                kept[path] = self.plan.figures_inputs()
        return kept

    def clear_leftovers(self) -> None:
        """Remove what a killed build left: its work folder, half-written temporary files,
        and the files in the build's folders that the manifest does not list."""
        shutil.rmtree(self.work, ignore_errors=True)
        listed = set(self.outputs or self.old)
        for folder in {Path(p).parent for p in listed} - {Path(".")}:
            for path in (self.renders / folder).glob("*"):
                if path.is_dir() and path.name.startswith(".gif-"):
                    shutil.rmtree(path, ignore_errors=True)
                elif path.is_file() and str(path.relative_to(self.renders)) not in listed:
                    path.unlink()
        for tmp in self.renders.glob(".*.tmp"):
            tmp.unlink()

    def build_trace(self) -> None:
        path, inputs = "trace.json", self.plan.trace_inputs()
        if self.up_to_date(path, inputs):
            return self.keep(path, "trace", None, inputs, built=False)
        write_atomic(self.renders / path, self.trace.to_json())
        self.keep(path, "trace", None, inputs, built=True)

    # clips: the beats and the descent, rendered in parallel -----------------------------------
    def render_jobs(self, every: bool = False) -> list[tuple[str, str, str, str | None]]:
        """(output stem, scene, inputs, beat) of every clip to have (of every clip of the
        lesson with ``every``, whatever ``--only`` says)."""
        return self.lesson.render_jobs(self, every)

    def beat_jobs(self, every: bool = False) -> list[tuple[str, str, str, str | None]]:
        """The render jobs of a lesson of beats: one scene per beat (Beat<Name>), only
        those of ``--only`` unless ``every``."""
        beats = (() if every else self.opts.only) or self.beats
        return [
            (clip_name(self.beats, b), f"Beat{_camel(b)}", self.plan.clip_inputs(b), b)
            for b in beats
        ]

    def build_clips(self) -> dict[str, str]:
        """Render what is out of date; return {beat or 'descent': clip path} of good clips."""
        jobs = self.render_jobs()
        todo, clips = [], {}
        for stem, scene, inputs, beat in jobs:
            key = beat or Path(stem).name
            if self.video_up_to_date(stem, inputs):
                self.keep_video(stem, "clip", beat, inputs, built=False)
                clips[key] = f"{stem}.mp4"
            else:
                todo.append((stem, scene, inputs, beat))
        if todo:
            _ = self.trace  # train (and cache) once, before the renders read it
            self.sounds = self.clip_sounds(todo)
            frames = self.expected_frames()
            for stem, ok, reason in self.render_parallel(todo, frames):
                _, _, inputs, beat = next(j for j in todo if j[0] == stem)
                if ok:
                    self.keep_video(stem, "clip", beat, inputs, built=True)
                    clips[beat or Path(stem).name] = f"{stem}.mp4"
                else:
                    self.report.failed[f"{stem}.mp4"] = reason
        return clips

    def clip_sounds(self, jobs) -> dict[str, Path]:
        """{clip stem: the sound it plays from its start}: its beat's (or scene's) recording
        or voice. The build lays it under the clip itself, exactly as long as the picture."""
        sounds = {}
        for stem, _scene, _inputs, beat in jobs:
            n = self.narration.get(beat or Path(stem).name)
            if n is not None and n.audio is not None:
                sounds[stem] = n.audio
        return sounds

    def clip_seconds(self, narrated: bool = True) -> dict[str, float]:
        """Seconds of each clip (by beat, or by the clip's name): with the narration, as
        long as the clip lasts; without it, about as long as it moves."""
        return self.lesson.seconds(self, narrated)

    def expected_frames(self) -> dict[str, int]:
        fps = QUALITY[self.opts.quality][2]
        return {k: int(v * fps) for k, v in self.clip_seconds().items()}

    def render_weights(self) -> dict[str, float]:
        """What each clip costs to render, roughly: the seconds it moves. A pause costs next
        to nothing (scenes/still_frames.py), so the narration's length does not count."""
        return self.clip_seconds(narrated=False)

    def render_parallel(self, todo, frames):
        """Run the renders, ``opts.jobs`` at a time (or in the slots the builds of the course
        share), with one progress display."""
        total = sum(frames.get(beat or Path(stem).name, 0) for stem, _, _, beat in todo)
        done_frames: dict[str, int] = {}
        shared = self.opts.progress
        name = f"{Path(self.opts.config_path).stem}: " if shared else ""
        weights = self.render_weights()
        groups = self.share_out(todo, weights)
        # more than one manim process: forked from one render server, Manim imported once
        # (``--all``'s, shared by its lessons; else the build's own)
        own = None
        if self.opts.servers is None and len(groups) > 1:
            own = render_server.OnFirstRender(ROOT, label=str(self.renders))
        self.servers = self.opts.servers or own
        with (
            nullcontext(shared) if shared else progress_display() as progress,
            own or nullcontext(),
            ThreadPoolExecutor(max_workers=max(1, self.opts.jobs)) as pool,
        ):
            task = progress.add_task(f"{name}rendering", total=total)

            def on_frames(stem: str, count: int) -> None:
                done_frames[stem] = count
                running = ", ".join(Path(s).name for s, c in done_frames.items() if c >= 0)
                progress.update(
                    task,
                    completed=sum(max(c, 0) for c in done_frames.values()),
                    description=f"{name}rendering {running[:60]}",
                )

            futures: dict[Future, list] = {}
            slots = self.opts.slots or Slots(self.opts.jobs)
            for group in groups:
                limit = sum(frames.get(beat or Path(stem).name, 0) for stem, _, _, beat in group)
                scenes = [(stem, scene) for stem, scene, _, _ in group]
                weight = sum(weights.get(beat or Path(stem).name, 0.0) for stem, *_, beat in group)

                def render(scenes=scenes, limit=limit, weight=weight):
                    with slots.held(weight):
                        return self.render_group(scenes, limit, on_frames)

                futures[pool.submit(render)] = group
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    yield from f.result()

    def share_out(self, todo, weights: dict[str, float]) -> list[list]:
        """The renders in ``opts.jobs`` groups of about equal ``weights`` (the longest
        first, each to the lightest group): one manim process per group pays manim's
        start-up once for all its scenes. In a course build (``opts.slots``) the other
        lessons keep the other cores busy: one group, one start-up, per lesson."""
        n = 1 if self.opts.slots is not None else self.opts.jobs
        groups: list[list] = [[] for _ in range(min(n, len(todo)))]
        load = [0.0] * len(groups)

        def weight(job) -> float:
            return weights.get(job[3] or Path(job[0]).name, 0.0)

        for job in sorted(todo, key=lambda j: -weight(j)):
            i = load.index(min(load))
            groups[i].append(job)
            load[i] += weight(job)
        order = {job[0]: n for n, job in enumerate(todo)}  # each group in lesson order
        return [sorted(g, key=lambda j: order[j[0]]) for g in groups if g]

    def render_group(self, scenes: list[tuple[str, str]], frames: int, on_frames):
        """Render ``scenes`` [(output stem, scene)] in one manim process; what it did not
        render (a scene failed and manim stopped) is rendered again alone, so that one
        failure names its own scene and the others still complete."""
        key = scenes[0][0]
        code, reason = self.run_manim([scene for _, scene in scenes], key, frames, on_frames)
        results = []
        for stem, scene in scenes:
            try:
                moved = self.move_into_place(key, stem, scene)
            except RuntimeError as exc:  # ffmpeg could not lay its sound under it
                results.append((stem, False, str(exc)))
                continue
            if moved:
                results.append((stem, True, ""))
            elif len(scenes) == 1:
                results.append((stem, False, reason if code else f"manim wrote no {scene}.mp4"))
            else:
                results.extend(self.render_group([(stem, scene)], 0, lambda *a: None))
        shutil.rmtree(self.work / Path(key).name, ignore_errors=True)
        return results

    def run_manim(self, scenes: list[str], key: str, frames: int, on_frames) -> tuple[int, str]:
        """One manim process rendering ``scenes`` into the work folder of ``key``; its frame
        counter feeds the progress display. Returns (exit status, reason of a failure)."""
        flag, _folder, _fps = QUALITY[self.opts.quality]
        media = self.work / Path(key).name
        shutil.rmtree(media, ignore_errors=True)
        with quote_free(media) as media_dir:
            return self._run_manim(scenes, key, frames, on_frames, flag, media_dir)

    def _run_manim(self, scenes, key, frames, on_frames, flag, media: Path) -> tuple[int, str]:
        env = {
            **os.environ,
            "GDLESSON_CONFIG": str(Path(self.opts.config_path).resolve()),
            "GDLESSON_SET": ";".join(self.opts.overrides),
            "GDLESSON_THEME": self.plan.theme,
            **MANIM_INTERPRETER,
            # x264 without threads of its own: a build runs a manim per core, each drawing
            # in one thread and encoding in another (scenes/still_frames.py). Side by side
            # on BatchModesCode and BatchModes at -qh: 7% less CPU, files 1.5% smaller.
            # A lone manim (yours, the tests') keeps x264's threads.
            "GDLESSON_X264_THREADS": "1",
        }
        args = [flag, "--disable_caching", "--media_dir", str(media)]
        args += [str(ROOT / self.lesson.scene_file), *scenes]
        # a render server's fork (a watch's, or the course build's): Manim imported already
        server = os.environ.get(render_server.ADDRESS)
        if not server and self.servers is not None:
            server = self.servers.address()
        proc = server and render_server.start(server, args, str(ROOT), env)
        if not proc:
            proc = subprocess.Popen(
                [*WITH_PARENT, sys.executable, "-m", "manim", *args],
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        done, current, tail, buffer = 0, 0, [], ""
        assert proc.stderr is not None
        while chunk := proc.stderr.read(256):
            buffer += chunk
            *lines, buffer = re.split(r"[\r\n]", buffer)
            for line in lines:
                m = re.search(r"(\d+)/(\d+) \[", line)
                if m:
                    k, of = int(m.group(1)), int(m.group(2))
                    if k < current:  # a new animation started
                        done += current
                    current = k
                    if k == of:
                        done, current = done + of, 0
                    on_frames(key, min(done + current, frames))
                elif line.strip():
                    tail = (tail + [line.strip()])[-20:]
        code = proc.wait()
        on_frames(key, frames)
        reason = ""
        if code != 0:
            reason = next(
                (t for t in reversed(tail) if "Error" in t or "gdlesson:" in t),
                tail[-1] if tail else f"manim exited with {code}",
            )
        return code, reason

    def move_into_place(self, key: str, stem: str, scene: str) -> bool:
        """Rename a rendered scene's files to their outputs; False if it was not rendered."""
        _flag, folder, _fps = QUALITY[self.opts.quality]
        module = Path(self.lesson.scene_file).stem
        produced = self.work / Path(key).name / "videos" / module / folder
        if not (produced / f"{scene}.mp4").exists():
            return False
        if stem in self.sounds:  # manim's sound starts late by its encoder's delay
            from gdlesson.lesson_video import with_sound

            timed = produced / f"{scene}.sound.mp4"
            with_sound(produced / f"{scene}.mp4", timed, self.sounds[stem])
            os.replace(timed, produced / f"{scene}.mp4")
        target = self.renders / stem
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in (".srt", ".vtt", ".mp4"):  # the video last: it marks the clip complete
            source = produced / f"{scene}{suffix}"
            if source.exists():
                os.replace(source, target.with_suffix(suffix))
            elif suffix != ".mp4":
                target.with_suffix(suffix).unlink(missing_ok=True)
        return True

    # the whole lesson: clips cut together -------------------------------------------------
    def build_lesson(self, clips: dict[str, str]) -> None:
        stem = "lesson/Lesson"
        if self.opts.only:
            missing = [
                b
                for b in self.beats
                if b not in clips
                and not (self.renders / f"{clip_name(self.beats, b)}.mp4").exists()
            ]
            if missing:
                self.report.notes.append(f"the whole lesson waits for: {', '.join(missing)}")
                return
            clips = {**{b: f"{clip_name(self.beats, b)}.mp4" for b in self.beats}, **clips}
        if any(b not in clips for b in self.beats):
            self.report.notes.append("the whole lesson was not cut: a beat failed")
            return
        parts = [self.outputs.get(clips[b]) or self.old.get(clips[b]) for b in self.beats]
        titles = [self.lesson.chapter_titles[b] for b in self.beats]
        inputs = self.plan.video_inputs([p.inputs if p else None for p in parts], titles)
        chapters = [str(Path(stem).parent / name) for name in CHAPTER_FILES]
        if (
            self.video_up_to_date(stem, inputs)
            and f"{stem}.vtt" in self.old
            and all(self.up_to_date(path, inputs) for path in chapters)
        ):
            self.keep_video(stem, "video", None, inputs, built=False)
            for path in chapters:
                self.keep(path, "chapters", None, inputs, built=False)
            return
        from gdlesson.lesson_video import cut_together

        try:
            cut_together(
                [self.renders / clips[b] for b in self.beats],
                self.renders / f"{stem}.mp4",
                self.work,
                titles,
            )
        except RuntimeError as exc:
            self.report.failed[f"{stem}.mp4"] = str(exc)
            return
        self.keep_video(stem, "video", None, inputs, built=True)
        for path in chapters:
            self.keep(path, "chapters", None, inputs, built=True)

    # GIFs -------------------------------------------------------------------------------------
    def build_gifs(self, clips: dict[str, str]) -> None:
        """A GIF per clip that changed, ``opts.jobs`` encodes at a time."""
        from gdlesson.gif import GifError, GifSettings, export_gif

        settings = GifSettings(width=self.opts.gif_width, fps=self.opts.gif_fps)
        todo = []
        for key, clip in clips.items():
            path = f"gifs/{key}.gif"
            clip_out = self.outputs.get(clip)
            inputs = self.plan.gif_inputs(clip_out.inputs if clip_out else clip)
            beat = key if key in self.beats else None
            if self.up_to_date(path, inputs):
                self.keep(path, "gif", beat, inputs, built=False)
            else:
                todo.append((path, clip, beat, inputs))

        def encode(job):
            path, clip, _beat, _inputs = job
            try:
                return export_gif(
                    self.renders / clip, self.renders / path, settings, self.opts.gif_max_kb
                )
            except GifError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=max(1, self.opts.jobs)) as pool:
            for (path, _clip, beat, inputs), result in zip(todo, pool.map(encode, todo)):
                if isinstance(result, GifError):
                    self.report.failed[path] = str(result)
                    continue
                if self.opts.gif_max_kb:
                    self.report.notes.append(
                        f"{path}: {result.settings.describe()}, {result.bytes // 1024} kB"
                    )
                self.keep(path, "gif", beat, inputs, built=True)

    # posters ------------------------------------------------------------------------------------
    def poster_inputs(self, made_from: str) -> str:
        """A still is made of its video or GIF and the code that takes it (gif.py)."""
        return digest("poster", made_from, self.plan.code["gif"])

    def build_posters(self, kinds=("clip", "video", "gif")) -> None:
        """A still for every video the page shows before it plays (``<stem>.png``: the clip's
        last whole picture) and for every GIF (``gifs/<name>.png``: its first frame), of
        the ``kinds`` of outputs given; one made already this build is kept."""
        from gdlesson.gif import GifError, write_gif_poster, write_poster

        todo = []
        for out in [o for o in self.outputs.values() if o.kind in kinds]:
            if f"{Path(out.path).with_suffix('.png')}" in self.outputs:
                continue
            if out.kind in ("clip", "video") and out.path.endswith(".mp4"):
                todo.append((out.path[: -len(".mp4")] + ".png", out, write_poster))
            elif out.kind == "gif":
                todo.append((out.path[: -len(".gif")] + ".png", out, write_gif_poster))
        jobs = []
        for path, made_from, write in todo:
            inputs = self.poster_inputs(made_from.inputs)
            if self.up_to_date(path, inputs):
                self.keep(path, "poster", made_from.beat, inputs, built=False)
            else:
                jobs.append((path, made_from.path, made_from.beat, inputs, write))

        def make(job):
            path, source, _beat, _inputs, write = job
            try:
                write(self.renders / source, self.renders / path)
            except GifError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=max(1, self.opts.jobs)) as pool:
            for (path, _source, beat, inputs, _write), error in zip(jobs, pool.map(make, jobs)):
                if error:
                    self.report.failed[path] = str(error)
                else:
                    self.keep(path, "poster", beat, inputs, built=True)

    # figures ------------------------------------------------------------------------------------
    def build_figures(self) -> None:
        if self.opts.only or "figures" not in self.lesson.code:  # a lesson may draw none
            return
        inputs = self.plan.figures_inputs()
        previous = [o for o in self.old.values() if o.kind == "figure"]
        if previous and all(self.up_to_date(o.path, inputs) for o in previous):
            for o in previous:
                self.keep(o.path, "figure", None, inputs, built=False)
            return
        folder = self.renders / "figures"
        for stale in folder.glob("*"):
            stale.unlink()
        for path in self.lesson.write_figures(self, folder):
            self.keep(str(path.relative_to(self.renders)), "figure", None, inputs, built=True)

    # data files the page reads ------------------------------------------------------------
    def build_page_data(self) -> None:
        """What the lesson's page reads besides the videos (the first lesson's explorer),
        made again only when its inputs changed."""
        for path, inputs, write in self.lesson.page_data(self):
            if self.up_to_date(path, inputs):
                self.keep(path, "page-data", None, inputs, built=False)
                continue
            write(self.renders / path)
            self.keep(path, "page-data", None, inputs, built=True)

    # the slide deck and the handout --------------------------------------------------------------
    def build_deck_and_handout(self) -> None:
        """slides/ (gdlesson/slides.py) and handout.pdf (gdlesson/handout.py), for a lesson
        whose ``code`` names them."""
        from gdlesson.handout import build_handout
        from gdlesson.slides import build_deck, lesson_clips

        wanted = [k for k in ("slides", "handout") if k in self.lesson.code]
        clips = lesson_clips(self) if wanted else None  # None: a clip is missing (noted)
        if clips is not None and "slides" in wanted:
            build_deck(self, clips)
        if clips is not None and "handout" in wanted:
            build_handout(self, clips)

    # manifest and course page -----------------------------------------------------------------
    def write_manifest_and_page(self) -> None:
        if self.opts.only:  # keep what this build did not touch (check_only vouched for it)
            kept = self.kept_inputs()
            for path, out in self.old.items():
                if path not in self.outputs and path in kept and self.intact(path):
                    self.outputs[path] = out
        links = self.lesson.page_links(self)
        page_inputs = self.plan.page_inputs(self.outputs.values(), links)
        built = not self.up_to_date("index.html", page_inputs)
        if built:
            from gdlesson.page import write_page

            write_page(self.renders, self.lesson.page(self, links))
        self.keep("index.html", "page", None, page_inputs, built=built)
        outputs = sorted(self.outputs.values(), key=lambda o: o.path)
        manifest = {
            "config": with_theme(self.cfg, self.plan.theme).to_dict(),
            "quality": self.opts.quality,
            "outputs": [o.__dict__ for o in outputs],
        }
        write_atomic(self.renders / "manifest.json", json.dumps(manifest, indent=1) + "\n")


@contextmanager
def quote_free(folder: Path):
    """``folder``, or where it has a quote in its path, a link to it that has none: Manim
    lists its partial movie files for ffmpeg in quotes it does not escape."""
    if "'" not in str(folder):
        yield folder
        return
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gdlesson-") as tmp:
        link = Path(tmp) / "media"
        link.symlink_to(folder, target_is_directory=True)
        yield link


def _camel(beat: str) -> str:
    return "".join(part.capitalize() for part in beat.split("_"))


def run_build(lesson, cfg, opts: Options, echo=print) -> Report:
    """Take the build lock (waiting for a build already running), then build ``lesson``
    (its parameters ``cfg``)."""
    from filelock import FileLock, Timeout

    opts.renders.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(opts.renders / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        echo(f"gdlesson: another build is running in {opts.renders}; waiting for it to finish")
        lock.acquire()
    try:
        start = time.monotonic()
        report = Build(lesson, cfg, opts, echo).run()
        report.notes.append(f"{time.monotonic() - start:.1f} s")
        return report
    finally:
        lock.release()
