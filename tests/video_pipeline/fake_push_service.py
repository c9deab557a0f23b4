"""A Web Push service on 127.0.0.1 that checks what a real one would.

For every POST it verifies the VAPID header (`Authorization: vapid t=<jwt>, k=<key>`:
ES256 signature with the given key, `aud` = this endpoint's origin, `exp` in the
future, a `sub`), decrypts the aes128gcm body with the subscription's private key
and records the plaintext. Endpoints can be told to answer 404/410 (gone).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Received:
    endpoint: str
    claims: dict
    vapid_key: str
    payload: dict
    ttl: str | None


@dataclass
class Rejected:
    endpoint: str
    reason: str


class FakePushService:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.rejected: list[Rejected] = []
        self._keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self._status: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def subscription(self, *, status: int = 201) -> dict:
        """A browser-like subscription: endpoint plus p256dh/auth of a fresh key pair."""
        token = secrets.token_urlsafe(12)
        endpoint = f"{self.origin}/push/{token}"
        private = ec.generate_private_key(ec.SECP256R1())
        auth = secrets.token_bytes(16)
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        with self._lock:
            self._keys[endpoint] = (private, auth)
            self._status[endpoint] = status
        return {"endpoint": endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(auth)}}

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        return list(self.received)

    def __enter__(self) -> FakePushService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _verify_vapid(self, header: str, endpoint: str) -> tuple[dict, str]:
        if not header.lower().startswith("vapid "):
            raise ValueError(f"not a vapid Authorization header: {header[:30]!r}")
        params = dict(part.strip().split("=", 1) for part in header[6:].split(",") if "=" in part)
        token, key = params["t"], params["k"]
        signing_input, _, signature = token.rpartition(".")
        header_b64, _, claims_b64 = signing_input.partition(".")
        if json.loads(b64url_decode(header_b64)).get("alg") != "ES256":
            raise ValueError("JWT alg is not ES256")
        raw = b64url_decode(signature)
        if len(raw) != 64:
            raise ValueError("ES256 signature is not 64 bytes")
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        try:
            public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("VAPID signature does not verify") from None
        claims = json.loads(b64url_decode(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin!r}")
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= time.time():
            raise ValueError("exp is missing or in the past")
        if claims["exp"] > time.time() + 24 * 3600:
            raise ValueError("exp is more than 24 hours ahead")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError("sub must be a mailto: or https: URL")
        return claims, key

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                endpoint = service.origin + self.path
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with service._lock:
                    keys = service._keys.get(endpoint)
                    status = service._status.get(endpoint, 404)
                if keys is None:
                    return self._answer(404)
                if status >= 400:
                    return self._answer(status)
                try:
                    claims, key = service._verify_vapid(
                        self.headers.get("Authorization", ""), endpoint
                    )
                    if self.headers.get("Content-Encoding") != "aes128gcm":
                        raise ValueError("Content-Encoding is not aes128gcm")
                    plain = http_ece.decrypt(
                        body, private_key=keys[0], auth_secret=keys[1], version="aes128gcm"
                    )
                    payload = json.loads(plain)
                except Exception as exc:
                    with service._lock:
                        service.rejected.append(Rejected(endpoint, str(exc)))
                    return self._answer(400)
                with service._lock:
                    service.received.append(
                        Received(endpoint, claims, key, payload, self.headers.get("TTL"))
                    )
                self._answer(201)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
