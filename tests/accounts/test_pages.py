from __future__ import annotations

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_signup_page_creates_account_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {"name": "민수", "email": "Minsu@Example.com", "password": "a-long-enough-pass-42"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="minsu@example.com")
    assert client.get("/accounts/profile/").status_code == 200
    assert user.name == "민수"


def test_signup_page_shows_password_errors_and_creates_nothing(client):
    response = client.post(
        "/accounts/signup/", {"name": "A", "email": "a@example.com", "password": "123"}
    )
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert not User.objects.filter(email="a@example.com").exists()


def test_login_and_logout_pages(client, alice, password):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "ALICE@example.com", "password": password}
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_profile_page_saves_name_language_and_timezone(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/profile/", {"name": "Alice K", "language": "en", "timezone": "America/New_York"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.name, alice.language, alice.timezone) == ("Alice K", "en", "America/New_York")
    page = client.get("/accounts/profile/")
    assert b'<html lang="en">' in page.content


def test_profile_page_rejects_unknown_timezone(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/profile/", {"name": "A", "language": "ko", "timezone": "Nowhere/City"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Seoul"


def test_password_change_page_revokes_refresh_tokens(client, alice, password):
    refresh = RefreshToken.for_user(alice)
    client.force_login(alice)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "fresh-secret-value-88",
            "new_password2": "fresh-secret-value-88",
        },
    )
    assert response.status_code == 302
    token = OutstandingToken.objects.get(jti=refresh["jti"])
    assert hasattr(token, "blacklistedtoken")


def test_language_switch_is_saved_on_the_profile(client, alice):
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "en"


def test_language_switch_ignores_unknown_language_and_foreign_next(client, alice):
    client.force_login(alice)
    response = client.post(
        "/i18n/setlang/", {"language": "xx", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"
    alice.refresh_from_db()
    assert alice.language == "ko"


def test_base_layout_is_accessible_and_has_a_notification_area(client):
    page = client.get("/").content.decode()
    assert '<html lang="ko">' in page
    assert 'class="skip-link" href="#main"' in page
    assert 'id="notifications"' in page and 'aria-live="polite"' in page
    assert 'name="viewport"' in page


def test_admin_lists_users(client, alice):
    admin = User.objects.create_superuser(
        email="root@example.com", password="x-very-secret-1", name="Root"
    )
    client.force_login(admin)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert b"alice@example.com" in response.content
