"""Hooks called by the order services after a change people must hear about.

Each queues a Celery task once the transaction commits (a rolled-back order sends nothing).
The mail itself is built in `storefront.order.tasks`.
"""
from __future__ import annotations

from django.db import transaction


def order_placed(order, *, fulfillment_ids=None) -> None:
    """`fulfillment_ids`: the order's fulfillments, when the caller has just created them."""
    from storefront.order.models import OrderStatus
    from storefront.order.tasks import send_order_confirmation

    order_pk = order.pk
    transaction.on_commit(lambda: send_order_confirmation.delay(order_pk))
    # A transfer order waits for its money: cooperatives hear of it when it is confirmed.
    if order.status != OrderStatus.UNCONFIRMED:
        order_confirmed(order, fulfillment_ids=fulfillment_ids)


def order_confirmed(order, *, fulfillment_ids=None) -> None:
    """Each cooperative gets a notice with its own part of the order, to start packing."""
    from storefront.order.tasks import send_cooperative_new_order

    if fulfillment_ids is None:
        fulfillment_ids = order.fulfillments.values_list("pk", flat=True)
    for fulfillment_pk in fulfillment_ids:
        transaction.on_commit(lambda pk=fulfillment_pk: send_cooperative_new_order.delay(pk))


def fulfillment_shipped(fulfillment) -> None:
    from storefront.order.tasks import send_fulfillment_shipped

    fulfillment_pk = fulfillment.pk
    transaction.on_commit(lambda: send_fulfillment_shipped.delay(fulfillment_pk))


def order_canceled(order) -> None:
    from storefront.order.tasks import send_order_canceled

    order_pk = order.pk
    transaction.on_commit(lambda: send_order_canceled.delay(order_pk))


def return_requested(order_return) -> None:
    """The cooperative hears of a new return request; the shopper gets an acknowledgement."""
    from storefront.order.tasks import send_cooperative_return_request, send_return_notice

    pk = order_return.pk
    transaction.on_commit(lambda: send_cooperative_return_request.delay(pk))
    transaction.on_commit(lambda: send_return_notice.delay(pk, "requested"))


def return_decided(order_return) -> None:
    from storefront.order.tasks import send_return_notice

    pk, kind = order_return.pk, order_return.status
    transaction.on_commit(lambda: send_return_notice.delay(pk, kind))


def return_refund_paid(order_return) -> None:
    from storefront.order.tasks import send_return_notice

    pk = order_return.pk
    transaction.on_commit(lambda: send_return_notice.delay(pk, "refund_paid"))


def order_event(event) -> None:
    """The shopper is told of this change (delivered, paid, a part cancelled or refused, a refund)
    in her language, once the transaction commits."""
    from storefront.order.tasks import send_order_event

    event_pk = event.pk
    transaction.on_commit(lambda: send_order_event.delay(event_pk))
