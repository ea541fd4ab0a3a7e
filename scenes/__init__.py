"""The views of the lesson: Manim scenes and matplotlib figures, drawn only from the trace."""
