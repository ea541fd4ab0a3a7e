"""The slope and the bias trained together, on the cost surface (lessons/slope_and_bias.toml)."""

from lessons.two_parameters import TwoParameterLesson

LESSON = TwoParameterLesson(
    "slope_bias",
    "lessons/slope_and_bias.toml",
    {
        "SlopeBiasCode": "The loop in PyTorch, line by line: w, b, the loss and both gradients",
        "SlopeBias": "The path of (w, b) on the contour of the cost, with the fitted line",
        "SlopeBiasSurface": "The same path on the cost surface",
    },
)
