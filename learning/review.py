"""Spaced review of missed sentences with FSRS (the `fsrs` library).

A sentence answered below the correctness bar in practice joins the learner's deck;
each review is checked like a practice answer and the score becomes an FSRS rating
(>= 95 Easy, >= 80 Good, >= 50 Hard, else Again) that schedules the next review.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from learning.models import ReviewCard
from lipread.api.exceptions import ApplicationError

CARD_NOT_FOUND = "This review card does not exist."
DUE_LIMIT = 20

_scheduler = Scheduler(enable_fuzzing=False)


def rating_for(*, score: int, lip_score: int) -> Rating:
    if score >= 95:
        return Rating.Easy
    if score >= 80 or lip_score == 100:
        return Rating.Good
    if score >= 50:
        return Rating.Hard
    return Rating.Again


def card_add(*, user: Any, line: Any, now: datetime | None = None) -> ReviewCard:
    """Put a sentence in the deck (once per learner and sentence), due now."""
    now = now or timezone.now()
    card, _ = ReviewCard.objects.get_or_create(
        user=user,
        line=line,
        defaults={"card": Card(card_id=line.pk, due=now).to_dict(), "due": now, "created_at": now},
    )
    return card


def due_cards(
    *, user: Any, now: datetime | None = None, limit: int = DUE_LIMIT
) -> list[ReviewCard]:
    now = now or timezone.now()
    return list(
        ReviewCard.objects.filter(user=user, due__lte=now)
        .select_related("line__roleplay", "line__role")
        .order_by("due", "id")[:limit]
    )


def due_count(*, user: Any, now: datetime | None = None) -> int:
    return ReviewCard.objects.filter(user=user, due__lte=now or timezone.now()).count()


def card_get(*, user: Any, card_id: int) -> ReviewCard:
    card = (
        ReviewCard.objects.filter(user=user, pk=card_id)
        .select_related("line__roleplay", "line__role")
        .first()
    )
    if card is None:
        raise ApplicationError(CARD_NOT_FOUND, status=404)
    return card


def review_answer(
    *, user: Any, card_id: int, input: str, now: datetime | None = None
) -> dict[str, Any]:
    """Check a review answer and schedule the next review: {result, rating, next_due, answer}."""
    from learning.services import answer_check

    card = card_get(user=user, card_id=card_id)
    line = card.line
    result = answer_check(input=input, answer=line.text, language=line.roleplay.language)
    rating = rating_for(score=result["score"], lip_score=result["lip_score"])
    now = now or timezone.now()
    with transaction.atomic():
        card = ReviewCard.objects.select_for_update().get(pk=card.pk)
        scheduled, _log = _scheduler.review_card(
            Card.from_dict(card.card), rating, review_datetime=now
        )
        card.card = scheduled.to_dict()
        card.due = scheduled.due
        card.last_review = now
        card.reviews += 1
        if rating == Rating.Again:
            card.lapses += 1
        card.save(update_fields=["card", "due", "last_review", "reviews", "lapses"])
    return {
        "result": result,
        "rating": rating.name.lower(),
        "next_due": card.due,
        "answer": line.text,
        "lapses": card.lapses,
    }
