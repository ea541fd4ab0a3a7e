"""Put on PYTHONPATH by a test: every scene whose beats include ``$GDLESSON_TEST_FAIL_BEAT``
fails when it starts rendering, as a beat with a bug would. Nothing of this is in the
production scenes."""

import os

FAILING = os.environ.get("GDLESSON_TEST_FAIL_BEAT")

if FAILING:
    from manim import Scene

    _render = Scene.render

    def render(self, *args, **kwargs):
        if FAILING in getattr(self, "beats", ()):
            raise RuntimeError(f"beat {FAILING} failed on purpose (GDLESSON_TEST_FAIL_BEAT)")
        return _render(self, *args, **kwargs)

    Scene.render = render
