"""Hooks called by the order services after a change people must hear about.

Each queues a Celery task once the transaction commits (a rolled-back order sends nothing).
The mail itself is built in `storefront.order.tasks`.
"""
from __future__ import annotations

from django.db import transaction


def order_placed(order) -> None:
    from storefront.order.tasks import send_order_confirmation

    order_pk = order.pk
    transaction.on_commit(lambda: send_order_confirmation.delay(order_pk))


def fulfillment_shipped(fulfillment) -> None:
    from storefront.order.tasks import send_fulfillment_shipped

    fulfillment_pk = fulfillment.pk
    transaction.on_commit(lambda: send_fulfillment_shipped.delay(fulfillment_pk))


def order_canceled(order) -> None:
    from storefront.order.tasks import send_order_canceled

    order_pk = order.pk
    transaction.on_commit(lambda: send_order_canceled.delay(order_pk))
