"""The data migration giving orders placed before discounts their undiscounted figures: what they cost."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("order", "0002_granted_refunds")]
AFTER = [("order", "0003_order_discounts")]


@pytest.mark.django_db(transaction=True)
def test_orders_placed_before_discounts_were_not_discounted(latest_schema_after, channel, variant, shipping_method):
    from tests.checkout.helpers import place_order

    place_order(channel, [(variant, 3)])
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Order = apps.get_model("order", "Order")
    Order.objects.update(subtotal_amount=585_000, shipping_price_amount=0, total_amount=585_000)
    apps.get_model("order", "OrderLine").objects.update(total_price_amount=585_000)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    order = apps.get_model("order", "Order").objects.get()
    assert (order.undiscounted_subtotal_amount, order.undiscounted_shipping_price_amount, order.discount_amount) == (
        585_000, 0, 0)
    line = apps.get_model("order", "OrderLine").objects.get()
    assert (line.undiscounted_total_price_amount, line.discount_amount, line.program_discount_amount) == (585_000, 0, 0)
