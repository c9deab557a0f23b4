from __future__ import annotations

import pytest

from roleplay.models import Roleplay
from tests.roleplay.factories import make_roleplay

pytestmark = pytest.mark.django_db


def test_failed_roleplay_detail_offers_try_again_and_it_requeues(client, alice):
    roleplay = make_roleplay(owner=alice, lines=0, status="failed")
    Roleplay.objects.filter(pk=roleplay.pk).update(error="The writing service did not answer.")
    client.force_login(alice)
    page = client.get(f"/roleplays/{roleplay.pk}/").content.decode()
    assert f'action="/roleplays/{roleplay.pk}/retry/"' in page
    assert "The writing service did not answer." in page
    response = client.post(f"/roleplays/{roleplay.pk}/retry/")
    assert response.status_code == 302
    roleplay.refresh_from_db()
    assert roleplay.status in Roleplay.UNFINISHED


def test_retry_page_refuses_a_roleplay_that_did_not_fail(client, alice):
    roleplay = make_roleplay(owner=alice, lines=2, rendered=True)
    client.force_login(alice)
    response = client.post(f"/roleplays/{roleplay.pk}/retry/", follow=True)
    assert response.status_code == 200
    roleplay.refresh_from_db()
    assert roleplay.status == "ready"
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_retry_page_of_someone_elses_roleplay_is_404(client, alice, bob):
    roleplay = make_roleplay(owner=bob, lines=0, status="failed")
    client.force_login(alice)
    assert client.post(f"/roleplays/{roleplay.pk}/retry/").status_code == 404
    assert client.get(f"/roleplays/{roleplay.pk}/retry/").status_code in (404, 405)
    roleplay.refresh_from_db()
    assert roleplay.status == "failed"


def test_detail_page_of_an_unfinished_roleplay_has_live_progress_hooks(client, alice):
    roleplay = make_roleplay(owner=alice, lines=0, status="generating")
    client.force_login(alice)
    page = client.get(f"/roleplays/{roleplay.pk}/").content.decode()
    assert f'data-roleplay-progress="{roleplay.pk}"' in page
    assert f'data-roleplay-reload-on-finish="{roleplay.pk}"' in page
