"""Progress events: state lives in the database; these functions only deliver it."""

from __future__ import annotations


def progress_snapshot(*, user_id: int) -> list[dict]:
    """One progress event per unfinished roleplay of the user (none until roleplays exist)."""
    return []
