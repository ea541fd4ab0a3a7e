"""``gdlesson``: the command line.

Bad input never shows a traceback: one line naming the file, the key and the rule, exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import ConfigError, LessonConfig, load_config
from .trace import Trace, write_atomic

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"gdlesson: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def config_options(f):
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


def read_config(config_path: str, overrides: tuple[str, ...]) -> LessonConfig:
    try:
        return load_config(config_path, list(overrides))
    except ConfigError as exc:
        _fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gdlesson")
def main() -> None:
    """Turn the gradient-descent lesson into videos, GIFs and figures."""


@main.command()
@config_options
@click.option(
    "--json", "json_path", metavar="PATH|-", help="Write the trace as JSON ('-': stdout)."
)
def trace(config_path: str, overrides: tuple[str, ...], json_path: str | None) -> None:
    """Train as the lesson does and print epoch, w, loss and gradient."""
    cfg = read_config(config_path, overrides)
    from . import train

    result = train(cfg)
    if json_path == "-":
        click.echo(result.to_json(), nl=False)
        return
    click.echo(format_table(result))
    if json_path:
        try:
            write_atomic(Path(json_path), result.to_json())
        except OSError as exc:
            _fail(f"{json_path}: cannot write ({exc.strerror})")
        click.echo(f"trace written to {json_path}")


def format_table(t: Trace) -> str:
    """The trace as the readable table a student would write down."""
    lines = [f"{'epoch':>5}  {'w':>12}  {'loss':>14}  {'grad':>14}  {'w_next':>12}"]
    for e in t.epochs:
        lines.append(
            f"{e.epoch:>5}  {e.w:>12.4f}  {e.loss:>14.4f}  {e.grad:>14.4f}  {e.w_next:>12.4f}"
        )
    lines.append(f"{'final':>5}  {t.final.w:>12.4f}  {t.final.loss:>14.4f}")
    a = t.analysis
    lines.append(
        f"lr = {t.config.train.lr:g}; minimum w* = {a.w_star:.4f}; "
        f"error factor per step 1 - 2*lr*mean(x^2) = {a.shrink:.4f}"
    )
    if t.diverged_at is not None:
        lines.append(f"diverged at epoch {t.diverged_at}: |w| left the bound, training stopped")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
