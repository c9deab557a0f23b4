"""espeak-ng through ctypes: PCM plus a phoneme timeline straight from the synthesiser.

Why espeak: it runs offline in milliseconds, speaks Korean and English, and its
phoneme events say exactly when each phoneme starts in its own audio — no forced
alignment needed. The library is a process-global C singleton, so every call goes
through one lock and the library is initialised once per process.

How a rendering is read:

1. ``espeak_Synth`` in synchronous mode calls our callback with PCM chunks and
   events. Phoneme events (type 7) carry the IPA string and the sample where the
   phoneme starts; an empty string is a pause. Word events (type 1) carry the
   character position of the word in the input text.
2. A phoneme ends where the next event (phoneme or pause) starts; pauses become
   gaps in the timeline, never phonemes.
3. Event strings are cleaned into IPA units (:mod:`.ipa`); an event holding two
   units shares its interval evenly between them.
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass, field

import numpy as np

from video_pipeline.engine.speech.ipa import clean_event, merge_korean_aspiration
from video_pipeline.engine.types import LANGUAGES, VOICES, EngineError, Phoneme

AUDIO_OUTPUT_SYNCHRONOUS = 2
OPTION_PHONEME_EVENTS = 0x1
OPTION_PHONEME_IPA = 0x2
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
EVENT_PHONEME = 7
PARAM_RATE = 1
PARAM_PITCH = 3
PARAM_RANGE = 4
MIN_WPM = 80  # espeak clamps lower rates to this
MAX_WPM = 450


@dataclass(frozen=True)
class EspeakVoice:
    """How one role sounds: an espeak voice variant plus pitch (0-100), range and speed."""

    variant: str
    pitch: int
    pitch_range: int
    words_per_minute: int


# Older voices are lower and slower (and the grand* variants add a slight tremor);
# women and men differ by variant (formants) and pitch. Variants with an echo effect
# (f2-f5, m2) are avoided: their reverb tail sounds on after the mouth has closed.
ROLE_VOICES: dict[str, EspeakVoice] = {
    "woman": EspeakVoice("belinda", pitch=55, pitch_range=60, words_per_minute=165),
    "man": EspeakVoice("m3", pitch=45, pitch_range=50, words_per_minute=160),
    "older_woman": EspeakVoice("grandma", pitch=35, pitch_range=40, words_per_minute=140),
    "older_man": EspeakVoice("grandpa", pitch=25, pitch_range=35, words_per_minute=130),
}


class _EventId(ctypes.Union):
    _fields_ = [
        ("number", ctypes.c_int),
        ("name", ctypes.c_char_p),
        ("string", ctypes.c_char * 8),
    ]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class Rendering:
    """One espeak synthesis: audio, phonemes, and where espeak said words begin.

    ``word_marks`` holds ``(char_offset, phoneme_index)``: the word starting at
    ``char_offset`` (0-based, in the synthesised text) begins with
    ``phonemes[phoneme_index]``.
    """

    samples: np.ndarray
    sample_rate: int
    phonemes: list[Phoneme] = field(default_factory=list)
    word_marks: list[tuple[int, int]] = field(default_factory=list)


class _Engine:
    """The process-wide espeak instance and the buffers its callback fills."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        data_path = espeakng_loader.get_data_path().encode()
        options = OPTION_PHONEME_EVENTS | OPTION_PHONEME_IPA
        rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, options)
        if rate <= 0:
            raise EngineError("espeak-ng could not start (its voice data was not found).")
        self.sample_rate = int(rate)
        self.chunks: list[bytes] = []
        self.events: list[tuple[int, int, int, str]] = []
        # Kept on the instance: ctypes frees a callback whose Python object is collected.
        self.callback = _SynthCallback(self._on_synth)
        self.lib.espeak_SetSynthCallback(self.callback)

    def _on_synth(self, wav: ctypes.Array, count: int, events: ctypes.Array) -> int:
        if count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == EVENT_PHONEME:
                name = bytes(event.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
                self.events.append((EVENT_PHONEME, event.sample, 0, name))
            elif event.type == EVENT_WORD:
                self.events.append((EVENT_WORD, event.sample, event.text_position, ""))
            i += 1
        return 0

    def synthesize(self, text: str, lang: str, voice: EspeakVoice, rate: float) -> Rendering:
        name = f"{lang}+{voice.variant}".encode()
        if self.lib.espeak_SetVoiceByName(name) != 0:
            raise EngineError(f"espeak-ng has no voice {name.decode()!r}.")
        wpm = min(MAX_WPM, max(MIN_WPM, round(voice.words_per_minute * rate)))
        self.lib.espeak_SetParameter(PARAM_RATE, wpm, 0)
        self.lib.espeak_SetParameter(PARAM_PITCH, voice.pitch, 0)
        self.lib.espeak_SetParameter(PARAM_RANGE, voice.pitch_range, 0)
        self.chunks, self.events = [], []
        data = text.encode("utf-8")
        status = self.lib.espeak_Synth(
            data, len(data) + 1, 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None
        )
        self.lib.espeak_Synchronize()
        if status != 0:
            raise EngineError(f"espeak-ng failed to synthesise the text (status {status}).")
        pcm = np.frombuffer(b"".join(self.chunks), dtype=np.int16)
        samples = pcm.astype(np.float32) / 32768.0
        phonemes, marks = _timeline(self.events, len(samples), self.sample_rate, lang)
        return Rendering(samples, self.sample_rate, phonemes, marks)


_lock = threading.Lock()
_engine: _Engine | None = None


def _reset_after_fork() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)


