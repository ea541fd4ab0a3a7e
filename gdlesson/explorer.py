"""The learning-rate explorer on the first lesson's page: a slider over learning rates and a
choice of starts, each setting a real run of the lesson's PyTorch loop, trained at build time.

The build writes every run into one data file, ``explorer/traces.js`` (a script, so that the
page reads it from ``file://`` too), with each number already written as the lesson's
readouts write it (:func:`scenes.plotting.fmt_value`). The page's script
(``gdlesson/static/explorer.js``) only picks the run the controls name and draws it: it
computes none of the numbers it shows. The state lives in the page's address
(``?lr=0.15&w0=-10``), so a set-up can be shared as a link.
"""

from __future__ import annotations

import bisect
import html
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

from gd_engine import regimes
from gd_engine.config import LessonConfig
from gd_engine.trace import Epoch, Final, write_atomic
from scenes import plotting
from scenes.plotting import fmt_value, log_scale
from scenes.theme import LIGHT

#: the build output the page loads
DATA_FILE = "explorer/traces.js"
#: the global the data file sets
DATA_GLOBAL = "gdlessonExplorer"
STATIC = Path(__file__).resolve().parent / "static"
SCRIPT, STYLE = STATIC / "explorer.js", STATIC / "explorer.css"

#: about this many learning rates on the slider
LR_STEPS = 80
#: the slider reaches this many times the learning rate above which the steps diverge
LR_REACH = 1.25
#: the explorer runs the lesson's epochs, at most this many
MAX_EPOCHS = 20
#: samples of the cost curve shared by every run (each run shows the part in its range)
CURVE_POINTS = 801
#: decimals of the plotted positions (the numbers shown are fmt_value's)
PLOT_DECIMALS = 4


@dataclass(frozen=True)
class Run:
    """One run of the lesson's loop: every epoch, the final w and its loss, and where it
    left the finite bound (None if it never did)."""

    epochs: tuple[Epoch, ...]
    final: Final
    diverged_at: int | None


@dataclass(frozen=True)
class Explorer:
    """Every run the explorer offers, with what the page draws around them."""

    lrs: tuple[float, ...]  # the slider's learning rates, ascending
    starts: tuple[float, ...]  # the choices of w0, ascending
    epochs: int
    lesson: tuple[float, float]  # the lesson's own (lr, w0): where the page opens
    runs: dict[tuple[float, float], Run]  # (lr, w0) -> its run
    x: tuple[float, ...]
    y: tuple[float, ...]
    slope: float  # of the true line
    mean_x2: float
    w_star: float
    curve: tuple[float, float, tuple[float, ...]]  # w from, w to, the cost at even steps
    ranges: dict[tuple[float, float], tuple[float, float]]  # w range of each run's plot

    def config(self, cfg: LessonConfig, lr: float, w0: float) -> LessonConfig:
        """The lesson's config for the run at (lr, w0): what ``gdlesson trace --set``
        would train."""
        train = replace(cfg.train, lr=lr, w0=w0, epochs=self.epochs, preset="")
        return replace(cfg, train=train)


def learning_rates(lr_diverge: float, lesson_lr: float) -> tuple[float, ...]:
    """Even steps of a round size (1, 2, 2.5 or 5 times a power of ten) up to LR_REACH
    times the divergence bound, and the lesson's own learning rate."""
    raw = LR_REACH * lr_diverge / LR_STEPS
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(m * magnitude for m in (1, 2, 2.5, 5) if m * magnitude <= raw)
    count = math.ceil(LR_REACH * lr_diverge / step)
    return tuple(sorted({round(i * step, 12) for i in range(1, count + 1)} | {lesson_lr}))


def starting_points(w0: float, w_star: float) -> tuple[float, ...]:
    """The lesson's w0, the point as far on the other side of the minimum, and the two
    halfway between each and the minimum (rounded to whole numbers, or tenths when they
    are close)."""
    d = abs(w0 - w_star)
    digits = 0 if d >= 4 else 1
    others = (w_star - (w0 - w_star), w_star + (w0 - w_star) / 2, w_star - (w0 - w_star) / 2)
    starts = {w0} | {float(round(s, digits)) for s in others}
    return tuple(sorted(s for s in starts if s == w0 or abs(s - w_star) > d / 10))


