"""Spaced review: missed sentences join the deck, answers are rated and rescheduled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from learning import review, services
from learning.models import ReviewCard
from tests.learning.helpers import make_roleplay

pytestmark = pytest.mark.django_db


def _missed(user, roleplay, order=1):
    line = roleplay.lines.get(order=order)
    session = services.session_start(user=user, roleplay_id=roleplay.pk, mode="lips")
    services.attempt_create(user=user, session_id=session.pk, line_id=line.pk, input="바다")
    return line, ReviewCard.objects.get(user=user, line=line)


@pytest.mark.parametrize(
    ("score", "lip_score", "rating"),
    [
        (100, 100, Rating.Easy),
        (95, 95, Rating.Easy),
        (80, 90, Rating.Good),
        (60, 100, Rating.Good),
        (50, 60, Rating.Hard),
        (49, 70, Rating.Again),
        (0, 0, Rating.Again),
    ],
)
def test_rating_from_score(score, lip_score, rating):
    assert review.rating_for(score=score, lip_score=lip_score) == rating


def test_due_cards_hide_the_sentence(alice, alice_api):
    roleplay = make_roleplay(rendered=True)
    line, card = _missed(alice, roleplay)
    body = alice_api.get("/api/review/due").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == card.pk and item["line"] == line.pk
    assert item["roleplay"]["id"] == roleplay.pk and item["speaker"] == line.role.name
    assert item["video_url"] and item["poster_url"]
    assert line.text not in str(body)


def test_good_answer_schedules_the_card_later(alice, alice_api):
    roleplay = make_roleplay()
    line, card = _missed(alice, roleplay)
    response = alice_api.post(f"/api/review/{card.pk}/answer", {"input": line.text}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["result"]["score"] == 100 and body["rating"] == "easy"
    assert body["answer"] == line.text
    card.refresh_from_db()
    assert card.due > datetime.now(UTC) + timedelta(days=1)
    assert card.reviews == 1 and card.lapses == 0
    assert alice_api.get("/api/review/due").json()["count"] == 0


def test_wrong_answer_keeps_the_card_soon_and_counts_a_lapse(alice, alice_api):
    roleplay = make_roleplay()
    _line, card = _missed(alice, roleplay)
    body = alice_api.post(f"/api/review/{card.pk}/answer", {"input": "하늘"}, format="json").json()
    assert body["rating"] == "again"
    card.refresh_from_db()
    assert card.lapses == 1
    assert card.due <= datetime.now(UTC) + timedelta(minutes=11)


def test_empty_review_answer_is_400(alice, alice_api):
    _line, card = _missed(alice, make_roleplay())
    response = alice_api.post(f"/api/review/{card.pk}/answer", {"input": ""}, format="json")
    assert response.status_code == 400 and "input" in response.json()["extra"]["fields"]
    card.refresh_from_db()
    assert card.reviews == 0


def test_unknown_card_is_404(alice_api):
    response = alice_api.post("/api/review/999999/answer", {"input": "x"}, format="json")
    assert response.status_code == 404


def test_card_of_a_deleted_roleplay_disappears(alice, alice_api):
    roleplay = make_roleplay(owner=alice)
    _missed(alice, roleplay)
    roleplay.delete()
    assert alice_api.get("/api/review/due").json()["count"] == 0
