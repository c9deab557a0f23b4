"""Reads for roleplays, shared by the API, the pages and the media view.

Every read of a single roleplay goes through `Roleplay.objects.visible_to(user)`, so
another user's personal roleplay is indistinguishable from one that does not exist.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_noop

from lipread.api.exceptions import ApplicationError
from roleplay.models import Category, Line, Roleplay

UNKNOWN_CATEGORY = gettext_noop("Unknown category.")
INVALID_LANGUAGE = gettext_noop("Unknown language; use 'ko' or 'en'.")
INVALID_STATUS = gettext_noop("Unknown status.")
MEDIA_FIELDS = ("video", "captions", "poster", "timeline")


def _with_line_counts(queryset: QuerySet[Roleplay]) -> QuerySet[Roleplay]:
    """line_count and rendered_count (lines with a video): `ready` is their equality."""
    return queryset.annotate(
        line_count=Count("lines", distinct=True),
        rendered_count=Count("lines", filter=~Q(lines__video=""), distinct=True),
    )


def is_ready(roleplay: Roleplay) -> bool:
    """All lines have a video (needs `_with_line_counts`)."""
    return roleplay.line_count > 0 and roleplay.rendered_count == roleplay.line_count


def validate_language(language: str | None) -> str | None:
    if language in (None, ""):
        return None
    if language not in Roleplay.Language.values:
        raise ApplicationError(INVALID_LANGUAGE, {"fields": {"language": [INVALID_LANGUAGE]}})
    return language


def category_list(*, language: str | None = None) -> QuerySet[Category]:
    """Categories with the number of official roleplays (in `language` when given)."""
    language = validate_language(language)
    condition = Q(roleplays__kind=Roleplay.Kind.OFFICIAL)
    if language:
        condition &= Q(roleplays__language=language)
    return Category.objects.annotate(roleplay_count=Count("roleplays", filter=condition)).order_by(
        "order", "slug"
    )


def category_by_slug(slug: str | None) -> Category | None:
    if not slug:
        return None
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise ApplicationError(UNKNOWN_CATEGORY, {"fields": {"category": [UNKNOWN_CATEGORY]}})
    return category


def roleplay_official_list(
    *, category: str | None = None, language: str | None = None
) -> QuerySet[Roleplay]:
    """Official roleplays, optionally of one category slug and language.

    An unknown slug or language is a client error (400), not an empty list, so a
    typo does not look like an empty category.
    """
    language = validate_language(language)
    queryset = Roleplay.objects.official().select_related("category")
    found = category_by_slug(category)
    if found is not None:
        queryset = queryset.filter(category=found)
    if language:
        queryset = queryset.for_language(language)
    return _with_line_counts(queryset).order_by("category__order", "category__slug", "key", "id")


def roleplay_mine_list(*, user, status: str | None = None) -> QuerySet[Roleplay]:
    """The user's personal roleplays, newest first."""
    queryset = Roleplay.objects.owned_by(user).select_related("category")
    if status:
        if status not in Roleplay.Status.values:
            raise ApplicationError(INVALID_STATUS, {"fields": {"status": [INVALID_STATUS]}})
        queryset = queryset.filter(status=status)
    return _with_line_counts(queryset).order_by("-created_at", "-id")


def roleplay_lookup(queryset: QuerySet[Roleplay], roleplay_id) -> Roleplay:
    """The roleplay with this id in `queryset`; Http404 for a malformed id or no match.

    Ids arrive as text from URLs; "abc" must be the same 404 as another user's id.
    """
    try:
        pk = int(roleplay_id)
    except (TypeError, ValueError):
        raise Http404 from None
    roleplay = queryset.filter(pk=pk).first()
    if roleplay is None:
        raise Http404
    return roleplay


def roleplay_get(*, user, roleplay_id) -> Roleplay:
    """One visible roleplay with roles and counts; Http404 for bad or foreign ids."""
    queryset = Roleplay.objects.visible_to(user).select_related("category", "parent")
    return roleplay_lookup(_with_line_counts(queryset).prefetch_related("roles"), roleplay_id)


def roleplay_visible_parent(*, user, roleplay: Roleplay) -> Roleplay | None:
    """The parent only when the user may see it (a parent may be someone else's)."""
    if roleplay.parent_id is None:
        return None
    return Roleplay.objects.visible_to(user).filter(pk=roleplay.parent_id).first()


def roleplay_lines(*, roleplay: Roleplay) -> QuerySet[Line]:
    return roleplay.lines.select_related("role").order_by("order")


def line_for_media(*, user, name: str) -> Line | None:
    """The line that stores `name` in one of its file fields, if `user` may see it.

    Staff see everything (curators check renders in the admin).
    """
    match = Q()
    for field_name in MEDIA_FIELDS:
        match |= Q(**{field_name: name})
    lines = Line.objects.filter(match)
    if not (user is not None and user.is_authenticated and user.is_staff):
        lines = lines.filter(roleplay__in=Roleplay.objects.visible_to(user))
    return lines.first()


def library_render_progress() -> dict | None:
    """How far the official library's videos are; None once every line has a video.

    Shown on the home page while the first start renders the library in the background.
    """
    lines = Line.objects.filter(roleplay__kind=Roleplay.Kind.OFFICIAL)
    total = lines.count()
    done = lines.filter(status=Line.Status.READY).count()
    if total == 0 or done == total:
        return None
    return {"done": done, "total": total, "percent": done * 100 // total}
