"""Many processes race to buy the last units of a variant and of a combo, on PostgreSQL.

Exactly the available units are sold, every other buyer gets INSUFFICIENT_STOCK, no buyer crashes
and the stock counters equal the sum of the allocations (nothing oversold, nothing lost).
"""
import multiprocessing

import pytest
from django.db import connections
from django.db.models import Sum

from storefront.order.models import Order
from storefront.warehouse.models import Allocation, Stock
from tests.checkout.helpers import ready_checkout
from tests.concurrency import POSTGRESQL_ONLY

pytestmark = POSTGRESQL_ONLY



def _buyer(token, barrier, results) -> None:
    """A forked process: drops the parent's connection (without closing its socket) and opens its own."""
    from django.core.exceptions import ValidationError

    from storefront.checkout.models import Checkout
    from storefront.checkout.complete import checkout_complete

    for conn in connections.all(initialized_only=True):
        conn.connection = None
    try:
        checkout = Checkout.objects.get(pk=token)
        barrier.wait(timeout=60)
        order = checkout_complete(checkout=checkout)
        results.put((str(token), {"order": order.pk}))
    except ValidationError as exc:
        results.put((str(token), {"codes": sorted({e.code for errs in exc.error_dict.values() for e in errs})}))
    except Exception as exc:  # reported to the test, which fails on it
        results.put((str(token), {"crash": f"{type(exc).__name__}: {exc}"}))
    finally:
        connections.close_all()


def _race(tokens) -> list[dict]:
    """Complete each checkout in its own process, all released at the same instant; results in order."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(tokens))
    results = ctx.Queue()
    buyers = [ctx.Process(target=_buyer, args=(token, barrier, results)) for token in tokens]
    for buyer in buyers:
        buyer.start()
    collected = [results.get(timeout=120) for _ in buyers]
    for buyer in buyers:
        buyer.join(timeout=30)
    by_index = {}
    for token, outcome in collected:
        by_index.setdefault(token, []).append(outcome)
    return [by_index[str(token)].pop() for token in tokens]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_last_units_of_a_variant_and_a_combo(channel, variant, combo, shipping_method):
    Stock.objects.filter(product_variant=variant).update(quantity=5)
    combo_variant = combo.variants.get()  # 3 available: the vegetables (3 × 1) limit it
    variant_tokens = [ready_checkout(channel, [(variant, 1)], email=f"v{i}@example.com").pk for i in range(12)]
    combo_tokens = [ready_checkout(channel, [(combo_variant, 1)], email=f"c{i}@example.com").pk for i in range(8)]

    results = _race(variant_tokens + combo_tokens)

    assert not [r for r in results if "crash" in r], results
    variant_results, combo_results = results[:12], results[12:]
    assert sum("order" in r for r in variant_results) == 5
    assert sum("order" in r for r in combo_results) == 3
    assert all(r == {"codes": ["insufficient_stock"]} for r in results if "order" not in r), results
    assert Order.objects.count() == 8
    for stock in Stock.objects.all():
        held = Allocation.objects.filter(stock=stock).aggregate(n=Sum("quantity_allocated"))["n"] or 0
        assert stock.quantity_allocated == held
        assert stock.quantity_allocated <= stock.quantity
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 5
    veg = combo_variant.combo_components.get(quantity=1).component
    rice = combo_variant.combo_components.get(quantity=2).component
    assert Stock.objects.get(product_variant=veg).quantity_allocated == 3
    assert Stock.objects.get(product_variant=rice).quantity_allocated == 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_submit_yields_one_order(channel, variant, shipping_method):
    token = ready_checkout(channel, [(variant, 2)]).pk
    results = _race([token] * 6)
    assert not [r for r in results if "crash" in r], results
    # the winner places it; the others wait on the checkout's lock and then get the same order
    assert Order.objects.count() == 1
    assert results == [{"order": Order.objects.get().pk}] * 6
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2
