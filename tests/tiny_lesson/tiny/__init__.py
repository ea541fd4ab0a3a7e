"""A tiny lesson, the smallest whole one: w walks down (w - 3)^2. The tests add it to the
registry from this folder ($GDLESSON_LESSONS) and build it; docs/new-lesson.md walks
through it."""

from dataclasses import asdict, dataclass
from pathlib import Path

from gdlesson.registry import SceneLesson


@dataclass(frozen=True)
class View:
    theme: str = "dark"


@dataclass(frozen=True)
class Train:
    w0: float = 0.0
    lr: float = 0.25
    steps: int = 3


@dataclass(frozen=True)
class Config:
    train: Train = Train()
    view: View = View()
    title: str = "A tiny lesson"

    def to_dict(self) -> dict:  # its tables, as the page lists them
        return {"train": asdict(self.train), "view": asdict(self.view)}


class Tiny(SceneLesson):
    kind = "tiny"
    scene_file = str(Path(__file__).with_name("tiny_scenes.py"))
    default_config = str(Path(__file__).parents[2] / "tiny.toml")
    captions = {"TinyScene": "w walks down (w - 3)^2"}
    code = {"trace": ("tiny.engine",), "clip": ("tiny.tiny_scenes",), "gif": ("gdlesson.gif",)}
    code["page"] = ("gdlesson.page",)

    def load_config(self, path, overrides=()):
        import tomllib

        from gd_engine.config import ConfigError

        raw = tomllib.loads(Path(path).read_text())
        train = raw.get("train", {})
        if not isinstance(train.get("lr", 0.25), float) or train.get("lr", 0.25) <= 0:
            raise ConfigError(f"{path}: [train] lr: must be a positive number")
        theme = raw.get("view", {}).get("theme", "dark")
        given = {k: train[k] for k in ("w0", "lr", "steps") if k in train}
        return Config(Train(**given), View(theme))

    def train(self, cfg):
        from tiny.engine import train

        return train(cfg)

    run_engine = train

    def check_view(self, trace, config_path, overrides) -> None:
        """Nothing to check: the scene draws numbers only."""

    def format_trace(self, trace) -> str:
        return "\n".join(f"{s['step']} {s['w']:.6f} {s['loss']:.6f}" for s in trace.steps)

    def scene_seconds(self, trace, scene: str, spoken: float) -> float:
        return max(1.0, spoken)

    def alt_text(self, trace, scene: str) -> str:
        first, last = trace.steps[0], trace.steps[-1]
        return (
            f"w and the loss (w - 3)^2 over {len(trace.steps)} steps: w from {first['w']:g} "
            f"to {last['w']:g}, the loss from {first['loss']:g} to {last['loss']:g}"
        )


LESSON = Tiny()
