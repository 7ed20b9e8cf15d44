"""What happens to an order after placement: cooperatives pack, ship and deliver their part
(a fulfilment each), orders are cancelled or expire unpaid.

Each action locks the rows it changes (order, then fulfilment; stock is locked by the warehouse
module in pk order), checks state after the lock, records an OrderEvent and re-derives the
order's status from its fulfilments.
"""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.permissions import is_program_staff, require_cooperative_access
from storefront.order import notifications
from storefront.order.error_codes import OrderErrorCode
from storefront.order.models import ChargeStatus, Fulfillment, Order, OrderEvent, OrderLine, OrderStatus
from storefront.payment.models import Payment
from storefront.warehouse.management import (deallocate_stock, deallocate_stock_for_lines,
                                             decrease_stock_for_fulfillment)

MAX_TRACKING_LENGTH = 255
ACTIVE = (Fulfillment.Status.UNFULFILLED, Fulfillment.Status.PACKED)
SENT = (Fulfillment.Status.SHIPPED, Fulfillment.Status.DELIVERED)


def _error(field: str, message: str, code: OrderErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def order_event_add(*, order: Order, type: str, actor=None, **parameters) -> OrderEvent:
    return OrderEvent.objects.create(order=order, type=type, user=_user(actor), parameters=parameters)


def order_status_refresh(*, order: Order) -> str:
    """Derive the order's status from its fulfilments (call under the order's lock)."""
    if order.status in (OrderStatus.CANCELED, OrderStatus.UNCONFIRMED):
        return order.status
    states = [s for s in order.fulfillments.values_list("status", flat=True) if s != Fulfillment.Status.CANCELED]
    if not states:
        status = OrderStatus.CANCELED
    elif all(s in SENT for s in states):
        status = OrderStatus.FULFILLED
    elif any(s in SENT for s in states):
        status = OrderStatus.PARTIALLY_FULFILLED
    else:
        status = OrderStatus.UNFULFILLED
    if status != order.status:
        order.status = status
        order.save(update_fields=["status", "updated_at"])
    return status


def _lock(fulfillment: Fulfillment) -> tuple[Order, Fulfillment]:
    order = Order.objects.select_for_update().get(pk=fulfillment.order_id)
    locked = Fulfillment.objects.select_for_update().select_related("cooperative").get(pk=fulfillment.pk)
    return order, locked


def _sync(target: Fulfillment, source: Fulfillment) -> Fulfillment:
    target.__dict__.update({k: v for k, v in source.__dict__.items() if not k.startswith("_")})
    return target


def _require_workable(order: Order) -> None:
    if order.status == OrderStatus.CANCELED:
        raise _error("order", _("Đơn hàng đã hủy."), OrderErrorCode.NOT_EDITABLE)
    if order.status == OrderStatus.UNCONFIRMED:
        raise _error("order", _("Đơn hàng chưa được thanh toán."), OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER)


def fulfillment_pack(*, fulfillment: Fulfillment, actor) -> Fulfillment:
    require_cooperative_access(actor, fulfillment.cooperative_id)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        _require_workable(order)
        if locked.status != Fulfillment.Status.UNFULFILLED:
            raise _error("status", _("Chỉ đóng gói được phần hàng đang chờ chuẩn bị."), OrderErrorCode.INVALID)
        locked.status = Fulfillment.Status.PACKED
        locked.packed_at = timezone.now()
        locked.save(update_fields=["status", "packed_at"])
        order_event_add(order=order, type=OrderEvent.Type.PACKED, actor=actor, fulfillment=locked.composed_id)
    return _sync(fulfillment, locked)


def fulfillment_ship(*, fulfillment: Fulfillment, actor, tracking_number: str) -> Fulfillment:
    """Hand the parcel to the carrier: stock leaves the warehouse, the customer is told."""
    require_cooperative_access(actor, fulfillment.cooperative_id)
    tracking = " ".join(str(tracking_number or "").split())
    if not tracking:
        raise _error("tracking_number", _("Vui lòng nhập mã vận đơn."), OrderErrorCode.REQUIRED)
    if len(tracking) > MAX_TRACKING_LENGTH:
        raise _error("tracking_number", _("Mã vận đơn quá dài."), OrderErrorCode.INVALID)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        _require_workable(order)
        if locked.status not in ACTIVE:
            raise _error("status", _("Phần hàng này đã gửi hoặc đã hủy."), OrderErrorCode.INVALID)
        decrease_stock_for_fulfillment(fulfillment=locked)
        for line in OrderLine.objects.filter(fulfillment=locked):
            OrderLine.objects.filter(pk=line.pk).update(quantity_fulfilled=line.quantity)
        now = timezone.now()
        locked.status = Fulfillment.Status.SHIPPED
        locked.tracking_number = tracking
        locked.shipped_at = now
        locked.packed_at = locked.packed_at or now
        locked.save(update_fields=["status", "tracking_number", "shipped_at", "packed_at"])
        order_event_add(order=order, type=OrderEvent.Type.SHIPPED, actor=actor, fulfillment=locked.composed_id,
                        tracking_number=tracking)
        order_status_refresh(order=order)
        notifications.fulfillment_shipped(locked)
    return _sync(fulfillment, locked)


def fulfillment_deliver(*, fulfillment: Fulfillment, actor) -> Fulfillment:
    """The customer has the goods: the cooperative's sale is booked in its ledger."""
    from storefront.settlement.services import settlement_book_delivery

    require_cooperative_access(actor, fulfillment.cooperative_id)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        if locked.status != Fulfillment.Status.SHIPPED:
            raise _error("status", _("Chỉ xác nhận giao được phần hàng đã gửi."), OrderErrorCode.INVALID)
        locked.status = Fulfillment.Status.DELIVERED
        locked.delivered_at = timezone.now()
        locked.save(update_fields=["status", "delivered_at"])
        order_event_add(order=order, type=OrderEvent.Type.DELIVERED, actor=actor, fulfillment=locked.composed_id)
        settlement_book_delivery(fulfillment=locked, actor=actor)
        order_status_refresh(order=order)
    return _sync(fulfillment, locked)


def fulfillment_cancel(*, fulfillment: Fulfillment, actor, reason: str) -> Fulfillment:
    """A cooperative cannot supply its part: its stock is released; the rest of the order goes on."""
    require_cooperative_access(actor, fulfillment.cooperative_id)
    reason = str(reason or "").strip()
    if not reason:
        raise _error("reason", _("Vui lòng nêu lý do hủy."), OrderErrorCode.REQUIRED)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        if locked.status not in ACTIVE:
            raise _error("status", _("Không thể hủy phần hàng đã gửi hoặc đã hủy."),
                         OrderErrorCode.CANNOT_CANCEL_FULFILLMENT)
        deallocate_stock_for_lines(order_lines=OrderLine.objects.filter(fulfillment=locked))
        locked.status = Fulfillment.Status.CANCELED
        locked.canceled_reason = reason
        locked.save(update_fields=["status", "canceled_reason"])
        order_event_add(order=order, type=OrderEvent.Type.FULFILLMENT_CANCELED, actor=actor,
                        fulfillment=locked.composed_id, reason=reason)
        if not order.fulfillments.exclude(status=Fulfillment.Status.CANCELED).exists():
            _cancel_locked(order, actor=actor, reason=reason, event=OrderEvent.Type.CANCELED)
        else:
            order_status_refresh(order=order)
    return _sync(fulfillment, locked)


def _may_cancel(order: Order, actor) -> bool:
    if is_program_staff(actor):
        return True
    return bool(_user(actor) and order.user_id == actor.pk)


def _cancel_locked(order: Order, *, actor, reason: str, event: str) -> None:
    deallocate_stock(order=order)
    order.fulfillments.filter(status__in=ACTIVE).update(status=Fulfillment.Status.CANCELED, canceled_reason=reason)
    Payment.objects.filter(order=order, status=Payment.Status.PENDING).update(status=Payment.Status.CANCELED)
    order.status = OrderStatus.CANCELED
    order.canceled_reason = reason
    order.payment_due_at = None
    order.save(update_fields=["status", "canceled_reason", "payment_due_at", "updated_at"])
    order_event_add(order=order, type=event, actor=actor, reason=reason)
    notifications.order_canceled(order)


def order_cancel(*, order: Order, actor, reason: str = "") -> Order:
    """The customer (own order) or program staff cancel before anything was sent; stock returns."""
    if not _may_cancel(order, actor):
        raise PermissionDenied(_("Bạn không có quyền hủy đơn hàng này."))
    reason = str(reason or "").strip()[:1000]
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.CANCELED:
            raise _error("order", _("Đơn hàng đã hủy."), OrderErrorCode.CANNOT_CANCEL_ORDER)
        if locked.fulfillments.filter(status__in=SENT + (Fulfillment.Status.PACKED,)).exists():
            raise _error("order", _("Không thể hủy: hàng đã được đóng gói hoặc gửi đi."),
                         OrderErrorCode.CANNOT_CANCEL_ORDER)
        if locked.charge_status == ChargeStatus.FULL and not is_program_staff(actor):
            raise _error("order", _("Đơn đã thanh toán: vui lòng liên hệ chương trình để hủy và hoàn tiền."),
                         OrderErrorCode.CANNOT_CANCEL_ORDER)
        _cancel_locked(locked, actor=actor, reason=reason, event=OrderEvent.Type.CANCELED)
    order.refresh_from_db()
    return order


def orders_expire_unpaid(*, now: datetime | None = None) -> int:
    """Cancel bank-transfer orders still unpaid after their due time; their stock returns. Returns
    how many expired."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OrderStatus.UNCONFIRMED, charge_status=ChargeStatus.NONE,
                             payment_due_at__lt=now).order_by("pk").values_list("pk", flat=True)
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            # Re-checked under the lock: staff may have marked it paid meanwhile.
            if not (order.status == OrderStatus.UNCONFIRMED and order.charge_status == ChargeStatus.NONE
                    and order.payment_due_at and order.payment_due_at < now):
                continue
            _cancel_locked(order, actor=None, reason=_("Quá hạn thanh toán chuyển khoản."),
                           event=OrderEvent.Type.EXPIRED)
            expired += 1
    return expired
