"""Roleplay read/delete API: categories, official library, my roleplays, detail, lines.

Thin views: query parameters are validated by the selectors (400 in the shared
error shape), ids that are not visible are 404, writes go through services.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from learning.selectors import roleplay_stats, studied_roleplay_ids
from lipread.api.mixins import paginated_response
from roleplay import selectors, services
from roleplay.media import line_media_url
from roleplay.models import Roleplay

_PAGE = [
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number (1-based)."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Items per page (max 100)."),
]
_LANGUAGE = OpenApiParameter(
    "language", OpenApiTypes.STR, enum=["ko", "en"], description="Only this language."
)


def _language_of(request: Request) -> str:
    return getattr(request.user, "language", None) or "ko"


class CategoryListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        slug = serializers.SlugField()
        name = serializers.SerializerMethodField()
        name_ko = serializers.CharField()
        name_en = serializers.CharField()
        emoji = serializers.CharField()
        roleplay_count = serializers.IntegerField()

        def get_name(self, category) -> str:
            return category.name_for(self.context["language"])

    @extend_schema(
        summary="List categories",
        description=(
            "Library categories in display order; `name` is in the user's language and "
            "`roleplay_count` counts official roleplays (of `language` when given)."
        ),
        parameters=[_LANGUAGE, *_PAGE],
        responses={200: OutputSerializer(many=True)},
        tags=["roleplays"],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.category_list(language=request.query_params.get("language"))
        return paginated_response(
            queryset=queryset,
            serializer_class=self.OutputSerializer,
            request=request,
            view=self,
            context={"language": _language_of(request)},
        )


class _RoleplaySummarySerializer(serializers.Serializer):
    """Fields every roleplay answer shares: lists and detail extend it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    emoji = serializers.CharField()
    language = serializers.CharField()
    category = serializers.CharField(source="category.slug", allow_null=True)
    line_count = serializers.IntegerField()
    ready = serializers.SerializerMethodField()

    def get_ready(self, roleplay) -> bool:
        return selectors.is_ready(roleplay)


class RoleplayOfficialListApi(APIView):
    class OutputSerializer(_RoleplaySummarySerializer):
        studied = serializers.SerializerMethodField()

        def get_studied(self, roleplay) -> bool:
            return roleplay.pk in self.context["studied"]

    @extend_schema(
        summary="List official roleplays",
        description=(
            "The curated library, filtered by category slug and language. An unknown "
            "category or language is a 400, not an empty list."
        ),
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, description="Category slug."),
            _LANGUAGE,
            *_PAGE,
        ],
        responses={200: OutputSerializer(many=True)},
        tags=["roleplays"],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.roleplay_official_list(
            category=request.query_params.get("category"),
            language=request.query_params.get("language"),
        )
        return paginated_response(
            queryset=queryset,
            serializer_class=self.OutputSerializer,
            request=request,
            view=self,
            context={"studied": studied_roleplay_ids(user=request.user)},
        )


class RoleplayMineListApi(APIView):
    class OutputSerializer(_RoleplaySummarySerializer):
        status = serializers.CharField()
        progress = serializers.IntegerField()
        error = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(
        summary="List my roleplays",
        description="The signed-in user's own roleplays, newest first, with generation status.",
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=Roleplay.Status.values, description="Filter."
            ),
            *_PAGE,
        ],
        responses={200: OutputSerializer(many=True)},
        tags=["roleplays"],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.roleplay_mine_list(
            user=request.user, status=request.query_params.get("status")
        )
        return paginated_response(
            queryset=queryset, serializer_class=self.OutputSerializer, request=request, view=self
        )


class _RoleSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    voice = serializers.CharField()
    position = serializers.IntegerField()


class _ParentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class RoleplayDetailApi(APIView):
    class OutputSerializer(_RoleplaySummarySerializer):
        kind = serializers.CharField()
        description = serializers.CharField()
        roles = _RoleSerializer(many=True)
        parent = serializers.SerializerMethodField()
        status = serializers.CharField()
        progress = serializers.IntegerField()
        error = serializers.CharField()
        must_words = serializers.ListField(child=serializers.CharField())
        stats = serializers.SerializerMethodField()
        created_at = serializers.DateTimeField()

        def get_parent(self, roleplay) -> dict | None:
            parent = selectors.roleplay_visible_parent(user=self.context["user"], roleplay=roleplay)
            return _ParentSerializer(parent).data if parent else None

        def get_stats(self, roleplay) -> dict | None:
            return roleplay_stats(user=self.context["user"], roleplay=roleplay)

    @extend_schema(
        summary="Get a roleplay",
        description=(
            "Official roleplays and your own; anything else is 404. `stats` is your "
            "practice summary (null until studied); `parent` is shown only if visible to you."
        ),
        responses={200: OutputSerializer},
        tags=["roleplays"],
    )
    def get(self, request: Request, roleplay_id: str) -> Response:
        roleplay = selectors.roleplay_get(user=request.user, roleplay_id=roleplay_id)
        return Response(self.OutputSerializer(roleplay, context={"user": request.user}).data)

    @extend_schema(
        summary="Delete my roleplay",
        description=(
            "Deletes one of your own roleplays and its videos. Official roleplays answer "
            "403 (curators use the admin); other users' roleplays 404."
        ),
        responses={204: None},
        tags=["roleplays"],
    )
    def delete(self, request: Request, roleplay_id: str) -> Response:
        services.roleplay_delete(user=request.user, roleplay_id=roleplay_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleplayLineListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        order = serializers.IntegerField()
        role = serializers.CharField(source="role.name")
        role_position = serializers.IntegerField(source="role.position")
        voice = serializers.CharField(source="role.voice")
        text = serializers.CharField()
        duration = serializers.FloatField(allow_null=True)
        status = serializers.CharField()
        video_url = serializers.SerializerMethodField()
        captions_url = serializers.SerializerMethodField()
        poster_url = serializers.SerializerMethodField()
        timeline_url = serializers.SerializerMethodField()

        def _url(self, file) -> str | None:
            return line_media_url(self.context["request"], file)

        def get_video_url(self, line) -> str | None:
            return self._url(line.video)

        def get_captions_url(self, line) -> str | None:
            return self._url(line.captions)

        def get_poster_url(self, line) -> str | None:
            return self._url(line.poster)

        def get_timeline_url(self, line) -> str | None:
            return self._url(line.timeline)

    @extend_schema(
        summary="List a roleplay's lines",
        description=(
            "All lines in order (a roleplay has at most a few dozen, so this list is not "
            "paginated). Media URLs are absolute and null until the line is rendered; "
            "in the embedded mode they need the same session or Bearer token."
        ),
        responses={200: OutputSerializer(many=True)},
        tags=["roleplays"],
    )
    def get(self, request: Request, roleplay_id: str) -> Response:
        roleplay = selectors.roleplay_get(user=request.user, roleplay_id=roleplay_id)
        lines = selectors.roleplay_lines(roleplay=roleplay)
        serializer = self.OutputSerializer(lines, many=True, context={"request": request})
        return Response(serializer.data)
