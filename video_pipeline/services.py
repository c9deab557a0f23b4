"""Generation jobs: the dialogue step, line rendering and the job's state machine.

The database row is the truth; broker messages only say "look at job N / line N".
Every step therefore starts by reading what is already done, which makes repeated
or re-enqueued messages harmless and lets a killed worker's job resume:

1. ``job_run`` (actor ``generate_roleplay``): running → dialogue written (skipped when
   lines exist) → one ``render_line`` message per line without current assets.
2. ``line_render`` (actor ``render_line``): skipped when the line's assets match its
   text; otherwise synthesise, store through ``default_storage``, then
   ``_job_advance`` recomputes progress (10 % dialogue + 90 % over the lines) and
   finishes the job exactly once when every line is ready.
3. Every state change is committed first, then published (``progress_publish`` uses
   ``on_commit``), and the owner's devices get a push on ready or failed.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from roleplay.models import Line, Role, Roleplay
from video_pipeline.models import GenerationJob
from video_pipeline.progress import progress_publish

logger = logging.getLogger(__name__)

DIALOGUE_SHARE = 10
MSG_LINE_FAILED = gettext_noop("The video for line {order} could not be made. Please try again.")
MSG_UNEXPECTED = gettext_noop(
    "Something went wrong while making this conversation. Please try again."
)
ASSET_FIELDS = {"mp4": "video", "vtt": "captions", "json": "timeline", "jpg": "poster"}

_offline_composer = None


def render_size() -> int:
    return int(settings.LIPREAD_RENDER_SIZE)


def dialogue_backend():
    """The LLM when an endpoint or key is configured, else the offline composer."""
    from roleplay.dialogue import LLMBackend, OfflineComposer

    base_url = getattr(settings, "LIPREAD_LLM_BASE_URL", None)
    api_key = getattr(settings, "LIPREAD_LLM_API_KEY", None)
    if base_url or api_key:
        return LLMBackend(
            base_url or "https://api.openai.com/v1",
            getattr(settings, "LIPREAD_LLM_MODEL", None) or "gpt-4o-mini",
            api_key,
            timeout=getattr(settings, "LIPREAD_LLM_TIMEOUT", 30),
            max_retries=getattr(settings, "LIPREAD_LLM_MAX_RETRIES", 2),
        )
    global _offline_composer
    if _offline_composer is None:
        _offline_composer = OfflineComposer()
    return _offline_composer


# --- Job lifecycle ------------------------------------------------------------------------


def _bump(job: GenerationJob, roleplay: Roleplay, **job_fields) -> None:
    """Save job and roleplay state and publish it after commit (caller holds a transaction)."""
    for name, value in job_fields.items():
        setattr(job, name, value)
    job.seq += 1
    job.save()
    roleplay.save(update_fields=["status", "progress", "error", "emoji", "updated_at"])
    progress_publish(roleplay_id=roleplay.pk)


@transaction.atomic
def job_create(*, roleplay: Roleplay, enqueue: bool = True) -> GenerationJob:
    """Queue (re)generation of a roleplay: reuse its latest job so the event ids keep growing.

    ``enqueue=False`` is for callers that run the job in-process (``render_library --sync``).
    """
    job = (
        GenerationJob.objects.select_for_update().filter(roleplay=roleplay).order_by("-id").first()
    )
    if job is None:
        job = GenerationJob(roleplay=roleplay)
    elif job.status in GenerationJob.UNFINISHED:
        if enqueue:
            transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
        return job
    roleplay.status = Roleplay.Status.QUEUED
    roleplay.error = ""
    roleplay.progress = _progress_of(roleplay)
    _bump(
        job,
        roleplay,
        status=GenerationJob.Status.QUEUED,
        step=GenerationJob.Step.QUEUED,
        error="",
        finished_at=None,
        progress=roleplay.progress,
    )
    if enqueue:
        transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def job_enqueue(*, job_id: int) -> None:
    from video_pipeline.actors import generate_roleplay

    generate_roleplay.send(job_id)


def jobs_resume() -> int:
    """Re-enqueue every unfinished job (start-up after a crash); repeats are harmless."""
    ids = list(GenerationJob.objects.unfinished().values_list("id", flat=True))
    for job_id in ids:
        job_enqueue(job_id=job_id)
    return len(ids)


def _progress_of(roleplay: Roleplay) -> int:
    lines = list(roleplay.lines.values_list("status", flat=True))
    if not lines:
        return 0
    ready = sum(status == Line.Status.READY for status in lines)
    return DIALOGUE_SHARE + (100 - DIALOGUE_SHARE) * ready // len(lines)


def job_run(*, job_id: int) -> list[int]:
    """Steps 1: mark running, write the dialogue if needed; returns the lines to render."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in GenerationJob.UNFINISHED:
            return []
        roleplay = Roleplay.objects.get(pk=job.roleplay_id)
        has_lines = roleplay.lines.exists()
        roleplay.status = Roleplay.Status.GENERATING
        roleplay.progress = _progress_of(roleplay)
        _bump(
            job,
            roleplay,
            status=GenerationJob.Status.RUNNING,
            attempts=job.attempts + 1,
            step=GenerationJob.Step.RENDER if has_lines else GenerationJob.Step.DIALOGUE,
            progress=roleplay.progress,
        )
    if not has_lines:
        from roleplay.dialogue import DialogueError

        try:
            dialogue = _compose(roleplay)
        except DialogueError as exc:
            logger.info("Dialogue for roleplay %s failed: %s", roleplay.pk, exc)
            job_fail(job_id=job_id, message=exc.message)
            return []
        _store_dialogue(job_id=job_id, dialogue=dialogue)
    pending = list(
        Line.objects.filter(roleplay_id=roleplay.pk)
        .exclude(status=Line.Status.READY)
        .order_by("order")
        .values_list("id", flat=True)
    )
    if not pending:
        _job_advance(roleplay_id=roleplay.pk)
    return pending


