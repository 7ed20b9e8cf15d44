"""Shoppers' return requests race for the units of one delivered line, then the cooperative's staff
accept them at the same moment, on PostgreSQL: never more units asked back than were delivered,
each accepted unit restocked once, the stock row still the sum of its lots, the refunds exact."""
import multiprocessing

import pytest
from django.db import connection, connections
from django.db.models import Sum

from storefront.order.models import OrderGrantedRefund, OrderReturn
from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from storefront.warehouse.models import Stock, StockLot
from tests.checkout.helpers import place_order
from tests.concurrency import POSTGRESQL_ONLY

pytestmark = POSTGRESQL_ONLY


def _worker(job, barrier, results) -> None:
    from django.core.exceptions import ValidationError

    from storefront.account.models import User
    from storefront.order.models import Order
    from storefront.order.returns import return_accept, return_request_create

    for conn in connections.all(initialized_only=True):
        conn.connection = None
    kind, key, user_pk = job
    try:
        user = User.objects.get(pk=user_pk)
        if kind == "ask":
            order = Order.objects.get(pk=key)
            line = order.lines.get()
            barrier.wait(timeout=60)
            made = return_request_create(order=order, actor=user, lines={line: 2}, reason="Hỏng",
                                         refund_method="cash")
            results.put((kind, {"return": made.pk}))
        else:
            order_return = OrderReturn.objects.get(pk=key)
            barrier.wait(timeout=60)
            results.put((kind, {"accepted": return_accept(order_return=order_return, actor=user).amount}))
    except ValidationError as exc:
        results.put((kind, {"codes": sorted({e.code for errs in exc.error_dict.values() for e in errs})}))
    except Exception as exc:
        results.put((kind, {"crash": f"{type(exc).__name__}: {exc}"}))
    finally:
        connections.close_all()


def _race(jobs) -> list[dict]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(job, barrier, results)) for job in jobs]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=120)[1] for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return collected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_return_requests_and_acceptances_race(channel, variant, customer, coop_staff, program_staff,
                                              shipping_method):
    assert connection.vendor == "postgresql"
    order = place_order(channel, [(variant, 5)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order_fulfill(order=order, lines={str(line.pk): 5 for line in order.lines.all()}, tracking_number="VN1",
                  actor=coop_staff)
    fulfillment_deliver(fulfillment=order.fulfillments.get(), actor=coop_staff)
    stock = Stock.objects.get(product_variant=variant)
    before = stock.quantity

    asked = _race([("ask", order.pk, customer.pk)] * 8)
    assert not [r for r in asked if "crash" in r], asked
    assert sum("return" in r for r in asked) == 2  # 5 delivered, 2 × 2 asked back, 1 left
    assert all(r == {"codes": ["invalid_quantity"]} for r in asked if "return" not in r), asked

    accepted = _race([("accept", r["return"], coop_staff.pk) for r in asked if "return" in r])
    assert accepted == [{"accepted": 390_000}] * 2
    stock.refresh_from_db()
    assert stock.quantity == before + 4
    assert stock.quantity == StockLot.objects.filter(stock=stock).aggregate(n=Sum("quantity"))["n"]
    assert OrderGrantedRefund.objects.aggregate(n=Sum("amount"))["n"] == 4 * 195_000
