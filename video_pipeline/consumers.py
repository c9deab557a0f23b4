from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from video_pipeline.progress import bind_server_loop
from video_pipeline.realtime import ticket_redeem, user_group

CLOSE_UNAUTHENTICATED = 4401


class ProgressConsumer(AsyncJsonWebsocketConsumer):
    """Live generation progress for one user: a snapshot on connect, then events."""

    async def connect(self) -> None:
        user_id = await self._authenticate()
        if user_id is None:
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = user_id
        self.group = user_group(user_id)
        bind_server_loop(asyncio.get_running_loop())
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        for event in await self._snapshot():
            await self.send_json(event)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The stream is one-way; a client may ask for a fresh snapshot after a gap.
        if isinstance(content, dict) and content.get("action") == "snapshot":
            for event in await self._snapshot():
                await self.send_json(event)

    async def progress(self, event: dict) -> None:
        await self.send_json(event["data"])

    async def _authenticate(self) -> int | None:
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            return user.pk
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        ticket = (query.get("ticket") or [""])[0]
        user_id = await database_sync_to_async(ticket_redeem)(ticket)
        if user_id is None:
            return None
        active = await database_sync_to_async(
            get_user_model().objects.filter(pk=user_id, is_active=True).exists
        )()
        return user_id if active else None

    @database_sync_to_async
    def _snapshot(self) -> list[dict]:
        from video_pipeline.progress import progress_snapshot

        return progress_snapshot(user_id=self.user_id)
