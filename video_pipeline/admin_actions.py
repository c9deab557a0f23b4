"""Admin actions the roleplay and line admins offer (wired there by the lead)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from roleplay.models import Line, Roleplay
from video_pipeline import services


@admin.action(description=_("Render videos"))
def render_roleplays(modeladmin, request, queryset) -> None:
    """Queue rendering of every line without current assets in the selected roleplays."""
    queued = 0
    with transaction.atomic():
        for roleplay in queryset.select_related(None).order_by("id"):
            if services.roleplay_render(roleplay=roleplay) is not None:
                queued += 1
    modeladmin.message_user(
        request,
        ngettext(
            "Queued %(n)d roleplay for rendering.", "Queued %(n)d roleplays for rendering.", queued
        )
        % {"n": queued},
        messages.SUCCESS if queued else messages.WARNING,
    )


@admin.action(description=_("Re-render selected lines"))
def rerender_lines(modeladmin, request, queryset) -> None:
    """Forget the selected lines' videos and queue their roleplays, even if they were current."""
    line_ids = list(queryset.values_list("id", flat=True))
    with transaction.atomic():
        services.lines_reset(line_ids=line_ids)
        roleplay_ids = set(
            Line.objects.filter(pk__in=line_ids).values_list("roleplay_id", flat=True)
        )
        for roleplay in Roleplay.objects.filter(pk__in=roleplay_ids):
            services.roleplay_render(roleplay=roleplay)
    modeladmin.message_user(
        request,
        ngettext(
            "Queued %(n)d line for re-rendering.",
            "Queued %(n)d lines for re-rendering.",
            len(line_ids),
        )
        % {"n": len(line_ids)},
        messages.SUCCESS,
    )
