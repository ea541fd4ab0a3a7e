"""What every lesson's engine shares: the bound past which a run counts as diverged, and the
versions a trace records."""

from __future__ import annotations

import platform

#: |w| (or any parameter) beyond this counts as diverged: the trace stops there and never
#: holds inf or NaN.
W_BOUND = 1e12


def versions() -> dict[str, str]:
    """The versions that made a trace: gdlesson's, numpy's, Python's and torch's."""
    import numpy as np
    import torch

    from . import __version__

    return {
        "gdlesson": __version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
