"""Practice, records and review pages: access rules and what they render."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from learning import services
from tests.learning.helpers import make_roleplay

pytestmark = pytest.mark.django_db


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="practice-config" type="application/json">') + len(
        '<script id="practice-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_practice_page_needs_login(client):
    roleplay = make_roleplay()
    response = client.get(f"/practice/{roleplay.pk}/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_practice_page_hides_sentences_and_lists_lines(client, alice):
    roleplay = make_roleplay(rendered=True)
    client.force_login(alice)
    response = client.get(f"/practice/{roleplay.pk}/")
    assert response.status_code == 200
    config = _config(response)
    assert [line["order"] for line in config["lines"]] == [0, 1, 2, 3]
    assert all(line["ready"] and line["video"] for line in config["lines"])
    html = response.content.decode()
    for line in roleplay.lines.all():
        assert line.text not in html  # the sentence is the answer
    assert "<script>" not in html and ' style="' not in html  # CSP: no inline code


def test_practice_page_of_someone_elses_roleplay_is_404(client, alice, bob):
    client.force_login(alice)
    assert client.get(f"/practice/{make_roleplay(owner=bob).pk}/").status_code == 404
    assert client.get("/practice/999999/").status_code == 404
    assert client.get(f"/practice/{make_roleplay(owner=alice).pk}/").status_code == 200


def test_practice_page_marks_unrendered_lines(client, alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    response = client.get(f"/practice/{make_roleplay().pk}/")
    assert not any(line["ready"] for line in _config(response)["lines"])
    assert "have a video so far" in response.content.decode()


def test_records_calendar_marks_days_and_links_sessions(client, alice):
    roleplay = make_roleplay()
    at = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)  # 23:30 in Seoul
    session = services.session_start(user=alice, roleplay_id=roleplay.pk, mode="lips", now=at)
    services.session_finish(user=alice, session_id=session.pk, now=at + timedelta(minutes=2))
    client.force_login(alice)
    html = client.get("/records/?year=2026&month=11").content.decode()
    assert 'href="#day-2026-11-30"' in html
    assert f'href="/records/{session.pk}/"' in html
    assert "?year=2026&amp;month=10" in html and "?year=2026&amp;month=12" in html
    assert (
        f"/records/{session.pk}/" not in client.get("/records/?year=2026&month=12").content.decode()
    )


def test_records_calendar_survives_bad_parameters(client, alice):
    client.force_login(alice)
    assert client.get("/records/?year=abc&month=99").status_code == 200


def test_record_detail_page_and_isolation(client, alice, bob):
    roleplay = make_roleplay()
    session = services.session_start(user=bob, roleplay_id=roleplay.pk, mode="both")
    line = roleplay.lines.first()
    services.attempt_create(user=bob, session_id=session.pk, line_id=line.pk, input="바다")
    services.session_finish(user=bob, session_id=session.pk)
    client.force_login(alice)
    assert client.get(f"/records/{session.pk}/").status_code == 404
    client.force_login(bob)
    html = client.get(f"/records/{session.pk}/").content.decode()
    assert line.text in html and "바다" in html and "word-missing" in html


def test_review_page_renders(client, alice):
    client.force_login(alice)
    response = client.get("/review/")
    assert response.status_code == 200
    assert "review-config" in response.content.decode()
