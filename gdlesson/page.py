"""The course page, ``renders/index.html``: one static file, no external resources, that
shows the lesson video with its subtitles, every beat's GIF, clip and words, the figures and
the parameters used. Paths are relative, so the folder can be copied to any web server."""

from __future__ import annotations

import html
from pathlib import Path

from gd_engine.config import LessonConfig
from gd_engine.trace import write_atomic
from scenes.storyboard import TITLES, lesson_narration

from . import explorer

TITLE = "Linear regression in PyTorch, the hard way"  # the first lesson

STYLE = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 980px;
       padding: 1.5rem; color: #1b1f24; background: #fff; line-height: 1.5; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; }
.lead { color: #5f6b7a; margin-top: 0; }
video, img { max-width: 100%; height: auto; border-radius: 6px; background: #0f1419; }
.beat { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; align-items: start;
        border-top: 1px solid #e3e6ea; padding: 1rem 0; }
.beat h3 { grid-column: 1 / -1; margin: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
           gap: .8rem; }
figure { margin: 0; } figcaption { font-size: .85rem; color: #5f6b7a; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem; text-align: left;
        border-bottom: 1px solid #e3e6ea; } code { font-family: "DejaVu Sans Mono", monospace; }
@media (max-width: 700px) { .beat { grid-template-columns: 1fr; } }
"""


def write_page(
    renders: Path,
    cfg: LessonConfig,
    beats: tuple[str, ...],
    outputs: list,
    followups: list[tuple[str, str]] = (),
    narration: dict | None = None,
    lr: float | None = None,
) -> Path:
    """Write ``renders/index.html`` from the build's outputs, with links to the
    ``followups`` (folder, title) built beside it; return its path. ``narration`` is the
    build's (by default, read again); ``lr`` the learning rate the trace ran with (a preset
    derives it)."""
    by_path = {o.path: o for o in outputs}
    narration = narration if narration is not None else lesson_narration()
    e = html.escape
    parts = head(
        TITLE,
        "One parameter, batch gradient descent, every number from the run itself.",
    )
    if "lesson/Lesson.mp4" in by_path:
        parts.append(video("lesson/Lesson", by_path, 'id="lesson" ', "metadata", default=True))
    if "gifs/descent.gif" in by_path:
        parts.append(
            '<h2>The descent</h2><img src="gifs/descent.gif" '
            'alt="The three panels over all epochs" loading="lazy">'
        )
    if "gifs/regimes.gif" in by_path:
        parts.append(
            '<h2>Learning rates compared</h2><img src="gifs/regimes.gif" '
            'alt="Four learning rates on the same data" loading="lazy">'
        )
    parts += explorer.section(by_path)  # when the build wrote its data
    parts.append("<h2>Beat by beat</h2>")
    for i, beat in enumerate(beats, 1):
        stem = f"lesson/beats/{i:02d}_{beat}"
        cells = [f"<h3>{e(TITLES[beat])}</h3>"]
        words = narration[beat].text
        left = []
        if f"gifs/{beat}.gif" in by_path:
            left.append(f'<img src="gifs/{beat}.gif" alt="{e(TITLES[beat])}" loading="lazy">')
        right = [f"<p>{e(words)}</p>"] if words else []
        if f"{stem}.mp4" in by_path:
            right.append(video(stem, by_path))
        cells.append(f"<div>{''.join(left)}</div><div>{''.join(right)}</div>")
        parts.append(f'<section class="beat" id="{beat}">{"".join(cells)}</section>')
    if followups:
        links = "".join(
            f'<li><a href="{e(folder)}/index.html">{e(title)}</a></li>'
            for folder, title in followups
        )
        parts.append(f"<h2>Follow-up lessons</h2><ul>{links}</ul>")
    parts += figures_section(by_path)
    shown = {("train", "lr"): f"{lr:.6g}"} if lr is not None else {}
    parts += parameters_section(cfg.to_dict(), shown)
    parts.append("</body></html>")
    path = renders / "index.html"
    write_atomic(path, "\n".join(parts) + "\n")
    return path


def video(stem: str, paths, attrs: str = "", preload: str = "none", default=False) -> str:
    """``<stem>.mp4`` with its subtitles (``<stem>.vtt``) as a track when they are among
    ``paths``."""
    track = ""
    if f"{stem}.vtt" in paths:
        on = " default" if default else ""
        track = f'<track kind="subtitles" srclang="en" label="English" src="{stem}.vtt"{on}>'
    return f'<video {attrs}controls preload="{preload}" src="{stem}.mp4">{track}</video>'


def head(title: str, lead: str) -> list[str]:
    """The page's head, its title and lead paragraph."""
    e = html.escape
    return [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',  # no request for /favicon.ico
        f"<title>{e(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="lead">{e(lead)}</p>',
    ]


def figures_section(paths) -> list[str]:
    """Every figures/*.png among ``paths``, with a link to its SVG when there is one."""
    e = html.escape
    figures = sorted(p for p in paths if p.startswith("figures/") and p.endswith(".png"))
    if not figures:
        return []
    parts = ['<h2>Figures</h2><div class="figures">']
    for png in figures:
        svg = png[:-4] + ".svg"
        link = f' (<a href="{svg}">SVG</a>)' if svg in paths else ""
        name = Path(png).stem.replace("_", " ")
        parts.append(
            f'<figure><img src="{png}" alt="{e(name)}" loading="lazy">'
            f"<figcaption>{e(name)}{link}</figcaption></figure>"
        )
    parts.append("</div>")
    return parts


def parameters_section(tables: dict, shown: dict | None = None) -> list[str]:
    """The config as a table of ``table.key`` and value (``shown`` replaces some values)."""
    e = html.escape
    parts = ["<h2>Parameters</h2><table><tr><th>key</th><th>value</th></tr>"]
    for table, values in tables.items():
        for key, value in values.items():
            text = value if value not in (None, "") else "derived"
            text = (shown or {}).get((table, key), text)
            parts.append(f"<tr><td><code>{table}.{key}</code></td><td>{e(str(text))}</td></tr>")
    parts.append("</table>")
    return parts


def write_followup_page(
    renders: Path, cfg, lesson, paths: list[str], first_lesson: bool = False
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
    for scene in lesson.scenes:
        caption = e(lesson.captions[scene])
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
