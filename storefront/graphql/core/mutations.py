"""Registry of Saleor mutations: one resolver function per mutation file, wrapped so every
mutation answers domain errors the same way."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from graphene.utils.str_converters import to_snake_case

from .errors import errors_from_validation, permission_error
from .saleor import saleor_field, signatures

MUTATIONS: dict[str, object] = {}


def _error_fields(payload_name: str) -> tuple[list[str], set[str] | None]:
    fields = signatures()[payload_name]["fields"]
    names = [name for name, sig in fields.items() if name == "errors" or name.endswith("Errors")]
    error_type = fields["errors"]["type"].strip("[]!") if "errors" in fields else None
    codes = None
    if error_type:
        code_type = signatures()[error_type]["fields"]["code"]["type"].rstrip("!")
        codes = set(signatures()[code_type]["values"])
    return names, codes


def saleor_mutation(name: str):
    """Register `fn(root, info, **kwargs) -> payload dict` as the Saleor mutation `name`."""

    def decorate(fn):
        payload_name = signatures()["Mutation"]["fields"][name]["type"].rstrip("!")
        error_names, codes = _error_fields(payload_name)

        def resolve(root, info, **kwargs):
            try:
                payload = fn(root, info, **kwargs) or {}
            except ValidationError as exc:
                payload = {"errors": errors_from_validation(exc, allowed_codes=codes)}
            except PermissionDenied as exc:
                raise permission_error(exc) from None
            errors = payload.get("errors", [])
            for error_name in error_names:
                payload.setdefault(error_name, errors)
            return payload

        MUTATIONS[to_snake_case(name)] = saleor_field("Mutation", name, resolver=resolve)
        fn.graphql_name = name
        return fn

    return decorate
