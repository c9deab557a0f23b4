"""Practice sessions, their attempts, per-learner totals and the spaced-review deck.

A session keeps its record when the roleplay behind it is deleted (roleplay and line
become NULL; the attempt keeps the sentence text), so a learner's history and totals
never shrink because a personal conversation was cleaned up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PracticeSessionQuerySet(models.QuerySet):
    def of(self, user) -> PracticeSessionQuerySet:
        return self.filter(user=user)

    def finished(self) -> PracticeSessionQuerySet:
        return self.filter(finished_at__isnull=False)


class PracticeSession(models.Model):
    class Mode(models.TextChoices):
        LIPS = "lips", _("Lips only")
        LISTEN = "listen", _("Listening only")
        BOTH = "both", _("Lips and sound")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    roleplay = models.ForeignKey(
        "roleplay.Roleplay",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_sessions",
    )
    roleplay_title = models.CharField(max_length=80, blank=True)
    roleplay_emoji = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=2, default="ko")
    mode = models.CharField(max_length=6, choices=Mode.choices, default=Mode.BOTH)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    local_date = models.DateField(help_text=_("The learner's local date when the session began."))
    duration_seconds = models.PositiveIntegerField(default=0)
    sentence_count = models.PositiveSmallIntegerField(default=0)
    correct_count = models.PositiveSmallIntegerField(default=0)
    average_score = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = PracticeSessionQuerySet.as_manager()

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = [
            models.Index(fields=["user", "local_date"]),
            models.Index(fields=["user", "roleplay", "-started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(correct_count__lte=models.F("sentence_count")),
                name="session_correct_lte_sentences",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.roleplay_title} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Attempt(models.Model):
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="attempts")
    line = models.ForeignKey(
        "roleplay.Line", null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    line_order = models.PositiveSmallIntegerField(default=0)
    answer = models.CharField(max_length=300)
    input = models.CharField(max_length=300, blank=True)
    transcript = models.CharField(max_length=500, blank=True)
    spoken = models.BooleanField(default=False)
    result = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    lip_score = models.PositiveSmallIntegerField()
    correct = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("session", "created_at", "id")
        indexes = [models.Index(fields=["session", "line"])]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.line_order} · {self.score}"


class LearnerStats(models.Model):
    """Running totals per learner, updated atomically when a session finishes.

    Kept as a row (not aggregated on every request) so the profile's numbers are one
    indexed read, and updated with F() expressions so concurrent finishes add up.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_stats"
    )
    sessions_finished = models.PositiveIntegerField(default=0)
    sentences_practised = models.PositiveIntegerField(default=0)
    correct_sentences = models.PositiveIntegerField(default=0)
    score_total = models.PositiveBigIntegerField(default=0)
    practice_seconds = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("learner stats")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sentences_practised} sentences"


class ReviewCard(models.Model):
    """One sentence in a learner's spaced-repetition deck (FSRS state in `card`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    line = models.ForeignKey("roleplay.Line", on_delete=models.CASCADE, related_name="review_cards")
    card = models.JSONField(default=dict)
    due = models.DateTimeField(default=timezone.now)
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("due", "id")
        indexes = [models.Index(fields=["user", "due"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "line"], name="review_card_unique_user_line"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · line {self.line_id} · due {self.due:%Y-%m-%d}"