def _compose(roleplay: Roleplay):
    from roleplay.dialogue import DialogueRequest, RoleSpec, compose_dialogue

    roles = list(roleplay.roles.order_by("position"))
    request = DialogueRequest(
        title=roleplay.title,
        description=roleplay.description,
        language=roleplay.language,
        roles=tuple(RoleSpec(r.name, r.description, r.voice) for r in roles),
        must_words=tuple(roleplay.must_words or ()),
    )
    return compose_dialogue(request, backend=dialogue_backend())


@transaction.atomic
def _store_dialogue(*, job_id: int, dialogue) -> None:
    job = GenerationJob.objects.select_for_update().get(pk=job_id)
    roleplay = Roleplay.objects.get(pk=job.roleplay_id)
    if roleplay.lines.exists():  # a repeated message got here first
        return
    roles = {role.position: role for role in roleplay.roles.all()}
    Line.objects.bulk_create(
        Line(roleplay=roleplay, order=index, role=roles[item.role], text=item.text[:200])
        for index, item in enumerate(dialogue.lines, start=1)
    )
    roleplay.emoji = roleplay.emoji or (dialogue.emoji or "")[:16]
    roleplay.progress = DIALOGUE_SHARE
    _bump(job, roleplay, step=GenerationJob.Step.RENDER, progress=DIALOGUE_SHARE)


def job_fail(*, job_id: int, message: str) -> None:
    """Mark the job and its roleplay failed with a learner-readable reason, then notify."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == GenerationJob.Status.DONE:
            return
        roleplay = Roleplay.objects.get(pk=job.roleplay_id)
        roleplay.status = Roleplay.Status.FAILED
        roleplay.error = message
        _bump(
            job,
            roleplay,
            status=GenerationJob.Status.FAILED,
            step=GenerationJob.Step.FAILED,
            error=message,
            finished_at=timezone.now(),
        )
        transaction.on_commit(lambda: _notify(roleplay.pk))


def _notify(roleplay_id: int) -> None:
    from video_pipeline.push import push_roleplay_outcome

    try:
        push_roleplay_outcome(roleplay_id=roleplay_id)
    except Exception:
        logger.exception("Push for roleplay %s failed", roleplay_id)


def _latest_job(roleplay_id: int, *, lock: bool = False) -> GenerationJob | None:
    jobs = GenerationJob.objects.filter(roleplay_id=roleplay_id).order_by("-id")
    return (jobs.select_for_update() if lock else jobs).first()


def _job_advance(*, roleplay_id: int) -> None:
    """Recompute progress from the lines; finish the job once, when all lines are ready."""
    with transaction.atomic():
        job = _latest_job(roleplay_id, lock=True)
        if job is None or job.status not in GenerationJob.UNFINISHED:
            return
        roleplay = Roleplay.objects.get(pk=roleplay_id)
        progress = _progress_of(roleplay)
        lines = roleplay.lines.count()
        done = lines > 0 and progress == 100
        roleplay.progress = progress
        if done:
            roleplay.status = Roleplay.Status.READY
            roleplay.error = ""
            _bump(
                job,
                roleplay,
                status=GenerationJob.Status.DONE,
                step=GenerationJob.Step.DONE,
                progress=100,
                finished_at=timezone.now(),
            )
            transaction.on_commit(lambda: _notify(roleplay_id))
        else:
            _bump(job, roleplay, progress=progress)


# --- Lines ---------------------------------------------------------------------------------


def line_is_current(line: Line) -> bool:
    return line.status == Line.Status.READY and line.has_assets and line.rendered_text == line.text


def _asset_stem(line: Line, voice: str, size: int) -> str:
    key = f"{line.text}|{line.roleplay.language}|{voice}|{size}".encode()
    return f"lines/{line.roleplay_id}/{line.pk}-{hashlib.sha256(key).hexdigest()[:12]}"


def speech_backend() -> dict:
    """The TTS backend chosen by LIPREAD_TTS_BACKEND, with the OpenAI client settings."""
    backend = getattr(settings, "LIPREAD_TTS_BACKEND", "espeak")
    if backend != "openai":
        return {"speech_backend": "espeak"}
    options = {"api_key": settings.LIPREAD_LLM_API_KEY, "base_url": settings.LIPREAD_LLM_BASE_URL}
    return {
        "speech_backend": "openai",
        "speech_options": {key: value for key, value in options.items() if value},
    }


def line_render(*, line_id: int, size: int | None = None) -> bool:
    """Render one line unless its assets are current; returns whether it rendered."""
    from video_pipeline.engine.pipeline import synthesize_line

    line = Line.objects.select_related("role", "roleplay").filter(pk=line_id).first()
    if line is None:
        return False
    if line_is_current(line):
        _job_advance(roleplay_id=line.roleplay_id)
        return False
    size = size or render_size()
    voice = line.role.voice or Role.Voice.WOMAN
    text = line.text
    Line.objects.filter(pk=line.pk).update(status=Line.Status.RENDERING, error="")
    stem = _asset_stem(line, voice, size)
    with tempfile.TemporaryDirectory(prefix="lipread-line-") as tmp:
        result = synthesize_line(
            text,
            lang=line.roleplay.language,
            voice=voice,
            out_path=Path(tmp) / "line.mp4",
            size=size,
            **speech_backend(),
        )
        names = {ext: _store(getattr(result, ext), f"{stem}.{ext}") for ext in ASSET_FIELDS}
    with transaction.atomic():
        current = Line.objects.select_for_update().get(pk=line.pk)
        old = {getattr(current, field).name for field in ASSET_FIELDS.values()} - set(
            names.values()
        )
        for ext, field in ASSET_FIELDS.items():
            getattr(current, field).name = names[ext]
        current.duration = result.duration
        current.rendered_text = text
        current.status = Line.Status.READY if current.text == text else Line.Status.PENDING
        current.save()
        transaction.on_commit(lambda: _delete_quietly(old))
    _job_advance(roleplay_id=line.roleplay_id)
    return True


def _store(path: Path, name: str) -> str:
    """Save under a content-derived name; a repeat of the same render replaces, never adds."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(path, "rb") as handle:
        return default_storage.save(name, File(handle, name=Path(name).name))


