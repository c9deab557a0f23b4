"""Practice sessions: start, attempts, finish, stats, recent roleplays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learning import services
from learning.models import Attempt, PracticeSession, ReviewCard
from learning.selectors import roleplay_stats, studied_roleplay_ids
from tests.learning.helpers import make_roleplay, opus_webm

pytestmark = pytest.mark.django_db


def _start(client, roleplay, mode="lips"):
    response = client.post("/api/sessions", {"roleplay": roleplay.pk, "mode": mode}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _answer(client, session_id, line, text, **extra):
    return client.post(
        f"/api/sessions/{session_id}/attempts",
        {"line": line.pk, "input": text, **extra},
        format="json",
    )


def test_start_session_on_official_and_own_roleplay(alice, alice_api):
    official = make_roleplay()
    own = make_roleplay(owner=alice)
    first = alice_api.post(
        "/api/sessions", {"roleplay": official.pk, "mode": "lips"}, format="json"
    )
    assert first.status_code == 201
    assert first.json()["roleplay"] == official.pk and first.json()["mode"] == "lips"
    assert first.json()["finished_at"] is None
    assert _start(alice_api, own, "listen")


def test_cannot_start_a_session_on_someone_elses_roleplay(bob, alice_api):
    bobs = make_roleplay(owner=bob)
    response = alice_api.post("/api/sessions", {"roleplay": bobs.pk, "mode": "lips"}, format="json")
    assert response.status_code == 404
    assert response.json()["message"] == services.ROLEPLAY_NOT_FOUND


@pytest.mark.parametrize(
    "payload",
    [{"roleplay": "x", "mode": "lips"}, {"mode": "lips"}, {"roleplay": 1, "mode": "sing"}],
)
def test_start_rejects_bad_input(alice_api, payload):
    response = alice_api.post("/api/sessions", payload, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]


def test_attempt_is_checked_and_stored_by_the_server(alice, alice_api):
    roleplay = make_roleplay()
    line = roleplay.lines.get(order=1)
    session_id = _start(alice_api, roleplay)
    response = _answer(alice_api, session_id, line, "커피 한잔 주세요", score=0, correct=False)
    assert response.status_code == 201
    body = response.json()
    assert body["score"] == 100 and body["correct"] is True
    attempt = Attempt.objects.get(pk=body["attempt"])
    assert attempt.input == "커피 한잔 주세요" and attempt.answer == line.text
    assert attempt.correct and not attempt.spoken


def test_wrong_answer_joins_the_review_deck_once(alice, alice_api):
    roleplay = make_roleplay()
    line = roleplay.lines.get(order=1)
    session_id = _start(alice_api, roleplay)
    assert _answer(alice_api, session_id, line, "바다").json()["correct"] is False
    assert _answer(alice_api, session_id, line, "하늘").json()["correct"] is False
    assert ReviewCard.objects.filter(user=alice, line=line).count() == 1


def test_lip_look_alike_answer_counts_as_correct(alice, alice_api):
    roleplay = make_roleplay(language="en")
    line = roleplay.lines.get(order=3)
    line.text = "bob met pam"
    line.save()
    session_id = _start(alice_api, roleplay)
    body = _answer(alice_api, session_id, line, "pop bet bam").json()
    assert body["score"] < services.CORRECT_SCORE and body["lip_score"] == 100
    assert body["correct"] is True
    assert not ReviewCard.objects.filter(user=alice).exists()


def test_line_of_another_roleplay_is_rejected(alice_api):
    roleplay, other = make_roleplay(), make_roleplay(title="병원")
    session_id = _start(alice_api, roleplay)
    response = _answer(alice_api, session_id, other.lines.first(), "안녕하세요")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["line"] == [services.LINE_NOT_IN_ROLEPLAY]


def test_empty_answer_is_rejected(alice_api):
    roleplay = make_roleplay()
    session_id = _start(alice_api, roleplay)
    response = _answer(alice_api, session_id, roleplay.lines.first(), "  ")
    assert response.status_code == 400 and "input" in response.json()["extra"]["fields"]


def test_finished_session_takes_no_more_attempts(alice_api):
    roleplay = make_roleplay()
    session_id = _start(alice_api, roleplay)
    assert alice_api.post(f"/api/sessions/{session_id}/finish").status_code == 200
    response = _answer(alice_api, session_id, roleplay.lines.first(), "안녕하세요")
    assert response.status_code == 400
    assert response.json()["message"] == services.SESSION_FINISHED


def test_spoken_attempt_is_stored_with_its_transcript(alice, alice_api):
    roleplay = make_roleplay()
    line = roleplay.lines.first()
    session_id = _start(alice_api, roleplay, "listen")
    audio = SimpleUploadedFile(
        "a.webm", opus_webm(np.zeros(16000, np.float32), 16000), "audio/webm"
    )
    response = alice_api.post(
        f"/api/sessions/{session_id}/attempts",
        {"line": line.pk, "audio": audio},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["transcript"] == "" and body["score"] == 0 and body["message"]
    attempt = Attempt.objects.get(pk=body["attempt"])
    assert attempt.spoken and attempt.transcript == "" and not attempt.correct


def test_spoken_attempt_with_bad_audio_is_rejected(alice_api):
    roleplay = make_roleplay()
    session_id = _start(alice_api, roleplay)
    audio = SimpleUploadedFile("a.webm", b"not audio at all", "audio/webm")
    response = alice_api.post(
        f"/api/sessions/{session_id}/attempts",
        {"line": roleplay.lines.first().pk, "audio": audio},
        format="multipart",
    )
    assert response.status_code == 400 and "audio" in response.json()["extra"]["fields"]
    assert not Attempt.objects.exists()


def test_finish_summarises_best_attempt_per_sentence_and_is_idempotent(alice, alice_api):
    roleplay = make_roleplay()
    lines = list(roleplay.lines.order_by("order"))
    start = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    session = services.session_start(user=alice, roleplay_id=roleplay.pk, mode="both", now=start)
    services.attempt_create(user=alice, session_id=session.pk, line_id=lines[0].pk, input="바다")
    services.attempt_create(
        user=alice, session_id=session.pk, line_id=lines[0].pk, input=lines[0].text
    )
    services.attempt_create(user=alice, session_id=session.pk, line_id=lines[1].pk, input="바다")
    services.session_finish(user=alice, session_id=session.pk, now=start + timedelta(seconds=95))

    first = alice_api.post(
        f"/api/sessions/{session.pk}/finish", {"duration_seconds": 9999}, format="json"
    )
    again = alice_api.post(f"/api/sessions/{session.pk}/finish")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    body = first.json()
    assert body["sentence_count"] == 2 and body["correct_count"] == 1
    assert body["duration_seconds"] == 95
    assert [w["line"] for w in body["wrong"]] == [lines[1].pk]
    stats = alice_api.get("/api/me/stats").json()
    assert stats["sentences_practised"] == 2 and stats["practice_seconds"] == 95


def test_session_duration_is_capped(alice):
    roleplay = make_roleplay()
    start = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    session = services.session_start(user=alice, roleplay_id=roleplay.pk, mode="lips", now=start)
    done = services.session_finish(user=alice, session_id=session.pk, now=start + timedelta(days=2))
    assert done.duration_seconds == services.MAX_SESSION_SECONDS


def test_stats_and_streak_count_local_days(alice, alice_api):
    roleplay = make_roleplay()
    today = services.local_date_of(alice, datetime.now(UTC))
    for days_ago in (0, 1, 2, 4):
        moment = datetime.now(UTC) - timedelta(days=days_ago)
        session = services.session_start(
            user=alice, roleplay_id=roleplay.pk, mode="lips", now=moment
        )
        services.attempt_create(
            user=alice,
            session_id=session.pk,
            line_id=roleplay.lines.first().pk,
            input="안녕하세요 어서 오세요",
        )
        services.session_finish(
            user=alice, session_id=session.pk, now=moment + timedelta(minutes=1)
        )
    body = alice_api.get("/api/me/stats").json()
    assert body == {
        "sentences_practised": 4,
        "correct_sentences": 4,
        "sessions_finished": 4,
        "practice_seconds": 240,
        "average_score": 100,
        "streak_days": 3,
    }
    from learning.selectors import streak_days

    assert streak_days(user=alice, today=today + timedelta(days=1)) == 3
    assert streak_days(user=alice, today=today + timedelta(days=2)) == 0


def test_stats_for_a_new_learner_are_zero(alice_api):
    assert alice_api.get("/api/me/stats").json() == {
        "sentences_practised": 0,
        "correct_sentences": 0,
        "sessions_finished": 0,
        "practice_seconds": 0,
        "average_score": None,
        "streak_days": 0,
    }


def test_recent_roleplays_are_distinct_latest_first_and_drop_deleted(alice, alice_api):
    first, second, own = (
        make_roleplay(title="A"),
        make_roleplay(title="B"),
        make_roleplay(owner=alice),
    )
    base = datetime(2026, 11, 1, tzinfo=UTC)
    for offset, roleplay in enumerate([first, second, own, first]):
        services.session_start(
            user=alice, roleplay_id=roleplay.pk, mode="lips", now=base + timedelta(hours=offset)
        )
    assert [r["id"] for r in alice_api.get("/api/me/recent-roleplays").json()] == [
        first.pk,
        own.pk,
        second.pk,
    ]
    own.delete()
    assert [r["id"] for r in alice_api.get("/api/me/recent-roleplays").json()] == [
        first.pk,
        second.pk,
    ]
    assert PracticeSession.objects.filter(user=alice).count() == 4  # history is kept


def test_recent_roleplays_keeps_ten(alice, alice_api):
    for index in range(12):
        roleplay = make_roleplay(title=f"R{index}", lines=1)
        services.session_start(user=alice, roleplay_id=roleplay.pk, mode="lips")
    assert len(alice_api.get("/api/me/recent-roleplays").json()) == 10


def test_roleplay_stats_and_studied_ids(alice, bob):
    roleplay, untouched = make_roleplay(), make_roleplay(title="병원")
    lines = list(roleplay.lines.order_by("order"))
    start = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    for round_, score_input in enumerate([("바다", "바다"), (lines[0].text, "바다")]):
        session = services.session_start(
            user=alice, roleplay_id=roleplay.pk, mode="lips", now=start + timedelta(hours=round_)
        )
        services.attempt_create(
            user=alice, session_id=session.pk, line_id=lines[0].pk, input=score_input[0]
        )
        services.attempt_create(
            user=alice, session_id=session.pk, line_id=lines[2].pk, input=score_input[1]
        )
        services.session_finish(
            user=alice, session_id=session.pk, now=start + timedelta(hours=round_, seconds=30)
        )
    stats = roleplay_stats(user=alice, roleplay=roleplay)
    assert stats["times_studied"] == 2 and stats["total_seconds"] == 60
    assert stats["most_missed"] == {"line": lines[2].pk, "text": lines[2].text, "misses": 2}
    assert 0 <= stats["average_score"] <= 100
    assert roleplay_stats(user=alice, roleplay=untouched) is None
    assert roleplay_stats(user=bob, roleplay=roleplay) is None
    assert studied_roleplay_ids(user=alice) == {roleplay.pk}
    assert studied_roleplay_ids(user=bob) == set()