def sample_rate() -> int:
    """espeak's output rate (22050 Hz); the rate every backend's audio is brought to."""
    with _lock:
        return _get_engine().sample_rate


def _get_engine() -> _Engine:
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


def synthesize(text: str, *, lang: str, voice: str, rate: float = 1.0) -> Rendering:
    """Speak ``text`` (already normalised) with a role voice; thread-safe."""
    if lang not in LANGUAGES:
        raise EngineError(f"espeak-ng backend speaks {', '.join(LANGUAGES)}, not {lang!r}.")
    if voice not in ROLE_VOICES:
        raise EngineError(f"Unknown voice {voice!r}; choose one of {', '.join(VOICES)}.")
    with _lock:
        return _get_engine().synthesize(text, lang, ROLE_VOICES[voice], rate)


def _timeline(
    events: list[tuple[int, int, int, str]], total: int, rate: int, lang: str
) -> tuple[list[Phoneme], list[tuple[int, int]]]:
    """Phonemes in seconds and word marks from the raw event stream (see module doc)."""
    starts = [(sample, name) for kind, sample, _, name in events if kind == EVENT_PHONEME]
    timed: list[tuple[str, int, int, int]] = []  # unit, start, end, raw event index
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else total
        end = min(max(end, start), total)
        units = clean_event(name, lang)
        if not units or end <= start:
            continue
        step = (end - start) / len(units)
        for k, unit in enumerate(units):
            unit_start = start + round(k * step)
            unit_end = start + round((k + 1) * step)
            if unit_end > unit_start:
                timed.append((unit, unit_start, unit_end, index))
    if lang == "ko":
        timed = _merge_aspiration_keeping_index(timed)
    phonemes = [Phoneme(unit, s / rate, e / rate) for unit, s, e, _ in timed]
    marks: list[tuple[int, int]] = []
    raw_seen = 0
    for kind, _, text_position, _ in events:
        if kind == EVENT_PHONEME:
            raw_seen += 1
        elif kind == EVENT_WORD:
            first = next((i for i, t in enumerate(timed) if t[3] >= raw_seen), None)
            if first is not None:
                marks.append((text_position - 1, first))
    return phonemes, marks


def _merge_aspiration_keeping_index(
    timed: list[tuple[str, int, int, int]],
) -> list[tuple[str, int, int, int]]:
    merged = merge_korean_aspiration([(u, s, e) for u, s, e, _ in timed])
    by_start = {s: i for _, s, _, i in timed}
    return [(u, s, e, by_start[s]) for u, s, e in merged]
