"""An order's life: it is placed (from a checkout), paid, cooperatives pack, ship and deliver their
part (a fulfilment each), orders are cancelled or expire unpaid.

Each action after placement locks the rows it changes (order, then fulfilment; stock is locked by
the warehouse module in pk order), checks state after the lock, records an OrderEvent and
re-derives the order's status from its fulfilments.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.permissions import is_program_staff, require_cooperative_access, require_program_staff
from storefront.order import notifications
from storefront.order.error_codes import OrderErrorCode
from storefront.order.models import (ChargeStatus, Fulfillment, Order, OrderEvent, OrderGrantedRefund, OrderLine,
                                     OrderStatus)
from storefront.order.refunds import order_refundable_amount, refund_grant
from storefront.order.weights import actual_weights_for, weighed_line_total
from storefront.payment.error_codes import PaymentErrorCode
from storefront.payment.models import Payment
from storefront.settlement.services import settlement_book_delivery
from storefront.warehouse.management import (deallocate_stock, deallocate_stock_for_lines,
                                             decrease_stock_for_fulfillment)

MAX_TRACKING_LENGTH = 255
ACTIVE = (Fulfillment.Status.UNFULFILLED, Fulfillment.Status.PACKED)
SENT = (Fulfillment.Status.SHIPPED, Fulfillment.Status.DELIVERED)


def _error(field: str, message: str, code: OrderErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


@dataclass(frozen=True)
class OrderLineDraft:
    """A line to place: the variant (with its product, product type and cooperative loaded) at the
    unit price the checkout settled; `total_price` when the line does not cost unit price × quantity
    (some units marked down near expiry)."""
    variant: object
    quantity: int
    unit_price: int
    total_price: int | None = None

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity if self.total_price is None else self.total_price


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    lines: list[OrderLine]
    fulfillments: list[Fulfillment]


def order_place(*, channel, customer, email: str, lines: Sequence[OrderLineDraft], shipping_address,
                billing_address_id, shipping, gateway, checkout_token, language_code: str, customer_note: str,
                placed_at: datetime) -> PlacedOrder:
    """Write an order the caller has validated (a checkout being completed, under its lock): the
    order with a snapshot of each line, one fulfilment per cooperative numbered in cooperative
    order, the PLACED event, and the notices queued for after the commit.

    `shipping` is the chosen method's quote, `gateway` the payment gateway: one that awaits the money
    holds the order unconfirmed until it arrives, and sets when it is due. Stock is not touched: the caller allocates it last, so its rows stay
    locked only until the commit. Four INSERTs; no savepoint when the caller's transaction is open.
    """
    with transaction.atomic(savepoint=False):
        subtotal = sum(line.total for line in lines)
        order = Order.objects.create(
            status=OrderStatus.UNCONFIRMED if gateway.awaits_payment else OrderStatus.UNFULFILLED,
            user=customer,
            user_email=email,
            channel=channel,
            language_code=language_code,
            checkout_token=checkout_token,
            billing_address_id=billing_address_id,
            shipping_address=shipping_address,
            shipping_method=shipping.method,
            shipping_method_name=shipping.method.name,
            shipping_price_amount=shipping.price,
            subtotal_amount=subtotal,
            total_amount=subtotal + shipping.price,
            currency=channel.currency_code,
            payment_gateway=gateway.id,
            payment_due_at=gateway.payment_due_at(placed_at=placed_at),
            customer_note=customer_note,
            estimated_delivery_min_days=shipping.minimum_delivery_days,
            estimated_delivery_max_days=shipping.maximum_delivery_days,
            created_at=placed_at,
        )
        by_cooperative = defaultdict(list)
        for line in lines:
            by_cooperative[line.variant.product.cooperative].append(line)
        groups = sorted(by_cooperative.items(), key=lambda item: item[0].pk)
        fulfillments = Fulfillment.objects.bulk_create(
            Fulfillment(order=order, cooperative=cooperative, fulfillment_order=position, created_at=placed_at,
                        subtotal_amount=sum(line.total for line in coop_lines))
            for position, (cooperative, coop_lines) in enumerate(groups, 1)
        )
        order_lines = []
        for fulfillment, (cooperative, coop_lines) in zip(fulfillments, groups):
            for line in coop_lines:
                variant = line.variant
                weighed = variant.weighed_sale
                order_lines.append(OrderLine(
                    order=order, variant=variant, cooperative=cooperative, fulfillment=fulfillment,
                    product_name=variant.product.name, variant_name=variant.name, product_sku=variant.sku,
                    cooperative_name=cooperative.name, is_combo=variant.product.product_type.kind == "combo",
                    quantity=line.quantity, unit_price_amount=line.unit_price,
                    total_price_amount=line.total,
                    weight_g=(variant.weight_g or variant.product.weight_g or 0),
                    **({} if weighed is None else {
                        "sold_by_weight": True, "nominal_weight_g": weighed.nominal_weight_g,
                        "weight_tolerance_percent": weighed.tolerance_percent,
                        "placed_total_price_amount": line.total}),
                ))
        OrderLine.objects.bulk_create(order_lines)
        OrderEvent.objects.create(order=order, date=placed_at, type=OrderEvent.Type.PLACED, user=customer,
                                  parameters={"gateway": gateway.id, "total": order.total_amount})
        notifications.order_placed(order, fulfillment_ids=[fulfillment.pk for fulfillment in fulfillments])
    return PlacedOrder(order=order, lines=order_lines, fulfillments=fulfillments)


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


def _apply_weights(*, order: Order, fulfillment: Fulfillment, lines: list[OrderLine], weights: Mapping[str, int],
                   actor) -> None:
    """Price the part's lines sold by weight at what they weighed (storefront.order.weights), keep the
    part's subtotal and the order's totals in step, and, when the order was paid beforehand, grant
    the shopper back what lighter goods cost less. Under the order's and the part's locks."""
    prepaid = order.charge_status == ChargeStatus.FULL
    delta = refund = 0
    refund_lines: dict[OrderLine, int] = {}
    for line in lines:
        grams = weights.get(str(line.pk))
        if grams is None:
            continue
        placed = line.total_price_amount if line.placed_total_price_amount is None else line.placed_total_price_amount
        total = weighed_line_total(placed_total=placed, nominal_total_g=line.nominal_total_weight_g,
                                   tolerance_percent=line.weight_tolerance_percent, actual_g=grams, prepaid=prepaid)
        delta += total - line.total_price_amount
        if prepaid and total < placed:
            refund += placed - total
            refund_lines[line] = line.quantity
        line.actual_weight_g, line.total_price_amount, line.placed_total_price_amount = grams, total, placed
        OrderLine.objects.filter(pk=line.pk).update(actual_weight_g=grams, total_price_amount=total,
                                                    placed_total_price_amount=placed)
    if delta:
        fulfillment.subtotal_amount += delta
        fulfillment.save(update_fields=["subtotal_amount"])
        order.subtotal_amount += delta
        order.total_amount += delta
        order.save(update_fields=["subtotal_amount", "total_amount", "updated_at"])
    if weights:
        order_event_add(order=order, type=OrderEvent.Type.WEIGHED, actor=actor, fulfillment=fulfillment.composed_id,
                        lines={str(line.pk): line.actual_weight_g for line in lines if line.actual_weight_g},
                        difference=delta)
    if refund:
        refund = min(refund, order_refundable_amount(order=order))
    if refund > 0:
        refund_grant(order=order, actor=actor, amount=refund, kind=OrderGrantedRefund.Kind.WEIGHT,
                     cooperative=fulfillment.cooperative_id, lines=refund_lines,
                     reason=_("Hàng cân nhẹ hơn khối lượng đã thanh toán."))


def fulfillment_ship(*, fulfillment: Fulfillment, actor, tracking_number: str,
                     weights: Mapping[str, object] | None = None) -> Fulfillment:
    """Hand the parcel to the carrier: stock leaves the warehouse, the customer is told.

    `weights` ({order line id: grams}) gives what each line sold by weight actually weighed, all its
    units together: required for those lines; their prices follow it (storefront.order.weights)."""
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
        lines = list(OrderLine.objects.filter(fulfillment=locked).order_by("pk"))
        actual = actual_weights_for(lines, weights)
        decrease_stock_for_fulfillment(fulfillment=locked)
        for line in lines:
            OrderLine.objects.filter(pk=line.pk).update(quantity_fulfilled=line.quantity)
        _apply_weights(order=order, fulfillment=locked, lines=lines, weights=actual, actor=actor)
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


def order_fulfill(*, order: Order, lines: Mapping[str, int], tracking_number: str, actor,
                  weights: Mapping[str, object] | None = None) -> list[Fulfillment]:
    """Pack and ship the parts of `order` that `lines` ({order line id: quantity}) name, with one
    tracking number. A cooperative ships its part whole: every line of each part named must be
    given at its full quantity. The parts succeed or fail together. Returns the shipped fulfilments.
    `weights` ({order line id: grams}): what the lines sold by weight weighed (see fulfillment_ship).
    """
    if not lines:
        raise _error("lines", _("Vui lòng chọn ít nhất một dòng hàng."), OrderErrorCode.REQUIRED)
    order_lines = {str(line.pk): line for line in order.lines.all()}
    requested = {str(line_id): quantity for line_id, quantity in lines.items()}
    if any(line_id not in order_lines for line_id in requested):
        raise _error("order_line_id", _("Không tìm thấy dòng hàng trong đơn này."), OrderErrorCode.NOT_FOUND)
    cooperative_ids = sorted({order_lines[line_id].cooperative_id for line_id in requested})
    for cooperative_id in cooperative_ids:
        require_cooperative_access(actor, cooperative_id)
    fulfillments = list(Fulfillment.objects.filter(order=order, cooperative_id__in=cooperative_ids).order_by("pk"))
    for fulfillment in fulfillments:
        if any(requested.get(line_id) != line.quantity
               for line_id, line in order_lines.items() if line.fulfillment_id == fulfillment.pk):
            raise _error("lines", _("Mỗi hợp tác xã gửi một lần tất cả các dòng hàng của mình, đủ số lượng."),
                         OrderErrorCode.FULFILL_ORDER_LINE)
    weights = {str(line_id): grams for line_id, grams in (weights or {}).items()}
    if any(line_id not in requested for line_id in weights):
        raise _error("actual_weight", _("Không tìm thấy dòng hàng để ghi khối lượng."), OrderErrorCode.NOT_FOUND)
    if not " ".join(str(tracking_number or "").split()):
        raise _error("tracking_number", _("Vui lòng nhập mã vận đơn."), OrderErrorCode.REQUIRED)
    with transaction.atomic():
        for fulfillment in fulfillments:
            if fulfillment.status == Fulfillment.Status.UNFULFILLED:
                fulfillment_pack(fulfillment=fulfillment, actor=actor)
            part = {line_id: grams for line_id, grams in weights.items()
                    if order_lines[line_id].fulfillment_id == fulfillment.pk}
            fulfillment_ship(fulfillment=fulfillment, actor=actor, tracking_number=tracking_number, weights=part)
    return fulfillments


def fulfillment_deliver(*, fulfillment: Fulfillment, actor) -> Fulfillment:
    """The customer has the goods: the cooperative's sale is booked in its ledger."""
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


