"""Admin: read-mostly views of practice history for curators and support."""

from __future__ import annotations

from django.contrib import admin

from learning.models import Attempt, LearnerStats, PracticeSession, ReviewCard


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = (
        "line_order",
        "answer",
        "input",
        "transcript",
        "spoken",
        "score",
        "lip_score",
        "correct",
    )
    readonly_fields = fields


@admin.register(PracticeSession)
class PracticeSessionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "roleplay_title",
        "mode",
        "local_date",
        "sentence_count",
        "correct_count",
        "average_score",
        "duration_seconds",
        "finished_at",
    )
    list_filter = ("mode", "language")
    search_fields = ("user__email", "roleplay_title")
    date_hierarchy = "started_at"
    raw_id_fields = ("user", "roleplay")
    readonly_fields = (
        "started_at",
        "finished_at",
        "local_date",
        "duration_seconds",
        "sentence_count",
        "correct_count",
        "average_score",
    )
    inlines = [AttemptInline]


@admin.register(ReviewCard)
class ReviewCardAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "line", "due", "reviews", "lapses")
    search_fields = ("user__email", "line__text")
    raw_id_fields = ("user", "line")


@admin.register(LearnerStats)
class LearnerStatsAdmin(admin.ModelAdmin):
    list_display = ("user", "sessions_finished", "sentences_practised", "practice_seconds")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
