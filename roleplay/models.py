from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    slug = models.SlugField(unique=True, max_length=40)
    name_ko = models.CharField(max_length=40)
    name_en = models.CharField(max_length=40)
    emoji = models.CharField(max_length=16, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order", "slug")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.emoji} {self.name_ko} / {self.name_en}".strip()

    def name_for(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_ko


class RoleplayQuerySet(models.QuerySet):
    def official(self) -> RoleplayQuerySet:
        return self.filter(kind=Roleplay.Kind.OFFICIAL)

    def personal(self) -> RoleplayQuerySet:
        return self.filter(kind=Roleplay.Kind.PERSONAL)

    def owned_by(self, user) -> RoleplayQuerySet:
        return self.filter(kind=Roleplay.Kind.PERSONAL, owner=user)

    def for_language(self, language: str) -> RoleplayQuerySet:
        return self.filter(language=language)

    def visible_to(self, user) -> RoleplayQuerySet:
        """Official roleplays plus the user's own: everything else is a 404."""
        if user is None or not user.is_authenticated:
            return self.official()
        return self.filter(
            Q(kind=Roleplay.Kind.OFFICIAL) | Q(kind=Roleplay.Kind.PERSONAL, owner=user)
        )

    def unfinished(self) -> RoleplayQuerySet:
        return self.filter(status__in=Roleplay.UNFINISHED)


class Roleplay(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official")
        PERSONAL = "personal", _("Personal")

    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        GENERATING = "generating", _("Generating")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    UNFINISHED = (Status.QUEUED, Status.GENERATING)

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    key = models.SlugField(
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable id of an official library roleplay (used when loading the library)."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roleplays",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.KOREAN)
    title = models.CharField(max_length=80)
    description = models.TextField(max_length=500, blank=True)
    emoji = models.CharField(max_length=16, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="roleplays"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    error = models.TextField(blank=True)
    must_words = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleplayQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["kind", "language", "category"]),
            models.Index(fields=["owner", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="personal", owner__isnull=False) | Q(kind="official", owner__isnull=True)
                ),
                name="roleplay_owner_iff_personal",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="roleplay_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emoji} {self.title}".strip()

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL


class Role(models.Model):
    class Voice(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OLDER_WOMAN = "older_woman", _("Older woman")
        OLDER_MAN = "older_man", _("Older man")

    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, related_name="roles")
    position = models.PositiveSmallIntegerField(default=0)  # 0 or 1
    name = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    voice = models.CharField(max_length=12, choices=Voice.choices, default=Voice.WOMAN)

    class Meta:
        ordering = ("roleplay", "position")
        constraints = [
            models.UniqueConstraint(fields=["roleplay", "position"], name="role_unique_position"),
            models.CheckConstraint(condition=Q(position__lte=1), name="role_position_0_or_1"),
        ]

    def __str__(self) -> str:
        return self.name


class Line(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    roleplay = models.ForeignKey(Roleplay, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField()
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="lines")
    text = models.CharField(max_length=200)
    video = models.FileField(upload_to="lines/", max_length=255, blank=True)
    captions = models.FileField(upload_to="lines/", max_length=255, blank=True)
    poster = models.FileField(upload_to="lines/", max_length=255, blank=True)
    timeline = models.FileField(upload_to="lines/", max_length=255, blank=True)
    duration = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    rendered_text = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "The text the current video was rendered from; a changed line needs re-rendering."
        ),
    )

    class Meta:
        ordering = ("roleplay", "order")
        constraints = [
            models.UniqueConstraint(fields=["roleplay", "order"], name="line_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    @property
    def has_assets(self) -> bool:
        return bool(self.video and self.captions and self.poster and self.timeline)
