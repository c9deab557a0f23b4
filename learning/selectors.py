"""Reads for learning data: the learner's totals, streak, recent and per-roleplay stats.

`studied_roleplay_ids` and `roleplay_stats` are called by the roleplay app (list and
detail pages); their signatures are part of that contract.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, Max, Sum
from django.utils import timezone

from learning.models import Attempt, LearnerStats, PracticeSession
from learning.records import local_date_of
from roleplay.models import Roleplay

RECENT_LIMIT = 10


def studied_roleplay_ids(*, user) -> set[int]:
    """Ids of roleplays the user has practised at least once (a finished session)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        PracticeSession.objects.of(user)
        .finished()
        .filter(roleplay__isnull=False)
        .values_list("roleplay_id", flat=True)
        .distinct()
    )


def roleplay_stats(*, user, roleplay) -> dict | None:
    """The user's stats for one roleplay, or None when never studied.

    Shape: {"times_studied", "average_score", "total_seconds",
            "most_missed": {"line", "text", "misses"} | None}
    """
    if user is None or not user.is_authenticated:
        return None
    sessions = PracticeSession.objects.of(user).finished().filter(roleplay=roleplay)
    totals = sessions.aggregate(
        times=Count("id"), average=Avg("average_score"), seconds=Sum("duration_seconds")
    )
    if not totals["times"]:
        return None
    missed = (
        Attempt.objects.filter(session__in=sessions, correct=False, line__isnull=False)
        .values("line_id", "answer")
        .annotate(misses=Count("id"))
        .order_by("-misses", "line__order")
        .first()
    )
    return {
        "times_studied": totals["times"],
        "average_score": round(totals["average"]) if totals["average"] is not None else None,
        "total_seconds": totals["seconds"] or 0,
        "most_missed": (
            {"line": missed["line_id"], "text": missed["answer"], "misses": missed["misses"]}
            if missed
            else None
        ),
    }


def learner_today(user: Any) -> date:
    return local_date_of(user, timezone.now())


def streak_days(*, user: Any, today: date | None = None) -> int:
    """Consecutive local days with a finished session, ending today or yesterday."""
    today = today or learner_today(user)
    dates = (
        PracticeSession.objects.of(user)
        .finished()
        .filter(local_date__lte=today)
        .values_list("local_date", flat=True)
        .distinct()
        .order_by("-local_date")
    )
    streak, expected = 0, None
    for day in dates.iterator():
        if expected is None:
            if day < today - timedelta(days=1):
                return 0
            expected = day
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak


def learner_stats(*, user: Any, today: date | None = None) -> dict[str, Any]:
    """{sentences_practised, practice_seconds, average_score, streak_days}."""
    row = LearnerStats.objects.filter(user=user).first()
    sentences = row.sentences_practised if row else 0
    return {
        "sentences_practised": sentences,
        "correct_sentences": row.correct_sentences if row else 0,
        "sessions_finished": row.sessions_finished if row else 0,
        "practice_seconds": row.practice_seconds if row else 0,
        "average_score": round(row.score_total / sentences) if row and sentences else None,
        "streak_days": streak_days(user=user, today=today),
    }


def recent_roleplays(*, user: Any, limit: int = RECENT_LIMIT) -> list[dict[str, Any]]:
    """The last practised roleplays, distinct, most recent first; deleted ones drop out."""
    latest = (
        PracticeSession.objects.of(user)
        .filter(roleplay__in=Roleplay.objects.visible_to(user))
        .values("roleplay_id")
        .annotate(last=Max("started_at"))
        .order_by("-last")[:limit]
    )
    order = {row["roleplay_id"]: row["last"] for row in latest}
    roleplays = Roleplay.objects.filter(pk__in=order).select_related("category")
    items = sorted(roleplays, key=lambda rp: order[rp.pk], reverse=True)
    return [
        {
            "id": rp.pk,
            "title": rp.title,
            "emoji": rp.emoji,
            "language": rp.language,
            "kind": rp.kind,
            "status": rp.status,
            "last_practised": order[rp.pk],
        }
        for rp in items
    ]
