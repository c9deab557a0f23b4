"""Learning pages: practice a roleplay, the records calendar and details, review.

Pages read through the same selectors as the API; the practice and review pages then
talk to the JSON API (session auth + CSRF header) for checking and saving.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from learning import records, review, selectors
from learning.models import PracticeSession
from lipread.api.exceptions import ApplicationError
from roleplay.media import line_media_url
from roleplay.models import Roleplay

SPEEDS = ("0.5", "0.6", "0.7", "0.8", "0.9", "1.0")
NOISE_LEVELS = (20, 15, 10, 5, 0, -5)


def _media(request: HttpRequest, field_file: Any) -> str | None:
    return line_media_url(request, field_file) if field_file else None


@login_required
@require_GET
def practice(request: HttpRequest, roleplay_id: int) -> HttpResponse:
    """The practice player. The sentences' text is not on the page: it is the answer."""
    roleplay = Roleplay.objects.visible_to(request.user).filter(pk=roleplay_id).first()
    if roleplay is None:
        raise Http404
    lines = [
        {
            "id": line.pk,
            "order": line.order,
            "speaker": line.role.name,
            "position": line.role.position,
            "ready": bool(line.video),
            "video": _media(request, line.video),
            "poster": _media(request, line.poster),
            "captions": _media(request, line.captions),
        }
        for line in roleplay.lines.select_related("role").order_by("order")
    ]
    config = {
        "roleplay": roleplay.pk,
        "language": roleplay.language,
        "lines": lines,
        "api": {
            "sessions": reverse("api-session-start"),
            "check": reverse("api-check"),
        },
        "records": reverse("records"),
    }
    return render(
        request,
        "learning/practice.html",
        {
            "roleplay": roleplay,
            "config": config,
            "line_count": len(lines),
            "ready_count": sum(1 for line in lines if line["ready"]),
            "speeds": SPEEDS,
            "noise_levels": NOISE_LEVELS,
            "modes": PracticeSession.Mode.choices,
        },
    )


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@login_required
@require_GET
def record_calendar(request: HttpRequest) -> HttpResponse:
    """A month grid of the learner's local days, days with sessions marked and linked."""
    today = selectors.learner_today(request.user)
    try:
        year, month = records.parse_month(
            request.GET.get("year"), request.GET.get("month"), default=today
        )
    except ApplicationError:
        year, month = today.year, today.month
    month_data = records.records_month(user=request.user, year=year, month=month)
    by_day = {item["date"]: item["sessions"] for item in month_data["days"]}
    weeks = []
    for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == today,
                    "sessions": by_day.get(day.isoformat(), []) if day.month == month else [],
                }
                for day in week
            ]
        )
    previous, following = _shift(year, month, -1), _shift(year, month, 1)
    return render(
        request,
        "learning/records.html",
        {
            "year": year,
            "month": month,
            "month_start": date(year, month, 1),
            "weeks": weeks,
            "days": [
                (date.fromisoformat(item["date"]), item["sessions"]) for item in month_data["days"]
            ],
            "previous": previous,
            "next": following,
            "weekdays": [date(2026, 11, 1 + offset) for offset in range(7)],  # a Sunday-first week
            "stats": selectors.learner_stats(user=request.user, today=today),
        },
    )


@login_required
@require_GET
def record_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        record = records.record_detail(user=request.user, session_id=session_id)
    except ApplicationError:
        raise Http404 from None
    return render(request, "learning/record_detail.html", {"record": record})


@login_required
@require_GET
def review_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/review.html",
        {
            "due_count": review.due_count(user=request.user),
            "config": {"due": reverse("api-review-due"), "answer": "/api/review/{id}/answer"},
        },
    )
