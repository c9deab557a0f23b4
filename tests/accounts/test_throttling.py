from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates.update({"auth_ip": "100/min", "auth_email": "3/min"})
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_token_endpoint_is_throttled_per_email_with_retry_after(api, alice, tight_rates):
    for _ in range(3):
        api.post("/api/auth/token", {"email": alice.email, "password": "bad"}, format="json")
    response = api.post("/api/auth/token", {"email": alice.email, "password": "bad"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["message"] and body["extra"]["retry_after"] > 0
    # another email from the same address is still allowed
    other = api.post(
        "/api/auth/token", {"email": "bob@example.com", "password": "x"}, format="json"
    )
    assert other.status_code == 401


def test_email_throttle_ignores_case(api, alice, tight_rates):
    for email in ("alice@example.com", "ALICE@example.com", "Alice@Example.com"):
        api.post("/api/auth/token", {"email": email, "password": "bad"}, format="json")
    response = api.post(
        "/api/auth/token", {"email": "aLiCe@example.com", "password": "bad"}, format="json"
    )
    assert response.status_code == 429


def test_register_is_throttled_per_ip(api, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates.update({"auth_ip": "2/min", "auth_email": "100/min"})
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for n in range(2):
        api.post(
            "/api/auth/register",
            {"email": f"u{n}@example.com", "name": "U", "password": "a-long-enough-pass-42"},
            format="json",
        )
    response = api.post(
        "/api/auth/register",
        {"email": "u9@example.com", "name": "U", "password": "a-long-enough-pass-42"},
        format="json",
    )
    assert response.status_code == 429
    assert "Retry-After" in response
    from accounts.models import User

    assert not User.objects.filter(email="u9@example.com").exists()
