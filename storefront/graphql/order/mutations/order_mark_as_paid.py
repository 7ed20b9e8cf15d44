"""Saleor's orderMarkAsPaid: program staff saw the whole order's money arrive (a VietQR transfer);
`transactionReference` is the bank statement's reference."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from storefront.core.permissions import is_program_staff
from storefront.order import selectors as order_selectors
from storefront.order import services as order_services

from ...core.context import actor
from ...core.ids import decode_int_id
from ...core.mutations import saleor_mutation


@saleor_mutation("orderMarkAsPaid")
def order_mark_as_paid(root, info, id, transaction_reference=None):
    user = actor(info)
    if not is_program_staff(user):
        raise PermissionDenied()
    pk = decode_int_id(id, expected="Order", field="id")
    order = order_selectors.order_for_actor(actor=user, order_id=pk)
    if order is None:
        raise PermissionDenied()
    order_services.order_mark_as_paid(order=order, actor=user, amount=int(order.total_amount),
                                      reference=transaction_reference or "")
    order.refresh_from_db()
    return {"order": order}
