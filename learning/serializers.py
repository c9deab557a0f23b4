"""Output serializers shared by several learning endpoints (documentation of the JSON)."""

from __future__ import annotations

from rest_framework import serializers

from learning.models import PracticeSession


class CheckResultSerializer(serializers.Serializer):
    diff = serializers.ListField(child=serializers.ListField())
    score = serializers.IntegerField()
    lip_score = serializers.IntegerField()
    words = serializers.ListField(child=serializers.DictField())
    input_normalized = serializers.CharField()
    answer_normalized = serializers.CharField()
    spacing_differs = serializers.BooleanField()


class RoleplayRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    emoji = serializers.CharField(allow_blank=True)


class WrongSentenceSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    order = serializers.IntegerField()
    text = serializers.CharField()
    best_score = serializers.IntegerField()


class SessionStatsSerializer(serializers.Serializer):
    sentence_count = serializers.IntegerField()
    correct_count = serializers.IntegerField()
    average_score = serializers.IntegerField(allow_null=True)
    duration_seconds = serializers.IntegerField()


class RecordSessionSerializer(SessionStatsSerializer):
    id = serializers.IntegerField()
    roleplay = RoleplayRefSerializer()
    mode = serializers.CharField()
    finished_at = serializers.DateTimeField()


class RecordDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    sessions = RecordSessionSerializer(many=True)


class RecordAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    line = serializers.IntegerField(allow_null=True)
    order = serializers.IntegerField()
    answer = serializers.CharField()
    input = serializers.CharField(allow_blank=True)
    transcript = serializers.CharField(allow_blank=True)
    spoken = serializers.BooleanField()
    score = serializers.IntegerField()
    lip_score = serializers.IntegerField()
    correct = serializers.BooleanField()
    result = CheckResultSerializer()
    created_at = serializers.DateTimeField()


class SessionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeSession
        fields = ("id", "roleplay", "mode", "language", "started_at", "finished_at", "local_date")
        read_only_fields = fields


class ReviewItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    line = serializers.IntegerField()
    due = serializers.DateTimeField()
    reviews = serializers.IntegerField()
    lapses = serializers.IntegerField()
    speaker = serializers.CharField()
    language = serializers.CharField()
    roleplay = RoleplayRefSerializer()
    video_url = serializers.CharField(allow_null=True)
    poster_url = serializers.CharField(allow_null=True)
    captions_url = serializers.CharField(allow_null=True)
