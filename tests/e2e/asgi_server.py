"""The real ASGI application (HTTP and websockets) on a free port, in a thread of the tests.

pytest-django's live_server is WSGI: /ws/progress/ answers 404 there and every page then
logs a console error. Uvicorn in a daemon thread serves `lipread.asgi.application` itself,
in the test process, so it shares the test database (SQLite's shared in-memory cache or
PostgreSQL) and the in-memory channel layer with the Dramatiq workers a test starts.
"""

from __future__ import annotations

import socket
import threading
import time


class AsgiLiveServer:
    """One uvicorn server; `url` is its origin, e.g. http://127.0.0.1:43121."""

    def __init__(self, app, *, host: str = "127.0.0.1") -> None:
        import uvicorn

        # Bind here and hand the socket over: no window in which another process takes
        # the port between "found a free one" and "listening".
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(
            app,
            lifespan="off",
            log_level="warning",
            ws="websockets-sansio",
            # An open progress socket must not hold the test's teardown for long.
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"asgi-live-server-{self.port}",
            daemon=True,
        )

    def start(self, timeout: float = 10) -> AsgiLiveServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the ASGI live server stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the ASGI live server did not start within {timeout}s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError(f"the ASGI live server did not stop within {timeout}s")

    def __str__(self) -> str:
        return self.url
