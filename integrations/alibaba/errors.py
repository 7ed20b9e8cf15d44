"""Exceptions of the Alibaba client, split by whether a retry can help (protocol doc §5).

Retryable (``retryable = True``): RateLimited, ServerError, Timeout, ConnectionFailed.
Permanent: InvalidSignature, InvalidSession/SessionExpired, InvalidAppKey, InvalidTimestamp, BadParameter,
PermissionDenied, BusinessRuleError (ProductNotFound), ProtocolError, FeatureUnavailable.

``outcome_unknown`` is True when the request may have been executed although no answer arrived
(read timeout, connection lost after sending, a gateway 5xx page): writes are not retried then; look the
product up by its reference instead (doc §4.6, §5.5).
"""

from __future__ import annotations

import re
from typing import Any


class AlibabaError(Exception):
    retryable: bool = False
    outcome_unknown: bool = False

    def __init__(self, message: str = "", *, method: str = "", code: str | int | None = None, sub_code: str = "",
                 sub_msg: str = "", request_id: str = "", http_status: int | None = None,
                 outcome_unknown: bool | None = None):
        self.method = method
        self.code = code
        self.sub_code = sub_code
        self.sub_msg = sub_msg
        self.request_id = request_id
        self.http_status = http_status
        if outcome_unknown is not None:
            self.outcome_unknown = outcome_unknown
        detail = " ".join(str(p) for p in (code, sub_code) if p not in (None, ""))
        text = message or sub_msg or "Alibaba API error"
        super().__init__(f"{method + ': ' if method else ''}{text}{' [' + detail + ']' if detail else ''}"
                         f"{' request_id=' + request_id if request_id else ''}")


class RetryableError(AlibabaError):
    retryable = True


class PermanentError(AlibabaError):
    retryable = False


class RateLimited(RetryableError):
    """The platform's call quota is exhausted (TOP 4-8, IOP ApiCallLimit); retry after the ban."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(RetryableError):
    """The platform failed on its side (TOP 10, 15 + isp.*, ISP/SYSTEM errors, HTTP 5xx)."""


class Timeout(RetryableError):
    """No answer within the configured timeout."""


class ConnectionFailed(RetryableError):
    """The connection could not be made or broke before an answer arrived."""


class InvalidSignature(PermanentError):
    pass


class InvalidSession(PermanentError):
    """The session / access token is missing or not valid: re-authorise the seller."""


class SessionExpired(InvalidSession):
    pass


class InvalidAppKey(PermanentError):
    pass


class InvalidTimestamp(PermanentError):
    pass


class BadParameter(PermanentError):
    """Missing or invalid parameter (TOP 40/41/43, IOP MissingParameter/InvalidParameter)."""

    def __init__(self, *args: Any, parameter: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.parameter = parameter


class PermissionDenied(PermanentError):
    pass


class BusinessRuleError(PermanentError):
    """A business rule refused the call (code 15 + isv.<RULE>); ``rule`` holds RULE."""

    def __init__(self, *args: Any, rule: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rule = rule


class ProductNotFound(BusinessRuleError):
    pass


class ProtocolError(PermanentError):
    """Malformed call or unexpected answer (bad method, format, version, HTTP action, unparseable reply)."""


class FeatureUnavailable(PermanentError):
    """The feature does not exist on this gateway (e.g. inquiries on the real platform, doc §7)."""


_BAN = re.compile(r"(\d+(?:\.\d+)?)\s+more\s+second", re.I)

_RATE_CODES = {4, 5, 6, 7, 8}
_PARAM_CODES = {40, 41, 43}
_PROTOCOL_CODES = {9, 21, 22, 23, 32, 33, 34, 42}
_IOP = {
    "ApiCallLimit": RateLimited, "IncompleteSignature": InvalidSignature, "IllegalAccessToken": InvalidSession,
    "InvalidAppKey": InvalidAppKey, "InvalidTimestamp": InvalidTimestamp, "MissingParameter": BadParameter,
    "InvalidParameter": BadParameter, "InvalidApiPath": ProtocolError, "InsufficientPermission": PermissionDenied,
    "UnknownRuntimeException": ServerError,
}


def ban_seconds(sub_msg: str) -> float | None:
    match = _BAN.search(sub_msg or "")
    return float(match.group(1)) if match else None


def error_from_response(err: dict[str, Any], *, method: str = "", http_status: int | None = None) -> AlibabaError:
    """Map an ``error_response`` object (TOP or IOP shape) or a GOP error to an exception."""
    raw_code = err.get("code")
    sub_code = str(err.get("sub_code") or "")
    sub_msg = str(err.get("sub_msg") or "")
    msg = str(err.get("msg") or err.get("message") or "")
    kind = str(err.get("type") or "").upper()
    common = {"method": method, "code": raw_code, "sub_code": sub_code, "sub_msg": sub_msg,
              "request_id": str(err.get("request_id") or ""), "http_status": http_status}
    text = sub_msg or msg
    try:
        code: int | None = int(str(raw_code))
    except (TypeError, ValueError):
        code = None

    if sub_code == "session-expired" or sub_code.endswith(".session-expired"):
        return SessionExpired(text, **common)
    if (code in _RATE_CODES or sub_code.startswith("accesscontrol.") or sub_code == "isp.call-limited"
            or raw_code == "ApiCallLimit"):
        return RateLimited(text, retry_after=ban_seconds(sub_msg), **common)
    if code is None and isinstance(raw_code, str) and raw_code in _IOP:
        cls = _IOP[raw_code]
        if cls is BadParameter:
            return BadParameter(text, parameter=_param_name(sub_code, sub_msg, msg), **common)
        return cls(text, **common)
    if code == 10 or sub_code.startswith("isp."):
        return ServerError(text, **common)
    if code == 15 and sub_code.startswith("isv."):
        rule = sub_code[4:]
        if rule.startswith(("invalid-parameter", "missing-parameter")):
            return BadParameter(text, parameter=_param_name(sub_code, sub_msg, msg), **common)
        if rule in ("insufficient-permission", "permission-api-package-limit"):
            return PermissionDenied(text, **common)
        cls = ProductNotFound if rule == "PRODUCT_NOT_FOUND" else BusinessRuleError
        return cls(text, rule=rule, **common)
    if code in (24, 25):
        return InvalidSignature(text or "Invalid signature", **common)
    if code in (26, 27):
        return InvalidSession(text or "Invalid session", **common)
    if code in (28, 29):
        return InvalidAppKey(text or "Invalid app key", **common)
    if code in (30, 31):
        return InvalidTimestamp(text or "Invalid timestamp", **common)
    if code in _PARAM_CODES:
        return BadParameter(text, parameter=_param_name(sub_code, sub_msg, msg), **common)
    if code in (11, 12, 13):
        return PermissionDenied(text, **common)
    if code in _PROTOCOL_CODES:
        return ProtocolError(text or msg, **common)
    if code == 3:
        return BusinessRuleError(text or "Upload failed", rule="UPLOAD_FAIL", **common)
    if kind in ("ISP", "SYSTEM"):
        return ServerError(text, **common)
    return PermanentError(text or "Unknown Alibaba error", **common)


def _param_name(sub_code: str, sub_msg: str, msg: str) -> str:
    if ":" in sub_code:
        return sub_code.split(":", 1)[1]
    for text in (sub_msg, msg):
        match = re.search(r"arguments:\s*([\w.\[\] ]+)", text)
        if match:
            return match.group(1).strip()
    return ""
