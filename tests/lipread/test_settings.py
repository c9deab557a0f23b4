from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check",
        "--deploy",
        DEBUG="false",
        SECRET_KEY="prod-" + "k3y-With-Real-Entropy-" * 3,
        ALLOWED_HOSTS="lipread.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_missing_secret_key_fails_loudly_when_debug_is_off():
    result = _manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_fails_loudly_and_names_the_variable():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_bad_broker_url_fails_loudly():
    result = _manage("check", DEBUG="true", LIPREAD_BROKER_URL="kafka://nope")
    assert result.returncode != 0
    assert "LIPREAD_BROKER_URL must start with" in result.stderr


def test_env_example_lists_every_contract_variable():
    text = (ROOT / ".env.example").read_text()
    for name in (
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "LIPREAD_BROKER_URL",
        "LIPREAD_MEDIA_ROOT",
        "LIPREAD_LLM_BASE_URL",
        "LIPREAD_LLM_MODEL",
        "LIPREAD_LLM_API_KEY",
        "LIPREAD_TTS_BACKEND",
    ):
        assert f"\n{name}=" in "\n" + text or f"\n# {name}=" in "\n" + text, name


def test_security_headers_are_sent(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
