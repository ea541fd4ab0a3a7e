"""How the build runs its children (manim, ffmpeg, gifsicle)."""

from __future__ import annotations

import shutil

#: a child is killed with the build (util-linux's setpriv), so a killed build leaves no
#: renderer writing behind it
WITH_PARENT = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
