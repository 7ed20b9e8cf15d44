"""The data migration that turns each stock row into one lot, run on rows written before lots existed."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("warehouse", "0002_i12_stock_lots")]
AFTER = [("warehouse", "0003_i12_stock_rows_to_lots")]


@pytest.mark.django_db(transaction=True)
def test_each_stock_row_becomes_one_lot_without_losing_a_unit(latest_schema_after, channel, variant, combo,
                                                              shipping_method):
    from tests.checkout.helpers import place_order

    order = place_order(channel, [(variant, 3), (combo.variants.get(), 1)])
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Stock = apps.get_model("warehouse", "Stock")
    apps.get_model("warehouse", "OrderLineLot").objects.all().delete()
    apps.get_model("warehouse", "StockLot").objects.all().delete()
    # Rows as they were before lots: totals and allocations only.
    before = {s.pk: (s.quantity, s.quantity_allocated) for s in Stock.objects.all()}
    assert before and any(allocated for _, allocated in before.values())

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Stock = apps.get_model("warehouse", "Stock")
    StockLot = apps.get_model("warehouse", "StockLot")
    Allocation = apps.get_model("warehouse", "Allocation")
    OrderLineLot = apps.get_model("warehouse", "OrderLineLot")
    assert {s.pk: (s.quantity, s.quantity_allocated) for s in Stock.objects.all()} == before
    for stock in Stock.objects.select_related("warehouse"):
        (lot,) = StockLot.objects.filter(stock_id=stock.pk)
        assert (lot.quantity, lot.quantity_allocated, lot.quantity_received) == (
            stock.quantity, stock.quantity_allocated, stock.quantity)
        assert lot.cooperative_id == stock.warehouse.cooperative_id
        assert lot.best_before is None and lot.expired_at is None  # unknown dates: never expires by itself
    for allocation in Allocation.objects.all():
        row = OrderLineLot.objects.get(order_line_id=allocation.order_line_id, lot__stock_id=allocation.stock_id)
        assert row.quantity == row.quantity_allocated == allocation.quantity_allocated
    assert OrderLineLot.objects.filter(order_line__order_id=order.pk).count() == Allocation.objects.count()

    # The migrated lots serve the next order and give its units back like any other lot.
    from storefront.warehouse.models import StockLot as CurrentStockLot

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    place_order(channel, [(variant, 2)])
    assert CurrentStockLot.objects.get(stock__product_variant=variant).quantity_allocated == 5
