"""The first lesson's PyTorch code, as shown on screen and as it runs.

``scenes/lesson_code.py.tmpl`` is the code of the lesson with the parameters left as
``${name}``. :func:`lesson_code` fills them from a config; the tests run the result and
check it against the engine's trace, so what the viewer reads is what runs.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from gd_engine import LessonConfig

TEMPLATE = Path(__file__).with_name("lesson_code.py.tmpl")
BLOCKS = ("data", "model and cost", "settings", "training")


def lesson_code(cfg: LessonConfig) -> str:
    """The lesson's code with the values of ``cfg`` written in."""
    d, t = cfg.data, cfg.train
    values = {
        "x_start": d.x_start,
        "x_stop": d.x_stop,
        "x_step": d.x_step,
        "slope": d.slope,
        "noise_std": d.noise_std,
        "seed": d.seed,
        "lr": t.lr,
        "epochs": t.epochs,
        "w0": t.w0,
    }
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        {k: repr(v) for k, v in values.items()}
    )


def code_blocks(code: str) -> dict[str, list[str]]:
    """The code split at its ``# <block>`` comments: block name -> its lines (no comment)."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in code.splitlines():
        if line.startswith("# ") and line[2:] in BLOCKS:
            current = line[2:]
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    return {k: _strip_blank_ends(v) for k, v in blocks.items()}


def _strip_blank_ends(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines
