"""Saleor's orderFulfill for a cooperative: its part of the order is packed and handed to the
carrier with the tracking number (`order_services.order_fulfill` holds the rule that a part ships
whole). A line sold by weight carries `actualWeight` (our extension, grams: the shop's
defaultWeightUnit), which its price follows."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from storefront.order import selectors as order_selectors
from storefront.order import services as order_services
from storefront.order.error_codes import OrderErrorCode

from ...core.context import actor
from ...core.ids import decode_id, decode_int_id
from ...core.mutations import saleor_mutation


@saleor_mutation("orderFulfill")
def order_fulfill(root, info, input, order=None):
    user = actor(info)
    if order is None:
        raise ValidationError({"order": ValidationError("Order is required.", code=OrderErrorCode.REQUIRED.value)})
    pk = decode_int_id(order, expected="Order", field="order")
    found = order_selectors.order_for_actor(actor=user, order_id=pk)
    if found is None:
        raise PermissionDenied()
    requested: dict[str, int] = {}
    weights: dict[str, object] = {}
    for line_input in input.get("lines") or ():
        line_id = decode_id(line_input.get("order_line_id"), expected="OrderLine", field="orderLineId")
        quantity = sum(int(stock.get("quantity") or 0) for stock in line_input.get("stocks") or ())
        requested[line_id] = requested.get(line_id, 0) + quantity
        if line_input.get("actual_weight") is not None:  # extension: grams, the shop's weight unit
            weights[line_id] = line_input["actual_weight"]
    fulfillments = order_services.order_fulfill(order=found, lines=requested, weights=weights,
                                                tracking_number=input.get("tracking_number") or "", actor=user)
    found.refresh_from_db()
    return {"order": found, "fulfillments": fulfillments}
