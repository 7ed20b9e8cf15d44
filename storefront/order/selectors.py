"""Who sees which orders: customers their own, a cooperative's staff the fulfilments of their
cooperative, program staff everything; anyone holding an order's token (the link in the mail)."""
from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet

from storefront.core.permissions import (cooperative_ids_of, is_program_staff, require_cooperative_access)
from storefront.order.models import Fulfillment, Order, OrderLine


def _with_details(qs: QuerySet) -> QuerySet:
    return qs.select_related("shipping_address", "billing_address", "channel").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
        Prefetch("fulfillments", queryset=Fulfillment.objects.select_related("cooperative")),
    )


def orders_for_customer(*, actor) -> QuerySet:
    if actor is None or not actor.is_authenticated:
        return Order.objects.none()
    return _with_details(Order.objects.filter(user=actor)).order_by("-pk")


def orders_for_staff(*, actor) -> QuerySet:
    """Program staff: every order. Cooperative staff: orders with a fulfilment of theirs."""
    if is_program_staff(actor):
        return _with_details(Order.objects.all()).order_by("-pk")
    ids = cooperative_ids_of(actor)
    if not ids:
        return Order.objects.none()
    return _with_details(Order.objects.filter(fulfillments__cooperative_id__in=ids).distinct()).order_by("-pk")


def fulfillments_for_cooperative(*, actor, cooperative, status: str | None = None) -> QuerySet:
    require_cooperative_access(actor, cooperative.pk)
    qs = Fulfillment.objects.filter(cooperative=cooperative).select_related(
        "order", "order__shipping_address").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))).order_by("-order_id")
    if status:
        qs = qs.filter(status=status)
    return qs


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
