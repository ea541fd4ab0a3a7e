"""Choosing the learning rate on validation data (lessons/learning_rates.toml)."""

from lessons.two_parameters import TwoParameterLesson

LESSON = TwoParameterLesson(
    "learning_rates",
    "lessons/learning_rates.toml",
    {
        "LearningRatesCode": "The stochastic loop with the losses on training and validation data",
        "LearningRates": "Training and validation loss for each learning rate",
    },
)
