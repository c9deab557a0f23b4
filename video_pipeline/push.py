"""Web Push (VAPID + aes128gcm) to every browser a user subscribed.

Keys come from settings when configured; otherwise one pair is generated and kept
in the database, so a fresh `make run` can send pushes without any setup and the
public key the browsers subscribed with stays stable across restarts.
"""

from __future__ import annotations

import base64
import json
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

logger = logging.getLogger(__name__)

DEFAULT_SUBJECT = "mailto:admin@lipread.local"
PUSH_TIMEOUT_S = 10
PUSH_TTL_S = 24 * 3600
GONE_STATUSES = {404, 410}

TITLES = {
    ("ready", "ko"): "{title} 역할극 생성이 완료되었습니다.",
    ("ready", "en"): "Your roleplay “{title}” is ready.",
    ("failed", "ko"): "{title} 역할극 생성에 실패했습니다.",
    ("failed", "en"): "Your roleplay “{title}” could not be created.",
}
BODIES = {
    ("ready", "ko"): "지금 연습을 시작해 보세요.",
    ("ready", "en"): "Start practising now.",
    ("failed", "ko"): "다시 시도하려면 눌러 주세요.",
    ("failed", "en"): "Tap to try again.",
}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_of(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


def _load_private(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM key, or the base64url raw/DER forms `vapid --gen` and web-push tools print."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        return serialization.load_pem_private_key(text.encode(), password=None)
    return Vapid.from_string(text).private_key


def vapid_keys() -> tuple[ec.EllipticCurvePrivateKey, str]:
    """(private key, public key as base64url uncompressed point)."""
    from video_pipeline.models import VapidKey

    configured = getattr(settings, "LIPREAD_VAPID_PRIVATE_KEY", None)
    if configured:
        private = _load_private(configured)
        public = getattr(settings, "LIPREAD_VAPID_PUBLIC_KEY", None) or _public_of(private)
        return private, public
    row = VapidKey.objects.order_by("id").first()
    if row is None:
        with transaction.atomic():
            row = VapidKey.objects.select_for_update().order_by("id").first()
            if row is None:
                private = ec.generate_private_key(ec.SECP256R1())
                pem = private.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode()
                row = VapidKey.objects.create(private_key=pem, public_key=_public_of(private))
    return _load_private(row.private_key), row.public_key


def vapid_public_key() -> str:
    return vapid_keys()[1]


def push_message(*, roleplay, outcome: str, language: str) -> dict:
    language = "en" if language == "en" else "ko"
    return {
        "title": TITLES[(outcome, language)].format(title=roleplay.title),
        "body": BODIES[(outcome, language)],
        "url": f"/roleplays/{roleplay.pk}/",
        "tag": f"roleplay-{roleplay.pk}",
        "roleplay": roleplay.pk,
        "status": outcome,
    }


def push_send(*, device, payload: dict) -> bool:
    """Encrypt and send one notification; a subscription the service says is gone is deleted.

    Returns whether the push service accepted it.
    """
    private, _public = vapid_keys()
    vapid = Vapid()
    vapid.private_key = private
    subject = getattr(settings, "LIPREAD_VAPID_SUBJECT", None) or DEFAULT_SUBJECT
    subscription = {
        "endpoint": device.endpoint,
        "keys": {"p256dh": device.p256dh, "auth": device.auth},
    }
    try:
        webpush(
            subscription,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid,
            vapid_claims={"sub": subject},
            timeout=PUSH_TIMEOUT_S,
            ttl=PUSH_TTL_S,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in GONE_STATUSES:
            logger.info("Push subscription %s is gone (%s); deleting it", device.pk, status)
            device.delete()
        else:
            logger.warning("Push to device %s failed: %s", device.pk, exc)
        return False
    except Exception as exc:  # a broken endpoint must never break the job
        logger.warning("Push to device %s failed: %s", device.pk, exc)
        return False
    return True


def push_roleplay_outcome(*, roleplay_id: int) -> int:
    """Notify every subscription of the owner that the roleplay is ready or failed."""
    from roleplay.models import Roleplay

    roleplay = Roleplay.objects.select_related("owner").filter(pk=roleplay_id).first()
    if roleplay is None or roleplay.owner is None:
        return 0
    if roleplay.status not in (Roleplay.Status.READY, Roleplay.Status.FAILED):
        return 0
    payload = push_message(
        roleplay=roleplay, outcome=roleplay.status, language=roleplay.owner.language
    )
    return sum(push_send(device=d, payload=payload) for d in roleplay.owner.push_devices.all())
