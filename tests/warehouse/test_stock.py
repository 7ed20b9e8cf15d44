import pytest
from django.db import transaction

from storefront.order.models import OrderLine
from storefront.warehouse.management import (InsufficientStock, allocate_stock, deallocate_stock,
                                             decrease_stock_for_fulfillment)
from storefront.warehouse.models import Allocation, Stock, Warehouse
from storefront.warehouse.selectors import UNTRACKED_AVAILABLE, variant_quantity_available, variants_quantity_available
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_plain_variant_availability_is_quantity_minus_allocated(variant):
    Stock.objects.filter(product_variant=variant).update(quantity=10, quantity_allocated=4)
    assert variant_quantity_available(variant=variant) == 6


def test_combo_availability_is_min_of_floor(combo):
    combo_variant = combo.variants.get()
    # rice 10 / 2 per combo = 5, vegetables 3 / 1 = 3
    assert variant_quantity_available(variant=combo_variant) == 3
    veg = combo_variant.combo_components.get(quantity=1).component
    Stock.objects.filter(product_variant=veg).update(quantity=100)
    assert variant_quantity_available(variant=combo_variant) == 5  # now rice limits: floor(10 / 2)
    rice = combo_variant.combo_components.get(quantity=2).component
    Stock.objects.filter(product_variant=rice).update(quantity=11)
    assert variant_quantity_available(variant=combo_variant) == 5  # floor(11 / 2)


def test_batch_availability_in_three_queries(django_assert_max_num_queries, variant, combo):
    combo_variant = combo.variants.get()
    with django_assert_max_num_queries(3):
        result = variants_quantity_available(variant_ids=[variant.pk, combo_variant.pk, 999_999])
    assert result == {variant.pk: 10, combo_variant.pk: 3, 999_999: 0}


def test_untracked_variant_is_capped(variant):
    variant.track_inventory = False
    variant.save()
    assert variant_quantity_available(variant=variant) == UNTRACKED_AVAILABLE


def test_allocation_takes_from_the_fullest_warehouse_first(channel, coop, variant, shipping_method):
    first = coop.warehouses.get()
    second = Warehouse.objects.create(cooperative=coop, name="Kho 2", slug="kho-2", province_id="92")
    Stock.objects.create(warehouse=second, product_variant=variant, quantity=25)
    order = place_order(channel, [(variant, 27)])
    allocations = {a.stock.warehouse_id: a.quantity_allocated for a in Allocation.objects.select_related("stock")}
    assert allocations == {second.pk: 25, first.pk: 2}
    assert variant_quantity_available(variant=variant) == 35 - 27
    assert order.lines.get().quantity == 27


def test_combo_order_allocates_components_on_the_combo_line(channel, combo, shipping_method):
    combo_variant = combo.variants.get()
    order = place_order(channel, [(combo_variant, 2)])
    line = order.lines.get()
    assert line.is_combo
    held = {a.stock.product_variant_id: a.quantity_allocated for a in line.allocations.select_related("stock")}
    components = {c.component_id: c.quantity * 2 for c in combo_variant.combo_components.all()}
    assert held == components
    assert variant_quantity_available(variant=combo_variant) == 1


def test_allocate_raises_and_writes_nothing_when_short(channel, variant, shipping_method):
    order = place_order(channel, [(variant, 1)])
    line = OrderLine.objects.get(order=order)
    with pytest.raises(InsufficientStock) as exc, transaction.atomic():
        line.quantity = 50
        allocate_stock(order_lines=[line])
    assert exc.value.items[0].variant_id == variant.pk
    assert exc.value.items[0].available == 9
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 1


def test_deallocate_and_decrease(channel, variant, shipping_method):
    order = place_order(channel, [(variant, 3)])
    with transaction.atomic():
        decrease_stock_for_fulfillment(fulfillment=order.fulfillments.get())
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (7, 0)
    assert not Allocation.objects.exists()

    order2 = place_order(channel, [(variant, 2)])
    with transaction.atomic():
        deallocate_stock(order=order2)
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == (7, 0)


def test_stock_in_two_lines_of_one_order_is_checked_together(channel, coop, combo, shipping_method):
    combo_variant = combo.variants.get()
    veg = combo_variant.combo_components.get(quantity=1).component
    # 3 vegetables: 2 combos need 2, plus 2 loose ones = 4 > 3
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError) as exc:
        place_order(channel, [(combo_variant, 2), (veg, 2)])
    assert "insufficient_stock" in [e.code for errors in exc.value.error_dict.values() for e in errors]
    assert not Allocation.objects.exists()
    assert Stock.objects.get(product_variant=veg).quantity_allocated == 0
