"""Push subscriptions API and Web Push delivery, checked by a local push service."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.roleplay.factories import make_roleplay
from tests.video_pipeline.fake_push_service import FakePushService
from video_pipeline import push_services
from video_pipeline.models import PushDevice, VapidKey
from video_pipeline.push import push_roleplay_outcome, vapid_public_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


def b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def test_subscribe_is_idempotent_per_endpoint(alice, alice_api, push_service):
    subscription = push_service.subscription()
    first = alice_api.post("/api/devices", subscription, format="json")
    assert first.status_code == 201
    renewed = {**subscription, "keys": push_service.subscription()["keys"]}
    second = alice_api.post("/api/devices", renewed, format="json")
    assert second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    device = PushDevice.objects.get()
    assert (device.user, device.p256dh) == (alice, renewed["keys"]["p256dh"])


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.com/x",
        "ftp://push.example.com/x",
        "not a url",
        "",
        "javascript:alert(1)",
    ],
)
def test_subscribe_rejects_endpoints_that_are_not_https(alice_api, push_service, endpoint):
    subscription = {**push_service.subscription(), "endpoint": endpoint}
    response = alice_api.post("/api/devices", subscription, format="json")
    assert response.status_code == 400
    assert "endpoint" in response.json()["extra"]["fields"]
    assert not PushDevice.objects.exists()


def test_subscribe_rejects_malformed_keys(alice_api, push_service):
    subscription = push_service.subscription()
    subscription["keys"]["p256dh"] = "c2hvcnQ"
    response = alice_api.post("/api/devices", subscription, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == push_services.MSG_KEYS
    response = alice_api.post("/api/devices", {"endpoint": "https://x.example/1"}, format="json")
    assert response.status_code == 400 and "keys" in response.json()["extra"]["fields"]


def test_https_endpoints_are_accepted(alice_api, push_service):
    subscription = {**push_service.subscription(), "endpoint": "https://fcm.googleapis.com/wp/abc"}
    assert alice_api.post("/api/devices", subscription, format="json").status_code == 201


def test_unsubscribe_deletes_only_my_subscription(alice_api, bob_api, push_service):
    subscription = push_service.subscription()
    assert bob_api.post("/api/devices", subscription, format="json").status_code == 201
    response = alice_api.delete(
        "/api/devices", {"endpoint": subscription["endpoint"]}, format="json"
    )
    assert response.status_code == 204
    assert PushDevice.objects.count() == 1
    assert (
        bob_api.delete(
            "/api/devices", {"endpoint": subscription["endpoint"]}, format="json"
        ).status_code
        == 204
    )
    assert not PushDevice.objects.exists()


def test_devices_need_login(api, push_service):
    assert api.post("/api/devices", push_service.subscription(), format="json").status_code == 401
    assert api.get("/api/devices/vapid-public-key").status_code == 401


def test_generated_vapid_key_is_a_p256_point_and_stable(alice_api):
    first = alice_api.get("/api/devices/vapid-public-key").json()["key"]
    second = alice_api.get("/api/devices/vapid-public-key").json()["key"]
    assert first == second and VapidKey.objects.count() == 1
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(first))


def test_configured_vapid_keys_win(settings, push_service, alice):
    from py_vapid import Vapid

    vapid = Vapid()
    vapid.generate_keys()
    settings.LIPREAD_VAPID_PRIVATE_KEY = vapid.private_pem().decode()
    settings.LIPREAD_VAPID_PUBLIC_KEY = None
    key = vapid_public_key()
    assert not VapidKey.objects.exists()
    # The push service sees signatures made with the configured key.
    roleplay = make_roleplay(owner=alice, lines=1, status="ready")
    push_services.device_subscribe(user=alice, **flat(push_service.subscription()))
    assert push_roleplay_outcome(roleplay_id=roleplay.pk) == 1
    assert push_service.received[0].vapid_key == key


def flat(subscription: dict) -> dict:
    return {"endpoint": subscription["endpoint"], **subscription["keys"]}


@pytest.mark.parametrize(
    ("language", "status", "title"),
    [
        ("ko", "ready", "카페 연습 역할극 생성이 완료되었습니다."),
        ("en", "ready", "Your roleplay “카페 연습” is ready."),
        ("ko", "failed", "카페 연습 역할극 생성에 실패했습니다."),
        ("en", "failed", "Your roleplay “카페 연습” could not be created."),
    ],
)
def test_every_device_gets_the_outcome_in_the_users_language(
    alice, push_service, language, status, title
):
    alice.language = language
    alice.save()
    roleplay = make_roleplay(owner=alice, lines=1, status=status, title="카페 연습")
    subscriptions = [push_service.subscription() for _ in range(2)]
    for subscription in subscriptions:
        push_services.device_subscribe(user=alice, **flat(subscription))

    assert push_roleplay_outcome(roleplay_id=roleplay.pk) == 2
    assert not push_service.rejected
    assert {r.endpoint for r in push_service.received} == {s["endpoint"] for s in subscriptions}
    for received in push_service.received:
        assert received.payload["title"] == title
        assert received.payload["url"] == f"/roleplays/{roleplay.pk}/"
        assert received.claims["sub"] == "mailto:admin@lipread.local"
        assert received.vapid_key == vapid_public_key()


@pytest.mark.parametrize("gone", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted(alice, push_service, gone):
    roleplay = make_roleplay(owner=alice, lines=1, status="ready")
    alive = push_service.subscription()
    dead = push_service.subscription(status=gone)
    push_services.device_subscribe(user=alice, **flat(alive))
    push_services.device_subscribe(user=alice, **flat(dead))
    assert push_roleplay_outcome(roleplay_id=roleplay.pk) == 1
    assert list(PushDevice.objects.values_list("endpoint", flat=True)) == [alive["endpoint"]]


def test_a_push_service_error_keeps_the_subscription(alice, push_service):
    roleplay = make_roleplay(owner=alice, lines=1, status="ready")
    flaky = push_service.subscription(status=500)
    push_services.device_subscribe(user=alice, **flat(flaky))
    assert push_roleplay_outcome(roleplay_id=roleplay.pk) == 0
    assert PushDevice.objects.count() == 1


def test_no_push_while_a_roleplay_is_still_generating(alice, push_service):
    roleplay = make_roleplay(owner=alice, lines=1, status="generating")
    push_services.device_subscribe(user=alice, **flat(push_service.subscription()))
    assert push_roleplay_outcome(roleplay_id=roleplay.pk) == 0
    assert push_service.received == []
