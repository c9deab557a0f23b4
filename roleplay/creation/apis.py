from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from roleplay.creation import services
from roleplay.models import Role, Roleplay


class _RoleInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=services.MAX_ROLE_NAME)
    description = serializers.CharField(
        max_length=services.MAX_ROLE_DESCRIPTION, required=False, allow_blank=True, default=""
    )
    voice = serializers.ChoiceField(choices=Role.Voice.choices)


def _must_words_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=services.MAX_MUST_WORD_CHARS),
        max_length=services.MAX_MUST_WORDS,
        required=False,
        default=list,
    )


class _AcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Roleplay.Status.choices)
    progress = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def get_url(self, roleplay) -> str:
        return f"/roleplays/{roleplay.pk}/"

    def get_events(self, roleplay) -> str:
        return f"/api/roleplays/{roleplay.pk}/events"


def _accepted(roleplay: Roleplay) -> Response:
    return Response(_AcceptedSerializer(roleplay).data, status=status.HTTP_202_ACCEPTED)


_LIMITS = (
    f"Limits: title ≤ {services.MAX_TITLE} characters, description ≤ {services.MAX_DESCRIPTION}, "
    f"exactly two roles with different names (name ≤ {services.MAX_ROLE_NAME}, description ≤ "
    f"{services.MAX_ROLE_DESCRIPTION}), at most {services.MAX_MUST_WORDS} must-words of ≤ "
    f"{services.MAX_MUST_WORD_CHARS} characters. 429 when the daily quota is used up or "
    f"{services.MAX_GENERATING} conversations are already being made."
)


class RoleplayCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=services.MAX_TITLE)
        description = serializers.CharField(
            max_length=services.MAX_DESCRIPTION, required=False, allow_blank=True, default=""
        )
        language = serializers.ChoiceField(choices=Roleplay.Language.choices)
        roles = _RoleInputSerializer(many=True, min_length=2, max_length=2)
        must_words = _must_words_field()

    OutputSerializer = _AcceptedSerializer

    @extend_schema(
        summary="Create a conversation",
        description=(
            "Stores a new personal roleplay and queues its generation (dialogue, then one "
            "video per line). Follow progress on /ws/progress/ or the `events` URL. " + _LIMITS
        ),
        request=InputSerializer,
        responses={202: OutputSerializer},
        tags=["roleplays"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roleplay = services.roleplay_create(user=request.user, **data.validated_data)
        return _accepted(roleplay)


class RoleplayDeriveApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(
            max_length=services.MAX_TITLE, required=False, allow_blank=True
        )
        must_words = _must_words_field()

    OutputSerializer = _AcceptedSerializer

    @extend_schema(
        summary="Make a similar conversation",
        description=(
            "A new personal roleplay with the situation (description, category, language) and "
            "roles of an official roleplay or one of your own, and new must-words. "
            "Another learner's roleplay is a 404. " + _LIMITS
        ),
        request=InputSerializer,
        responses={202: OutputSerializer},
        tags=["roleplays"],
    )
    def post(self, request: Request, roleplay_id: str) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roleplay = services.roleplay_derive(
            user=request.user,
            roleplay_id=roleplay_id,
            title=data.validated_data.get("title") or "",
            must_words=data.validated_data["must_words"],
        )
        return _accepted(roleplay)


class RoleplayRetryApi(APIView):
    OutputSerializer = _AcceptedSerializer

    @extend_schema(
        summary="Retry a failed conversation",
        description=(
            "Queues generation again for one of your roleplays whose creation failed; written "
            "lines and rendered videos are kept, so it resumes where it stopped. 409 when it is "
            "not failed; another learner's roleplay is a 404."
        ),
        request=None,
        responses={202: OutputSerializer},
        tags=["roleplays"],
    )
    def post(self, request: Request, roleplay_id: str) -> Response:
        return _accepted(services.roleplay_retry(user=request.user, roleplay_id=roleplay_id))
