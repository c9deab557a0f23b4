"""Records by local date, record details, concurrent finishes, and alice-vs-bob isolation."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError, close_old_connections, connection

from learning import records, services
from learning.models import LearnerStats, PracticeSession, ReviewCard
from tests.factories import UserFactory
from tests.learning.helpers import make_roleplay


def _session(user, roleplay, at: datetime, *, answers: int = 1, minutes: int = 3):
    session = services.session_start(user=user, roleplay_id=roleplay.pk, mode="lips", now=at)
    for line in roleplay.lines.order_by("order")[:answers]:
        services.attempt_create(
            user=user, session_id=session.pk, line_id=line.pk, input=line.text, now=at
        )
    return services.session_finish(
        user=user, session_id=session.pk, now=at + timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_seoul_late_evening_counts_for_that_seoul_day(alice, alice_api):
    assert alice.timezone == "Asia/Seoul"
    roleplay = make_roleplay()
    late = _session(alice, roleplay, datetime(2026, 11, 30, 14, 30, tzinfo=UTC))  # 23:30 KST
    next_day = _session(alice, roleplay, datetime(2026, 11, 30, 15, 30, tzinfo=UTC))  # 00:30 KST
    november = alice_api.get("/api/records", {"year": 2026, "month": 11}).json()
    assert november["year"] == 2026 and november["month"] == 11
    assert [(d["date"], [s["id"] for s in d["sessions"]]) for d in november["days"]] == [
        ("2026-11-30", [late.pk])
    ]
    item = november["days"][0]["sessions"][0]
    assert item["roleplay"] == {"id": roleplay.pk, "title": roleplay.title, "emoji": roleplay.emoji}
    assert item["mode"] == "lips" and item["average_score"] == 100
    assert item["duration_seconds"] == 180 and item["finished_at"]
    december = alice_api.get("/api/records", {"year": 2026, "month": 12}).json()
    assert [(d["date"], [s["id"] for s in d["sessions"]]) for d in december["days"]] == [
        ("2026-12-01", [next_day.pk])
    ]


@pytest.mark.django_db
def test_los_angeles_learner_sees_utc_morning_on_the_previous_day(api):
    carol = UserFactory(email="carol@example.com", timezone="America/Los_Angeles")
    api.force_authenticate(carol)
    roleplay = make_roleplay(language="en")
    session = _session(carol, roleplay, datetime(2026, 11, 1, 5, 0, tzinfo=UTC))  # Oct 31, 22:00
    assert session.local_date.isoformat() == "2026-10-31"
    assert api.get("/api/records", {"year": 2026, "month": 11}).json()["days"] == []
    october = api.get("/api/records", {"year": 2026, "month": 10}).json()
    assert [d["date"] for d in october["days"]] == ["2026-10-31"]


@pytest.mark.django_db
def test_unfinished_sessions_are_not_records(alice, alice_api):
    roleplay = make_roleplay()
    services.session_start(
        user=alice, roleplay_id=roleplay.pk, mode="lips", now=datetime(2026, 11, 5, 3, tzinfo=UTC)
    )
    assert alice_api.get("/api/records", {"year": 2026, "month": 11}).json()["days"] == []


@pytest.mark.django_db
def test_records_default_to_the_current_month(alice, alice_api):
    body = alice_api.get("/api/records").json()
    today = records.local_date_of(alice, datetime.now(UTC))
    assert (body["year"], body["month"]) == (today.year, today.month)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc", "month": 1}, "year"),
        ({"year": 2026, "month": 13}, "month"),
        ({"year": 2026, "month": 0}, "month"),
        ({"year": 99999, "month": 1}, "year"),
        ({"year": 2026, "month": "1.5"}, "month"),
    ],
)
def test_bad_year_or_month_is_400(alice_api, params, field):
    response = alice_api.get("/api/records", params)
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


@pytest.mark.django_db
def test_record_detail_lists_attempts_wrong_sentences_and_stats(alice, alice_api):
    roleplay = make_roleplay()
    lines = list(roleplay.lines.order_by("order"))
    at = datetime(2026, 11, 3, 1, tzinfo=UTC)
    session = services.session_start(user=alice, roleplay_id=roleplay.pk, mode="both", now=at)
    services.attempt_create(
        user=alice, session_id=session.pk, line_id=lines[0].pk, input=lines[0].text
    )
    services.attempt_create(user=alice, session_id=session.pk, line_id=lines[1].pk, input="바다")
    services.session_finish(user=alice, session_id=session.pk, now=at + timedelta(seconds=50))
    body = alice_api.get(f"/api/records/{session.pk}").json()
    assert body["id"] == session.pk and body["mode"] == "both"
    assert body["stats"] == {
        "sentence_count": 2,
        "correct_count": 1,
        "average_score": body["stats"]["average_score"],
        "duration_seconds": 50,
    }
    assert [a["input"] for a in body["attempts"]] == [lines[0].text, "바다"]
    assert body["attempts"][1]["result"]["words"]
    assert [w["text"] for w in body["wrong"]] == [lines[1].text]


@pytest.mark.django_db
def test_record_survives_deleting_the_roleplay(alice, alice_api):
    roleplay = make_roleplay(owner=alice, title="내 대화")
    session = _session(alice, roleplay, datetime(2026, 11, 3, 1, tzinfo=UTC))
    roleplay.delete()
    body = alice_api.get(f"/api/records/{session.pk}").json()
    assert body["roleplay"] == {"id": None, "title": "내 대화", "emoji": "☕"}
    assert len(body["attempts"]) == 1


@pytest.mark.django_db
def test_alice_cannot_see_or_touch_bobs_sessions_records_and_cards(alice_api, bob, bob_api):
    roleplay = make_roleplay()
    line = roleplay.lines.first()
    session = _session(bob, roleplay, datetime(2026, 11, 3, 1, tzinfo=UTC))
    open_session = services.session_start(user=bob, roleplay_id=roleplay.pk, mode="lips")
    services.attempt_create(user=bob, session_id=open_session.pk, line_id=line.pk, input="바다")
    card = ReviewCard.objects.get(user=bob)

    for response in (
        alice_api.get(f"/api/records/{session.pk}"),
        alice_api.post(
            f"/api/sessions/{open_session.pk}/attempts",
            {"line": line.pk, "input": "x"},
            format="json",
        ),
        alice_api.post(f"/api/sessions/{open_session.pk}/finish"),
        alice_api.post(f"/api/review/{card.pk}/answer", {"input": "x"}, format="json"),
    ):
        assert response.status_code == 404, response.content
        assert set(response.json()) == {"message", "extra"}
    assert alice_api.get("/api/records", {"year": 2026, "month": 11}).json()["days"] == []
    assert alice_api.get("/api/review/due").json() == {"count": 0, "results": []}
    assert alice_api.get("/api/me/recent-roleplays").json() == []
    assert alice_api.get("/api/me/stats").json()["sentences_practised"] == 0
    open_session.refresh_from_db()
    assert open_session.finished_at is None and open_session.attempts.count() == 1
    assert bob_api.get(f"/api/records/{session.pk}").status_code == 200


def _in_threads(calls) -> list[BaseException]:
    """Run the calls at the same moment in threads; return the errors they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            for _ in range(50):  # SQLite: "database is locked" means try again; PostgreSQL waits
                try:
                    call()
                    break
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    threading.Event().wait(0.05)
            else:
                raise AssertionError("still locked after 50 tries")
        except BaseException as error:  # report in the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_finishes_lose_no_counts(alice):
    roleplay = make_roleplay()
    lines = list(roleplay.lines.order_by("order"))
    sessions = []
    for count in (1, 2, 3, 4):
        session = services.session_start(user=alice, roleplay_id=roleplay.pk, mode="lips")
        for line in lines[:count]:
            services.attempt_create(
                user=alice, session_id=session.pk, line_id=line.pk, input=line.text
            )
        sessions.append(session)
    # Different sessions at once, and the same session finished twice at once.
    calls = [lambda s=s: services.session_finish(user=alice, session_id=s.pk) for s in sessions]
    calls.append(lambda: services.session_finish(user=alice, session_id=sessions[3].pk))
    assert _in_threads(calls) == []
    stats = LearnerStats.objects.get(user=alice)
    assert stats.sessions_finished == 4
    assert stats.sentences_practised == 1 + 2 + 3 + 4
    assert stats.correct_sentences == 10
    assert stats.score_total == 100 * 10
    assert PracticeSession.objects.filter(user=alice, finished_at__isnull=False).count() == 4
