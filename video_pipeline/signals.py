"""Start-up work for the embedded worker (``make run``): resume and render the library."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from lipread.embedded import embedded_worker_started

logger = logging.getLogger(__name__)


@receiver(embedded_worker_started, dispatch_uid="video_pipeline.resume_on_start")
def resume_on_start(sender, **kwargs) -> None:
    """Re-enqueue jobs a stopped server left unfinished, then any unrendered official lines."""
    from video_pipeline import services

    try:
        resumed = services.jobs_resume()
        library = services.official_render_pending()
    except Exception:  # a missing table (before migrate) must not stop the server
        logger.exception("Could not queue unfinished generation work at start-up")
        return
    logger.info(
        "Start-up: %s job(s) resumed, %s official roleplay(s) queued for rendering",
        resumed,
        len(library),
    )
