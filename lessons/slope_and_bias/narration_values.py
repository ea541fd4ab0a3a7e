"""The numbers its narration says: the (w, b) lessons' own (lessons/two_parameters)."""

from lessons.two_parameters.narration_values import narration_values

__all__ = ["narration_values"]
