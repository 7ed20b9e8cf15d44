"""Staff mark the same cash-on-delivery part delivered at the same instant, on PostgreSQL.

Exactly one of them books the cash: one Payment of the part, one sale, fee and cash entry in the
ledger, the order's charged amount counted once; every other one is told the part is delivered
already. Meanwhile the shopper's other part is refused and its stock returns to its lots.
"""
import multiprocessing

import pytest
from django.db import connection, connections
from django.db.models import Sum

from storefront.order.models import ChargeStatus, Fulfillment, Order
from storefront.order.services import fulfillment_ship
from storefront.payment.models import Payment
from storefront.settlement.models import LedgerEntry
from storefront.warehouse.models import Stock, StockLot
from tests.checkout.helpers import place_order
from tests.concurrency import POSTGRESQL_ONLY
from tests.factories import make_coop_staff, make_product

pytestmark = POSTGRESQL_ONLY


def _staff(user_pk, fulfillment_pk, action, barrier, results) -> None:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from storefront.order.services import fulfillment_deliver, fulfillment_refuse

    for conn in connections.all(initialized_only=True):
        conn.connection = None
    key = f"{action}-{user_pk}"
    try:
        user = get_user_model().objects.get(pk=user_pk)
        part = Fulfillment.objects.get(pk=fulfillment_pk)
        barrier.wait(timeout=60)
        if action == "deliver":
            fulfillment_deliver(fulfillment=part, actor=user, cash_collected=part.amount_due)
        else:
            fulfillment_refuse(fulfillment=part, actor=user, reason="Khách không nhận")
        results.put((key, {"ok": True}))
    except ValidationError as exc:
        results.put((key, {"codes": sorted({e.code for errs in exc.error_dict.values() for e in errs})}))
    except Exception as exc:  # reported to the test, which fails on it
        results.put((key, {"crash": f"{type(exc).__name__}: {exc}"}))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_deliver_at_once_one_payment(channel, coop, other_coop, variant, customer, shipping_method):
    assert connection.vendor == "postgresql"
    staff = [make_coop_staff(coop, email=f"giaohang{i}@example.com") for i in range(4)]
    other_staff = make_coop_staff(other_coop, email="dalat2@example.com")
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    order = place_order(channel, [(variant, 2), (veg, 3)], actor=customer)
    mine = order.fulfillments.get(cooperative=coop)
    theirs = order.fulfillments.get(cooperative=other_coop)
    fulfillment_ship(fulfillment=mine, actor=staff[0], tracking_number="GHN1")
    fulfillment_ship(fulfillment=theirs, actor=other_staff, tracking_number="VTP1")
    jobs = [(user.pk, mine.pk, "deliver") for user in staff] + [(other_staff.pk, theirs.pk, "refuse")]

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    connections.close_all()
    processes = [ctx.Process(target=_staff, args=(*job, barrier, results)) for job in jobs]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)

    assert not [o for o in outcomes.values() if "crash" in o], outcomes
    delivered = [key for key, o in outcomes.items() if key.startswith("deliver") and o.get("ok")]
    assert len(delivered) == 1, outcomes
    assert all(o == {"codes": ["invalid"]} for key, o in outcomes.items()
               if key.startswith("deliver") and key not in delivered)
    assert outcomes[f"refuse-{other_staff.pk}"] == {"ok": True}
    assert Payment.objects.filter(order=order, status=Payment.Status.CHARGED).count() == 1
    assert Payment.objects.get(fulfillment=mine).amount == 420_000
    assert LedgerEntry.objects.filter(fulfillment=mine).count() == 3
    order = Order.objects.get(pk=order.pk)
    assert (order.total_charged_amount, order.total_amount, order.charge_status) == (420_000, 420_000,
                                                                                    ChargeStatus.FULL)
    for stock in Stock.objects.filter(product_variant__in=[variant, veg]):
        lots = StockLot.objects.filter(stock=stock).aggregate(q=Sum("quantity"))["q"] or 0
        assert stock.quantity == lots
    assert Stock.objects.get(product_variant=veg).quantity == 5
