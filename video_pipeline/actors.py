"""Dramatiq actors: thin wrappers that load ids, call services and own retries.

Queues: ``dialogue`` (LLM/composer calls), ``video`` (learners' lines) and
``library`` (official-library renders, lower priority so a learner's request
overtakes a long library render on a shared worker).
"""

from __future__ import annotations

import logging

import dramatiq
from dramatiq.middleware import CurrentMessage, Middleware

from video_pipeline import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
DIALOGUE_TIME_LIMIT_MS = 10 * 60 * 1000
RENDER_TIME_LIMIT_MS = 30 * 60 * 1000


def _is_last_attempt(default_max: int) -> bool:
    message = CurrentMessage.get_current_message()
    if message is None:
        return True
    retries = message.options.get("retries", 0)
    return retries >= message.options.get("max_retries", default_max)


@dramatiq.actor(
    queue_name="dialogue",
    max_retries=MAX_RETRIES,
    min_backoff=2000,
    max_backoff=60_000,
    time_limit=DIALOGUE_TIME_LIMIT_MS,
)
def generate_roleplay(job_id: int) -> None:
    try:
        pending = services.job_run(job_id=job_id)
    except Exception:
        if _is_last_attempt(MAX_RETRIES):
            logger.exception("Generation job %s failed for good", job_id)
            services.job_fail(job_id=job_id, message=services.MSG_UNEXPECTED)
            return
        raise
    if not pending:
        return
    from video_pipeline.models import GenerationJob

    official = GenerationJob.objects.filter(pk=job_id, roleplay__kind="official").exists()
    actor = render_library_line if official else render_line
    for line_id in pending:
        actor.send(line_id)


def _render(line_id: int) -> None:
    from video_pipeline.engine.types import EngineError

    try:
        services.line_render(line_id=line_id)
    except EngineError as exc:  # bad input: retrying cannot help
        logger.warning("Line %s cannot be rendered: %s", line_id, exc)
        services.line_fail(line_id=line_id, message=str(exc))
    except Exception as exc:
        if _is_last_attempt(MAX_RETRIES):
            logger.exception("Line %s failed after its retries", line_id)
            services.line_fail(line_id=line_id, message=str(exc) or type(exc).__name__)
            return
        raise


@dramatiq.actor(
    queue_name="video",
    max_retries=MAX_RETRIES,
    min_backoff=5000,
    max_backoff=120_000,
    time_limit=RENDER_TIME_LIMIT_MS,
)
def render_line(line_id: int) -> None:
    _render(line_id)


@dramatiq.actor(
    queue_name="library",
    priority=100,
    max_retries=MAX_RETRIES,
    min_backoff=5000,
    max_backoff=120_000,
    time_limit=RENDER_TIME_LIMIT_MS,
)
def render_library_line(line_id: int) -> None:
    _render(line_id)


class ResumeUnfinishedJobs(Middleware):
    """A real worker process re-enqueues unfinished jobs when it boots.

    Messages of a killed worker come back from Redis only after its heartbeat times
    out; re-enqueueing from the database resumes at once, and repeats are no-ops.
    The embedded stub-broker worker resumes through ``embedded_worker_started``.
    """

    def after_worker_boot(self, broker, worker) -> None:
        from django.conf import settings
        from dramatiq.brokers.stub import StubBroker

        if isinstance(broker, StubBroker) or settings.TESTING:
            return
        try:
            count = services.jobs_resume()
        except Exception:
            logger.exception("Could not re-enqueue unfinished generation jobs")
            return
        if count:
            logger.info("Re-enqueued %s unfinished generation job(s)", count)


_broker = dramatiq.get_broker()
if not any(isinstance(m, ResumeUnfinishedJobs) for m in _broker.middleware):
    _broker.add_middleware(ResumeUnfinishedJobs())
