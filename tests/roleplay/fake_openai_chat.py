"""A scripted OpenAI-compatible chat server on 127.0.0.1 for testing the LLM backend.

Responses are queued in order; every request is recorded (path, headers, JSON body)
so tests can assert on what the client really sent over HTTP.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Scripted:
    status: int
    body: dict[str, Any]
    delay_s: float = 0.0


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body["messages"]


def completion(content: str, model: str = "fake-model") -> dict[str, Any]:
    """A chat completion in the OpenAI wire format."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeChatServer:
    """``with FakeChatServer() as server: LLMBackend(server.base_url, ...)``."""

    def __init__(self) -> None:
        self._script: deque[Scripted] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def reply(self, content: str | dict[str, Any], *, delay_s: float = 0.0) -> None:
        """Queue an assistant answer; a dict is sent as its JSON text."""
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        self._script.append(Scripted(200, completion(text), delay_s))

    def fail(self, status: int, message: str = "scripted failure") -> None:
        """Queue an HTTP error with an OpenAI-style error body."""
        body = {"error": {"message": message, "type": "server_error", "param": None, "code": None}}
        self._script.append(Scripted(status, body))

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next(self, recorded: Recorded) -> Scripted:
        with self._lock:
            self.requests.append(recorded)
            if self._script:
                return self._script.popleft()
        return Scripted(500, {"error": {"message": "no scripted response left"}})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                recorded = Recorded(self.path, headers, body)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    scripted = Scripted(404, {"error": {"message": f"no route {self.path}"}})
                else:
                    scripted = server._next(recorded)
                time.sleep(scripted.delay_s)
                payload = json.dumps(scripted.body).encode()
                try:
                    self.send_response(scripted.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
