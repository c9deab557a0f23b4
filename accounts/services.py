"""Writes for accounts: every page, API and command goes through these."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_noop
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, TokenError

from accounts.models import User
from lipread.api.exceptions import ApplicationError

EMAIL_TAKEN = gettext_noop("An account with this email already exists.")
TOKEN_INVALID = gettext_noop("This refresh token is not valid.")
PROFILE_FIELDS = ("name", "language", "timezone")


def _validate_password(password: str, *, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise DjangoValidationError({field: error.messages}) from None


@transaction.atomic
def user_register(*, email: str, password: str, name: str, **profile: Any) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(EMAIL_TAKEN, {"fields": {"email": [EMAIL_TAKEN]}})
    user = User(email=email, name=name, **profile)
    _validate_password(password, user=user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any]) -> User:
    changed = [field for field in PROFILE_FIELDS if field in data]
    for field in changed:
        setattr(user, field, data[field])
    if changed:
        user.full_clean()
        user.save(update_fields=changed)
    return user


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    """Set a new password and end every session elsewhere: all refresh tokens die."""
    _validate_password(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_blacklist_refresh_tokens(user=user)
    return user


def user_blacklist_refresh_tokens(*, user: User) -> int:
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(outstanding)


def user_tokens(*, user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_blacklist(*, refresh: str, user: User | None = None) -> None:
    """Log out one device. A token of another user is refused like a bad one."""
    try:
        token = RefreshToken(refresh)
    except TokenError:
        raise ApplicationError(
            TOKEN_INVALID, {"fields": {"refresh": [TOKEN_INVALID]}}, status=401
        ) from None
    if user is not None and str(token.get("user_id")) != str(user.pk):
        raise ApplicationError(TOKEN_INVALID, {"fields": {"refresh": [TOKEN_INVALID]}}, status=401)
    token.blacklist()
