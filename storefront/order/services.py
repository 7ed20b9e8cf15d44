"""An order's life: it is placed (from a checkout), paid, cooperatives pack, ship and deliver their
part (a fulfilment each) — collecting the cash of a cash-on-delivery part as they deliver it — or
the shopper refuses a parcel; orders and parts are cancelled or expire unpaid.

What the shopper owes follows every change: a cancelled or refused part owes nothing (its lines'
totals drop to 0, its stock returns to the lots it came from), the order's shipping fee is carried
by its first open part (`Fulfillment.shipping_amount`), and the order's totals are its open parts'.
A paid order's closed part becomes a refund due (`refunds.refund_grant_for_cancellation`).

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

from storefront.core.money import format_vnd
from storefront.core.permissions import is_program_staff, require_cooperative_access, require_program_staff
from storefront.discount.services import voucher_release
from storefront.order import notifications
from storefront.order.error_codes import OrderErrorCode
from storefront.order.models import (ChargeStatus, Fulfillment, Order, OrderDiscount, OrderEvent, OrderGrantedRefund,
                                     OrderLine, OrderStatus)
from storefront.order.refunds import (order_refundable_amount, order_total_granted_refund, refund_grant,
                                      refund_grant_for_cancellation)
from storefront.order.selectors import fulfillment_cash_due
from storefront.order.selectors import order_is_prepaid as _is_prepaid
from storefront.order.weights import actual_weights_for, scaled_share, weighed_line_total
from storefront.payment.error_codes import PaymentErrorCode
from storefront.payment.models import Payment
from storefront.settlement.services import settlement_book_delivery
from storefront.warehouse.management import (deallocate_stock, deallocate_stock_for_lines,
                                             decrease_stock_for_fulfillment, increase_stock_for_refused_fulfillment)

MAX_TRACKING_LENGTH = 255
MAX_REASON_LENGTH = 1000
ACTIVE = (Fulfillment.Status.UNFULFILLED, Fulfillment.Status.PACKED)
SENT = (Fulfillment.Status.SHIPPED, Fulfillment.Status.DELIVERED)
CLOSED = Fulfillment.CLOSED


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
    discount: int = 0  # taken off by vouchers and promotions (`total` is before them)
    program_discount: int = 0  # the part of `discount` the program pays

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity if self.total_price is None else self.total_price

    @property
    def paid(self) -> int:
        return self.total - self.discount


@dataclass(frozen=True)
class OrderDiscountDraft:
    """A voucher or promotion applied to the order: `amount` off the goods, `shipping_amount` off
    delivery, paid by `funded_by` (a FundedBy value; `cooperative` when a cooperative pays)."""
    name: str
    value_type: str
    value: int
    amount: int
    shipping_amount: int
    funded_by: str
    cooperative_id: int | None = None
    voucher: object = None
    promotion: object = None


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    lines: list[OrderLine]
    fulfillments: list[Fulfillment]


def order_place(*, channel, customer, email: str, lines: Sequence[OrderLineDraft], shipping_address,
                billing_address_id, shipping, gateway, checkout_token, language_code: str, customer_note: str,
                placed_at: datetime, discounts: Sequence[OrderDiscountDraft] = (), voucher=None,
                shipping_discount: int = 0, cooperative_shipping_discounts: Mapping[int, int] | None = None,
                ) -> PlacedOrder:
    """Write an order the caller has validated (a checkout being completed, under its lock): the
    order with a snapshot of each line, one fulfilment per cooperative numbered in cooperative
    order, the PLACED event, and the notices queued for after the commit.

    `shipping` is the chosen method's quote, `gateway` the payment gateway: one that awaits the money
    holds the order unconfirmed until it arrives, and sets when it is due. Stock is not touched: the caller allocates it last, so its rows stay
    locked only until the commit. Four INSERTs; no savepoint when the caller's transaction is open.

    `discounts` are the vouchers and promotions the caller applied (each line's `discount` is its share);
    `shipping_discount` is what they took off `shipping.price`, of which a cooperative pays
    `cooperative_shipping_discounts[cooperative id]`. One more INSERT when there are any.
    """
    with transaction.atomic(savepoint=False):
        undiscounted_subtotal = sum(line.total for line in lines)
        subtotal = sum(line.paid for line in lines)
        shipping_price = shipping.price - shipping_discount
        cooperative_shipping_discounts = cooperative_shipping_discounts or {}
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
            shipping_price_amount=shipping_price,
            subtotal_amount=subtotal,
            total_amount=subtotal + shipping_price,
            undiscounted_subtotal_amount=undiscounted_subtotal,
            undiscounted_shipping_price_amount=shipping.price,
            discount_amount=sum(d.amount + d.shipping_amount for d in discounts),
            discount_name=", ".join(d.name for d in discounts)[:255],
            voucher=voucher,
            voucher_code=voucher.code if voucher is not None else "",
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
                        subtotal_amount=sum(line.paid for line in coop_lines),
                        discount_amount=sum(line.discount for line in coop_lines),
                        program_discount_amount=sum(line.program_discount for line in coop_lines),
                        cooperative_shipping_discount_amount=cooperative_shipping_discounts.get(cooperative.pk, 0),
                        shipping_amount=shipping_price if position == 1 else 0)
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
                    total_price_amount=line.paid, undiscounted_total_price_amount=line.total,
                    discount_amount=line.discount, program_discount_amount=line.program_discount,
                    weight_g=(variant.weight_g or variant.product.weight_g or 0),
                    **({} if weighed is None else {
                        "sold_by_weight": True, "nominal_weight_g": weighed.nominal_weight_g,
                        "weight_tolerance_percent": weighed.tolerance_percent,
                        "placed_total_price_amount": line.paid}),
                ))
        OrderLine.objects.bulk_create(order_lines)
        if discounts:
            OrderDiscount.objects.bulk_create(OrderDiscount(
                order=order, type=OrderDiscount.Type.VOUCHER if d.voucher is not None else OrderDiscount.Type.PROMOTION,
                voucher=d.voucher, promotion=d.promotion, name=d.name[:255],
                voucher_code=d.voucher.code if d.voucher is not None else "", value_type=d.value_type, value=d.value,
                amount=d.amount, shipping_amount=d.shipping_amount, funded_by=d.funded_by,
                cooperative_id=d.cooperative_id) for d in discounts)
        OrderEvent.objects.create(order=order, date=placed_at, type=OrderEvent.Type.PLACED, user=customer,
                                  parameters={"gateway": gateway.id, "total": order.total_amount})
        notifications.order_placed(order, fulfillment_ids=[fulfillment.pk for fulfillment in fulfillments])
    return PlacedOrder(order=order, lines=order_lines, fulfillments=fulfillments)


def order_event_add(*, order: Order, type: str, actor=None, mail: bool = False, **parameters) -> OrderEvent:
    """Record what happened to `order`, by whom; `mail`: the shopper is told by e-mail (after the commit)."""
    event = OrderEvent.objects.create(order=order, type=type, user=_user(actor), parameters=parameters)
    if mail:
        notifications.order_event(event)
    return event


def _part_event(order: Order, part: Fulfillment, type: str, actor, *, mail: bool = False, **parameters):
    return order_event_add(order=order, type=type, actor=actor, mail=mail, fulfillment=part.composed_id,
                           cooperative=part.cooperative_id, **parameters)


def order_totals_refresh(*, order: Order) -> None:
    """Re-derive what the shopper owes now from the open parts (under the order's lock): a closed
    part's lines owe 0, each part's subtotal is its lines', the order's subtotal, shipping and total
    its open parts'."""
    OrderLine.objects.filter(order=order, fulfillment__status__in=CLOSED).exclude(
        total_price_amount=0).update(total_price_amount=0)
    parts = list(Fulfillment.objects.filter(order=order).order_by("pk"))
    line_totals: dict[int, int] = defaultdict(int)
    for part_id, total in OrderLine.objects.filter(order=order).values_list("fulfillment_id", "total_price_amount"):
        line_totals[part_id] += total
    for part in parts:
        subtotal = 0 if part.status in CLOSED else line_totals[part.pk]
        if part.subtotal_amount != subtotal:
            part.subtotal_amount = subtotal
            part.save(update_fields=["subtotal_amount"])
    subtotal = sum(part.subtotal_amount for part in parts)
    shipping = sum(part.shipping_amount for part in parts if part.status not in CLOSED)
    if (order.subtotal_amount, order.shipping_price_amount) != (subtotal, shipping) \
            or order.total_amount != subtotal + shipping:
        order.subtotal_amount, order.shipping_price_amount = subtotal, shipping
        order.total_amount = subtotal + shipping
        order.save(update_fields=["subtotal_amount", "shipping_price_amount", "total_amount", "updated_at"])


def order_charge_status_refresh(*, order: Order) -> str:
    """Saleor's charge status (under the order's lock): what was charged less the refunds granted,
    against what the shopper owes now."""
    charged = int(order.total_charged_amount)
    net = charged - order_total_granted_refund(order=order)
    if charged <= 0:
        status = ChargeStatus.NONE
    elif net < order.total_amount:
        status = ChargeStatus.PARTIAL
    elif net > order.total_amount:
        status = ChargeStatus.OVERCHARGED
    else:
        status = ChargeStatus.FULL
    if status != order.charge_status:
        order.charge_status = status
        order.save(update_fields=["charge_status", "updated_at"])
    return status


def _close_part(order: Order, part: Fulfillment, *, status: str, reason: str, actor, prepaid: bool) -> None:
    """Cancel or refuse `part` (locked, its stock already back): it owes nothing; the shipping fee it
    carried moves to the next open part that can still carry it (any open part of a prepaid order,
    one not yet sent of a cash-on-delivery one), else it is waived; a prepaid order's part becomes a
    refund due for its goods (and the fee, when it was waived)."""
    released = int(part.subtotal_amount) + int(part.shipping_amount)
    if part.shipping_amount:
        successors = Fulfillment.objects.select_for_update().filter(order=order).exclude(pk=part.pk).exclude(
            status__in=CLOSED).order_by("fulfillment_order", "pk")
        if not prepaid:
            successors = successors.filter(status__in=ACTIVE)
        successor = successors.first()
        if successor is not None:
            successor.shipping_amount += part.shipping_amount
            successor.save(update_fields=["shipping_amount"])
            released -= part.shipping_amount
    shipping_waived = released > part.subtotal_amount
    part.status = status
    part.canceled_reason = reason
    part.shipping_amount = 0
    part.save(update_fields=["status", "canceled_reason", "shipping_amount"])
    if prepaid and released > 0:
        lines = {line: line.quantity for line in OrderLine.objects.filter(fulfillment=part).order_by("pk")}
        refund_grant_for_cancellation(order=order, actor=actor, amount=released, cooperative_id=part.cooperative_id,
                                      reason=reason, lines=lines, shipping_costs_included=shipping_waived)


def order_status_refresh(*, order: Order) -> str:
    """Derive the order's status from its fulfilments (call under the order's lock)."""
    if order.status in (OrderStatus.CANCELED, OrderStatus.UNCONFIRMED):
        return order.status
    states = [s for s in order.fulfillments.values_list("status", flat=True) if s not in CLOSED]
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
        _part_event(order, locked, OrderEvent.Type.PACKED, actor)
    return _sync(fulfillment, locked)


def _apply_weights(*, order: Order, fulfillment: Fulfillment, lines: list[OrderLine], weights: Mapping[str, int],
                   actor) -> None:
    """Price the part's lines sold by weight at what they weighed (storefront.order.weights), keep the
    part's subtotal and the order's totals in step, and, when the order was paid beforehand, grant
    the shopper back what lighter goods cost less. Under the order's and the part's locks."""
    prepaid = _is_prepaid(order)
    delta = refund = share_delta = 0
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
        # The discount the program pays on the line follows its goods: the cooperative is paid the
        # undiscounted value of what it weighed (settlement_book_delivery adds this share back).
        share = scaled_share(share=line.program_discount_amount, placed_total=placed, total=total)
        share_delta += share - line.program_discount_amount
        line.actual_weight_g, line.total_price_amount, line.placed_total_price_amount = grams, total, placed
        line.program_discount_amount = share
        OrderLine.objects.filter(pk=line.pk).update(actual_weight_g=grams, total_price_amount=total,
                                                    placed_total_price_amount=placed, program_discount_amount=share)
    if share_delta:
        fulfillment.program_discount_amount += share_delta
        fulfillment.save(update_fields=["program_discount_amount"])
    if delta:
        order_totals_refresh(order=order)
        fulfillment.refresh_from_db(fields=["subtotal_amount"])
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
    if delta or refund > 0:
        order_charge_status_refresh(order=order)


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
        _part_event(order, locked, OrderEvent.Type.SHIPPED, actor, tracking_number=tracking,
                    cash_due=fulfillment_cash_due(order=order, fulfillment=locked))
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


def _cash_amount(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _error("cash_collected", _("Số tiền mặt đã thu phải là số nguyên không âm (đồng)."),
                     OrderErrorCode.INVALID)
    return value


def fulfillment_deliver(*, fulfillment: Fulfillment, actor, cash_collected: int | None = None) -> Fulfillment:
    """The customer has the goods. For a cash-on-delivery part, `cash_collected` is what the carrier
    (or the cooperative) took: it must be exactly what the part owes — a difference is refused, so
    nothing wrong is booked (the shopper owes what the label says; a carrier short of it is a
    dispute for the program, not a sale). The cash is a Payment of this part; the order's charge
    status follows; the part's sale and fee, and the cash the cooperative now holds, go to its ledger."""
    require_cooperative_access(actor, fulfillment.cooperative_id)
    cash = _cash_amount(cash_collected)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        if locked.status != Fulfillment.Status.SHIPPED:
            raise _error("status", _("Chỉ xác nhận giao được phần hàng đã gửi."), OrderErrorCode.INVALID)
        due = fulfillment_cash_due(order=order, fulfillment=locked)
        if due and cash is None:
            raise _error("cash_collected", _("Vui lòng nhập số tiền mặt đã thu (%(due)s).") % {
                "due": format_vnd(due)}, OrderErrorCode.REQUIRED)
        if (cash or 0) != due:
            raise _error("cash_collected", _(
                "Số tiền đã thu (%(got)s) khác số tiền phải thu của phần hàng này (%(due)s).") % {
                "got": format_vnd(cash or 0), "due": format_vnd(due)},
                OrderErrorCode.INVALID)
        now = timezone.now()
        locked.status = Fulfillment.Status.DELIVERED
        locked.delivered_at = now
        locked.cash_collected_amount = due if due else None
        locked.save(update_fields=["status", "delivered_at", "cash_collected_amount"])
        if due:
            _collect_cash(order, locked, amount=due, actor=actor, now=now)
        _part_event(order, locked, OrderEvent.Type.DELIVERED, actor, mail=True, cash_collected=due)
        settlement_book_delivery(fulfillment=locked, actor=actor, cash_collected=due)
        order_charge_status_refresh(order=order)
        order_status_refresh(order=order)
    return _sync(fulfillment, locked)


def _collect_cash(order: Order, part: Fulfillment, *, amount: int, actor, now) -> Payment:
    """The order's pending cash-on-delivery payment becomes this part's collection (the first one);
    later parts' collections are payments of their own."""
    payment = (Payment.objects.select_for_update().filter(order=order, status=Payment.Status.PENDING,
                                                          fulfillment__isnull=True).order_by("pk").first())
    if payment is None:
        payment = Payment(order=order, gateway=order.payment_gateway)
    payment.fulfillment = part
    payment.status = Payment.Status.CHARGED
    payment.amount = payment.captured_amount = amount
    payment.captured_at = now
    payment.captured_by = _user(actor)
    payment.note = f"#{part.composed_id}"
    payment.save()
    order.total_charged_amount += amount
    order.save(update_fields=["total_charged_amount", "updated_at"])
    _part_event(order, part, OrderEvent.Type.PAYMENT_CAPTURED, actor, amount=amount, gateway=payment.gateway)
    return payment


def _reason(reason) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise _error("reason", _("Vui lòng nêu lý do."), OrderErrorCode.REQUIRED)
    if len(reason) > MAX_REASON_LENGTH:
        raise _error("reason", _("Lý do quá dài."), OrderErrorCode.INVALID)
    return reason


def _after_part_closed(order: Order, part: Fulfillment, *, actor, reason: str) -> None:
    if not order.fulfillments.exclude(status__in=CLOSED).exists():
        _cancel_locked(order, actor=actor, reason=reason, event=OrderEvent.Type.CANCELED)
    else:
        order_totals_refresh(order=order)
        order_charge_status_refresh(order=order)
        order_status_refresh(order=order)


def fulfillment_refuse(*, fulfillment: Fulfillment, actor, reason: str) -> Fulfillment:
    """The shopper refused the parcel of a shipped part: its units return to the lots they left, the
    part closes owing nothing (a prepaid part becomes a refund due) and the order's totals follow."""
    require_cooperative_access(actor, fulfillment.cooperative_id)
    reason = _reason(reason)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        if locked.status != Fulfillment.Status.SHIPPED:
            raise _error("status", _("Chỉ ghi nhận khách từ chối nhận cho phần hàng đã gửi."),
                         OrderErrorCode.INVALID)
        increase_stock_for_refused_fulfillment(fulfillment=locked)
        locked.refused_at = timezone.now()
        locked.save(update_fields=["refused_at"])
        _part_event(order, locked, OrderEvent.Type.FULFILLMENT_REFUSED, actor, mail=True, reason=reason)
        _close_part(order, locked, status=Fulfillment.Status.REFUSED, reason=reason, actor=actor,
                    prepaid=_is_prepaid(order))
        _after_part_closed(order, locked, actor=actor, reason=reason)
    return _sync(fulfillment, locked)


def fulfillment_cancel(*, fulfillment: Fulfillment, actor, reason: str) -> Fulfillment:
    """A cooperative cannot supply its part: its stock returns to its lots; the rest of the order goes
    on, its totals without this part (a prepaid part becomes a refund due)."""
    require_cooperative_access(actor, fulfillment.cooperative_id)
    reason = _reason(reason)
    with transaction.atomic():
        order, locked = _lock(fulfillment)
        if locked.status not in ACTIVE:
            raise _error("status", _("Không thể hủy phần hàng đã gửi hoặc đã hủy."),
                         OrderErrorCode.CANNOT_CANCEL_FULFILLMENT)
        last_part = not order.fulfillments.exclude(pk=locked.pk).exclude(status__in=CLOSED).exists()
        if last_part and order.voucher_id is not None and order.checkout_token is not None:
            # The order goes with its last part: the voucher row is locked before the stock's.
            voucher_release(checkout_token=order.checkout_token)
        deallocate_stock_for_lines(order_lines=OrderLine.objects.filter(fulfillment=locked))
        _part_event(order, locked, OrderEvent.Type.FULFILLMENT_CANCELED, actor, mail=True, reason=reason)
        _close_part(order, locked, status=Fulfillment.Status.CANCELED, reason=reason, actor=actor,
                    prepaid=_is_prepaid(order))
        _after_part_closed(order, locked, actor=actor, reason=reason)
    return _sync(fulfillment, locked)


def _may_cancel(order: Order, actor) -> bool:
    if is_program_staff(actor):
        return True
    return bool(_user(actor) and order.user_id == actor.pk)


def _cancel_locked(order: Order, *, actor, reason: str, event: str) -> None:
    # The voucher's use is given back, its row locked before the stock's (completion locks checkout,
    # voucher, stock; cancellation order, voucher, stock). Cancelling one cooperative's part leaves
    # the order standing, and its use counted.
    if order.voucher_id is not None and order.checkout_token is not None:
        voucher_release(checkout_token=order.checkout_token)
    deallocate_stock(order=order)
    prepaid = _is_prepaid(order)
    open_ids = list(Fulfillment.objects.select_for_update().filter(order=order, status__in=ACTIVE)
                    .order_by("pk").values_list("pk", flat=True))
    for pk in open_ids:  # read each after the one before it closed: the shipping fee may have moved onto it
        _close_part(order, Fulfillment.objects.get(pk=pk), status=Fulfillment.Status.CANCELED, reason=reason,
                    actor=actor, prepaid=prepaid)
    Payment.objects.filter(order=order, status=Payment.Status.PENDING).update(status=Payment.Status.CANCELED)
    order.status = OrderStatus.CANCELED
    order.canceled_reason = reason
    order.payment_due_at = None
    order.save(update_fields=["status", "canceled_reason", "payment_due_at", "updated_at"])
    order_totals_refresh(order=order)
    order_charge_status_refresh(order=order)
    order_event_add(order=order, type=event, actor=actor, reason=reason)
    notifications.order_canceled(order)


def order_cancel(*, order: Order, actor, reason: str = "") -> Order:
    """The customer (own order) or program staff cancel before anything was packed or sent; stock
    returns to its lots; what a prepaid order paid becomes refunds due, one per cooperative's part."""
    if not _may_cancel(order, actor):
        raise PermissionDenied(_("Bạn không có quyền hủy đơn hàng này."))
    reason = " ".join(str(reason or "").split())[:MAX_REASON_LENGTH]
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.CANCELED:
            raise _error("order", _("Đơn hàng đã hủy."), OrderErrorCode.CANNOT_CANCEL_ORDER)
        if locked.fulfillments.filter(status__in=SENT + (Fulfillment.Status.PACKED,)).exists():
            raise _error("order", _("Không thể hủy: hàng đã được đóng gói hoặc gửi đi."),
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
        if locked.charge_status != ChargeStatus.NONE:
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
        locked.total_charged_amount = amount
        locked.payment_due_at = None
        update = ["total_charged_amount", "payment_due_at", "updated_at"]
        if locked.status == OrderStatus.UNCONFIRMED:
            locked.status = OrderStatus.UNFULFILLED
            update.append("status")
        locked.save(update_fields=update)
        order_charge_status_refresh(order=locked)
        order_event_add(order=locked, type=OrderEvent.Type.PAYMENT_CAPTURED, actor=actor, mail=True,
                        amount=amount, reference=reference, gateway=payment.gateway)
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
