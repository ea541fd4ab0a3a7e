"""``gdlesson``: the command line.

Bad input never shows a traceback: one line naming the file, the key and the rule, exit 2.
"""

from __future__ import annotations

import ast
import functools
import sys
import time
from pathlib import Path

import click

from gd_engine.config import ConfigError
from gd_engine.regimes import PRESETS
from gd_engine.trace import write_atomic
from scenes.narration import VOICES

from .registry import LessonKind, lesson_for, lessons

EXIT_BAD_INPUT = 2
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _fail(message: str) -> None:
    click.echo(f"gdlesson: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def config_options(f):
    f = click.option(
        "--preset",
        metavar="|".join(PRESETS),
        help="A learning-rate regime; lr is derived from the data's mean(x^2).",
    )(f)
    f = click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override a parameter, e.g. --set train.lr=0.2 (repeatable).",
    )(f)
    f = click.option(
        "--config",
        "config_path",
        default="lesson.toml",
        show_default=True,
        help="The lesson's parameter file.",
    )(f)
    return f


def all_overrides(overrides: tuple[str, ...], preset: str | None) -> tuple[str, ...]:
    return (*overrides, f"train.preset={preset}") if preset else tuple(overrides)


def read_config(lesson: LessonKind, config_path: str, overrides: tuple[str, ...]):
    """The parameters of ``config_path``, a file of ``lesson``'s; else one line, exit 2."""
    try:
        return lesson.load_config(config_path, overrides)
    except ConfigError as exc:
        _fail(str(exc))


def check_drawable(lesson: LessonKind, trace, config_path: str, overrides) -> None:
    """A view bound given against one the trace derived leaves a plot to draw; else one
    line and exit status 2."""
    try:
        lesson.check_view(trace, config_path, overrides)
    except ConfigError as exc:
        _fail(str(exc))


