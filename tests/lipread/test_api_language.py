"""API messages follow Accept-Language (Korean by default); constants stay English msgids."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from learning.checking import INPUT_EMPTY
from roleplay.creation import services as creation

pytestmark = pytest.mark.django_db


def _check_empty(client: APIClient, **headers):
    payload = {"input": "", "answer": "밥", "language": "ko"}
    return client.post("/api/check", payload, format="json", **headers)


def test_service_messages_are_korean_for_korean_clients(alice_api):
    body = _check_empty(alice_api).json()
    assert body["message"] == INPUT_EMPTY  # the fixture clients ask for English
    korean = _check_empty(alice_api, HTTP_ACCEPT_LANGUAGE="ko").json()
    assert korean["message"] == "확인하기 전에 알아들은 내용을 입력해 주세요."
    assert korean["extra"]["fields"]["input"] == [korean["message"]]


def test_formatted_messages_are_translated_before_formatting(alice_api, settings):
    settings.LIPREAD_DAILY_QUOTA = 0
    payload = {
        "title": "카페",
        "description": "커피를 주문해요.",
        "language": "ko",
        "must_words": [],
        "roles": [
            {"name": "손님", "description": "", "voice": "woman"},
            {"name": "직원", "description": "", "voice": "man"},
        ],
    }
    english = alice_api.post("/api/roleplays", payload, format="json")
    assert english.status_code == 429
    assert english.json()["message"] == creation.MSG_QUOTA.format(quota=0)
    korean = alice_api.post("/api/roleplays", payload, format="json", HTTP_ACCEPT_LANGUAGE="ko")
    assert (
        korean.json()["message"]
        == "오늘 만들 수 있는 새 대화 0개를 모두 만들었어요. 내일 다시 해 주세요."
    )


def test_not_found_speaks_the_clients_language():
    client = APIClient()  # no Accept-Language: the site default, Korean
    assert client.get("/api/roleplays/abc").status_code == 401
    from rest_framework_simplejwt.tokens import RefreshToken

    from tests.factories import UserFactory

    user = UserFactory()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    assert client.get("/api/roleplays/abc").json()["message"] == "찾을 수 없어요."
