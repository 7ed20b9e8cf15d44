"""Show a service's ValidationError on a form, next to the field it names."""
from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def error_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def add_service_errors(form: forms.Form, exc: ValidationError, *, field_map: dict | None = None) -> None:
    """Attach each message to the form field of the same name (or mapped name), else to the form."""
    field_map = field_map or {}
    for field, messages in error_messages(exc).items():
        target = field_map.get(field, field)
        if target is not None and target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


def flat_messages(exc: ValidationError) -> list[str]:
    return [m for messages in error_messages(exc).values() for m in messages]
