"""Browse pages: the library (home), a roleplay's detail, my roleplays, delete.

They read through the same selectors as the API and delete through the same service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learning.selectors import roleplay_stats, studied_roleplay_ids
from lipread.api.exceptions import ApplicationError
from roleplay import selectors, services
from roleplay.models import Roleplay


def _ui_language(request: HttpRequest) -> str:
    language = (getattr(request, "LANGUAGE_CODE", None) or get_language() or "ko")[:2]
    return language if language in Roleplay.Language.values else "ko"


def _studied(request: HttpRequest) -> set[int]:
    if not request.user.is_authenticated:
        return set()
    return studied_roleplay_ids(user=request.user)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The official library: category chips and language chips filter the cards."""
    ui_language = _ui_language(request)
    language = request.GET.get("language") or ui_language
    if language not in Roleplay.Language.values:
        language = ui_language
    slug = request.GET.get("category") or None
    try:
        roleplays = selectors.roleplay_official_list(category=slug, language=language)
    except ApplicationError:
        messages.warning(request, _("That category does not exist; showing all categories."))
        slug = None
        roleplays = selectors.roleplay_official_list(language=language)
    studied = _studied(request)
    cards = [
        {"roleplay": item, "ready": selectors.is_ready(item), "studied": item.pk in studied}
        for item in roleplays
    ]
    categories = [
        {"category": item, "name": item.name_for(ui_language), "count": item.roleplay_count}
        for item in selectors.category_list(language=language)
    ]
    return render(
        request,
        "roleplay/home.html",
        {
            "cards": cards,
            "categories": categories,
            "library_progress": selectors.library_render_progress(),
            "current_category": slug,
            "language": language,
            "languages": Roleplay.Language.choices,
            "ui_language": ui_language,
        },
    )


@require_GET
def roleplay_detail(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    roleplay = selectors.roleplay_get(user=request.user, roleplay_id=roleplay_id)
    user = request.user if request.user.is_authenticated else None
    stats = roleplay_stats(user=user, roleplay=roleplay) if user else None
    return render(
        request,
        "roleplay/detail.html",
        {
            "roleplay": roleplay,
            "roles": sorted(roleplay.roles.all(), key=lambda role: role.position),
            "ready": selectors.is_ready(roleplay),
            "stats": stats,
            "parent": selectors.roleplay_visible_parent(user=request.user, roleplay=roleplay),
            "category_name": roleplay.category.name_for(_ui_language(request))
            if roleplay.category
            else "",
            "can_delete": bool(
                user and roleplay.kind == Roleplay.Kind.PERSONAL and roleplay.owner_id == user.pk
            ),
        },
    )


@login_required
@require_POST
def roleplay_delete(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    try:
        services.roleplay_delete(user=request.user, roleplay_id=roleplay_id)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("roleplay-page", roleplay_id=roleplay_id)
    messages.success(request, _("The roleplay was deleted."))
    return redirect("my-roleplays")


@login_required
@require_GET
def roleplay_mine(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in Roleplay.Status.values:
        status = None
    page = Paginator(selectors.roleplay_mine_list(user=request.user, status=status), 20).get_page(
        request.GET.get("page")
    )
    studied = _studied(request)
    cards = [
        {"roleplay": item, "ready": selectors.is_ready(item), "studied": item.pk in studied}
        for item in page
    ]
    return render(
        request,
        "roleplay/mine.html",
        {"cards": cards, "page": page, "status": status, "statuses": Roleplay.Status.choices},
    )
