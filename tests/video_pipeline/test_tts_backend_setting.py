"""LIPREAD_TTS_BACKEND=openai makes the render jobs speak through the OpenAI client."""

from __future__ import annotations

import av
import pytest
from django.core.files.storage import default_storage

from roleplay.models import Line
from tests.roleplay.factories import make_roleplay
from tests.video_pipeline.fake_openai_tts import FakeServer
from video_pipeline import services

pytestmark = pytest.mark.django_db


def test_render_uses_openai_tts_when_configured(settings, alice):
    roleplay = make_roleplay(owner=alice, lines=2)
    line = roleplay.lines.order_by("order").first()
    with FakeServer() as fake:
        settings.LIPREAD_TTS_BACKEND = "openai"
        settings.LIPREAD_LLM_API_KEY = "test-key"
        settings.LIPREAD_LLM_BASE_URL = fake.base_url
        assert services.line_render(line_id=line.pk, size=256) is True
    assert [r["input"] for r in fake.requests] == [line.text]
    line = Line.objects.get(pk=line.pk)
    with default_storage.open(line.video.name) as handle, av.open(handle) as container:
        assert container.streams.audio and container.streams.video


def test_render_uses_espeak_by_default(settings, alice):
    roleplay = make_roleplay(owner=alice, lines=2)
    line = roleplay.lines.order_by("order").first()
    with FakeServer() as fake:
        settings.LIPREAD_LLM_BASE_URL = fake.base_url
        assert services.line_render(line_id=line.pk, size=256) is True
    assert fake.requests == []
    assert Line.objects.get(pk=line.pk).has_assets
