"""Shared fixtures: media in a temp dir, a clean cache, named users alice and bob."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """End connections that threads left open, so the test database can be dropped.

    Async tests run ORM calls in asgiref's executor thread and browser tests in server
    threads; their PostgreSQL sessions outlive the tests and made teardown warn that
    the test database "is being accessed by other users".
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _clean_cache():
    # Throttle counters and websocket tickets live in the cache; tests must not share them.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", name="Alice", password=PASSWORD)


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", name="Bob", password=PASSWORD)


@pytest.fixture
def api() -> APIClient:
    # API clients choose their language with Accept-Language; tests read English.
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def _client_for(user) -> APIClient:
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def alice_api(alice) -> APIClient:
    return _client_for(alice)


@pytest.fixture
def bob_api(bob) -> APIClient:
    return _client_for(bob)
