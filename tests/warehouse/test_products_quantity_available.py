"""Per-product availability in bulk: the same rules as variants_quantity_available, summed per product."""
import pytest

from storefront.product.models import Product, ProductVariant
from storefront.warehouse.models import Stock, Warehouse
from storefront.warehouse.selectors import (UNTRACKED_AVAILABLE, products_quantity_available,
                                            variants_quantity_available)
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_sums_stock_minus_allocated_over_warehouses_and_variants(coop, channel, product, variant):
    second = Warehouse.objects.create(cooperative=coop, name="Kho 2", slug="kho-2", province_id="92")
    Stock.objects.create(warehouse=second, product_variant=variant, quantity=7, quantity_allocated=2)
    other = ProductVariant.objects.create(product=product, sku="SKU-second-variant")
    Stock.objects.create(warehouse=second, product_variant=other, quantity=4, quantity_allocated=4)
    assert products_quantity_available(product_ids=[product.pk]) == {product.pk: 10 + 5 + 0}


def test_untracked_variant_counts_as_the_cap_and_a_product_without_stock_rows_as_zero(coop, channel, product,
                                                                                       variant):
    bare = make_product(coop, channel, name="Chưa nhập kho", price=10_000)
    Stock.objects.filter(product_variant__product=bare).delete()
    variant.track_inventory = False
    variant.save()
    assert products_quantity_available(product_ids=[product.pk, bare.pk]) == {
        product.pk: UNTRACKED_AVAILABLE, bare.pk: 0}


def test_combo_product_is_counted_by_its_components(combo):
    combo_variant = combo.variants.get()
    expected = variants_quantity_available(variant_ids=[combo_variant.pk])[combo_variant.pk]
    assert expected == 3
    assert products_quantity_available(product_ids=[combo.pk]) == {combo.pk: 3}
    combo_variant.combo_components.all().delete()  # a combo without components cannot be assembled
    assert products_quantity_available(product_ids=[combo.pk]) == {combo.pk: 0}


def test_agrees_with_the_variant_selector_in_a_fixed_number_of_queries(django_assert_max_num_queries, coop, channel,
                                                                       combo):
    products = [make_product(coop, channel, name=f"Sản phẩm {i}", price=10_000, stock=i) for i in range(6)]
    Stock.objects.filter(product_variant__product=products[1]).update(quantity_allocated=1)
    ids = [p.pk for p in products] + [combo.pk, 999_999]
    with django_assert_max_num_queries(1):
        plain = products_quantity_available(product_ids=[p.pk for p in products])
    with django_assert_max_num_queries(4):  # one read, then the combo selector's three
        result = products_quantity_available(product_ids=ids)
    by_variant = variants_quantity_available(variant_ids=ProductVariant.objects.filter(product_id__in=ids)
                                             .values_list("pk", flat=True))
    expected = {}
    for variant_id, product_id in ProductVariant.objects.filter(product_id__in=ids).values_list("pk", "product_id"):
        expected[product_id] = expected.get(product_id, 0) + by_variant[variant_id]
    assert result == expected and 999_999 not in result
    assert plain == {p.pk: expected[p.pk] for p in products}
    assert result[products[1].pk] == 0 and result[products[5].pk] == 5


def test_accepts_a_queryset_of_ids_as_a_subquery(django_assert_num_queries, coop, channel, product):
    other = make_product(coop, channel, name="Cà phê", price=90_000, stock=4)
    with django_assert_num_queries(1):
        result = products_quantity_available(
            product_ids=Product.objects.filter(pk__in=[product.pk, other.pk]).values("pk"))
    assert result == {product.pk: 10, other.pk: 4}
