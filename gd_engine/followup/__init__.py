"""The course's follow-up lessons: slope and bias together, batch modes, learning rates.

Same engine style as the first lesson: a parameter file (``lessons/*.toml``) read into a
frozen config, a pure seeded training run (``train``, torch), a trace saved as JSON.
"""

from .config import KINDS, FollowUpConfig, is_followup, load_followup
from .trace import FollowUpTrace

__all__ = ["KINDS", "FollowUpConfig", "FollowUpTrace", "is_followup", "load_followup", "train"]


def train(cfg: FollowUpConfig) -> FollowUpTrace:
    """Run every training the lesson compares and return the trace."""
    from .training import train as _train

    return _train(cfg)
