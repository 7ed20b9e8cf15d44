"""Relay global IDs as Saleor issues them: base64("Type:pk")."""
from __future__ import annotations

import binascii

from django.core.exceptions import ValidationError
from graphql_relay import from_global_id, to_global_id


def global_id(type_name: str, pk) -> str:
    return to_global_id(type_name, str(pk))


def decode_id(value, *, expected: str | tuple[str, ...], field: str, code: str = "graphql_error") -> str:
    """The pk inside a global ID of one of the `expected` types, else a Saleor-style field error."""
    expected = (expected,) if isinstance(expected, str) else expected
    try:
        type_name, pk = from_global_id(str(value))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        type_name, pk = "", ""
    # Our pks are ASCII digits or UUIDs: anything else (a NUL, "²" that isdigit() but int() refuses, a number
    # past a bigint) names nothing, and must not reach a query.
    if not pk or type_name not in expected or not (pk.isascii() and pk.isprintable()) or len(pk) > 36 \
            or (pk.isdigit() and len(pk) > 18):
        raise ValidationError({field: ValidationError(f"Couldn't resolve id: {value}.", code=code)})
    return pk


def decode_int_id(value, *, expected, field: str, code: str = "graphql_error") -> int:
    pk = decode_id(value, expected=expected, field=field, code=code)
    if not pk.isdigit() or len(pk) > 18:
        raise ValidationError({field: ValidationError(f"Couldn't resolve id: {value}.", code=code)})
    return int(pk)


def try_decode(value, expected: str) -> str | None:
    try:
        return decode_id(value, expected=expected, field="id")
    except ValidationError:
        return None