def _delete_quietly(names: set[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            logger.warning("Could not delete old asset %s", name)


def line_fail(*, line_id: int, message: str) -> None:
    """A line that kept failing fails its job, naming the line (a retry resumes there)."""
    line = Line.objects.filter(pk=line_id).first()
    if line is None:
        return
    Line.objects.filter(pk=line_id).update(status=Line.Status.FAILED, error=message[:2000])
    job = _latest_job(line.roleplay_id)
    if job is not None:
        job_fail(job_id=job.pk, message=MSG_LINE_FAILED.format(order=line.order))


def lines_reset(*, line_ids: list[int]) -> int:
    """Forget the assets of these lines so the next job renders them again."""
    lines = list(Line.objects.filter(pk__in=line_ids))
    for line in lines:
        names = {getattr(line, field).name for field in ASSET_FIELDS.values()}
        for field in ASSET_FIELDS.values():
            getattr(line, field).name = ""
        line.status = Line.Status.PENDING
        line.rendered_text = ""
        line.save()
        transaction.on_commit(lambda names=names: _delete_quietly(names))
    return len(lines)


def roleplay_render(*, roleplay: Roleplay) -> GenerationJob | None:
    """Queue rendering of a roleplay's lines that lack current assets (admin, library)."""
    if not roleplay.lines.exists():
        return None
    return job_create(roleplay=roleplay)


def official_pending_ids(*, limit: int | None = None) -> list[int]:
    """Official roleplays with at least one line lacking current assets."""
    from django.db.models import F, Q

    stale = (
        Q(lines__video="")
        | Q(lines__captions="")
        | Q(lines__poster="")
        | Q(lines__timeline="")
        | ~Q(lines__rendered_text=F("lines__text"))
    )
    ids = list(
        Roleplay.objects.official()
        .filter(stale)
        .distinct()
        .order_by("id")
        .values_list("id", flat=True)
    )
    return ids[:limit] if limit is not None else ids


def job_run_inline(*, roleplay: Roleplay) -> GenerationJob | None:
    """Run a roleplay's job in this process (no broker): for commands and debugging."""
    if not roleplay.lines.exists() and roleplay.is_official:
        return None
    job = job_create(roleplay=roleplay, enqueue=False)
    for line_id in job_run(job_id=job.pk):
        try:
            line_render(line_id=line_id)
        except Exception as exc:
            logger.exception("Line %s failed", line_id)
            line_fail(line_id=line_id, message=str(exc) or type(exc).__name__)
            break
    job.refresh_from_db()
    return job


def official_render_pending(*, limit: int | None = None) -> list[int]:
    """Queue every official roleplay with a line lacking current assets; returns their ids."""
    ids = official_pending_ids(limit=limit)
    busy = set(
        GenerationJob.objects.unfinished()
        .filter(roleplay_id__in=ids)
        .values_list("roleplay_id", flat=True)
    )
    for roleplay in Roleplay.objects.filter(pk__in=[i for i in ids if i not in busy]):
        job_create(roleplay=roleplay)
    return ids
