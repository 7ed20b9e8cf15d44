"""Buyers race for the last units of a variant held in harvest lots, while one lot's last day of sale
passes and the expiry task runs at the same moment, on PostgreSQL.

Only units of lots still sellable are sold, every other buyer gets INSUFFICIENT_STOCK, nobody
crashes or deadlocks, and each stock row still equals the sum of its lots and of its allocations.
"""
import multiprocessing
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum

from storefront.order.models import Order
from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import Allocation, OrderLineLot, Stock, StockLot
from storefront.warehouse.services import stock_lot_create
from tests.checkout.helpers import ready_checkout
from tests.concurrency import POSTGRESQL_ONLY
from tests.concurrency.test_race import _buyer

pytestmark = POSTGRESQL_ONLY


def _expirer(barrier, results) -> None:
    from storefront.warehouse.services import stock_lots_expire

    for conn in connections.all(initialized_only=True):
        conn.connection = None
    try:
        barrier.wait(timeout=60)
        results.put(("expirer", {"expired": stock_lots_expire()}))
    except Exception as exc:
        results.put(("expirer", {"crash": f"{type(exc).__name__}: {exc}"}))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stampede_while_a_lot_expires(channel, variant, program_staff, shipping_method):
    assert connection.vendor == "postgresql"
    Stock.objects.filter(product_variant=variant).update(quantity=0)
    today = sales_date()
    warehouse = variant.product.cooperative.warehouses.first()
    ending = stock_lot_create(actor=program_staff, variant=variant, warehouse=warehouse, quantity=6,
                              harvest_date=today - timedelta(days=3), best_before=today + timedelta(days=1))
    fresh = stock_lot_create(actor=program_staff, variant=variant, warehouse=warehouse, quantity=4,
                             harvest_date=today, best_before=today + timedelta(days=9))
    tokens = [ready_checkout(channel, [(variant, 1)], email=f"b{i}@example.com").pk for i in range(14)]
    # The carts were filled while 10 units were on sale; now the first lot's last day is over.
    StockLot.objects.filter(pk=ending.pk).update(sellable_until=today - timedelta(days=1))
    Stock.objects.filter(product_variant=variant).update(sellable_until=today - timedelta(days=1))

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(tokens) + 1)
    results = ctx.Queue()
    processes = [ctx.Process(target=_buyer, args=(token, barrier, results)) for token in tokens]
    processes.append(ctx.Process(target=_expirer, args=(barrier, results)))
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)

    assert not [o for o in outcomes.values() if "crash" in o], outcomes
    buyers = [outcomes[str(token)] for token in tokens]
    assert sum("order" in o for o in buyers) == 4
    assert all(o == {"codes": ["insufficient_stock"]} for o in buyers if "order" not in o), buyers
    assert Order.objects.count() == 4
    # whoever came first, the buyers or the task, expired the lot exactly once
    assert outcomes["expirer"]["expired"] in (0, 1)
    ending.refresh_from_db()
    fresh.refresh_from_db()
    assert (ending.quantity, ending.quantity_allocated, ending.quantity_expired) == (0, 0, 6)
    assert ending.expired_at is not None
    assert (fresh.quantity, fresh.quantity_allocated) == (4, 4)
    assert set(OrderLineLot.objects.values_list("lot_id", flat=True)) == {fresh.pk}
    stock = Stock.objects.get(product_variant=variant)
    lots = StockLot.objects.filter(stock=stock).aggregate(q=Sum("quantity"), a=Sum("quantity_allocated"))
    held = Allocation.objects.filter(stock=stock).aggregate(n=Sum("quantity_allocated"))["n"]
    assert (stock.quantity, stock.quantity_allocated) == (lots["q"], lots["a"]) == (4, 4)
    assert held == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_buyers_racing_for_marked_down_units_pay_exactly_for_the_lots_they_get(channel, variant, program_staff,
                                                                              shipping_method):
    """3 units 30 % off (their lot's last day is tomorrow), 20 at full price; 8 buyers of 2 race.
    Whoever's plan the locks contradict is refused; every order placed costs exactly its lots."""
    from storefront.product.models import ProductVariantChannelListing
    from storefront.warehouse.markdown import marked_down

    assert connection.vendor == "postgresql"
    ProductVariantChannelListing.objects.filter(variant=variant).update(price_amount=45_500)
    product = variant.product
    product.markdown_percent, product.markdown_days = 30, 2
    product.save()
    Stock.objects.filter(product_variant=variant).update(quantity=0)
    today = sales_date()
    warehouse = product.cooperative.warehouses.first()
    soon = stock_lot_create(actor=program_staff, variant=variant, warehouse=warehouse, quantity=3,
                            harvest_date=today, best_before=today + timedelta(days=1))
    stock_lot_create(actor=program_staff, variant=variant, warehouse=warehouse, quantity=20,
                     harvest_date=today, best_before=today + timedelta(days=9))
    tokens = [ready_checkout(channel, [(variant, 2)], email=f"m{i}@example.com").pk for i in range(8)]

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(tokens))
    results = ctx.Queue()
    processes = [ctx.Process(target=_buyer, args=(token, barrier, results)) for token in tokens]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)

    assert not [o for o in outcomes.values() if "crash" in o], outcomes
    assert all(o == {"codes": ["invalid"]} for o in outcomes.values() if "order" not in o), outcomes
    placed = [o["order"] for o in outcomes.values() if "order" in o]
    assert placed
    marked_total = 0
    for order in Order.objects.filter(pk__in=placed).prefetch_related("lines__lots__lot"):
        line = order.lines.get()
        expected = sum(row.quantity * (marked_down(45_500, 30) if row.lot_id == soon.pk else 45_500)
                       for row in line.lots.all())
        assert line.total_price_amount == expected == order.subtotal_amount
        marked_total += sum(row.quantity for row in line.lots.all() if row.lot_id == soon.pk)
    soon.refresh_from_db()
    assert soon.quantity_allocated == marked_total <= 3
