"""The embedded Dramatiq worker for the single-process default.

With no LIPREAD_BROKER_URL the broker is Dramatiq's in-memory stub broker, and
nothing would consume it: the serving process starts one worker thread for it.
Tests and other management commands never start it (they drive workers
themselves), so this is called only from the ASGI entry point.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.dispatch import Signal

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_worker = None

# Sent once the worker runs, so apps can re-enqueue unfinished jobs from the database.
embedded_worker_started = Signal()


def start_embedded_worker():
    global _worker
    if not settings.LIPREAD_EMBEDDED_WORKER or settings.TESTING:
        return None
    with _lock:
        if _worker is not None:
            return _worker
        import dramatiq
        from dramatiq import Worker

        broker = dramatiq.get_broker()
        _worker = Worker(broker, worker_threads=1, worker_timeout=1000)
        _worker.start()
        logger.info("Embedded Dramatiq worker started (stub broker, 1 thread).")
        embedded_worker_started.send(sender=Worker, worker=_worker)
        return _worker
