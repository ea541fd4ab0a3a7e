"""The first lesson's PyTorch code, as shown on screen and as it runs.

``scenes/lesson_code.py.tmpl`` is the code of the lesson with the parameters left as
``${name}``. :func:`lesson_code` fills them from a config; the tests run the result and
check it against the engine's trace, so what the viewer reads is what runs.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from gd_engine import LessonConfig

from .code import BLOCKS, code_blocks  # noqa: F401  (the lesson's blocks, for its users)

TEMPLATE = Path(__file__).with_name("lesson_code.py.tmpl")


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