def _payment_error(field: str, message: str, code: PaymentErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def order_mark_as_paid(*, order: Order, actor, amount: int, reference: str = "") -> Payment:
    """Program staff saw `amount` arrive for `order`: it is paid and goes to the cooperatives."""
    require_program_staff(actor)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _payment_error("amount", _("Số tiền phải là số nguyên dương (đồng)."), PaymentErrorCode.INVALID)
    reference = str(reference or "").strip()
    if len(reference) > 255:
        raise _payment_error("reference", _("Mã tham chiếu quá dài."), PaymentErrorCode.INVALID)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.CANCELED:
            raise _payment_error("order", _("Đơn hàng đã hủy; hãy hoàn tiền cho khách."), PaymentErrorCode.INVALID)
        if locked.charge_status == ChargeStatus.FULL:
            raise _payment_error("order", _("Đơn hàng đã được ghi nhận thanh toán."), PaymentErrorCode.INVALID)
        if amount < locked.total_amount:
            raise _payment_error("amount", _("Số tiền nhận (%(got)d) nhỏ hơn tổng đơn (%(total)d).") % {
                "got": amount, "total": locked.total_amount}, PaymentErrorCode.PARTIAL_PAYMENT_NOT_ALLOWED)
        now = timezone.now()
        payment = (Payment.objects.select_for_update().filter(order=locked, status=Payment.Status.PENDING)
                   .order_by("pk").first())
        if payment is None:
            payment = Payment(order=locked, gateway=locked.payment_gateway, amount=locked.total_amount)
        payment.status = Payment.Status.CHARGED
        payment.captured_amount = amount
        payment.captured_at = now
        payment.captured_by = actor
        payment.psp_reference = reference
        payment.save()
        locked.charge_status = ChargeStatus.FULL
        locked.total_charged_amount = amount
        locked.payment_due_at = None
        update = ["charge_status", "total_charged_amount", "payment_due_at", "updated_at"]
        if locked.status == OrderStatus.UNCONFIRMED:
            locked.status = OrderStatus.UNFULFILLED
            update.append("status")
        locked.save(update_fields=update)
        OrderEvent.objects.create(order=locked, type=OrderEvent.Type.PAYMENT_CAPTURED, user=actor,
                                  parameters={"amount": amount, "reference": reference, "gateway": payment.gateway})
        if "status" in update:
            OrderEvent.objects.create(order=locked, type=OrderEvent.Type.CONFIRMED, user=actor, parameters={})
            notifications.order_confirmed(locked)
    order.refresh_from_db()
    return payment


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
