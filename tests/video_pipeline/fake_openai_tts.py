"""A small OpenAI-compatible TTS server on 127.0.0.1 that speaks with espeak.

It answers ``POST /v1/audio/speech`` with real speech in a different voice and at
a different speed from the reference rendering the backend makes (so alignment has
work to do), sampled at 24 kHz like OpenAI's, and remembers the phoneme timeline
of what it sent — the truth the alignment is measured against.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import wave
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import av
import numpy as np
from scipy.signal import resample_poly

from video_pipeline.engine.speech import espeak
from video_pipeline.engine.types import Phoneme

SERVER_RATE = 24000
SPEED_FACTOR = 0.8  # the server speaks slower than asked
# OpenAI voice -> espeak role the fake uses (never the role the client asked for)
FAKE_VOICES = {"nova": "older_woman", "echo": "older_man", "alloy": "woman", "onyx": "man"}


@dataclass
class FakeTTS:
    """Server state: how to answer, and what was asked and sent."""

    mode: str = "ok"  # ok | error500 | slow | garbage
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    truth: list[Phoneme] = field(default_factory=list)
    base_url: str = ""

    def render(self, payload: dict) -> tuple[bytes, str]:
        text = payload["input"]
        lang = "ko" if re.search("[가-힣]", text) else "en"
        role = FAKE_VOICES.get(payload["voice"], "man")
        speed = float(payload.get("speed", 1.0)) * SPEED_FACTOR
        rendering = espeak.synthesize(text, lang=lang, voice=role, rate=speed)
        self.truth = rendering.phonemes
        audio = resample_poly(rendering.samples, SERVER_RATE, rendering.sample_rate)
        if payload.get("response_format") == "mp3":
            return _mp3(audio), "audio/mpeg"
        return _wav(audio), "audio/wav"


def _wav(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SERVER_RATE)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def _mp3(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=SERVER_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            audio.astype(np.float32)[None, :], format="flt", layout="mono"
        )
        frame.sample_rate = SERVER_RATE
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=SERVER_RATE)
        for chunk in resampler.resample(frame):
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def _handler(state: FakeTTS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append({"path": self.path, **payload})
            if self.path != "/v1/audio/speech":
                self._send(404, b'{"error": {"message": "not found"}}', "application/json")
            elif state.mode == "error500":
                self._send(500, b'{"error": {"message": "boom"}}', "application/json")
            elif state.mode == "slow":
                time.sleep(state.delay)
                self._send(200, b"", "audio/wav")
            elif state.mode == "garbage":
                self._send(200, b"this is not audio at all" * 20, "audio/wav")
            else:
                body, kind = state.render(payload)
                self._send(200, body, kind)

        def _send(self, code: int, body: bytes, kind: str) -> None:
            try:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

    return Handler


class FakeServer:
    """Context manager: ``with FakeServer() as state: ... state.base_url``."""

    def __init__(self) -> None:
        self.state = FakeTTS()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.server.daemon_threads = True
        port = self.server.server_address[1]
        self.state.base_url = f"http://127.0.0.1:{port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeTTS:
        self.thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
