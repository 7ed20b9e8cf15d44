"""Log in: Saleor's tokenCreate. Rate limited per client IP and per e-mail (Django cache), on top
of the account lock-out the account service applies after repeated failures."""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from storefront.account import services as account_services
from storefront.account.error_codes import AccountErrorCode

from ...core.auth import create_access_token, create_refresh_token, new_csrf_token
from ...core.mutations import saleor_mutation

WINDOW_SECONDS = 60


def _limit() -> int:
    return int(getattr(settings, "GRAPHQL_TOKEN_CREATE_RATE_LIMIT", 10))


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hit(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def check_rate_limit(request, email: str) -> None:
    # Hashed: keys stay short and safe for any cache backend whatever the client sends.
    email_key = hashlib.sha256(str(email).strip().lower().encode()).hexdigest()
    ip_key = hashlib.sha256(_client_ip(request).encode()).hexdigest()
    keys = (f"htx:token-create:ip:{ip_key}", f"htx:token-create:email:{email_key}")
    counts = [_hit(key) for key in keys]
    if max(counts) > _limit():
        raise ValidationError({"email": ValidationError(
            "Too many login attempts; try again in a minute.", code=AccountErrorCode.LOGIN_ATTEMPT_DELAYED.value)})


@saleor_mutation("tokenCreate")
def token_create(root, info, email, password, audience=None):
    check_rate_limit(info.context, email)
    user = account_services.account_authenticate(email=email, password=password)
    csrf_token = new_csrf_token()
    return {
        "token": create_access_token(user),
        "refreshToken": create_refresh_token(user, csrf_token),
        "csrfToken": csrf_token,
        "user": user,
    }
