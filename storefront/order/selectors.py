"""Who sees which orders: customers their own, a cooperative's staff the fulfilments of their
cooperative, program staff everything; anyone holding an order's token (the link in the mail)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from storefront.core.money import format_vnd
from storefront.core.permissions import (cooperative_ids_of, is_program_staff, require_cooperative_access)
from storefront.order.models import (ChargeStatus, Fulfillment, Order, OrderEvent, OrderGrantedRefund, OrderLine,
                                     OrderReturn, OrderReturnLine, OrderStatus)
from storefront.payment.gateways import COD, VIETQR
from storefront.payment.models import Payment
from storefront.payment.vietqr import payload_for_order


def _with_details(qs: QuerySet) -> QuerySet:
    return qs.select_related("shipping_address", "billing_address", "channel").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
        Prefetch("fulfillments", queryset=Fulfillment.objects.select_related("cooperative")),
    )


def orders_for_customer(*, actor) -> QuerySet:
    if actor is None or not actor.is_authenticated:
        return Order.objects.none()
    return _with_details(Order.objects.filter(user=actor)).order_by("-pk")


def orders_for_staff(*, actor, status: str = "", awaiting_transfer: bool = False) -> QuerySet:
    """Program staff: every order. Cooperative staff: orders with a fulfilment of theirs. `status`
    narrows to one status; `awaiting_transfer` to bank-transfer orders still waiting for the money."""
    if is_program_staff(actor):
        qs = Order.objects.all()
    else:
        ids = cooperative_ids_of(actor)
        if not ids:
            return Order.objects.none()
        qs = Order.objects.filter(fulfillments__cooperative_id__in=ids).distinct()
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    if awaiting_transfer:
        qs = qs.filter(payment_gateway=VIETQR, charge_status=ChargeStatus.NONE).exclude(status=OrderStatus.CANCELED)
    return _with_details(qs).order_by("-pk")


def fulfillments_for_cooperative(*, actor, cooperative, status: str | None = None) -> QuerySet:
    """A cooperative's parts of orders, newest order first; `status` (one of Fulfillment.Status)
    narrows them, anything else is ignored."""
    require_cooperative_access(actor, cooperative.pk)
    qs = Fulfillment.objects.filter(cooperative=cooperative).select_related(
        "order", "order__shipping_address").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))).order_by("-order_id")
    if status in Fulfillment.Status.values:
        qs = qs.filter(status=status)
    return qs


def fulfillments_to_send(*, actor, cooperative) -> QuerySet:
    """A cooperative's parts still to pack or ship, the oldest first."""
    return fulfillments_for_cooperative(actor=actor, cooperative=cooperative).filter(
        status__in=(Fulfillment.Status.UNFULFILLED, Fulfillment.Status.PACKED)).order_by("created_at")


def cooperative_sales_since(*, actor, cooperative, since) -> int:
    """What a cooperative sold (VND, its parts' subtotals, cancelled parts left out) since `since`."""
    require_cooperative_access(actor, cooperative.pk)
    return int(Fulfillment.objects.filter(cooperative=cooperative, created_at__gte=since)
               .exclude(status__in=Fulfillment.CLOSED)
               .aggregate(total=Sum("subtotal_amount"))["total"] or 0)


def order_for_actor(*, actor, order_id=None, token=None) -> Order | None:
    """The order if `actor` may see it; by token anyone holding the link may."""
    qs = _with_details(Order.objects.all())
    if token is not None:
        try:
            return qs.filter(token=uuid.UUID(str(token))).first()
        except (TypeError, ValueError, AttributeError):
            return None
    try:
        order = qs.filter(pk=int(order_id)).first()
    except (TypeError, ValueError):
        return None
    if order is None:
        return None
    if is_program_staff(actor):
        return order
    if actor is not None and actor.is_authenticated:
        if order.user_id == actor.pk:
            return order
        if cooperative_ids_of(actor) & {f.cooperative_id for f in order.fulfillments.all()}:
            return order
    return None


def order_refunds(*, order: Order) -> QuerySet[OrderGrantedRefund]:
    """The refunds granted on an order the caller may see whole (its shopper, program staff)."""
    return OrderGrantedRefund.objects.filter(order=order).select_related("cooperative").order_by("pk")


def order_is_prepaid(order: Order) -> bool:
    """Paid as a whole before delivery (a VietQR transfer, or staff recorded the money)."""
    return Payment.objects.filter(order=order, status=Payment.Status.CHARGED, fulfillment__isnull=True).exists()


