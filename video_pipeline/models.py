from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GenerationJobQuerySet(models.QuerySet):
    def unfinished(self) -> GenerationJobQuerySet:
        return self.filter(status__in=GenerationJob.UNFINISHED)


class GenerationJob(models.Model):
    """The durable state of one roleplay's generation; messages only point at it.

    Dramatiq delivers at least once and may lose nothing but may repeat, so every
    step reads this row to decide what is left to do. ``seq`` grows by one with
    every published state change and is the SSE event id.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        DIALOGUE = "dialogue", _("Writing the conversation")
        RENDER = "render", _("Rendering videos")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    roleplay = models.ForeignKey(
        "roleplay.Roleplay", on_delete=models.CASCADE, related_name="generation_jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    seq = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GenerationJobQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        get_latest_by = ("created_at", "id")
        indexes = [models.Index(fields=["status"]), models.Index(fields=["roleplay", "-id"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"Job {self.pk} for roleplay {self.roleplay_id}: {self.status} {self.progress}%"


class PushDevice(models.Model):
    """A Web Push subscription of one browser (endpoint + the keys to encrypt for it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:60]}"


class VapidKey(models.Model):
    """The generated VAPID key pair used when none is configured (one row at most).

    Kept in the database so `make run` works without configuration and the public
    key stays stable across restarts (subscriptions are bound to it).
    """

    private_key = models.TextField(help_text=_("PEM-encoded EC P-256 private key."))
    public_key = models.CharField(max_length=200, help_text=_("Uncompressed point, base64url."))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"VAPID key {self.public_key[:16]}…"
