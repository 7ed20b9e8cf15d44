"""Request signing (protocol doc §2). Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone

GMT8 = timezone(timedelta(hours=8))
SIGN_METHODS = ("md5", "hmac", "hmac-sha256", "sha256")


def canonical(params: dict[str, str], api_path: str = "") -> str:
    """Sorted name+value pairs without separators; `sign`, file parts and empty values excluded.

    GOP path calls (an api_path containing '/') put the path in front.
    """
    names = sorted((k for k, v in params.items() if k != "sign" and v is not None and v != ""),
                   key=lambda k: k.encode("utf-8"))
    text = "".join(name + str(params[name]) for name in names)
    return api_path + text if "/" in api_path else text


def sign(params: dict[str, str], secret: str | bytes, sign_method: str, api_path: str = "") -> str:
    """Upper-case hex signature of the parameters for md5 | hmac | hmac-sha256 | sha256."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    data = canonical(params, api_path).encode("utf-8")
    if sign_method == "md5":
        return hashlib.md5(key + data + key).hexdigest().upper()
    if sign_method == "hmac":
        return hmac.new(key, data, hashlib.md5).hexdigest().upper()
    if sign_method in ("hmac-sha256", "sha256"):
        return hmac.new(key, data, hashlib.sha256).hexdigest().upper()
    raise ValueError(f"unknown sign_method {sign_method!r}; expected one of {SIGN_METHODS}")


def top_timestamp(when: datetime | None = None) -> str:
    """TOP timestamp: yyyy-MM-dd HH:mm:ss in GMT+8."""
    when = when or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(GMT8).strftime("%Y-%m-%d %H:%M:%S")


def epoch_millis(when: datetime | None = None) -> str:
    """IOP timestamp: epoch milliseconds as a decimal string."""
    when = when or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return str(int(when.timestamp() * 1000))


def webhook_signature(app_key: str, secret: str, raw_body: bytes) -> str:
    """Push `Authorization` header: lower-case hex HMAC-SHA256(secret, app_key + raw body) (§6.2)."""
    return hmac.new(secret.encode("utf-8"), app_key.encode("utf-8") + raw_body, hashlib.sha256).hexdigest()