def fulfillment_cash_due(*, order: Order, fulfillment: Fulfillment) -> int:
    """Cash the carrier collects for this part on delivery (0 unless a cash-on-delivery order not paid
    as a whole, or once delivered): its goods and the shipping fee it carries."""
    if order.payment_gateway != COD or fulfillment.status in Fulfillment.CLOSED \
            or fulfillment.status == Fulfillment.Status.DELIVERED or order_is_prepaid(order):
        return 0
    return fulfillment.amount_due


def fulfillments_cash_due(fulfillments) -> dict[int, int]:
    """`fulfillment_cash_due` for many parts (each with its order loaded) in one query."""
    fulfillments = list(fulfillments)
    prepaid = set(Payment.objects.filter(order_id__in={f.order_id for f in fulfillments},
                                         status=Payment.Status.CHARGED, fulfillment__isnull=True)
                  .values_list("order_id", flat=True))
    return {f.pk: 0 if (f.order.payment_gateway != COD or f.order_id in prepaid or f.status in Fulfillment.CLOSED
                        or f.status == Fulfillment.Status.DELIVERED) else f.amount_due for f in fulfillments}


def order_cash_due(*, order: Order, fulfillments=None) -> int:
    """Cash still to collect on delivery for `order`: what its parts not yet delivered owe (0 for a
    prepaid or non-COD order). `fulfillments`: the order's parts, when the caller has them loaded."""
    parts = list(order.fulfillments.all() if fulfillments is None else fulfillments)
    for part in parts:
        part.order = order
    return sum(fulfillments_cash_due(parts).values())


def order_payments(*, order: Order) -> QuerySet[Payment]:
    """The payments of an order the caller has already been allowed to see (`order_for_actor`)."""
    return Payment.objects.filter(order=order).order_by("pk")


def order_events(*, order: Order) -> QuerySet[OrderEvent]:
    """The history of an order the caller has already been allowed to see (`order_for_actor`)."""
    return OrderEvent.objects.filter(order=order).order_by("date", "pk")


@dataclass(frozen=True)
class HistoryEntry:
    date: object
    type: str
    label: str
    who: str
    detail: str


# Order-wide events a cooperative's staff see on their part, without their figures.
_ORDER_WIDE_FOR_SELLERS = {OrderEvent.Type.PLACED, OrderEvent.Type.CONFIRMED, OrderEvent.Type.CANCELED,
                           OrderEvent.Type.EXPIRED}


def _who(event: OrderEvent, order: Order, cooperative_names: dict[int, str]) -> str:
    params = event.parameters or {}
    if event.user_id is None:
        return _("Hệ thống")
    if event.user_id == order.user_id:
        return _("Khách hàng")
    if is_program_staff(event.user):
        return _("Chương trình HTX Market")
    return cooperative_names.get(params.get("cooperative"), _("Nhân viên"))


def _detail(event: OrderEvent) -> str:
    params = event.parameters or {}
    bits = []
    for key, label in (("amount", _("Số tiền")), ("cash_collected", _("Tiền mặt đã thu"))):
        if params.get(key):
            bits.append(f"{label}: {format_vnd(int(params[key]))}")
    if params.get("tracking_number"):
        bits.append(_("Mã vận đơn: %(t)s") % {"t": params["tracking_number"]})
    if params.get("reference"):
        bits.append(_("Mã chứng từ: %(r)s") % {"r": params["reference"]})
    if params.get("reason"):
        bits.append(_("Lý do: %(r)s") % {"r": params["reason"]})
    return " · ".join(bits)


def order_history(*, order: Order, cooperative_ids: set[int] | None = None) -> list[HistoryEntry]:
    """Every change of an order the caller may see, oldest first, with who made it and when (mails
    sent are left out). `cooperative_ids` (a cooperative's staff, see `order_seller_scope`): only
    the events of their own parts, and the order's being placed, confirmed or cancelled without
    figures — never another cooperative's part."""
    events = list(OrderEvent.objects.filter(order=order).exclude(type=OrderEvent.Type.EMAIL_SENT)
                  .select_related("user").order_by("date", "pk"))
    names = dict(Fulfillment.objects.filter(order=order).values_list("cooperative_id", "cooperative__name"))
    rows = []
    for event in events:
        params = event.parameters or {}
        if cooperative_ids is not None:
            if params.get("cooperative") in cooperative_ids:
                detail = _detail(event)
            elif event.type in _ORDER_WIDE_FOR_SELLERS:
                detail = ""
            else:
                continue
        else:
            detail = _detail(event)
        label, who = str(event.get_type_display()), _who(event, order, names)
        part_of = names.get(params.get("cooperative"))
        if part_of and part_of != who and event.type not in _ORDER_WIDE_FOR_SELLERS:
            label = f"{label} — {part_of}"  # whose part, when someone else acted on it
        rows.append(HistoryEntry(date=event.date, type=event.type, label=label, who=who, detail=detail))
    return rows


