"""Domain exceptions to Saleor's answers.

`ValidationError` from a service becomes the payload's `errors { field message code }` (field in
camelCase, code the UPPER_CASE name of the lower-case value); `PermissionDenied` becomes Saleor's
top-level permission error with `extensions.exception.code = "PermissionDenied"` and no data.
"""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError

PERMISSION_DENIED_MESSAGE = "You do not have permission to perform this action"


def permission_error(exc: PermissionDenied | None = None) -> GraphQLError:
    return GraphQLError(PERMISSION_DENIED_MESSAGE, extensions={"exception": {"code": "PermissionDenied"}})


def _field_name(field: str | None) -> str | None:
    if not field or field == NON_FIELD_ERRORS:
        return None
    return ".".join(to_camel_case(part) for part in str(field).split("."))


def errors_from_validation(exc: ValidationError, *, allowed_codes: set[str] | None = None) -> list[dict]:
    """Saleor error dicts; a code outside the payload's enum is reported as INVALID."""
    entries: list[tuple[str | None, ValidationError]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            entries.extend((field, error) for error in errors)
    else:
        entries.extend((None, error) for error in exc.error_list)
    result = []
    for field, error in entries:
        message = error.message
        if error.params:
            try:
                message = message % error.params
            except (TypeError, ValueError, KeyError):
                pass  # params carry data for the payload (variants, addressType), not placeholders
        code = str(error.code or "invalid").upper()
        if allowed_codes is not None and code not in allowed_codes:
            code = "INVALID" if "INVALID" in allowed_codes else "GRAPHQL_ERROR"
        entry = {"field": _field_name(field), "message": str(message), "code": code}
        params = error.params or {}
        for extra in ("variants", "lines", "orderLines", "warehouse", "addressType", "attributes", "values"):
            if extra in params:
                entry[extra] = params[extra]
        result.append(entry)
    return result