def explore(cfg: LessonConfig) -> Explorer:
    """Train every run of the explorer for the lesson's config ``cfg``: the data made once,
    then the lesson's loop (gd_engine/training.py) for each learning rate and start."""
    import torch

    from gd_engine.training import cost_curve, cost_range, descend, make_data

    x, _f, y = make_data(cfg)
    xs, ys = x.double(), y.double()
    mean_x2 = float(torch.mean(xs**2))
    w_star = float(torch.sum(xs * ys) / torch.sum(xs**2))
    lesson_lr = regimes.preset_lr(cfg.train.preset, mean_x2) if cfg.train.preset else cfg.train.lr
    lrs = learning_rates(regimes.bounds(mean_x2)[1], lesson_lr)
    starts = starting_points(cfg.train.w0, w_star)
    epochs = min(cfg.train.epochs, MAX_EPOCHS)
    free_view = replace(cfg, view=replace(cfg.view, w_min=None, w_max=None))
    runs, ranges = {}, {}
    for w0 in starts:
        for lr in lrs:
            run = Run(*descend(x, y, w0, lr, epochs))
            runs[lr, w0] = run
            path = [e.w for e in run.epochs] + [run.final.w]
            ranges[lr, w0] = cost_range(free_view, path, w_star)
    lo = min(r[0] for r in ranges.values())
    hi = max(r[1] for r in ranges.values())
    view = replace(cfg.view, w_min=lo, w_max=hi, cost_points=CURVE_POINTS)
    curve = cost_curve(replace(cfg, view=view), x, y, [lo, hi])
    return Explorer(
        lrs=lrs,
        starts=starts,
        epochs=epochs,
        lesson=(lesson_lr, cfg.train.w0),
        runs=runs,
        x=tuple(x.view(-1).tolist()),
        y=tuple(y.view(-1).tolist()),
        slope=cfg.data.slope,
        mean_x2=mean_x2,
        w_star=w_star,
        curve=(curve.w[0], curve.w[-1], curve.loss),
        ranges=ranges,
    )


# -- what the page shows ----------------------------------------------------------------
def shown(v: float) -> str:
    """A number as the lesson's readouts show it, with an ASCII minus (the page's script
    writes the true minus sign): the data file stays ASCII and parses as a number."""
    return fmt_value(v).replace("\u2212", "-")


def lr_label(lr: float) -> str:
    """A learning rate as the slider names it, and as the address holds it: 0.1, 0.105."""
    return f"{lr:.10g}"


def plotted(v: float) -> float:
    """A position to draw at (not a number shown)."""
    return float(f"{v:.{PLOT_DECIMALS}g}") if abs(v) >= 1e4 else round(v, PLOT_DECIMALS)


def run_record(run: Run, lr: float, view: tuple[float, float]) -> list:
    """One run as the page's script reads it: w (each epoch's, then the final), loss (the
    same), w.grad and lr*grad per epoch, its plot's w range, the epoch it diverged at, and
    whether its loss per iteration is drawn on a log axis (1) or not (0)."""
    w = [e.w for e in run.epochs] + [run.final.w]
    loss = [e.loss for e in run.epochs] + [run.final.loss]
    return [
        [shown(v) for v in w],
        [shown(v) for v in loss],
        [shown(e.grad) for e in run.epochs],
        [shown(lr * e.grad) for e in run.epochs],  # as the lesson's readouts compute it
        [plotted(view[0]), plotted(view[1])],
        run.diverged_at,
        int(log_scale([e.loss for e in run.epochs])),  # the lesson's rule for its loss plot
    ]


def slider_position(lrs: tuple[float, ...], lr: float) -> float:
    """Where ``lr`` falls on the slider, 0 to 1 (its positions are the learning rates'
    indices, evenly spaced)."""
    i = bisect.bisect_left(lrs, lr)
    if i == 0:
        return 0.0
    if i == len(lrs):
        return 1.0
    below, above = lrs[i - 1], lrs[i]
    return (i - 1 + (lr - below) / (above - below)) / (len(lrs) - 1)


def page_data(ex: Explorer) -> dict:
    """Everything the page's script reads: labels, regimes and every run, as text where it
    is shown and as rounded positions where it is only drawn."""
    lr_oscillate, lr_diverge = regimes.bounds(ex.mean_x2)
    return {
        "epochs": ex.epochs,
        "lrs": [lr_label(lr) for lr in ex.lrs],
        "regimes": [regimes.regime(lr, ex.mean_x2) for lr in ex.lrs],
        "factors": [shown(regimes.factor(lr, ex.mean_x2)) for lr in ex.lrs],
        "starts": [lr_label(w0) for w0 in ex.starts],
        "lesson": [ex.lrs.index(ex.lesson[0]), ex.starts.index(ex.lesson[1])],
        "bounds": [shown(lr_oscillate), shown(lr_diverge)],
        "marks": [
            round(slider_position(ex.lrs, b), PLOT_DECIMALS) for b in (lr_oscillate, lr_diverge)
        ],
        "wStar": shown(ex.w_star),
        "axes": {  # the reach of the plots' axes, as the lesson's panels and figures have it
            "costHeadroom": plotting.COST_HEADROOM,
            "dataXPad": plotting.DATA_X_PAD,
            "dataYReach": plotting.DATA_Y_REACH,
            "lossHeadroom": plotting.LOSS_HEADROOM,
        },
        "slope": ex.slope,
        "x": [plotted(v) for v in ex.x],
        "y": [plotted(v) for v in ex.y],
        "curve": [plotted(ex.curve[0]), plotted(ex.curve[1]), [plotted(v) for v in ex.curve[2]]],
        "runs": [
            [run_record(ex.runs[lr, w0], lr, ex.ranges[lr, w0]) for lr in ex.lrs]
            for w0 in ex.starts
        ],
    }


