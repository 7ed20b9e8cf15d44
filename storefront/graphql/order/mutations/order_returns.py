"""Saleor's orderFulfillmentReturnProducts and orderGrantRefundCreate, for a cooperative's staff on
their own part of an order (program staff on any).

orderFulfillmentReturnProducts records goods taken back (`storefront.order.returns.return_record`):
restocked into the lots they came from, or written off (our `writeOff` on a line); with `refund`,
the lines' paid amount (or `amountToRefund`, never more) is granted back in cash. Our fulfilments
are one per cooperative, so no separate RETURNED fulfilment is created: `returnFulfillment` is null
and the refund shows in `order.grantedRefunds`. Replacements are not offered.
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from storefront.core.permissions import is_cooperative_staff, is_program_staff
from storefront.order import returns as order_returns
from storefront.order import selectors as order_selectors
from storefront.order.error_codes import OrderErrorCode, OrderGrantRefundCreateErrorCode
from storefront.payment.models import Payment

from ...core.context import actor
from ...core.ids import decode_id, decode_int_id
from ...core.mutations import saleor_mutation


def _staff_order(info, order_id, *, field: str):
    user = actor(info)
    if not (is_program_staff(user) or is_cooperative_staff(user)):
        raise PermissionDenied()
    pk = decode_int_id(order_id, expected="Order", field=field)
    order = order_selectors.order_for_actor(actor=user, order_id=pk)
    if order is None:
        raise PermissionDenied()
    return user, order


def _whole_dong(value, *, field: str, code) -> int | None:
    if value is None:
        return None
    amount = Decimal(str(value))
    if amount != amount.to_integral_value() or amount <= 0:
        raise ValidationError({field: ValidationError(_("Số tiền phải là số nguyên dương (đồng)."), code=code.value)})
    return int(amount)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): errors for field, errors in exc.error_dict.items()})


@saleor_mutation("orderFulfillmentReturnProducts")
def order_fulfillment_return_products(root, info, order, input):
    user, found = _staff_order(info, order, field="order")
    lines: dict[str, int] = {}
    write_off: set[str] = set()
    for key, id_field, typename in (("order_lines", "order_line_id", "OrderLine"),
                                    ("fulfillment_lines", "fulfillment_line_id", "FulfillmentLine")):
        for line_input in input.get(key) or ():
            if line_input.get("replace"):
                raise ValidationError({key: ValidationError(_("Chưa hỗ trợ đổi hàng; hãy trả hàng và đặt đơn mới."),
                                                            code=OrderErrorCode.INVALID.value)})
            line_id = decode_id(line_input.get(id_field), expected=typename, field=key)
            lines[line_id] = lines.get(line_id, 0) + int(line_input.get("quantity") or 0)
            if line_input.get("write_off"):
                write_off.add(line_id)
    if input.get("include_shipping_costs") and input.get("amount_to_refund") is None:
        raise ValidationError({"include_shipping_costs": ValidationError(
            _("Phí vận chuyển không hoàn qua trả hàng của một hợp tác xã."), code=OrderErrorCode.INVALID.value)})
    amount = _whole_dong(input.get("amount_to_refund"), field="amount_to_refund", code=OrderErrorCode.INVALID)
    try:
        order_returns.return_record(order=found, actor=user, lines=lines, reason=input.get("reason") or "",
                                    refund=bool(input.get("refund")), amount_to_refund=amount, write_off=write_off)
    except ValidationError as exc:
        raise _renamed(exc, {"lines": "order_lines"}) from None
    found.refresh_from_db()
    return {"order": found, "returnFulfillment": None, "replaceFulfillment": None, "replaceOrder": None}


@saleor_mutation("orderGrantRefundCreate")
def order_grant_refund_create(root, info, id, input):
    user, found = _staff_order(info, id, field="id")
    codes = OrderGrantRefundCreateErrorCode
    if input.get("grant_refund_for_shipping"):
        raise ValidationError({"grant_refund_for_shipping": ValidationError(
            _("Phí vận chuyển: hãy ghi số tiền hoàn (amount)."), code=codes.INVALID.value)})
    payment_pk = decode_id(input.get("transaction_id"), expected=("TransactionItem", "Payment"),
                           field="transaction_id", code=codes.NOT_FOUND.value)
    payment = Payment.objects.filter(order=found, pk=int(payment_pk) if payment_pk.isdigit() else 0,
                                     status=Payment.Status.CHARGED).first()
    if payment is None:
        raise ValidationError({"transaction_id": ValidationError(_("Không tìm thấy khoản thanh toán của đơn này."),
                                                                 code=codes.NOT_FOUND.value)})
    amount = _whole_dong(input.get("amount"), field="amount", code=codes.INVALID)
    if amount is not None and amount > payment.captured_amount:
        raise ValidationError({"amount": ValidationError(_("Số tiền hoàn lớn hơn khoản đã thanh toán."),
                                                         code=codes.AMOUNT_GREATER_THAN_AVAILABLE.value)})
    lines: dict[str, int] = {}
    for line_input in input.get("lines") or ():
        line_id = decode_id(line_input.get("id"), expected="OrderLine", field="lines", code=codes.NOT_FOUND.value)
        lines[line_id] = lines.get(line_id, 0) + int(line_input.get("quantity") or 0)
    refund = order_returns.refund_grant_for_order(order=found, actor=user, amount=amount,
                                                  reason=input.get("reason") or "", lines=lines)
    found.refresh_from_db()
    return {"order": found, "grantedRefund": refund}
