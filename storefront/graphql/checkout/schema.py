from __future__ import annotations

from django.core.exceptions import ValidationError

from . import types  # noqa: F401
from .inputs import checkout_from_args


class CheckoutQueries:
    @staticmethod
    def resolve_checkout(root, info, id=None, token=None):
        try:
            return checkout_from_args(info, id=id, token=token)
        except ValidationError:
            return None
