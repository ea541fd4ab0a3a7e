"""gdlesson's engine: the lesson's config, the training run and its trace.

``train`` imports torch; it is loaded on first use so that reading a cached trace does not.
"""

__version__ = "0.1.0"

from .config import ConfigError, LessonConfig, load_config  # noqa: E402
from .trace import Trace  # noqa: E402

__all__ = ["ConfigError", "LessonConfig", "Trace", "load_config", "train"]


def train(cfg: LessonConfig) -> Trace:
    """Run the lesson's training loop for ``cfg`` and return its trace."""
    from .training import train as _train

    return _train(cfg)
