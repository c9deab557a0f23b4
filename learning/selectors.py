"""Reads for learning data used by other apps (roleplay list/detail).

Until practice sessions exist these return "nothing studied"; the learning issue
replaces the bodies, keeping the signatures.
"""

from __future__ import annotations


def studied_roleplay_ids(*, user) -> set[int]:
    """Ids of roleplays the user has practised at least once."""
    return set()


def roleplay_stats(*, user, roleplay) -> dict | None:
    """The user's stats for one roleplay, or None when never studied.

    Shape: {"times_studied", "average_score", "total_seconds", "most_missed": {"line", "text", "misses"} | None}
    """
    return None
