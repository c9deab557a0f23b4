"""POST /api/roleplays, /derive and /retry: validation, quota, ownership."""

from __future__ import annotations

import pytest

from roleplay.creation import services
from roleplay.models import Roleplay
from tests.roleplay.factories import make_roleplay
from video_pipeline.models import GenerationJob

pytestmark = pytest.mark.django_db


def payload(**overrides) -> dict:
    data = {
        "title": "비 오는 날 카페",
        "description": "비 오는 날 카페에서 따뜻한 음료를 주문해요.",
        "language": "ko",
        "roles": [
            {"name": "손님", "description": "우산을 든 손님", "voice": "woman"},
            {"name": "직원", "description": "카페 직원", "voice": "older_man"},
        ],
        "must_words": ["우산", "라떼"],
    }
    data.update(overrides)
    return data


def test_create_stores_a_queued_roleplay_with_roles_and_a_job(alice, alice_api):
    response = alice_api.post("/api/roleplays", payload(), format="json")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued"
    roleplay = Roleplay.objects.get(pk=body["id"])
    assert (roleplay.owner, roleplay.kind, roleplay.language) == (alice, "personal", "ko")
    assert roleplay.must_words == ["우산", "라떼"]
    assert [(r.position, r.name, r.voice) for r in roleplay.roles.all()] == [
        (0, "손님", "woman"),
        (1, "직원", "older_man"),
    ]
    job = GenerationJob.objects.get(roleplay=roleplay)
    assert job.status == "queued"
    assert body["url"] == f"/roleplays/{roleplay.pk}/"


def test_create_enqueues_generation_only_after_commit(
    alice_api, django_capture_on_commit_callbacks
):
    import dramatiq

    import video_pipeline.actors  # noqa: F401  (declares the queues)

    broker = dramatiq.get_broker()
    broker.flush_all()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice_api.post("/api/roleplays", payload(), format="json")
    assert response.status_code == 202
    assert broker.queues["dialogue"].qsize() == 0
    for callback in callbacks:
        callback()
    job = GenerationJob.objects.get(roleplay_id=response.json()["id"])
    message = broker.queues["dialogue"].get_nowait()
    broker.queues["dialogue"].task_done()  # else a later broker.join() waits for it forever
    assert b'"generate_roleplay"' in message and str(job.pk).encode() in message
    broker.flush_all()


