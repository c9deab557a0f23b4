"""Learners' own roleplays: create, derive ("make a similar one") and retry.

All three store state first and enqueue generation with ``transaction.on_commit``
(through ``video_pipeline.services.job_create``), so a worker never sees a job
whose rows are not committed yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from lipread.api.exceptions import ApplicationError
from roleplay.models import Role, Roleplay
from roleplay.selectors import roleplay_lookup

MAX_TITLE = 80
MAX_DESCRIPTION = 500
MAX_ROLE_NAME = 40
MAX_ROLE_DESCRIPTION = 200
MAX_MUST_WORDS = 10
MAX_MUST_WORD_CHARS = 20
MAX_GENERATING = 3

MSG_QUOTA = gettext_noop(
    "You have reached today's limit of {quota} new conversations. Please try again tomorrow."
)
MSG_TOO_MANY_GENERATING = gettext_noop(
    "You already have {limit} conversations being made. Please wait until one is ready."
)
MSG_ROLES = gettext_noop("A conversation needs exactly two roles.")
MSG_ROLE_NAMES_DISTINCT = gettext_noop("The two roles need different names.")
MSG_MUST_WORDS_DISTINCT = gettext_noop("Each word may appear only once.")
MSG_RETRY_NOT_FAILED = gettext_noop("Only a conversation whose creation failed can be retried.")
MSG_RETRY_BUSY = gettext_noop("This conversation is already being made.")


def daily_quota() -> int:
    return int(getattr(settings, "LIPREAD_DAILY_QUOTA", 20))


def _start_of_day(user) -> datetime:
    try:
        zone = ZoneInfo(user.timezone or settings.TIME_ZONE)
    except Exception:
        zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.now().astimezone(zone).date()
    return datetime.combine(today, time.min, tzinfo=zone)


def quota_check(*, user) -> None:
    """429 when the daily quota is used up or three roleplays are already being made."""
    # Lock the user's row so two simultaneous requests cannot both take the last slot.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    mine = Roleplay.objects.owned_by(user)
    if mine.unfinished().count() >= MAX_GENERATING:
        raise ApplicationError(
            gettext(MSG_TOO_MANY_GENERATING).format(limit=MAX_GENERATING),
            {"code": "too_many_generating", "limit": MAX_GENERATING},
            status=429,
        )
    quota = daily_quota()
    if mine.filter(created_at__gte=_start_of_day(user)).count() >= quota:
        raise ApplicationError(
            gettext(MSG_QUOTA).format(quota=quota),
            {"code": "daily_quota", "limit": quota},
            status=429,
        )


def clean_must_words(words: Sequence[str]) -> list[str]:
    cleaned = [w.strip() for w in words if isinstance(w, str) and w.strip()]
    if len(cleaned) > MAX_MUST_WORDS:
        raise ApplicationError(
            f"At most {MAX_MUST_WORDS} words.",
            {"fields": {"must_words": [f"At most {MAX_MUST_WORDS} words."]}},
        )
    too_long = [w for w in cleaned if len(w) > MAX_MUST_WORD_CHARS]
    if too_long:
        message = f"Each word may have at most {MAX_MUST_WORD_CHARS} characters."
        raise ApplicationError(message, {"fields": {"must_words": [message]}})
    if len({w.casefold() for w in cleaned}) != len(cleaned):
        raise ApplicationError(
            MSG_MUST_WORDS_DISTINCT, {"fields": {"must_words": [MSG_MUST_WORDS_DISTINCT]}}
        )
    return cleaned


def _check_roles(roles: Sequence[dict]) -> None:
    if len(roles) != 2:
        raise ApplicationError(MSG_ROLES, {"fields": {"roles": [MSG_ROLES]}})
    names = [str(r.get("name", "")).strip() for r in roles]
    if names[0].casefold() == names[1].casefold():
        raise ApplicationError(
            MSG_ROLE_NAMES_DISTINCT, {"fields": {"roles": [MSG_ROLE_NAMES_DISTINCT]}}
        )


def _start(roleplay: Roleplay, roles: Sequence[dict]) -> Roleplay:
    from video_pipeline.services import job_create

    roleplay.full_clean()
    roleplay.save()
    for position, spec in enumerate(roles):
        role = Role(
            roleplay=roleplay,
            position=position,
            name=spec["name"].strip(),
            description=(spec.get("description") or "").strip(),
            voice=spec.get("voice") or Role.Voice.WOMAN,
        )
        role.full_clean()
        role.save()
    job_create(roleplay=roleplay)
    return roleplay


@transaction.atomic
def roleplay_create(
    *,
    user,
    title: str,
    description: str,
    language: str,
    roles: Sequence[dict],
    must_words: Sequence[str] = (),
) -> Roleplay:
    _check_roles(roles)
    words = clean_must_words(must_words)
    quota_check(user=user)
    roleplay = Roleplay(
        kind=Roleplay.Kind.PERSONAL,
        owner=user,
        language=language,
        title=title.strip(),
        description=(description or "").strip(),
        must_words=words,
        status=Roleplay.Status.QUEUED,
    )
    return _start(roleplay, roles)


@transaction.atomic
def roleplay_derive(*, user, roleplay_id, title: str, must_words: Sequence[str] = ()) -> Roleplay:
    """A new personal roleplay in the parent's situation with new words.

    The parent may be official or the user's own; anyone else's is a 404.
    """
    from roleplay.selectors import roleplay_get

    parent = roleplay_get(user=user, roleplay_id=roleplay_id)
    words = clean_must_words(must_words)
    quota_check(user=user)
    roles = [
        {"name": r.name, "description": r.description, "voice": r.voice}
        for r in parent.roles.order_by("position")
    ]
    _check_roles(roles)
    roleplay = Roleplay(
        kind=Roleplay.Kind.PERSONAL,
        owner=user,
        parent=parent,
        language=parent.language,
        title=(title or parent.title).strip(),
        description=parent.description,
        category=parent.category,
        emoji=parent.emoji,
        must_words=words,
        status=Roleplay.Status.QUEUED,
    )
    return _start(roleplay, roles)


def _owned(*, user, roleplay_id) -> Roleplay:
    return roleplay_lookup(Roleplay.objects.owned_by(user).select_for_update(), roleplay_id)


@transaction.atomic
def roleplay_retry(*, user, roleplay_id) -> Roleplay:
    """Start a failed roleplay again; finished steps and rendered lines are kept."""
    from video_pipeline.services import job_create

    roleplay = _owned(user=user, roleplay_id=roleplay_id)
    if roleplay.status in Roleplay.UNFINISHED:
        raise ApplicationError(MSG_RETRY_BUSY, {"code": "busy"}, status=409)
    if roleplay.status != Roleplay.Status.FAILED:
        raise ApplicationError(MSG_RETRY_NOT_FAILED, {"code": "not_failed"}, status=409)
    if Roleplay.objects.owned_by(user).unfinished().count() >= MAX_GENERATING:
        raise ApplicationError(
            gettext(MSG_TOO_MANY_GENERATING).format(limit=MAX_GENERATING),
            {"code": "too_many_generating", "limit": MAX_GENERATING},
            status=429,
        )
    job_create(roleplay=roleplay)
    roleplay.refresh_from_db()
    return roleplay
