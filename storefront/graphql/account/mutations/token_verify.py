from __future__ import annotations

from django.core.exceptions import ValidationError

from ...core.auth import ACCESS, TokenError, decode_token, user_from_payload
from ...core.mutations import saleor_mutation


@saleor_mutation("tokenVerify")
def token_verify(root, info, token):
    try:
        payload = decode_token(token)
        user = user_from_payload(payload, token_type=ACCESS)
    except TokenError as exc:
        code = "jwt_signature_expired" if exc.code == "ExpiredSignatureError" else "jwt_invalid_token"
        raise ValidationError({"token": ValidationError(str(exc), code=code)}) from None
    return {"user": user, "isValid": True, "payload": payload}