def test_create_needs_login(api):
    response = api.post("/api/roleplays", payload(), format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "가" * 81),
        ("title", ""),
        ("description", "나" * 501),
        ("language", "fr"),
        ("must_words", ["단어"] * 11),
        ("must_words", ["가" * 21]),
        ("must_words", ["우산", "우산"]),
        ("roles", [{"name": "손님", "voice": "woman"}]),
        ("roles", [{"name": "손님", "voice": "woman"}] * 3),
        ("roles", [{"name": "손님", "voice": "woman"}, {"name": "손님", "voice": "man"}]),
        ("roles", [{"name": "가" * 41, "voice": "woman"}, {"name": "직원", "voice": "man"}]),
        (
            "roles",
            [
                {"name": "손님", "description": "d" * 201, "voice": "woman"},
                {"name": "직원", "voice": "man"},
            ],
        ),
        ("roles", [{"name": "손님", "voice": "robot"}, {"name": "직원", "voice": "man"}]),
        ("roles", "two people"),
    ],
)
def test_field_limits_answer_400_in_the_error_shape(alice_api, field, value):
    response = alice_api.post("/api/roleplays", payload(**{field: value}), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["message"]
    assert field in body["extra"]["fields"]
    assert not Roleplay.objects.exists()


def test_daily_quota_answers_429_with_a_clear_message(alice, alice_api, settings):
    settings.LIPREAD_DAILY_QUOTA = 2
    for _ in range(2):
        roleplay = Roleplay.objects.get(
            pk=alice_api.post("/api/roleplays", payload(), format="json").json()["id"]
        )
        Roleplay.objects.filter(pk=roleplay.pk).update(status="ready")
    response = alice_api.post("/api/roleplays", payload(), format="json")
    assert response.status_code == 429
    assert response.json()["message"] == services.MSG_QUOTA.format(quota=2)
    assert response.json()["extra"]["code"] == "daily_quota"
    assert Roleplay.objects.filter(owner=alice).count() == 2


def test_yesterdays_roleplays_do_not_count_against_the_quota(alice, alice_api, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.LIPREAD_DAILY_QUOTA = 1
    old = make_roleplay(owner=alice, lines=0, status="ready")
    Roleplay.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert alice_api.post("/api/roleplays", payload(), format="json").status_code == 202


def test_three_generating_at_once_answers_429(alice, alice_api):
    for _ in range(3):
        assert alice_api.post("/api/roleplays", payload(), format="json").status_code == 202
    response = alice_api.post("/api/roleplays", payload(), format="json")
    assert response.status_code == 429
    assert response.json()["message"] == services.MSG_TOO_MANY_GENERATING.format(limit=3)


def test_derive_from_an_official_roleplay_copies_the_situation(alice, alice_api):
    parent = make_roleplay(owner=None, lines=4, rendered=False, status="ready")
    response = alice_api.post(
        f"/api/roleplays/{parent.pk}/derive",
        {"title": "비슷한 상황", "must_words": ["영수증"]},
        format="json",
    )
    assert response.status_code == 202, response.json()
    child = Roleplay.objects.get(pk=response.json()["id"])
    assert (child.kind, child.owner, child.parent) == ("personal", alice, parent)
    assert (child.description, child.category_id, child.language) == (
        parent.description,
        parent.category_id,
        parent.language,
    )
    assert child.title == "비슷한 상황" and child.must_words == ["영수증"]
    assert [(r.name, r.voice) for r in child.roles.all()] == [
        (r.name, r.voice) for r in parent.roles.all()
    ]
    assert child.lines.count() == 0  # new words, new dialogue


def test_derive_from_my_own_roleplay(alice, alice_api):
    mine = make_roleplay(owner=alice, lines=2, status="ready")
    response = alice_api.post(f"/api/roleplays/{mine.pk}/derive", {"must_words": []}, format="json")
    assert response.status_code == 202
    assert Roleplay.objects.get(pk=response.json()["id"]).title == mine.title


def test_alice_cannot_derive_from_bobs_personal_roleplay(bob, alice_api):
    bobs = make_roleplay(owner=bob, lines=2, status="ready")
    response = alice_api.post(f"/api/roleplays/{bobs.pk}/derive", {"title": "x"}, format="json")
    assert response.status_code == 404
    assert response.json()["message"]


def test_derive_of_an_unknown_or_malformed_id_is_404(alice_api):
    assert alice_api.post("/api/roleplays/999999/derive", {}, format="json").status_code == 404
    assert alice_api.post("/api/roleplays/abc/derive", {}, format="json").status_code == 404


def test_retry_requeues_a_failed_roleplay(alice, alice_api):
    roleplay = make_roleplay(owner=alice, lines=2, status="failed")
    roleplay.error = "boom"
    roleplay.save()
    GenerationJob.objects.create(roleplay=roleplay, status="failed", error="boom", seq=4)
    response = alice_api.post(f"/api/roleplays/{roleplay.pk}/retry")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    job = GenerationJob.objects.get(roleplay=roleplay)  # the same job, resumed
    assert (job.status, job.error, job.seq) == ("queued", "", 5)
    roleplay.refresh_from_db()
    assert roleplay.error == ""


@pytest.mark.parametrize(
    ("status", "code"), [("ready", "not_failed"), ("queued", "busy"), ("generating", "busy")]
)
def test_retry_of_a_roleplay_that_did_not_fail_is_409(alice, alice_api, status, code):
    roleplay = make_roleplay(owner=alice, lines=1, status=status)
    response = alice_api.post(f"/api/roleplays/{roleplay.pk}/retry")
    assert response.status_code == 409
    assert response.json()["extra"]["code"] == code
    assert response.json()["message"] in (services.MSG_RETRY_BUSY, services.MSG_RETRY_NOT_FAILED)


def test_alice_cannot_retry_bobs_roleplay(bob, alice_api):
    bobs = make_roleplay(owner=bob, lines=1, status="failed")
    assert alice_api.post(f"/api/roleplays/{bobs.pk}/retry").status_code == 404
    bobs.refresh_from_db()
    assert bobs.status == "failed"


def test_official_roleplays_cannot_be_retried(alice_api):
    official = make_roleplay(owner=None, lines=1, status="failed")
    assert alice_api.post(f"/api/roleplays/{official.pk}/retry").status_code == 404