def data_script(ex: Explorer) -> str:
    """The data file's text: one assignment of the page data to a global."""
    blob = json.dumps(page_data(ex), separators=(",", ":"), allow_nan=False)
    return f"window.{DATA_GLOBAL}={blob};\n"


def write_data(cfg: LessonConfig, path: Path) -> Path:
    """Train the explorer's runs for ``cfg`` and write its data file at ``path``,
    atomically."""
    write_atomic(path, data_script(explore(cfg)))
    return path


def theme_css() -> str:
    """The lesson's colours for the explorer, as CSS variables (style stays in
    scenes/theme.py): one meaning per colour, as in the videos."""
    t = LIGHT
    colours = {
        "fg": t.foreground,
        "muted": t.muted,
        "data": t.data,
        "fitted": t.fitted,
        "true": t.true_line,
        "loss": t.loss,
        "smooth": t.regimes[1],
        "oscillating": t.regimes[2],
        "divergent": t.regimes[3],
    }
    return "#explorer{" + "".join(f"--ex-{k}:{v};" for k, v in colours.items()) + "}"


def section(paths):
    """The explorer's section of the course page when its data file is among ``paths``
    (None otherwise): the controls, the plots, the readouts, its style and script."""
    from .page import Raw, Section

    if DATA_FILE not in paths:
        return None
    e = html.escape
    parts = [
        f"<style>{theme_css()}{STYLE.read_text(encoding='utf-8')}</style>",
        "<p>Pick a learning rate and a start: the plots and the table show that run of the "
        "lesson's PyTorch loop, trained when this page was built (every number is from the "
        "run, written as the video writes it).</p>",
        '<div class="ex-controls">',
        '<div class="ex-lr">',
        '<label for="ex-lr">Learning rate</label> <output id="ex-lr-value" for="ex-lr"></output>',
        '<input type="range" id="ex-lr" min="0" max="0" step="1" value="0" '
        'aria-describedby="ex-bounds">',
        '<div class="ex-scale" aria-hidden="true">'
        '<span class="ex-band ex-smooth"></span><span class="ex-band ex-oscillating"></span>'
        '<span class="ex-band ex-divergent"></span>'
        '<span class="ex-mark" id="ex-mark-0"></span><span class="ex-mark" id="ex-mark-1">'
        "</span></div>",
        '<p id="ex-bounds" class="ex-note"></p>',
        "</div>",
        '<fieldset class="ex-starts"><legend>Start <var>w</var><sub>0</sub></legend>'
        '<div id="ex-starts"></div></fieldset>',
        "</div>",
        '<p class="ex-regime" id="ex-regime" aria-live="polite"></p>',
        '<div class="ex-plots">',
        _figure("ex-cost", "The cost for every w, with the path of w"),
        _figure("ex-fit", "The data and the fitted line at each w"),
        _figure("ex-loss", "The loss per iteration"),
        "</div>",
        '<div class="ex-table" tabindex="0" role="region" aria-labelledby="ex-rows-caption">'
        '<table class="ex-readouts"><caption id="ex-rows-caption">Every step of the run'
        "</caption><thead><tr>"
        + "".join(
            f'<th scope="col">{e(h)}</th>' for h in ("epoch", "w", "loss", "w.grad", "lr\u00b7grad")
        )
        + '</tr></thead><tbody id="ex-rows"></tbody></table></div>',
        '<p><a id="ex-link" href="#explorer">Link to this set-up</a></p>',
        "<noscript><p>The explorer needs JavaScript.</p></noscript>",
        f'<script src="{DATA_FILE}"></script>',
        f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>",
    ]
    return Section("explorer", "Try a learning rate", [Raw("".join(parts))], css_class="explorer")


def _figure(ident: str, caption: str) -> str:
    return (
        f'<figure class="ex-plot"><svg id="{ident}" viewBox="0 0 360 250" role="img" '
        f'aria-labelledby="{ident}-caption"></svg>'
        f'<figcaption id="{ident}-caption">{html.escape(caption)}</figcaption></figure>'
    )
