from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from video_pipeline import services
from video_pipeline.models import GenerationJob, PushDevice


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ("id", "roleplay", "status", "step", "progress", "attempts", "updated_at")
    list_filter = ("status", "step")
    search_fields = ("roleplay__title", "error")
    raw_id_fields = ("roleplay",)
    readonly_fields = ("seq", "created_at", "updated_at", "finished_at")
    actions = ("requeue",)

    @admin.action(description=_("Queue again (resumes where it stopped)"))
    def requeue(self, request, queryset) -> None:
        with transaction.atomic():
            for job in queryset.select_related("roleplay"):
                services.job_create(roleplay=job.roleplay)
        self.message_user(request, _("Queued."), messages.SUCCESS)


@admin.register(PushDevice)
class PushDeviceAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "endpoint", "created_at")
    search_fields = ("user__email", "endpoint")
    raw_id_fields = ("user",)
