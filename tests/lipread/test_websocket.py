from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from lipread.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def _ticket(api_client) -> str:
    from asgiref.sync import sync_to_async

    response = await sync_to_async(api_client.post)("/api/realtime/ticket")
    assert response.status_code == 200
    return response.json()["ticket"]


async def test_websocket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application,
        "/ws/progress/",
        headers=[(b"origin", b"https://evil.example.com"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert connected is False
    await communicator.disconnect()


@pytest.fixture
def local_hosts(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


def _local(path: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1")]
    )


async def test_unauthenticated_websocket_is_closed_with_4401(local_hosts):
    communicator = _local("/ws/progress/")
    connected, _ = await communicator.connect()
    assert connected is True
    message = await communicator.receive_output()
    assert message == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()


async def test_ticket_opens_the_websocket_once(local_hosts, alice_api):
    ticket = await _ticket(alice_api)
    first = _local(f"/ws/progress/?ticket={ticket}")
    connected, _ = await first.connect()
    assert connected
    assert await first.receive_nothing()
    await first.disconnect()

    second = _local(f"/ws/progress/?ticket={ticket}")
    await second.connect()
    assert (await second.receive_output())["code"] == 4401
    await second.disconnect()


async def test_websocket_receives_only_its_users_events(
    local_hosts, alice, bob, alice_api, bob_api
):
    from channels.layers import get_channel_layer

    alice_ws = _local(f"/ws/progress/?ticket={await _ticket(alice_api)}")
    bob_ws = _local(f"/ws/progress/?ticket={await _ticket(bob_api)}")
    assert (await alice_ws.connect())[0] and (await bob_ws.connect())[0]
    event = {"type": "progress", "roleplay": 1, "status": "generating", "progress": 40}
    await get_channel_layer().group_send(f"user.{alice.pk}", {"type": "progress", "data": event})
    assert await alice_ws.receive_json_from(timeout=2) == event
    assert await bob_ws.receive_nothing(timeout=0.3)
    await alice_ws.disconnect()
    await bob_ws.disconnect()


async def test_expired_ticket_is_refused(local_hosts, alice_api, settings):
    from django.core.cache import cache

    ticket = await _ticket(alice_api)
    cache.delete("ws-ticket:" + ticket)  # what expiry does after 30 s
    communicator = _local(f"/ws/progress/?ticket={ticket}")
    await communicator.connect()
    assert (await communicator.receive_output())["code"] == 4401
    await communicator.disconnect()
