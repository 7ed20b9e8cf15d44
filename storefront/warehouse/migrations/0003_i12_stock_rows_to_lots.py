"""Every existing stock row becomes one lot holding all its units, and every existing allocation
becomes that lot's allocation to the same order line, so that no unit is lost or double-counted.
The dates are unknown: such a lot never expires until its staff set a best-before date."""
from django.db import migrations


def stock_rows_to_lots(apps, schema_editor):
    Stock = apps.get_model("warehouse", "Stock")
    StockLot = apps.get_model("warehouse", "StockLot")
    Allocation = apps.get_model("warehouse", "Allocation")
    OrderLineLot = apps.get_model("warehouse", "OrderLineLot")
    lot_by_stock = {}
    for stock in Stock.objects.select_related("warehouse").order_by("pk").iterator():
        lot_by_stock[stock.pk] = StockLot.objects.create(
            stock_id=stock.pk, cooperative_id=stock.warehouse.cooperative_id, code=f"TON-{stock.pk}",
            quantity_received=stock.quantity, quantity=stock.quantity, quantity_allocated=stock.quantity_allocated,
            note="Tồn kho trước khi quản lý theo lô",
        ).pk
    OrderLineLot.objects.bulk_create(
        OrderLineLot(order_line_id=allocation.order_line_id, lot_id=lot_by_stock[allocation.stock_id],
                     quantity=allocation.quantity_allocated, quantity_allocated=allocation.quantity_allocated)
        for allocation in Allocation.objects.filter(quantity_allocated__gt=0).order_by("pk").iterator()
    )


def lots_to_stock_rows(apps, schema_editor):
    # The stock rows kept their totals: dropping the lots loses only what the lots added.
    apps.get_model("warehouse", "OrderLineLot").objects.all().delete()
    apps.get_model("warehouse", "StockLot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("warehouse", "0002_i12_stock_lots")]
    operations = [migrations.RunPython(stock_rows_to_lots, lots_to_stock_rows)]
