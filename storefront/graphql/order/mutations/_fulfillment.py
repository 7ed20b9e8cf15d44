"""The fulfilment a mutation acts on, if the acting user may see it (a cooperative's staff: their own)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from storefront.order import selectors as order_selectors

from ...core.ids import decode_int_id


def fulfillment_for(user, value):
    pk = decode_int_id(value, expected="Fulfillment", field="id")
    fulfillment = order_selectors.fulfillment_for_actor(actor=user, fulfillment_id=pk)
    if fulfillment is None:  # unknown, or another cooperative's: the same answer for both
        raise PermissionDenied()
    return fulfillment
