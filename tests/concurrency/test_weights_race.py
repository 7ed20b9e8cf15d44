"""Two cooperatives ship their parts of one prepaid order at the same moment, each entering what its
goods weighed, and each clicks twice: on PostgreSQL every part is weighed and priced once, the
order's totals are the sum of both changes, and each cooperative's refund due is granted once."""
import multiprocessing

import pytest
from django.db import connection, connections

from storefront.order.models import Fulfillment, Order, OrderGrantedRefund
from storefront.order.services import order_mark_as_paid
from storefront.payment.gateways import VIETQR
from tests.checkout.helpers import place_order
from tests.concurrency import POSTGRESQL_ONLY
from tests.factories import make_product

pytestmark = POSTGRESQL_ONLY


def _shipper(order_pk, user_pk, line_pk, grams, barrier, results, name) -> None:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from storefront.order.services import order_fulfill

    for conn in connections.all(initialized_only=True):
        conn.connection = None
    try:
        order = Order.objects.get(pk=order_pk)
        actor = get_user_model().objects.get(pk=user_pk)
        barrier.wait(timeout=60)
        try:
            order_fulfill(order=order, lines={line_pk: 2}, tracking_number=name, actor=actor,
                          weights={line_pk: grams})
            results.put((name, "shipped"))
        except ValidationError as exc:
            results.put((name, sorted(exc.message_dict)))
    except Exception as exc:
        results.put((name, f"crash {type(exc).__name__}: {exc}"))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parts_weighed_at_once(channel, coop, other_coop, coop_staff, other_coop_staff, program_staff,
                               shipping_method):
    assert connection.vendor == "postgresql"
    fish = make_product(coop, channel, name="Cá lóc đồng", price=120_000, sold_by_weight=True, nominal_weight_g=1000,
                        weight_tolerance_percent=10).variants.get()
    pork = make_product(other_coop, channel, name="Thịt heo", price=150_000, sold_by_weight=True,
                        nominal_weight_g=500, weight_tolerance_percent=10).variants.get()
    order = place_order(channel, [(fish, 2), (pork, 2)], gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order.refresh_from_db()
    placed_total = order.total_amount
    fish_line, pork_line = order.lines.get(variant=fish), order.lines.get(variant=pork)

    ctx = multiprocessing.get_context("fork")
    jobs = [(coop_staff, fish_line, 1800, "fish-1"), (coop_staff, fish_line, 1800, "fish-2"),
            (other_coop_staff, pork_line, 950, "pork-1"), (other_coop_staff, pork_line, 950, "pork-2")]
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    processes = [ctx.Process(target=_shipper, args=(order.pk, user.pk, str(line.pk), grams, barrier, results, name))
                 for user, line, grams, name in jobs]
    for process in processes:
        process.start()
    outcomes = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)

    assert not [o for o in outcomes.values() if isinstance(o, str) and o.startswith("crash")], outcomes
    for part in ("fish", "pork"):  # one click ships, the other finds the part already sent
        assert sorted(str(outcomes[f"{part}-{n}"]) for n in (1, 2)) == ["['status']", "shipped"], outcomes
    order.refresh_from_db()
    # Fish 240,000 → 216,000 (1.8 of 2 kg); pork 300,000 → 285,000 (0.95 of 1 kg).
    assert order.total_amount == placed_total - 24_000 - 15_000
    assert sorted(order.fulfillments.values_list("subtotal_amount", flat=True)) == [216_000, 285_000]
    assert set(order.fulfillments.values_list("status", flat=True)) == {Fulfillment.Status.SHIPPED}
    refunds = sorted(OrderGrantedRefund.objects.filter(order=order).values_list("cooperative_id", "amount"))
    assert refunds == sorted([(coop.pk, 24_000), (other_coop.pk, 15_000)])
