from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from video_pipeline.realtime import TICKET_TTL_SECONDS, ticket_issue


class RealtimeTicketApi(APIView):
    @extend_schema(
        summary="Websocket ticket",
        description=(
            f"A single-use ticket, valid {TICKET_TTL_SECONDS} s, to open /ws/progress/?ticket=… "
            "without putting a long-lived token in a URL."
        ),
        request=None,
        responses={200: inline_serializer("Ticket", {"ticket": serializers.CharField()})},
        tags=["realtime"],
    )
    def post(self, request: Request) -> Response:
        return Response({"ticket": ticket_issue(user_id=request.user.pk)})
