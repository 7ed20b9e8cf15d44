"""Who sees which orders: customers their own, a cooperative's staff the fulfilments of their
cooperative, program staff everything; anyone holding an order's token (the link in the mail)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Sum, Value, When

from storefront.core.permissions import (cooperative_ids_of, is_program_staff, require_cooperative_access)
from storefront.order.models import (ChargeStatus, Fulfillment, Order, OrderEvent, OrderGrantedRefund, OrderLine,
                                     OrderReturn, OrderReturnLine, OrderStatus)
from storefront.payment.gateways import VIETQR
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
               .exclude(status=Fulfillment.Status.CANCELED)
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


def order_payments(*, order: Order) -> QuerySet[Payment]:
    """The payments of an order the caller has already been allowed to see (`order_for_actor`)."""
    return Payment.objects.filter(order=order).order_by("pk")


def order_events(*, order: Order) -> QuerySet[OrderEvent]:
    """The history of an order the caller has already been allowed to see (`order_for_actor`)."""
    return OrderEvent.objects.filter(order=order).order_by("date", "pk")


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
