from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from accounts import services
from accounts.models import User
from accounts.serializers import TokenObtainPairSerializer
from lipread.api.throttling import AuthEmailThrottle, AuthIPThrottle

_TOKENS = inline_serializer(
    "TokenPair", {"access": serializers.CharField(), "refresh": serializers.CharField()}
)


class UserOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "name", "language", "timezone", "date_joined")
        read_only_fields = fields


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AuthIPThrottle, AuthEmailThrottle]

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
        name = serializers.CharField(max_length=60)
        language = serializers.ChoiceField(choices=User.Language.choices, required=False)
        timezone = serializers.CharField(max_length=64, required=False)

    class OutputSerializer(serializers.Serializer):
        user = UserOutputSerializer()
        access = serializers.CharField()
        refresh = serializers.CharField()

    @extend_schema(
        summary="Create an account",
        description="Registers a learner (email is the login) and returns a token pair.",
        request=InputSerializer,
        responses={201: OutputSerializer},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        body = {"user": UserOutputSerializer(user).data, **services.user_tokens(user=user)}
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Log in",
    description="Exchanges email and password for an access token (15 min) and a refresh token.",
    responses={200: _TOKENS},
    tags=["auth"],
)
class TokenObtainApi(jwt_views.TokenObtainPairView):
    serializer_class = TokenObtainPairSerializer
    throttle_classes = [AuthIPThrottle, AuthEmailThrottle]


@extend_schema(
    summary="Refresh tokens",
    description="Rotates the refresh token: the one sent is blacklisted and a new pair returned.",
    responses={200: _TOKENS},
    tags=["auth"],
)
class TokenRefreshApi(jwt_views.TokenRefreshView):
    throttle_classes = [AuthIPThrottle]


class LogoutApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        refresh = serializers.CharField()

    @extend_schema(
        summary="Log out",
        description="Blacklists the given refresh token so it can never be used again.",
        request=InputSerializer,
        responses={204: None},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.token_blacklist(refresh=data.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        old_password = serializers.CharField(max_length=128, trim_whitespace=False)
        new_password = serializers.CharField(max_length=128, trim_whitespace=False)

        def validate_old_password(self, value: str) -> str:
            if not self.context["user"].check_password(value):
                raise serializers.ValidationError("The current password is not correct.")
            return value

    @extend_schema(
        summary="Change password",
        description="Sets a new password and revokes every outstanding refresh token.",
        request=InputSerializer,
        responses={204: None},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data, context={"user": request.user})
        data.is_valid(raise_exception=True)
        services.user_change_password(
            user=request.user, new_password=data.validated_data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=60, required=False)
        language = serializers.ChoiceField(choices=User.Language.choices, required=False)
        timezone = serializers.CharField(max_length=64, required=False)

    @extend_schema(
        summary="My profile",
        description="The signed-in user's profile.",
        responses={200: UserOutputSerializer},
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(
        summary="Update my profile",
        description="Changes display name, preferred language (ko/en) or IANA time zone.",
        request=InputSerializer,
        responses={200: UserOutputSerializer},
        tags=["me"],
    )
    def patch(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, data=data.validated_data)
        return Response(UserOutputSerializer(user).data)
