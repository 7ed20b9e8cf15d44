"""Refunds owed to shoppers (Saleor's granted refunds): how much of an order may still be refunded,
granting a refund and recording that it was paid.

Whatever causes a refund (a cancelled part of a prepaid order, an accepted return, goods that
weighed less than the price paid for) grants it here, so the cap holds for all of them together:
an order never has more granted back than was charged for it.
"""
from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.permissions import can_manage_cooperative, is_program_staff
from storefront.order import notifications
from storefront.order.error_codes import OrderErrorCode
from storefront.order.models import Order, OrderEvent, OrderGrantedRefund, OrderGrantedRefundLine, OrderLine

MAX_REASON_LENGTH = 1000
MAX_REFERENCE_LENGTH = 255


def _error(field: str, message: str, code: OrderErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def order_total_granted_refund(*, order: Order) -> int:
    """Saleor's `totalGrantedRefund`: every refund granted on the order, paid or still due."""
    return int(OrderGrantedRefund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"] or 0)


def order_refundable_amount(*, order: Order) -> int:
    """What may still be granted back: what was charged, less what is already granted."""
    return max(0, int(order.total_charged_amount) - order_total_granted_refund(order=order))


def _require_refund_access(actor, *, cooperative_id: int | None) -> None:
    # A cooperative's staff grant refunds on their own part; a refund of the whole order is the program's.
    allowed = is_program_staff(actor) if cooperative_id is None else can_manage_cooperative(actor, cooperative_id)
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền hoàn tiền cho phần hàng này."))


def refund_grant(*, order: Order, actor, amount: int, kind: str = OrderGrantedRefund.Kind.MANUAL,
                 reason: str = "", cooperative=None, method: str = OrderGrantedRefund.Method.BANK_TRANSFER,
                 lines: Mapping[OrderLine, int] | None = None,
                 shipping_costs_included: bool = False) -> OrderGrantedRefund:
    """Grant `amount` back to the shopper of `order` (due until `refund_mark_paid`).

    Never more than what was charged less what is already granted, checked under the order's lock
    (a caller already holding it in its transaction just takes it again). `lines` ({order line:
    quantity}) say which units the refund is for; they must belong to `cooperative`'s part when one
    is given. Records a REFUND_GRANTED event.
    """
    cooperative_id = getattr(cooperative, "pk", cooperative)
    _require_refund_access(actor, cooperative_id=cooperative_id)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _error("amount", _("Số tiền hoàn phải là số nguyên dương (đồng)."), OrderErrorCode.INVALID)
    if kind not in OrderGrantedRefund.Kind.values:
        raise _error("kind", _("Loại hoàn tiền không hợp lệ."), OrderErrorCode.INVALID)
    if method not in OrderGrantedRefund.Method.values:
        raise _error("method", _("Hình thức hoàn tiền không hợp lệ."), OrderErrorCode.INVALID)
    reason = str(reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise _error("reason", _("Lý do quá dài."), OrderErrorCode.INVALID)
    lines = dict(lines or {})
    for line, quantity in lines.items():
        if line.order_id != order.pk or (cooperative_id is not None and line.cooperative_id != cooperative_id):
            raise _error("lines", _("Dòng hàng không thuộc phần đơn này."), OrderErrorCode.NOT_FOUND)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= line.quantity:
            raise _error("lines", _("Số lượng hoàn không hợp lệ."), OrderErrorCode.INVALID)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        refundable = order_refundable_amount(order=locked)
        if amount > refundable:
            raise _error("amount", _("Số tiền hoàn (%(amount)d ₫) lớn hơn số tiền còn có thể hoàn (%(refundable)d ₫).")
                         % {"amount": amount, "refundable": refundable}, OrderErrorCode.INVALID)
        return _create(locked, actor=actor, amount=amount, kind=kind, reason=reason, cooperative_id=cooperative_id,
                       method=method, lines=lines, shipping_costs_included=shipping_costs_included)


def _create(locked: Order, *, actor, amount, kind, reason, cooperative_id, method, lines,
            shipping_costs_included) -> OrderGrantedRefund:
    refund = OrderGrantedRefund.objects.create(
        order=locked, cooperative_id=cooperative_id, kind=kind, amount=amount, currency=locked.currency,
        reason=reason, method=method, shipping_costs_included=shipping_costs_included, user=_user(actor),
    )
    OrderGrantedRefundLine.objects.bulk_create(
        OrderGrantedRefundLine(granted_refund=refund, order_line=line, quantity=quantity)
        for line, quantity in lines.items()
    )
    event = OrderEvent.objects.create(order=locked, type=OrderEvent.Type.REFUND_GRANTED, user=_user(actor),
                                      parameters={"amount": amount, "kind": kind, "refund": refund.pk,
                                                  "cooperative": cooperative_id, "reason": reason})
    notifications.order_event(event)
    return refund


def refund_grant_for_cancellation(*, order: Order, actor, amount: int, cooperative_id: int | None, reason: str,
                                  lines: Mapping[OrderLine, int] | None = None,
                                  shipping_costs_included: bool = False) -> OrderGrantedRefund | None:
    """The refund a cancelled (or refused) part of a paid order makes due, granted by the order
    service that cancelled it (which checked who acts: the shopper cancelling her order may not
    grant refunds herself). Called under the order's lock; capped at what may still be refunded;
    None when nothing is."""
    amount = min(int(amount), order_refundable_amount(order=order))
    if amount <= 0:
        return None
    return _create(order, actor=actor, amount=amount, kind=OrderGrantedRefund.Kind.CANCELLATION,
                   reason=str(reason or "").strip()[:MAX_REASON_LENGTH], cooperative_id=cooperative_id,
                   method=OrderGrantedRefund.Method.BANK_TRANSFER, lines=dict(lines or {}),
                   shipping_costs_included=shipping_costs_included)


def refund_mark_paid(*, refund: OrderGrantedRefund, actor, reference: str) -> OrderGrantedRefund:
    """Whoever bears the refund has sent the money: record the transfer's (or receipt's) reference."""
    _require_refund_access(actor, cooperative_id=refund.cooperative_id)
    reference = " ".join(str(reference or "").split())
    if not reference:
        raise _error("reference", _("Vui lòng nhập mã chứng từ hoàn tiền."), OrderErrorCode.REQUIRED)
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise _error("reference", _("Mã chứng từ quá dài."), OrderErrorCode.INVALID)
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=refund.order_id).values_list("pk", flat=True).get()
        locked = OrderGrantedRefund.objects.select_for_update().get(pk=refund.pk)
        if locked.status == OrderGrantedRefund.Status.SUCCESS:
            raise _error("refund", _("Khoản hoàn tiền này đã được ghi nhận là đã trả."), OrderErrorCode.INVALID)
        locked.status = OrderGrantedRefund.Status.SUCCESS
        locked.reference = reference
        locked.paid_at = timezone.now()
        locked.paid_by = _user(actor)
        locked.save(update_fields=["status", "reference", "paid_at", "paid_by", "updated_at"])
        event = OrderEvent.objects.create(order_id=locked.order_id, type=OrderEvent.Type.REFUNDED, user=_user(actor),
                                          parameters={"amount": locked.amount, "refund": locked.pk,
                                                      "cooperative": locked.cooperative_id, "reference": reference})
        notifications.order_event(event)
    refund.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return refund
