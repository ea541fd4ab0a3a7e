"""The tiny lesson's engine: gradient descent on (w - 3)^2 with torch autograd."""

import json
from dataclasses import dataclass, field


@dataclass
class Trace:
    config: dict
    steps: list = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"config": self.config, "steps": self.steps}, indent=1) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> "Trace":
        """The trace ``to_json`` wrote: with it, the trace is kept in renders/cache/ and its
        scene reads it there instead of training again."""
        return cls(data["config"], data["steps"])

    def table(self) -> str:
        """What ``gdlesson trace`` prints: a line per step."""
        return "\n".join(f"{s['step']} {s['w']:.6f} {s['loss']:.6f}" for s in self.steps)


def train(cfg) -> Trace:
    import torch

    w = torch.tensor(cfg.train.w0, dtype=torch.float64, requires_grad=True)
    trace = Trace(cfg.to_dict())
    for step in range(cfg.train.steps):
        loss = (w - 3.0) ** 2
        loss.backward()
        trace.steps.append({"step": step, "w": w.item(), "loss": loss.item()})
        w.data = w.data - cfg.train.lr * w.grad.data
        w.grad.data.zero_()
    return trace