def fulfillment_for_actor(*, actor, fulfillment_id) -> Fulfillment | None:
    try:
        fulfillment = Fulfillment.objects.select_related("order", "cooperative").filter(pk=int(fulfillment_id)).first()
    except (TypeError, ValueError):
        return None
    if fulfillment is None or not (is_program_staff(actor) or fulfillment.cooperative_id in cooperative_ids_of(actor)):
        return None
    return fulfillment


def order_seller_scope(*, actor, order) -> set[int] | None:
    """What part of `order` the actor sees: None for all of it (its customer, program staff, a
    holder of its link), else the ids of the cooperatives whose lines and subtotal they may see."""
    if actor is None or not actor.is_authenticated or order.user_id == actor.pk or is_program_staff(actor):
        return None
    return cooperative_ids_of(actor)


@dataclass(frozen=True)
class TransferInstructions:
    bank_bin: str
    account_no: str
    account_name: str
    amount: int
    note: str
    payload: str
    due_at: object


def transfer_instructions(*, order: Order) -> TransferInstructions | None:
    """What the buyer needs to pay `order` by bank transfer, or None if nothing is owed that way."""
    if order.payment_gateway != VIETQR or order.charge_status != ChargeStatus.NONE \
            or order.status == OrderStatus.CANCELED:
        return None
    return TransferInstructions(
        bank_bin=settings.VIETQR_BANK_BIN, account_no=settings.VIETQR_ACCOUNT_NO,
        account_name=settings.VIETQR_ACCOUNT_NAME, amount=int(order.total_amount), note=order.transfer_note,
        payload=payload_for_order(order), due_at=order.payment_due_at,
    )


# --- returns ------------------------------------------------------------------------------------------


def _returns_with_details(qs: QuerySet) -> QuerySet:
    return qs.select_related("order", "fulfillment", "cooperative", "granted_refund__paid_by",
                             "decided_by").prefetch_related(
        Prefetch("lines", queryset=OrderReturnLine.objects.select_related("order_line").order_by("pk")))


def returns_for_cooperative(*, actor, cooperative, status: str = "") -> QuerySet:
    """A cooperative's return requests, those waiting for its decision first, then the newest."""
    require_cooperative_access(actor, cooperative.pk)
    qs = OrderReturn.objects.filter(cooperative=cooperative)
    if status in OrderReturn.Status.values:
        qs = qs.filter(status=status)
    waiting = Case(When(status=OrderReturn.Status.REQUESTED, then=Value(0)), default=Value(1),
                   output_field=IntegerField())
    return _returns_with_details(qs).order_by(waiting, "-pk")


def returns_of_order(*, order) -> QuerySet:
    """The returns of an order the caller has already been allowed to see (its shopper)."""
    return _returns_with_details(OrderReturn.objects.filter(order=order)).order_by("pk")


def return_for_actor(*, actor, return_id):
    """A return its shopper, its cooperative's staff or program staff may see; else None."""
    try:
        order_return = _returns_with_details(OrderReturn.objects.all()).filter(pk=int(return_id)).first()
    except (TypeError, ValueError):
        return None
    if order_return is None or actor is None or not actor.is_authenticated:
        return None
    if (is_program_staff(actor) or order_return.order.user_id == actor.pk
            or order_return.cooperative_id in cooperative_ids_of(actor)):
        return order_return
    return None


def granted_refunds_of_order(*, order, cooperative_ids: set[int] | None = None) -> QuerySet:
    """An order's granted refunds (of those cooperatives' parts only, when given)."""
    qs = OrderGrantedRefund.objects.filter(order=order).prefetch_related("lines__order_line").order_by("pk")
    if cooperative_ids is not None:
        qs = qs.filter(cooperative_id__in=cooperative_ids)
    return qs
