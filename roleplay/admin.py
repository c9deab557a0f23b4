"""Curator admin: categories, roleplays with roles and lines, JSON export and import.

Lines can be reordered by editing their `order` column; on save every line is
renumbered 1..n in two phases (see `services.roleplay_lines_reorder`) so swaps never
hit the (roleplay, order) unique constraint. Rendering actions come from the video
pipeline's admin module.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lipread.api.exceptions import ApplicationError
from roleplay import library_io, services
from roleplay.media import line_media_url
from roleplay.models import Category, Line, Role, Roleplay
from video_pipeline.admin_actions import render_roleplays, rerender_lines

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def video_player(line: Line | None) -> str:
    """A small <video> with captions for a rendered line; a dash otherwise."""
    if line is None or not line.pk or not line.video:
        return "—"
    poster = line_media_url(None, line.poster) or ""
    track = ""
    if line.captions:
        track = format_html(
            '<track kind="captions" src="{}" srclang="{}" label="{}" default>',
            line_media_url(None, line.captions),
            line.roleplay.language,
            line.roleplay.get_language_display(),
        )
    return format_html(
        '<video class="line-player" controls preload="none" width="240" poster="{}" src="{}">'
        "{}</video>",
        poster,
        line_media_url(None, line.video),
        track,
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "emoji", "name_ko", "name_en", "order", "roleplay_count")
    list_editable = ("order",)
    search_fields = ("slug", "name_ko", "name_en")
    ordering = ("order", "slug")

    @admin.display(description=_("roleplays"))
    def roleplay_count(self, category: Category) -> int:
        return category.roleplays.count()


class RoleInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        positions = sorted(
            form.cleaned_data["position"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if positions != [0, 1]:
            raise ValidationError(services.TWO_ROLES)


class RoleInline(admin.TabularInline):
    model = Role
    formset = RoleInlineFormSet
    extra = 0
    min_num = 2
    max_num = 2
    fields = ("position", "name", "voice", "description")


class LineInlineForm(forms.ModelForm):
    """Skips the (roleplay, order) uniqueness check: the admin renumbers on save."""

    class Meta:
        model = Line
        fields = ("order", "role", "text")

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("order")
        return exclusions


class LineInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        for form in self.forms:
            data = form.cleaned_data
            role = data.get("role") if data and not data.get("DELETE") else None
            if role is not None and role.roleplay_id != self.instance.pk:
                raise ValidationError(services.LINE_ROLE_FOREIGN)


class LineInline(admin.TabularInline):
    model = Line
    form = LineInlineForm
    formset = LineInlineFormSet
    extra = 0
    ordering = ("order",)
    fields = ("order", "role", "text", "status", "duration", "player")
    readonly_fields = ("status", "duration", "player")

    @admin.display(description=_("video"))
    def player(self, line: Line) -> str:
        return video_player(line)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "role":
            parent_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Role.objects.filter(roleplay_id=parent_id or 0)
            kwargs["help_text"] = _("Save the two roles first.") if not parent_id else ""
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Library JSON"),
        help_text=_("A bundle exported here, or one category file named <slug>.json."),
    )


@admin.register(Roleplay)
class RoleplayAdmin(admin.ModelAdmin):
    list_display = ("__str__", "key", "kind", "language", "category", "status", "owner")
    list_filter = ("kind", "language", "category", "status")
    search_fields = ("title", "description", "key", "lines__text")
    list_select_related = ("category", "owner")
    raw_id_fields = ("owner", "parent")
    readonly_fields = ("created_at", "updated_at")
    inlines = (RoleInline, LineInline)
    actions = ("export_json", render_roleplays)
    fieldsets = (
        (None, {"fields": ("kind", "key", "owner", "language", "category", "parent")}),
        (_("Content"), {"fields": ("title", "emoji", "description", "must_words")}),
        (_("Generation"), {"fields": ("status", "progress", "error")}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Line:
            return super().save_formset(request, form, formset, change)
        self._save_lines(form.instance, formset)

    @transaction.atomic
    def _save_lines(self, roleplay: Roleplay, formset) -> None:
        """Apply edits, then renumber 1..n by the curator's order values.

        On a tie (a line moved onto another's number) the edited line goes first,
        so "set line 5 to 2" means "move line 5 to position 2".
        """
        instances = formset.save(commit=False)
        for line in formset.deleted_objects:
            line.delete()
        wanted: dict[int, tuple[int, int]] = {}
        edited = {line.pk for line in instances if line.pk}
        for line in roleplay.lines.exclude(pk__in=edited):
            wanted[line.pk] = (line.order, 1)
        for index, line in enumerate(roleplay.lines.all()):
            Line.objects.filter(pk=line.pk).update(order=services.PARKING_ORDER + index)
        for index, line in enumerate(instances):
            order = line.order
            line.order = services.PARKING_ORDER + 1000 + index
            line.roleplay = roleplay
            line.save()
            wanted[line.pk] = (order, 0)
        formset.save_m2m()
        ordered = sorted(wanted, key=lambda pk: (*wanted[pk], pk))
        services.roleplay_lines_reorder(roleplay=roleplay, line_ids=ordered)

    @admin.action(description=_("Export selected as JSON"))
    def export_json(self, request: HttpRequest, queryset) -> HttpResponse:
        roleplays = queryset.select_related("category").prefetch_related("roles", "lines__role")
        bundle = library_io.export_bundle(roleplays.order_by("category__order", "key", "id"))
        response = HttpResponse(
            json.dumps(bundle, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="lipread-library.json"'
        return response

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="roleplay_roleplay_import",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a library JSON and run the same import as `manage.py load_library`."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise ApplicationError(str(_("The file is too large (5 MB at most).")))
                data = library_io.read_upload(upload.read(), upload.name)
                report = services.library_import(data=data, report_missing=False)
            except ApplicationError as error:
                fields = error.extra.get("fields", {})
                details = "; ".join(
                    f"{key}: {', '.join(map(str, value))}" for key, value in fields.items()
                )
                form.add_error("file", f"{error.message} {details}".strip())
            else:
                self.message_user(request, report.summary(), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:roleplay_roleplay_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import library JSON"),
        }
        return TemplateResponse(request, "admin/roleplay/roleplay/import.html", context)


@admin.register(Line)
class LineAdmin(admin.ModelAdmin):
    """Direct access to one line, mostly to watch its render."""

    list_display = ("__str__", "roleplay", "role", "status", "duration")
    list_filter = ("status", "roleplay__kind", "roleplay__language")
    search_fields = ("text", "roleplay__title")
    list_select_related = ("roleplay", "role")
    raw_id_fields = ("roleplay", "role")
    readonly_fields = ("player",)
    actions = (rerender_lines,)
    fields = (
        "roleplay",
        "order",
        "role",
        "text",
        "player",
        "status",
        "error",
        "duration",
        "rendered_text",
        "video",
        "captions",
        "poster",
        "timeline",
    )

    @admin.display(description=_("video"))
    def player(self, line: Line) -> str:
        return video_player(line)
