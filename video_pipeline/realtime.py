"""Single-use, short-lived tickets that let API clients open the progress websocket.

A JWT in a URL ends up in proxy logs; a ticket is random, valid for 30 seconds and
consumed on first use, so nothing long-lived ever sits in a query string.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache

TICKET_TTL_SECONDS = 30
_PREFIX = "ws-ticket:"


def ticket_issue(*, user_id: int) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(_PREFIX + ticket, user_id, timeout=TICKET_TTL_SECONDS)
    return ticket


def ticket_redeem(ticket: str) -> int | None:
    """The user id the ticket was issued to, once; None when unknown or used."""
    if not ticket or len(ticket) > 100:
        return None
    key = _PREFIX + ticket
    user_id = cache.get(key)
    if user_id is None:
        return None
    # delete() tells whether this caller removed it: a concurrent second use loses.
    if not cache.delete(key):
        return None
    return int(user_id)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"
