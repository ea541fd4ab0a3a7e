"""The tiny lesson's parameter file (``tiny.toml``): its tables and their rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from gd_engine.parameters import ParameterFile, Rules


@dataclass(frozen=True)
class Lesson:
    kind: str = "tiny"
    title: str = "A tiny lesson"


@dataclass(frozen=True)
class Train:
    w0: float = 0.0
    lr: float = 0.25
    steps: int = 3


@dataclass(frozen=True)
class View:
    theme: str = "dark"


@dataclass(frozen=True)
class TinyConfig(ParameterFile):
    lesson: Lesson = field(default_factory=Lesson)
    train: Train = field(default_factory=Train)
    view: View = field(default_factory=View)

    def check(self, rules: Rules) -> None:
        rules.kind("tiny")
        rules.bounded("train", "w0")
        rules.positive("train", "lr")
        rules.between("train", "steps", 1, 100)
        rules.theme()


load_config = TinyConfig.load
