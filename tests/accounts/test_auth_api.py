from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from lipread.api.exceptions import VALIDATION_FAILED

pytestmark = pytest.mark.django_db


def _login(api, email, password):
    return api.post("/api/auth/token", {"email": email, "password": password}, format="json")


def _assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["extra"]["fields"], dict)
    return body


def test_register_returns_user_and_working_tokens(api):
    response = api.post(
        "/api/auth/register",
        {"email": "New@Example.com", "password": "a-long-enough-pass-42", "name": "Mina"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "new@example.com"
    assert body["user"]["name"] == "Mina"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert api.get("/api/me").json()["email"] == "new@example.com"


def test_register_applies_password_validators_in_shared_error_shape(api):
    response = api.post(
        "/api/auth/register",
        {"email": "weak@example.com", "password": "12345678", "name": "Weak"},
        format="json",
    )
    body = _assert_error_shape(response, 400)
    assert body["message"] == VALIDATION_FAILED
    assert "password" in body["extra"]["fields"]


def test_register_rejects_duplicate_email_case_insensitively(api, alice):
    response = api.post(
        "/api/auth/register",
        {"email": "ALICE@example.com", "password": "a-long-enough-pass-42", "name": "A2"},
        format="json",
    )
    body = _assert_error_shape(response, 400)
    assert "email" in body["extra"]["fields"]


def test_register_missing_fields_lists_each_field(api):
    body = _assert_error_shape(api.post("/api/auth/register", {}, format="json"), 400)
    assert set(body["extra"]["fields"]) == {"email", "password", "name"}


def test_login_with_any_email_case(api, alice, password):
    response = _login(api, "Alice@Example.COM", password)
    assert response.status_code == 200
    assert {"access", "refresh"} <= set(response.json())


def test_login_with_wrong_password_is_401_in_shared_shape(api, alice):
    _assert_error_shape(_login(api, alice.email, "nope-nope-nope"), 401)


def test_refresh_token_rotates_and_cannot_be_used_twice(api, alice, password):
    tokens = _login(api, alice.email, password).json()
    first = api.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert first.status_code == 200
    assert first.json()["refresh"] != tokens["refresh"]
    again = api.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    _assert_error_shape(again, 401)
    # the rotated one still works
    newer = api.post("/api/auth/token/refresh", {"refresh": first.json()["refresh"]}, format="json")
    assert newer.status_code == 200


def test_logout_blacklists_the_refresh_token(api, alice, password):
    tokens = _login(api, alice.email, password).json()
    assert (
        api.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json").status_code
        == 204
    )
    response = api.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    _assert_error_shape(response, 401)


def test_logout_with_garbage_token_is_401(api):
    _assert_error_shape(api.post("/api/auth/logout", {"refresh": "x.y.z"}, format="json"), 401)


def _me_with(api, token: str):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api.get("/api/me")


def test_tampered_access_token_is_401(api, alice):
    token = str(AccessToken.for_user(alice))
    header, payload, signature = token.split(".")
    tampered = ".".join(
        [header, payload, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")]
    )
    _assert_error_shape(_me_with(api, tampered), 401)


def test_expired_access_token_is_401(api, alice):
    token = AccessToken.for_user(alice)
    token.set_exp(from_time=timezone.now() - timedelta(hours=1), lifetime=timedelta(minutes=15))
    _assert_error_shape(_me_with(api, str(token)), 401)


def _forge(payload_overrides: dict, alice, key: str) -> str:
    claims = dict(AccessToken.for_user(alice).payload)
    claims.update({"aud": "lipread-api", "iss": "lipread", **payload_overrides})
    return jwt.encode(claims, key, algorithm="HS256")


def test_token_signed_with_a_foreign_key_is_401(api, alice):
    _assert_error_shape(_me_with(api, _forge({}, alice, "another-key-" * 4)), 401)


def test_token_for_another_audience_or_issuer_is_401(api, alice):
    key = settings.SIMPLE_JWT["SIGNING_KEY"]
    assert _me_with(api, _forge({}, alice, key)).status_code == 200  # the forge itself is right
    _assert_error_shape(_me_with(api, _forge({"aud": "someone-else"}, alice, key)), 401)
    _assert_error_shape(_me_with(api, _forge({"iss": "evil"}, alice, key)), 401)


def test_tokens_carry_audience_and_issuer(alice):
    payload = jwt.decode(str(AccessToken.for_user(alice)), options={"verify_signature": False})
    assert payload["aud"] == "lipread-api"
    assert payload["iss"] == "lipread"
    lifetime = payload["exp"] - payload["iat"]
    assert lifetime == 15 * 60


def test_inactive_user_cannot_refresh(api, alice, password):
    tokens = _login(api, alice.email, password).json()
    alice.is_active = False
    alice.save()
    response = api.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    _assert_error_shape(response, 401)


def test_deleted_user_cannot_refresh(api, alice):
    refresh = str(RefreshToken.for_user(alice))
    alice.delete()
    _assert_error_shape(
        api.post("/api/auth/token/refresh", {"refresh": refresh}, format="json"), 401
    )


def test_password_change_kills_outstanding_refresh_tokens(api, alice, password):
    phone = _login(api, alice.email, password).json()
    laptop = _login(api, alice.email, password).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {laptop['access']}")
    response = api.post(
        "/api/auth/password",
        {"old_password": password, "new_password": "brand-new-secret-77"},
        format="json",
    )
    assert response.status_code == 204
    api.credentials()
    for tokens in (phone, laptop):
        refreshed = api.post(
            "/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
        )
        _assert_error_shape(refreshed, 401)
    assert _login(api, alice.email, "brand-new-secret-77").status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(alice_api, alice, password):
    response = alice_api.post(
        "/api/auth/password",
        {"old_password": "wrong", "new_password": "brand-new-secret-77"},
        format="json",
    )
    body = _assert_error_shape(response, 400)
    assert "old_password" in body["extra"]["fields"]
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_me_requires_authentication(api):
    _assert_error_shape(api.get("/api/me"), 401)


def test_me_patch_updates_profile(alice_api):
    response = alice_api.patch(
        "/api/me", {"name": "앨리스", "language": "en", "timezone": "Europe/Berlin"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en"
    assert alice_api.get("/api/me").json()["timezone"] == "Europe/Berlin"


def test_me_patch_rejects_unknown_timezone_and_changes_nothing(alice_api, alice):
    body = _assert_error_shape(
        alice_api.patch("/api/me", {"name": "X", "timezone": "Mars/Olympus"}, format="json"), 400
    )
    assert "timezone" in body["extra"]["fields"]
    alice.refresh_from_db()
    assert (alice.name, alice.timezone) == ("Alice", "Asia/Seoul")


def test_me_patch_rejects_unknown_language(alice_api):
    body = _assert_error_shape(alice_api.patch("/api/me", {"language": "fr"}, format="json"), 400)
    assert "language" in body["extra"]["fields"]


def test_malformed_json_is_400_in_shared_shape(api):
    response = api.post("/api/auth/token", "{not json", content_type="application/json")
    _assert_error_shape(response, 400)
