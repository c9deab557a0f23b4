"""The create page (/roleplays/new/) and "make a similar one" (/roleplays/<id>/derive/).

Plain HTML forms posting to the same services as the API, so they work without
JavaScript; create.js only turns the words field into chips.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lipread.api.exceptions import ApplicationError
from roleplay.creation import services
from roleplay.creation.forms import CreateForm, DeriveForm
from roleplay.selectors import roleplay_get


def _apply_error(form, exc: ApplicationError) -> None:
    fields = exc.extra.get("fields") or {}
    placed = False
    for name, errors in fields.items():
        if name in form.fields:
            for message in errors if isinstance(errors, list) else [errors]:
                form.add_error(name, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _page(request, form, *, parent=None, status: int = 200) -> HttpResponse:
    return render(request, "roleplay/create.html", {"form": form, "parent": parent}, status=status)


@login_required
def roleplay_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, CreateForm(initial={"language": request.user.language}))
    form = CreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        roleplay = services.roleplay_create(user=request.user, **form.service_kwargs())
    except ApplicationError as exc:
        _apply_error(form, exc)
        return _page(request, form, status=exc.status)
    return redirect(reverse("roleplay-page", kwargs={"roleplay_id": roleplay.pk}))


@login_required
def roleplay_derive(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    parent = roleplay_get(user=request.user, roleplay_id=roleplay_id)
    if request.method != "POST":
        return _page(request, DeriveForm(initial={"title": parent.title}), parent=parent)
    form = DeriveForm(request.POST)
    if not form.is_valid():
        return _page(request, form, parent=parent, status=400)
    try:
        roleplay = services.roleplay_derive(
            user=request.user,
            roleplay_id=parent.pk,
            title=form.cleaned_data["title"],
            must_words=form.cleaned_data["must_words"],
        )
    except ApplicationError as exc:
        _apply_error(form, exc)
        return _page(request, form, parent=parent, status=exc.status)
    return redirect(reverse("roleplay-page", kwargs={"roleplay_id": roleplay.pk}))


@login_required
@require_POST
def roleplay_retry(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    """The detail page's "Try again" button for a failed roleplay."""
    try:
        roleplay = services.roleplay_retry(user=request.user, roleplay_id=roleplay_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("roleplay-page", roleplay_id=roleplay_id)
    messages.success(request, _("Started again. You can follow the progress here."))
    return redirect("roleplay-page", roleplay_id=roleplay.pk)
