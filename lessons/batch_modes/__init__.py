"""Batch, stochastic and mini-batch gradient descent on one contour (lessons/batch_modes.toml)."""

from lessons.two_parameters import TwoParameterLesson

LESSON = TwoParameterLesson(
    "batch_modes",
    "lessons/batch_modes.toml",
    {
        "BatchModesCode": "The loops of full batch, one sample and mini-batches, line by line",
        "BatchModes": "Batch, stochastic and mini-batch paths and losses, on one clock",
    },
)
