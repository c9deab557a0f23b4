"""The media view: access checks (alice/bob, anonymous, JWT, staff) and HTTP Range."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken

from roleplay.media import parse_range
from tests.factories import UserFactory
from tests.roleplay.factories import make_roleplay, sample_mp4

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _video(roleplay) -> str:
    return roleplay.lines.order_by("order").first().video.name


def test_full_file_without_range(alice):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    response = _client(alice).get(f"/media/{name}")
    assert response.status_code == 200
    data = sample_mp4()
    assert _body(response) == data
    assert response["Content-Length"] == str(len(data))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", -50, None)],
)
def test_range_requests_answer_206_with_exactly_those_bytes(alice, header, start, end):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    data = sample_mp4()
    expected = data[start : None if end is None else end + 1]
    response = _client(alice).get(f"/media/{name}", HTTP_RANGE=header)
    assert response.status_code == 206
    assert _body(response) == expected
    assert response["Content-Length"] == str(len(expected))
    first = len(data) + start if start < 0 else start
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(data)}"
    assert response["Accept-Ranges"] == "bytes"


def test_range_past_the_end_is_clamped(alice):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    size = len(sample_mp4())
    response = _client(alice).get(f"/media/{name}", HTTP_RANGE=f"bytes={size - 10}-{size + 500}")
    assert response.status_code == 206
    assert _body(response) == sample_mp4()[-10:]


@pytest.mark.parametrize("header", ["bytes={size}-", "bytes=999999-1000000", "bytes=-0"])
def test_unsatisfiable_range_is_416(alice, header):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    size = len(sample_mp4())
    response = _client(alice).get(f"/media/{name}", HTTP_RANGE=header.format(size=size))
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-5", "bytes=9-3", "bytes=-"])
def test_unusable_range_headers_get_the_whole_file(alice, header):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    response = _client(alice).get(f"/media/{name}", HTTP_RANGE=header)
    assert response.status_code == 200
    assert _body(response) == sample_mp4()


def test_head_sends_headers_only(alice):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    response = _client(alice).head(f"/media/{name}", HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert _body(response) == b""


def test_content_types_by_extension(alice):
    line = make_roleplay(owner=alice, lines=1, rendered=True).lines.get()
    client = _client(alice)
    expected = {
        line.video.name: "video/mp4",
        line.captions.name: "text/vtt",
        line.poster.name: "image/jpeg",
        line.timeline.name: "application/json",
    }
    for name, content_type in expected.items():
        response = client.get(f"/media/{name}")
        assert response["Content-Type"].startswith(content_type), name
    assert _body(client.get(f"/media/{line.captions.name}")).startswith(b"WEBVTT")
    assert _body(client.get(f"/media/{line.poster.name}"))[:2] == b"\xff\xd8"


def test_another_users_media_is_404(alice, bob):
    name = _video(make_roleplay(owner=bob, lines=1, rendered=True))
    assert _client(bob).get(f"/media/{name}").status_code == 200
    assert _client(alice).get(f"/media/{name}").status_code == 404
    assert _client(alice).get(f"/media/{name}", HTTP_RANGE="bytes=0-9").status_code == 404


def test_anonymous_gets_404_for_personal_media(alice):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    assert _client().get(f"/media/{name}").status_code == 404


def test_official_media_is_readable_by_any_logged_in_user(alice, bob):
    name = _video(make_roleplay(lines=1, rendered=True))
    assert _client(alice).get(f"/media/{name}").status_code == 200
    assert _client(bob).get(f"/media/{name}", HTTP_RANGE="bytes=0-9").status_code == 206


def test_bearer_token_works_and_a_bad_token_does_not(alice, bob):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    token = RefreshToken.for_user(alice).access_token
    assert Client().get(f"/media/{name}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    bob_token = RefreshToken.for_user(bob).access_token
    assert Client().get(f"/media/{name}", HTTP_AUTHORIZATION=f"Bearer {bob_token}").status_code == (
        404
    )
    assert Client().get(f"/media/{name}", HTTP_AUTHORIZATION="Bearer junk").status_code == 404


def test_files_not_attached_to_a_line_are_never_served(alice):
    default_storage.save("lines/stray.mp4", __import__("io").BytesIO(b"secret"))
    assert _client(alice).get("/media/lines/stray.mp4").status_code == 404
    assert _client(alice).get("/media/../settings.py").status_code == 404
    staff = UserFactory(email="curator@example.com", is_staff=True)
    assert _client(staff).get("/media/lines/stray.mp4").status_code == 404


def test_staff_can_watch_any_line(bob):
    name = _video(make_roleplay(owner=bob, lines=1, rendered=True))
    staff = UserFactory(email="curator@example.com", is_staff=True)
    assert _client(staff).get(f"/media/{name}").status_code == 200


def test_a_line_whose_file_vanished_is_404(alice):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    default_storage.delete(name)
    assert _client(alice).get(f"/media/{name}").status_code == 404


def test_post_is_not_allowed(alice):
    name = _video(make_roleplay(owner=alice, lines=1, rendered=True))
    assert _client(alice).post(f"/media/{name}").status_code == 405


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-0", (0, 0)),
        ("bytes=5-", (5, 9)),
        ("bytes=-3", (7, 9)),
        ("bytes=-30", (0, 9)),
        ("bytes=10-", False),
        ("bytes=3-2", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 10) == expected