def check_lesson_view(lesson: LessonKind, cfg, config_path: str, overrides) -> None:
    """:func:`check_drawable` on the trace a render or build of ``cfg`` draws (trained now,
    or from the cache the render then reads)."""
    check_drawable(lesson, lesson.train(cfg), config_path, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gdlesson")
def main() -> None:
    """Turn the gradient-descent lesson into videos, GIFs and figures."""


@main.command()
@config_options
@click.option(
    "--json", "json_path", metavar="PATH|-", help="Write the trace as JSON ('-': stdout)."
)
def trace(config_path: str, overrides: tuple[str, ...], preset, json_path: str | None) -> None:
    """Train as the lesson does and print epoch, w, loss and gradient (for a follow-up
    lesson, a line per run)."""
    overrides = all_overrides(overrides, preset)
    lesson = lesson_for(config_path)
    result = lesson.run_engine(read_config(lesson, config_path, overrides))
    check_drawable(lesson, result, config_path, overrides)
    if json_path == "-":
        click.echo(result.to_json(), nl=False)
        return
    click.echo(lesson.format_trace(result))
    if json_path:
        try:
            write_atomic(Path(json_path), result.to_json())
        except OSError as exc:
            _fail(f"{json_path}: cannot write ({exc.strerror})")
        click.echo(f"trace written to {json_path}")


def scene_files() -> list[str]:
    """The files whose scenes ``gdlesson render`` knows, in the order its list shows them:
    the first lesson's, then the others'."""
    ordered = sorted(lessons().values(), key=lambda x: not x.at_the_root)
    files = [f for lesson in ordered for f in lesson.scene_files]
    return list(dict.fromkeys(files))


#: the scene classes a scene of those files derives from: manim's, and the follow-up
#: lessons' base (scenes/narrated.py)
SCENE_BASES = frozenset(
    {"Scene", "ThreeDScene", "MovingCameraScene", "ZoomedScene", "NarratedScene"}
)


@functools.cache
def scenes() -> dict[str, str]:
    """Every scene ``gdlesson render`` renders, with its file (relative to the project).

    The classes of SCENE_FILES that derive, within their file, from manim's Scene and that
    no class of their file derives from (LessonScene and FollowUpScene are bases). Read
    with ``ast``, not imported: manim is not loaded (2 s) to check a name. Left out: the
    beat scenes ``gdlesson build`` makes at run time (BeatData, ...) and scenes/lesson.py's
    copy of Regimes (its base is ``regimes.Regimes``, not a class of the file).
    """
    found: dict[str, str] = {}
    for rel in scene_files():
        tree = ast.parse((PROJECT_ROOT / rel).read_text(encoding="utf-8"), filename=rel)
        bases = {
            node.name: [b.id for b in node.bases if isinstance(b, ast.Name)]
            for node in tree.body
            if isinstance(node, ast.ClassDef)
        }
        subclassed = {b for names in bases.values() for b in names}
        for name in bases:
            if _is_scene(name, bases) and name not in subclassed:
                found.setdefault(name, rel)
    return found


def _is_scene(name: str, bases: dict[str, list[str]], seen: frozenset = frozenset()) -> bool:
    """Whether the class ``name`` of a file (its classes' ``bases``) is a manim Scene."""
    if name in SCENE_BASES:
        return True
    if name not in bases or name in seen:
        return False
    return any(_is_scene(b, bases, seen | {name}) for b in bases[name])


def scene_file(scene: str) -> str:
    return scenes()[scene]


def scene_lesson(scene: str) -> LessonKind:
    """The lesson ``scene`` is one of the scenes of (else the first whose files hold it)."""
    known = list(lessons().values())
    own = [x for x in known if scene in getattr(x, "scenes", ())]
    return (own or [x for x in known if scene_file(scene) in x.scene_files])[0]


QUALITIES = {"l": "-ql", "m": "-qm", "h": "-qh", "p": "-qp", "k": "-qk"}


def output_name(scene: str, theme: str, manim_args: tuple[str, ...]) -> str | None:
    """The name of a render's files when it is not the scene's: ``<Scene>Light`` in the
    light theme, so that it does not overwrite the dark render (video, ``--save_sections``
    clips, ``-s`` image); None in the dark theme or when manim's ``-o`` is given."""
    own = any(
        a.startswith("--output_file") or (a.startswith("-o") and not a.startswith("--"))
        for a in manim_args
    )
    return f"{scene}Light" if theme == "light" and not own else None


def manim_command(
    scene: str, quality: str, manim_args: tuple[str, ...], theme: str = "dark"
) -> list[str]:
    """The manim command line that renders ``scene`` (run from the project root)."""
    name = output_name(scene, theme, manim_args)
    named = ("-o", name) if name else ()
    return [
        sys.executable,
        "-m",
        "manim",
        QUALITIES[quality],
        *named,
        *manim_args,
        scene_file(scene),
        scene,
    ]


@main.command(context_settings={"ignore_unknown_options": True})
@config_options
@click.argument("scene", default="Lesson")
@click.option(
    "-q",
    "quality",
    type=click.Choice(sorted(QUALITIES)),
    default="h",
    show_default=True,
    help="Manim quality: l 480p15, m 720p30, h 1080p60, k 4K.",
)
@click.option("--theme", type=click.Choice(["dark", "light"]), help="Overrides view.theme.")
@click.argument("manim_args", nargs=-1, type=click.UNPROCESSED)
def render(config_path, overrides, preset, scene, quality, theme, manim_args) -> None:
    """Render a scene (Lesson by default; an unknown name lists them) into renders/, e.g.
    renders/videos/lesson/1080p60/Lesson.mp4, or LessonLight.mp4 in the light theme.
    Extra arguments go to manim, e.g. --save_sections, --format gif, -s."""
    import os
    import subprocess

    defaulted = scene.startswith("-")  # no scene but an option of manim's: the default
    if defaulted:
        scene, manim_args = "Lesson", (scene, *manim_args)
    known = scenes()
    if scene not in known:
        _fail(f"render {scene}: not a scene; scenes are {', '.join(known)}")
    if extra := [a for a in manim_args if a in known]:
        rule = "the scene comes first" if defaulted else "one scene at a time"
        _fail(f"render {extra[0]}: {rule}: gdlesson render SCENE [manim options]")
    overrides = all_overrides(overrides, preset)
    overrides = (*overrides, f"view.theme={theme}") if theme else overrides
    lesson = scene_lesson(scene)
    if config_path == "lesson.toml":  # the default: the scene's own lesson's file
        config_path = lesson.default_config
    # a scene draws any lesson of its file (SlopeBias draws batch_modes.toml's runs too)
    drawn = lesson_for(config_path) if Path(config_path).is_file() else lesson
    if drawn.scene_file != lesson.scene_file:
        _fail(f"{config_path}: {scene} draws another lesson: give {lesson.default_config}")
    cfg = read_config(drawn, config_path, overrides)  # bad input stops here, before manim
    if scene_file(scene) != "scenes/regimes.py":  # Regimes is not narrated
        check_narration(drawn, config_path)
    check_lesson_view(drawn, cfg, config_path, overrides)
    env = {
        **os.environ,
        "GDLESSON_CONFIG": str(Path(config_path).resolve()),
        "GDLESSON_SET": ";".join(overrides),
        "PYTHONHASHSEED": "0",  # the same frames every render (see gdlesson/build.py)
    }
    env.pop("GDLESSON_THEME", None)
    cmd = manim_command(scene, quality, manim_args, cfg.view.theme)
    started = time.time()
    # from the project root, where manim.cfg sends every output to renders/; stdin closed,
    # so that nothing (manim's scene picker) can ever wait for input
    status = subprocess.call(cmd, env=env, cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL)
    name = output_name(scene, cfg.view.theme, manim_args)
    if status == 0 and name:
        files = ", ".join(map(str, written(scene, name, manim_args, started)))
        where = f": {files}" if files else ""
        click.echo(f"light theme, named {name} (the dark render keeps {scene}){where}")
    sys.exit(status)


def written(scene: str, name: str, manim_args: tuple[str, ...], since: float) -> list[Path]:
    """The video, GIF or image named ``name`` that a render of ``scene`` wrote (not its
    subtitles, nor the clips of --save_sections), from the project root if under it."""
    media = PROJECT_ROOT / "renders"  # manim.cfg's media_dir
    for i, arg in enumerate(manim_args):
        if arg == "--media_dir" and i + 1 < len(manim_args):
            media = PROJECT_ROOT / manim_args[i + 1]
        elif arg.startswith("--media_dir="):
            media = PROJECT_ROOT / arg.partition("=")[2]
    module = Path(scene_file(scene)).stem
    found = [*media.glob(f"videos/{module}/*/{name}.*"), *media.glob(f"images/{module}/{name}.*")]
    fresh = sorted(
        p for p in found if p.suffix not in (".srt", ".vtt") and p.stat().st_mtime >= since - 1
    )
    return [p.relative_to(PROJECT_ROOT) if p.is_relative_to(PROJECT_ROOT) else p for p in fresh]


@main.command()
@config_options
@click.option(
    "-q",
    "quality",
    type=click.Choice(["l", "m", "h", "k"]),
    default="h",
    show_default=True,
    help="l 480p15, m 720p30, h 1080p60, k 4K.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Renders at once (default: the number of cores).",
)
@click.option("--only", multiple=True, metavar="BEAT", help="Build only these beats.")
@click.option("--force", is_flag=True, help="Rebuild everything.")
@click.option("--theme", type=click.Choice(["dark", "light"]), help="Overrides view.theme.")
@click.option("--gif-width", type=click.IntRange(64, 3840), default=720, show_default=True)
@click.option("--gif-fps", type=click.IntRange(1, 60), default=12, show_default=True)
@click.option(
    "--gif-max-kb",
    type=click.IntRange(1),
    default=None,
    help="Size budget per GIF: fps, width, colours are lowered until it fits.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where the outputs go (default: renders/ in the project).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="The whole course: lesson.toml and every lessons/*.toml (into <out>/<name>/).",
)
@click.option(
    "--voice",
    type=click.Choice(VOICES),
    default=None,
    help="Speak the narration offline where no recording is (piper: the draft voice).",
)
def build(
    config_path,
    overrides,
    preset,
    quality,
    jobs,
    only,
    force,
    theme,
    gif_width,
    gif_fps,
    gif_max_kb,
    out_dir,
    everything,
    voice,
) -> None:
    """Bring every output in renders/ up to date: the lesson video and its beat clips with
    subtitles, GIFs, figures, trace.json, manifest.json and the course page index.html."""
    import os

    from .build import Options

    overrides = all_overrides(overrides, preset)
    if voice:  # the narration's loaders read it, here and in the renders
        os.environ["GDLESSON_VOICE"] = voice
    if everything:
        if only or overrides or config_path != "lesson.toml":
            _fail("--all: every lesson is built as its file says (no --config, --set, --only)")
        from .course import lesson_files

        paths = [str(p) for p in lesson_files()]
    else:
        paths = [config_path]
    checked = [(path, *_checked(path, overrides, only)) for path in paths]  # before any write
    out = Path(out_dir).resolve() if out_dir else None
    on_page = None
    if "GDLESSON_WATCH_PAGE_FD" in os.environ:  # started by gdlesson watch
        from .watch import page_signal

        on_page = page_signal()
    builds = []
    for path, lesson, cfg in checked:
        opts = Options(
            quality=quality,
            jobs=jobs or os.cpu_count() or 2,
            only=tuple(only),
            force=force,
            theme=theme,
            gif_width=gif_width,
            gif_fps=gif_fps,
            gif_max_kb=gif_max_kb,
            config_path=path,
            overrides=overrides,
            on_page=on_page,
        )
        opts.renders = lesson.out_folder(path, out, everything)
        writable_folder(opts.renders, "--out" if out else "renders")
        builds.append((lesson, cfg, opts))
    if everything:
        sys.exit(_build_course(builds))
    sys.exit(_build(*builds[0]))


@main.command()
@config_options
@click.option(
    "-q",
    "quality",
    type=click.Choice(["l", "m", "h", "k"]),
    default="l",
    show_default=True,
    help="l 480p15, m 720p30, h 1080p60, k 4K.",
)
@click.option("--theme", type=click.Choice(["dark", "light"]), help="Overrides view.theme.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where the outputs go (default: as gdlesson build).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any."
)
def watch(config_path, overrides, preset, quality, theme, out_dir, port) -> None:
    """Build the lesson, serve its page on 127.0.0.1, and on every saved edit of its
    parameters, narration, recordings or code build again and reload the page."""
    from . import watch as watching

    overrides = all_overrides(overrides, preset)
    lesson, _ = _checked(config_path, overrides, ())
    out = lesson.out_folder(config_path, Path(out_dir).resolve() if out_dir else None, False)
    writable_folder(out, "--out" if out_dir else "renders")
    args = ["--config", config_path, "-q", quality, "--out", str(out)]
    args += [a for o in overrides for a in ("--set", o)]
    args += ["--theme", theme] if theme else []
    try:
        watching.run(Path(config_path), out, args, port, echo=lambda s: click.echo(s, err=True))
    except KeyboardInterrupt:
        click.echo("gdlesson watch: stopped", err=True)
    except OSError as exc:  # the port is taken
        _fail(f"watch: cannot serve on 127.0.0.1:{port} ({exc.strerror or exc})")


def _checked(config_path: str, overrides, only) -> tuple:
    """(lesson, config) of a lesson file whose parameters and narration are good; else one
    line and exit status 2."""
    lesson = lesson_for(config_path)
    cfg = read_config(lesson, config_path, overrides)
    if only and not lesson.beats:
        _fail(f"--only: {Path(config_path).name} has no beats; it builds all its scenes")
    for beat in only:
        if beat not in lesson.beats:
            _fail(f"--only {beat}: not a beat; beats are {', '.join(lesson.beats)}")
    check_narration(lesson, config_path)
    check_lesson_view(lesson, cfg, config_path, overrides)
    return lesson, cfg


def check_narration(lesson: LessonKind, config_path: str) -> None:
    """The narration of ``lesson`` is good; else one line and exit status 2."""
    from scenes.narration import NarrationError

    try:
        lesson.narration(config_path)
    except NarrationError as exc:
        _fail(str(exc))


def writable_folder(folder: Path, what: str) -> None:
    """``folder`` exists (made if need be) and takes a file; else one line and exit 2."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        _fail(f"{what} {folder}: cannot write there ({exc.strerror or exc})")


def _build(lesson: LessonKind, cfg, opts) -> int:
    """Build one lesson, print its summary; the exit status (1 if an output failed)."""
    report = _run_build(lesson, cfg, opts)
    return 1 if report is None else _summary(opts, report)


def _build_course(builds) -> int:
    """``--all``: the lessons' builds at once, their manim processes sharing the cores
    (build.Slots) and one progress display; then each lesson again, one by one, which
    redoes only the pages whose links to the others (built by then) changed. A summary per
    lesson of both; the exit status (1 if an output failed). Their renders are forked from
    one render server (render_server.py), started when the first render asks for it."""
    from concurrent.futures import ThreadPoolExecutor

    from .build import ROOT, Slots, progress_display
    from .render_server import OnFirstRender

    slots = Slots(builds[0][2].jobs)
    with (
        progress_display() as progress,
        OnFirstRender(ROOT, label=str(builds[0][2].renders)) as servers,
        ThreadPoolExecutor(len(builds)) as pool,
    ):
        for _, _, opts in builds:
            opts.slots, opts.progress, opts.servers = slots, progress, servers
        firsts = list(pool.map(lambda b: _run_build(*b), builds))
    status = 0
    for (lesson, cfg, opts), report in zip(builds, firsts, strict=True):
        if report is None:  # stopped, and said why
            status = 1
            continue
        if not report.failed:
            opts.slots = opts.progress = opts.servers = None
            opts.force = False  # what the first pass made stands: only the links are new
            links = _run_build(lesson, cfg, opts)
            if links is None:
                status = 1
            else:
                report.built += [p for p in links.built if p not in report.built]
                report.reused = [p for p in links.reused if p not in report.built]
                report.failed = links.failed
        status = max(status, _summary(opts, report))
    return status


def _run_build(lesson: LessonKind, cfg, opts):
    """The report of a build of one lesson; None when it stopped on an OSError (said)."""
    from scenes.narration import NarrationError

    from .build import BuildRefused, run_build

    console = _console()
    try:
        return run_build(lesson, cfg, opts, echo=console.print)
    except (NarrationError, ConfigError, BuildRefused) as exc:
        _fail(str(exc))
    except OSError as exc:  # a full disk, a folder taken away: the build stops, said in a line
        where = f" ({exc.filename})" if exc.filename else ""
        click.echo(f"gdlesson: the build failed: {exc.strerror or exc}{where}", err=True)
        return None


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _summary(opts, report) -> int:
    """Print a build's table (built, reused, failed), its failures and notes; the exit
    status."""
    from rich.table import Table

    console = _console()
    table = Table(title=f"gdlesson build {Path(opts.config_path).name}")
    for column in ("built", "reused", "failed"):
        table.add_column(column, justify="right")
    table.add_row(str(len(report.built)), str(len(report.reused)), str(len(report.failed)))
    console.print(table)
    for path, reason in report.failed.items():
        console.print(f"[red]failed[/red] {path}: {reason}")
    for note in report.notes:
        console.print(note)
    return 1 if report.failed else 0


def run() -> None:
    """The console script: click's usage errors as one line too, exit status 2."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("gdlesson: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        _fail(exc.format_message().replace("\n", " "))


if __name__ == "__main__":
    run()
