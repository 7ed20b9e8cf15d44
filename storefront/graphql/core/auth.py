"""JSON Web Tokens as Saleor issues them (HS256 with SECRET_KEY).

Claims follow Saleor: `iat`, `exp`, `owner`, `type` (access | refresh), `token` (a per-user key
that changes with the password, so a password change revokes every token), `email`, `user_id`
(the user's global ID), `is_staff`; the refresh token also carries `csrf_token`.
"""
from __future__ import annotations

import secrets
import time

import jwt
from django.conf import settings
from django.utils.crypto import salted_hmac

from storefront.account.models import User

from .ids import global_id, try_decode

ALGORITHM = "HS256"
OWNER = "saleor"
ACCESS = "access"
REFRESH = "refresh"


class TokenError(Exception):
    """A token that is malformed, expired, revoked or of the wrong type; `code` is Saleor's."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def user_token_key(user: User) -> str:
    return salted_hmac("htx.jwt", f"{user.pk}:{user.password}").hexdigest()[:16]


def _encode(user: User, token_type: str, ttl: int, **extra) -> str:
    now = int(time.time())
    payload = {
        "iat": now,
        "owner": OWNER,
        "exp": now + ttl,
        "token": user_token_key(user),
        "email": user.email,
        "type": token_type,
        "user_id": global_id("User", user.pk),
        "is_staff": bool(user.is_staff),
        **extra,
    }
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=ALGORITHM)


def create_access_token(user: User) -> str:
    return _encode(user, ACCESS, settings.JWT_ACCESS_TTL_SECONDS)


def create_refresh_token(user: User, csrf_token: str) -> str:
    return _encode(user, REFRESH, settings.JWT_REFRESH_TTL_SECONDS, csrf_token=csrf_token)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def decode_token(token: str) -> dict:
    try:
        return jwt.decode(token, settings.SECRET_KEY, algorithms=[ALGORITHM],
                          options={"require": ["exp", "iat", "type", "user_id"]})
    except jwt.ExpiredSignatureError:
        raise TokenError("Signature has expired", "ExpiredSignatureError") from None
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc) or "Invalid token", "InvalidTokenError") from None


def user_from_payload(payload: dict, *, token_type: str) -> User:
    if payload.get("type") != token_type:
        raise TokenError("Invalid token type", "InvalidTokenError")
    pk = try_decode(payload.get("user_id"), "User")
    user = User.objects.filter(pk=pk, is_active=True).first() if pk and pk.isdigit() else None
    if user is None or payload.get("token") != user_token_key(user):
        raise TokenError("Invalid token", "InvalidTokenError")
    return user


def user_from_access_token(token: str) -> User:
    return user_from_payload(decode_token(token), token_type=ACCESS)
