from __future__ import annotations

from django.core.exceptions import PermissionDenied

from storefront.order import selectors as order_selectors
from storefront.order import services as order_services

from ...core.context import actor
from ...core.ids import decode_int_id
from ...core.mutations import saleor_mutation


@saleor_mutation("orderCancel")
def order_cancel(root, info, id):
    pk = decode_int_id(id, expected="Order", field="id")
    order = order_selectors.order_for_actor(actor=actor(info), order_id=pk)
    if order is None:
        raise PermissionDenied()
    return {"order": order_services.order_cancel(order=order, actor=actor(info))}
