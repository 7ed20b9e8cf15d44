from __future__ import annotations

from django.core.exceptions import ValidationError

from ...core.auth import REFRESH, TokenError, create_access_token, decode_token, user_from_payload
from ...core.mutations import saleor_mutation


@saleor_mutation("tokenRefresh")
def token_refresh(root, info, refresh_token=None, csrf_token=None):
    if not refresh_token:
        raise ValidationError({"refreshToken": ValidationError("Missing refreshToken", code="jwt_missing_token")})
    try:
        payload = decode_token(refresh_token)
        user = user_from_payload(payload, token_type=REFRESH)
    except TokenError as exc:
        code = "jwt_signature_expired" if exc.code == "ExpiredSignatureError" else "jwt_invalid_token"
        raise ValidationError({"refreshToken": ValidationError(str(exc), code=code)}) from None
    if csrf_token is not None and csrf_token != payload.get("csrf_token"):
        raise ValidationError({"csrfToken": ValidationError("Invalid csrf token", code="jwt_invalid_csrf_token")})
    return {"token": create_access_token(user), "user": user}
