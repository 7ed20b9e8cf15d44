"""Saleor's orderFulfill for a cooperative: its part of the order is packed and handed to the
carrier with the tracking number. A cooperative ships its part whole, so the lines given must be
all of its lines in the order, at their full quantities."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from storefront.core.permissions import can_manage_cooperative
from storefront.order import selectors as order_selectors
from storefront.order import services as order_services
from storefront.order.error_codes import OrderErrorCode
from storefront.order.models import Fulfillment

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
    lines = {str(line.pk): line for line in found.lines.all()}
    requested: dict[str, int] = {}
    for line_input in input.get("lines") or ():
        line_id = decode_id(line_input.get("order_line_id"), expected="OrderLine", field="orderLineId")
        if line_id not in lines:
            raise ValidationError({"orderLineId": ValidationError("Order line not found.",
                                                                  code=OrderErrorCode.NOT_FOUND.value)})
        quantity = sum(int(stock.get("quantity") or 0) for stock in line_input.get("stocks") or ())
        requested[line_id] = requested.get(line_id, 0) + quantity
    if not requested:
        raise ValidationError({"lines": ValidationError("At least one line is required.",
                                                        code=OrderErrorCode.REQUIRED.value)})
    cooperative_ids = {lines[line_id].cooperative_id for line_id in requested}
    for cooperative_id in cooperative_ids:
        if not can_manage_cooperative(user, cooperative_id):
            raise PermissionDenied()
    fulfillments = []
    for fulfillment in Fulfillment.objects.filter(order=found, cooperative_id__in=cooperative_ids).order_by("pk"):
        own_lines = [line for line in lines.values() if line.fulfillment_id == fulfillment.pk]
        for line in own_lines:
            if requested.get(str(line.pk)) != line.quantity:
                raise ValidationError({"lines": ValidationError(
                    "A cooperative ships all its lines of an order at once, at their full quantities.",
                    code=OrderErrorCode.FULFILL_ORDER_LINE.value)})
        fulfillments.append(fulfillment)
    tracking_number = (input.get("tracking_number") or "").strip()
    if not tracking_number:
        raise ValidationError({"trackingNumber": ValidationError("A tracking number is required to ship.",
                                                                 code=OrderErrorCode.REQUIRED.value)})
    with transaction.atomic():  # packing and shipping several parts succeed or fail together
        for fulfillment in fulfillments:
            if fulfillment.status == Fulfillment.Status.UNFULFILLED:
                fulfillment = order_services.fulfillment_pack(fulfillment=fulfillment, actor=user)
            order_services.fulfillment_ship(fulfillment=fulfillment, actor=user, tracking_number=tracking_number)
    found.refresh_from_db()
    return {"order": found, "fulfillments": list(Fulfillment.objects.filter(pk__in=[f.pk for f in fulfillments]))}
