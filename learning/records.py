"""Reads for the records pages and API: a month of sessions by local date, one session.

Dates are the learner's local dates (stored on the session when it began, in the
learner's time zone), so a session at 23:30 in Seoul belongs to that Seoul day even
though it is 14:30 UTC.
"""

from __future__ import annotations

import calendar
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from learning.models import Attempt, PracticeSession
from lipread.api.exceptions import ApplicationError

RECORD_NOT_FOUND = gettext_noop("This record does not exist.")
BAD_YEAR = gettext_noop("Year must be a number between 2000 and 2100.")
BAD_MONTH = gettext_noop("Month must be a number from 1 to 12.")


def local_date_of(user: Any, moment: datetime) -> date:
    """The learner's calendar date at `moment`, in their time zone."""
    try:
        zone = zoneinfo.ZoneInfo(user.timezone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return moment.astimezone(zone).date()


def per_line(attempts: Iterable[Attempt]) -> list[dict[str, Any]]:
    """One entry per sentence answered, in conversation order: best score, right or not.

    A learner may answer a sentence several times; the sentence counts once, with its
    best score, and is correct when any attempt was.
    """
    lines: dict[Any, dict[str, Any]] = {}
    for attempt in attempts:
        key = attempt.line_id if attempt.line_id is not None else ("order", attempt.line_order)
        item = lines.get(key)
        if item is None:
            item = lines[key] = {
                "line": attempt.line_id,
                "order": attempt.line_order,
                "text": attempt.answer,
                "best_score": attempt.score,
                "best_lip_score": attempt.lip_score,
                "correct": attempt.correct,
                "attempts": 0,
            }
        item["attempts"] += 1
        item["best_score"] = max(item["best_score"], attempt.score)
        item["best_lip_score"] = max(item["best_lip_score"], attempt.lip_score)
        item["correct"] = item["correct"] or attempt.correct
    return sorted(lines.values(), key=lambda item: item["order"])


def wrong_sentences(attempts: Iterable[Attempt]) -> list[dict[str, Any]]:
    return [
        {
            "line": item["line"],
            "order": item["order"],
            "text": item["text"],
            "best_score": item["best_score"],
        }
        for item in per_line(attempts)
        if not item["correct"]
    ]


def session_summary(session: PracticeSession) -> dict[str, Any]:
    """The numbers the finish endpoint and the records detail show."""
    return {
        "sentence_count": session.sentence_count,
        "correct_count": session.correct_count,
        "average_score": session.average_score,
        "duration_seconds": session.duration_seconds,
        "wrong": wrong_sentences(session.attempts.all()),
    }


def parse_month(year: Any, month: Any, *, default: date) -> tuple[int, int]:
    """Validated (year, month) from query parameters; missing ones default to `default`."""
    fields: dict[str, list[str]] = {}
    try:
        y = default.year if year in (None, "") else int(year)
        if not 2000 <= y <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        fields["year"] = [BAD_YEAR]
    try:
        m = default.month if month in (None, "") else int(month)
        if not 1 <= m <= 12:
            raise ValueError
    except (TypeError, ValueError):
        fields["month"] = [BAD_MONTH]
    if fields:
        raise ApplicationError(next(iter(fields.values()))[0], {"fields": fields})
    return y, m


def roleplay_ref(session: PracticeSession) -> dict[str, Any]:
    """The roleplay as the records show it; a deleted one keeps its stored title."""
    return {
        "id": session.roleplay_id,
        "title": session.roleplay_title,
        "emoji": session.roleplay_emoji,
    }


def month_sessions(*, user: Any, year: int, month: int) -> list[PracticeSession]:
    last = calendar.monthrange(year, month)[1]
    return list(
        PracticeSession.objects.of(user)
        .finished()
        .filter(local_date__gte=date(year, month, 1), local_date__lte=date(year, month, last))
        .order_by("local_date", "started_at", "id")
    )


def records_month(*, user: Any, year: int, month: int) -> dict[str, Any]:
    """{"year", "month", "days": [{"date", "sessions": [...]}]}, days in order."""
    days: dict[date, list[dict[str, Any]]] = {}
    for session in month_sessions(user=user, year=year, month=month):
        days.setdefault(session.local_date, []).append(
            {
                "id": session.pk,
                "roleplay": roleplay_ref(session),
                "mode": session.mode,
                "average_score": session.average_score,
                "duration_seconds": session.duration_seconds,
                "sentence_count": session.sentence_count,
                "correct_count": session.correct_count,
                "finished_at": session.finished_at,
            }
        )
    return {
        "year": year,
        "month": month,
        "days": [{"date": day.isoformat(), "sessions": items} for day, items in days.items()],
    }


def record_get(*, user: Any, session_id: int) -> PracticeSession:
    session = PracticeSession.objects.of(user).filter(pk=session_id).first()
    if session is None:
        raise ApplicationError(RECORD_NOT_FOUND, status=404)
    return session


def record_detail(*, user: Any, session_id: int) -> dict[str, Any]:
    """One session with every attempt, the sentences missed and its numbers."""
    session = record_get(user=user, session_id=session_id)
    attempts = list(session.attempts.all())
    return {
        "id": session.pk,
        "roleplay": roleplay_ref(session),
        "language": session.language,
        "mode": session.mode,
        "started_at": session.started_at,
        "finished_at": session.finished_at,
        "local_date": session.local_date.isoformat(),
        "stats": {
            "sentence_count": session.sentence_count,
            "correct_count": session.correct_count,
            "average_score": session.average_score,
            "duration_seconds": session.duration_seconds,
        },
        "attempts": [
            {
                "id": a.pk,
                "line": a.line_id,
                "order": a.line_order,
                "answer": a.answer,
                "input": a.input,
                "transcript": a.transcript,
                "spoken": a.spoken,
                "score": a.score,
                "lip_score": a.lip_score,
                "correct": a.correct,
                "result": a.result,
                "created_at": a.created_at,
            }
            for a in attempts
        ],
        "wrong": wrong_sentences(attempts),
    }
