"""Saleor's orderFulfillmentCancel for a cooperative's part not yet sent: its stock returns to its
lots, the order's totals drop it, a prepaid part becomes a refund due. `input.reason` (extension)
is required: the shopper is told why."""
from __future__ import annotations

from storefront.order import services as order_services

from ...core.context import actor
from ...core.mutations import saleor_mutation
from ._fulfillment import fulfillment_for


@saleor_mutation("orderFulfillmentCancel")
def order_fulfillment_cancel(root, info, id, input=None):
    user = actor(info)
    fulfillment = fulfillment_for(user, id)
    fulfillment = order_services.fulfillment_cancel(fulfillment=fulfillment, actor=user,
                                                    reason=(input or {}).get("reason") or "")
    fulfillment.order.refresh_from_db()
    return {"fulfillment": fulfillment, "order": fulfillment.order}
