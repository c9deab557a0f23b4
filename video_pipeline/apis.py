from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from video_pipeline import push_services
from video_pipeline.push import vapid_public_key
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


class PushDeviceApi(APIView):
    class InputSerializer(serializers.Serializer):
        class KeysSerializer(serializers.Serializer):
            p256dh = serializers.CharField(max_length=200)
            auth = serializers.CharField(max_length=100)

        endpoint = serializers.URLField(max_length=1000)
        keys = KeysSerializer()

    class DeleteInputSerializer(serializers.Serializer):
        endpoint = serializers.URLField(max_length=1000)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        endpoint = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(
        summary="Subscribe this browser to notifications",
        description=(
            "Stores a Web Push subscription (from PushManager.subscribe) so you are notified "
            "when a conversation is ready or failed. Idempotent per endpoint: subscribing the "
            "same endpoint again updates its keys. The endpoint must be an https:// URL."
        ),
        request=InputSerializer,
        responses={201: OutputSerializer},
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device = push_services.device_subscribe(
            user=request.user,
            endpoint=data.validated_data["endpoint"],
            p256dh=data.validated_data["keys"]["p256dh"],
            auth=data.validated_data["keys"]["auth"],
        )
        return Response(self.OutputSerializer(device).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Unsubscribe this browser",
        description="Deletes your subscription with this endpoint (204 even when there was none).",
        request=DeleteInputSerializer,
        responses={204: None},
        tags=["notifications"],
    )
    def delete(self, request: Request) -> Response:
        data = self.DeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        push_services.device_unsubscribe(
            user=request.user, endpoint=data.validated_data["endpoint"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class VapidPublicKeyApi(APIView):
    class OutputSerializer(serializers.Serializer):
        key = serializers.CharField()

    @extend_schema(
        summary="Push public key",
        description="The VAPID application server key (base64url) for PushManager.subscribe.",
        responses={200: OutputSerializer},
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        return Response({"key": vapid_public_key()})
