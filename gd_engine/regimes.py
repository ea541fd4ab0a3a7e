"""Learning-rate regimes of the lesson's problem, and presets derived from the data.

The cost is a parabola in w with curvature 2*mean(x^2), so one step multiplies the error
w - w* by ``1 - 2*lr*mean(x^2)``:

- ``0 < lr < 1/(2*mean(x^2))``: the factor is in (0, 1): smooth convergence;
- ``lr = 1/(2*mean(x^2))``: the factor is 0: the minimum in one step;
- ``1/(2*mean(x^2)) < lr < 1/mean(x^2)``: the factor is in (-1, 0): the steps overshoot and
  oscillate around the minimum, converging;
- ``lr = 1/mean(x^2)``: the factor is -1: oscillation for ever;
- ``lr > 1/mean(x^2)``: |factor| > 1: divergence.
"""

from __future__ import annotations

#: presets: lr * mean(x^2), so that they keep their meaning when the data change
PRESETS = {
    "slow": 0.05,  # factor 0.9: creeps towards the minimum
    "smooth": 0.3,  # factor 0.4: the lesson's own regime (lr 0.1 on the default data)
    "oscillating": 0.8,  # factor -0.6: overshoots, zig-zags in
    "divergent": 1.15,  # factor -1.3: overshoots further each step
}


def preset_lr(name: str, mean_x2: float) -> float:
    return PRESETS[name] / mean_x2


def bounds(mean_x2: float) -> tuple[float, float]:
    """(lr above which steps oscillate, lr above which they diverge)."""
    return 1.0 / (2.0 * mean_x2), 1.0 / mean_x2


def factor(lr: float, mean_x2: float) -> float:
    """What one step multiplies the error w - w* by."""
    return 1.0 - 2.0 * lr * mean_x2


def regime(lr: float, mean_x2: float, rel: float = 1e-9) -> str:
    f = factor(lr, mean_x2)
    if abs(f) <= rel:
        return "one step"
    if abs(f + 1) <= rel:
        return "oscillates for ever"
    if f > 0:
        return "smooth"
    if f > -1:
        return "oscillating"
    return "divergent"
