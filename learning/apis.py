"""Learning API: answer checks, practice sessions, stats, records and review.

Every view is one validation plus one service or selector call; errors use the
shared {"message", "extra": {"fields"}} shape.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from learning import records, review, selectors, services, speech
from learning.models import PracticeSession
from learning.serializers import (
    CheckResultSerializer,
    RecordAttemptSerializer,
    RecordDaySerializer,
    ReviewItemSerializer,
    RoleplayRefSerializer,
    SessionOutputSerializer,
    SessionStatsSerializer,
    WrongSentenceSerializer,
)
from roleplay.media import line_media_url


class SpeechThrottle(UserRateThrottle):
    """Recognition costs seconds of CPU: bound it per learner."""

    scope = "learning_speech"
    rate = "30/min"


def _text_field(**kwargs: Any) -> serializers.CharField:
    # Length and emptiness are check_answer's to judge, with its own messages.
    return serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=5000, **kwargs)


class CheckApi(APIView):
    class InputSerializer(serializers.Serializer):
        input = _text_field()
        answer = _text_field()
        language = serializers.CharField(max_length=10)

    @extend_schema(
        summary="Check an answer",
        description="Compares what the learner understood with the sentence: a plain score, "
        "a lip score that forgives look-alike sounds (p/b/m, ㅂ/ㅁ), a diff and per-word "
        "statuses. Both texts 1–300 characters; language ko or en.",
        request=InputSerializer,
        responses={200: CheckResultSerializer},
        tags=["learning"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.answer_check(**data.validated_data))


class SpeechCheckApi(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [SpeechThrottle]

    class InputSerializer(serializers.Serializer):
        audio = serializers.FileField(allow_empty_file=True)
        answer = _text_field()
        language = serializers.CharField(max_length=10)

    class OutputSerializer(CheckResultSerializer):
        transcript = serializers.CharField(allow_blank=True)
        message = serializers.CharField(required=False)

    @extend_schema(
        summary="Check a spoken answer",
        description="Multipart `audio` (WebM/Opus, Ogg, WAV or MP4 from MediaRecorder; at most "
        "30 s and 2 MB, format sniffed from the bytes) is transcribed offline (vosk for Korean, "
        "pocketsphinx for English) or by the configured transcription API, then checked. "
        'When nothing is recognised the answer scores 0 with transcript "" and a `message`.',
        request=InputSerializer,
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.answer_check(
            input=values["answer"], answer=values["answer"], language=values["language"]
        )
        recording = speech.load_recording(values["audio"])
        return Response(
            services.spoken_check(
                recording=recording, answer=values["answer"], language=values["language"]
            )
        )


class SessionStartApi(APIView):
    class InputSerializer(serializers.Serializer):
        roleplay = serializers.IntegerField()
        mode = serializers.ChoiceField(choices=PracticeSession.Mode.choices)

    @extend_schema(
        summary="Start a practice session",
        description="Opens a session on a roleplay you may see (official or your own; "
        "anything else is 404) in mode lips, listen or both.",
        request=InputSerializer,
        responses={201: SessionOutputSerializer},
        tags=["learning"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.session_start(
            user=request.user,
            roleplay_id=data.validated_data["roleplay"],
            mode=data.validated_data["mode"],
        )
        return Response(SessionOutputSerializer(session).data, status=status.HTTP_201_CREATED)


class AttemptCreateApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_throttles(self) -> list:
        return [SpeechThrottle()] if "audio" in self.request.FILES else []

    class InputSerializer(serializers.Serializer):
        line = serializers.IntegerField()
        input = _text_field(required=False, default="")
        audio = serializers.FileField(required=False, allow_empty_file=True)

    class OutputSerializer(CheckResultSerializer):
        correct = serializers.BooleanField()
        attempt = serializers.IntegerField()
        answer = serializers.CharField()
        transcript = serializers.CharField(required=False, allow_blank=True)
        message = serializers.CharField(required=False)

    @extend_schema(
        summary="Answer one sentence",
        description="Typed (`input`) or spoken (multipart `audio`) answer to a line of the "
        "session's roleplay. The server checks it, decides correctness (80+ points or only "
        "look-alikes confused) and stores it; score or time fields sent by the client are "
        "ignored. Finished session or foreign line: 400.",
        request=InputSerializer,
        responses={201: OutputSerializer},
        tags=["learning"],
    )
    def post(self, request: Request, session_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        recording = None
        if values.get("audio") is not None:
            services.attempt_line(user=request.user, session_id=session_id, line_id=values["line"])
            recording = speech.load_recording(values["audio"])
        _attempt, outcome = services.attempt_create(
            user=request.user,
            session_id=session_id,
            line_id=values["line"],
            input=values["input"],
            recording=recording,
        )
        return Response(outcome, status=status.HTTP_201_CREATED)


class SessionFinishApi(APIView):
    class OutputSerializer(SessionStatsSerializer):
        id = serializers.IntegerField()
        wrong = WrongSentenceSerializer(many=True)

    @extend_schema(
        summary="Finish a practice session",
        description="Closes the session and returns its summary. Idempotent: finishing again "
        "returns the same summary and counts nothing twice. Time comes from the server's "
        "timestamps.",
        request=None,
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = services.session_finish(user=request.user, session_id=session_id)
        return Response({"id": session.pk, **records.session_summary(session)})


class MeStatsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        sentences_practised = serializers.IntegerField()
        correct_sentences = serializers.IntegerField()
        sessions_finished = serializers.IntegerField()
        practice_seconds = serializers.IntegerField()
        average_score = serializers.IntegerField(allow_null=True)
        streak_days = serializers.IntegerField()

    @extend_schema(
        summary="My practice totals",
        description="Sentences practised, seconds practised, average score and the streak: "
        "consecutive local days (your time zone) up to today or yesterday with a finished session.",
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(selectors.learner_stats(user=request.user)).data)


class RecentRoleplaysApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        emoji = serializers.CharField(allow_blank=True)
        language = serializers.CharField()
        kind = serializers.CharField()
        status = serializers.CharField()
        last_practised = serializers.DateTimeField()

    @extend_schema(
        summary="Recently practised roleplays",
        description="The last 10 roleplays you practised, distinct, most recent first. "
        "Deleted roleplays are left out.",
        responses={200: OutputSerializer(many=True)},
        tags=["learning"],
    )
    def get(self, request: Request) -> Response:
        items = selectors.recent_roleplays(user=request.user)
        return Response(self.OutputSerializer(items, many=True).data)


class RecordMonthApi(APIView):
    class InputSerializer(serializers.Serializer):
        year = serializers.CharField(required=False, allow_blank=True)
        month = serializers.CharField(required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        month = serializers.IntegerField()
        days = RecordDaySerializer(many=True)

    @extend_schema(
        operation_id="records_month",
        summary="My records for a month",
        description="Finished sessions of `year`/`month` (default: the current month) grouped "
        "by your local date: {year, month, days: [{date, sessions: [...]}]}. "
        "A bad year or month is 400.",
        parameters=[InputSerializer],
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def get(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        year, month = records.parse_month(
            data.validated_data.get("year"),
            data.validated_data.get("month"),
            default=selectors.learner_today(request.user),
        )
        return Response(records.records_month(user=request.user, year=year, month=month))


class RecordDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        roleplay = RoleplayRefSerializer()
        language = serializers.CharField()
        mode = serializers.CharField()
        started_at = serializers.DateTimeField()
        finished_at = serializers.DateTimeField(allow_null=True)
        local_date = serializers.DateField()
        stats = SessionStatsSerializer()
        attempts = RecordAttemptSerializer(many=True)
        wrong = WrongSentenceSerializer(many=True)

    @extend_schema(
        operation_id="records_detail",
        summary="One practice record",
        description="A session of yours with every attempt, the sentences missed and its "
        "numbers. Someone else's is 404.",
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def get(self, request: Request, session_id: int) -> Response:
        return Response(records.record_detail(user=request.user, session_id=session_id))


def _media(request: Request, field_file: Any) -> str | None:
    try:
        return line_media_url(request, field_file)
    except NoReverseMatch:  # media view not wired (e.g. remote storage only)
        return field_file.url if field_file else None


def review_item(request: Request, card: Any) -> dict[str, Any]:
    """A due card without its text: the learner must read it from the video first."""
    line = card.line
    return {
        "id": card.pk,
        "line": line.pk,
        "due": card.due,
        "reviews": card.reviews,
        "lapses": card.lapses,
        "speaker": line.role.name,
        "language": line.roleplay.language,
        "roleplay": {
            "id": line.roleplay_id,
            "title": line.roleplay.title,
            "emoji": line.roleplay.emoji,
        },
        "video_url": _media(request, line.video),
        "poster_url": _media(request, line.poster),
        "captions_url": _media(request, line.captions),
    }


class ReviewDueApi(APIView):
    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        results = ReviewItemSerializer(many=True)

    @extend_schema(
        summary="Sentences due for review",
        description="Up to 20 of your review cards that are due, oldest first, with the video "
        "and poster URLs but not the sentence (it is revealed after answering).",
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def get(self, request: Request) -> Response:
        cards = review.due_cards(user=request.user)
        return Response(
            {
                "count": review.due_count(user=request.user),
                "results": [review_item(request, card) for card in cards],
            }
        )


class ReviewAnswerApi(APIView):
    class InputSerializer(serializers.Serializer):
        input = _text_field()

    class OutputSerializer(serializers.Serializer):
        result = CheckResultSerializer()
        rating = serializers.ChoiceField(choices=["again", "hard", "good", "easy"])
        next_due = serializers.DateTimeField()
        answer = serializers.CharField()
        lapses = serializers.IntegerField()

    @extend_schema(
        summary="Answer a review card",
        description="Checks the answer like practice, rates it (≥95 easy, ≥80 good, ≥50 hard, "
        "else again) and schedules the next review with FSRS: {result, rating, next_due, answer}.",
        request=InputSerializer,
        responses={200: OutputSerializer},
        tags=["learning"],
    )
    def post(self, request: Request, card_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            review.review_answer(
                user=request.user, card_id=card_id, input=data.validated_data["input"]
            )
        )
