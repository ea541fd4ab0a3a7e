"""The numbers the optimizers lesson's narration says (``${name}`` in
lessons/narration/optimizers.toml), written from its trace."""

from __future__ import annotations

from scenes.narration import said_number


def narration_values(trace) -> dict[str, str]:
    """{name: the words for it} from ``trace`` (an OptimizersTrace)."""
    scale = trace.config.elongated.x_scale
    # x measured in units 1/scale times as large holds values scale times as large
    units = (
        f"{said_number(1 / abs(scale))} times larger"
        if abs(scale) < 1
        else f"{said_number(abs(scale))} times smaller"
    )
    return {"x_units": units}
