"""Writes for push subscriptions (the sending side lives in push.py)."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from lipread.api.exceptions import ApplicationError
from video_pipeline.models import PushDevice

MSG_ENDPOINT = gettext_noop("The push endpoint must be an https:// URL.")
MSG_KEYS = gettext_noop("The subscription keys are not valid.")
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _allow_local_http() -> bool:
    # Local push services (tests, a developer's relay) speak plain http on loopback only.
    return bool(settings.DEBUG or settings.TESTING)


def validate_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS and _allow_local_http():
        return
    raise ApplicationError(MSG_ENDPOINT, {"fields": {"endpoint": [MSG_ENDPOINT]}})


def _decoded_length(value: str) -> int:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, TypeError):
        return -1


def validate_keys(*, p256dh: str, auth: str) -> None:
    """p256dh is an uncompressed P-256 point (65 bytes), auth a 16-byte secret."""
    if _decoded_length(p256dh) != 65 or _decoded_length(auth) != 16:
        raise ApplicationError(MSG_KEYS, {"fields": {"keys": [MSG_KEYS]}})


@transaction.atomic
def device_subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> PushDevice:
    """Store or refresh a subscription; an endpoint moves to whoever subscribed it last."""
    validate_endpoint(endpoint)
    validate_keys(p256dh=p256dh, auth=auth)
    device, _created = PushDevice.objects.select_for_update().update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return device


def device_unsubscribe(*, user, endpoint: str) -> int:
    deleted, _ = PushDevice.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted
