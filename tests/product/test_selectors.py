import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront.product.listing import product_page
from storefront.product.selectors import (category_descendant_ids, product_search,
                                          products_filter, products_visible, variant_prices)
from storefront.product.services import product_channel_listing_update, product_update, variant_channel_listing_update
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_accent_free_search_finds_vietnamese_names(product, channel):
    found = list(product_search(channel=channel, query="gao st25"))
    assert found == [product]
    assert list(product_search(channel=channel, query="GẠO st25 vinh")) == [product]
    assert list(product_search(channel=channel, query="ca phe sua")) == []
    if connection.vendor != "postgresql":  # PostgreSQL takes `st99` for a typo of `st25` (tests/product/test_search.py)
        assert list(product_search(channel=channel, query="gao st99")) == []


def test_search_ranks_exact_accent_name_first(coop, channel, program_staff):
    plain = make_product(coop, channel, name="Bánh gao lut (không dấu)", price=40_000)
    exact = make_product(coop, channel, name="Gạo lứt đỏ", price=50_000)
    # Both fold to contain "gao lut"; the name containing the query as typed, accents included, is first.
    ranked = list(product_search(channel=channel, query="Gạo lứt"))
    assert ranked[0] == exact and plain in ranked


def test_search_text_is_refilled_by_the_service(product, channel, coop_staff):
    product_update(actor=coop_staff, product=product, data={"name": "Nếp cái hoa vàng", "standards": ["VietGAP"]})
    assert list(product_search(channel=channel, query="nep cai vietgap")) == [product]
    assert list(product_search(channel=channel, query="vinh binh nep")) == [product]  # cooperative name


def test_only_published_products_of_approved_cooperatives_are_visible(coop, other_coop, channel, coop_staff,
                                                                      program_staff):
    shown = make_product(coop, channel, name="Hiện", price=10_000)
    hidden = make_product(coop, channel, name="Ẩn", price=10_000, published=False)
    pending_coop = other_coop
    pending_coop.status = "suspended"
    pending_coop.save()
    suspended_product = make_product(pending_coop, channel, name="Của HTX tạm ngừng", price=10_000)

    public = set(products_visible(channel=channel))
    assert shown in public and hidden not in public and suspended_product not in public
    assert hidden in set(products_visible(channel=channel, actor=coop_staff))  # their own
    assert suspended_product not in set(products_visible(channel=channel, actor=coop_staff))
    assert {hidden, suspended_product} <= set(products_visible(channel=channel, actor=program_staff))
    assert product_page(slug=hidden.slug, channel=channel, actor=None) is None
    assert product_page(slug=shown.slug, channel=channel, actor=None).product == shown
    assert product_page(slug=hidden.slug, channel=channel, actor=coop_staff).product == hidden


def test_filters_price_category_province_stock_and_sort(coop, other_coop, channel):
    from storefront.product.models import Category

    root = Category.objects.create(name="Rau củ", slug="rau-cu-test")
    leaf = Category.objects.create(name="Rau ăn lá", slug="rau-an-la-test", parent=root)
    cheap = make_product(coop, channel, name="Cải ngọt", price=18_000, category=leaf, stock=0)
    dear = make_product(other_coop, channel, name="Atiso", price=120_000, category=root, origin_province_id="68")
    assert set(products_filter(channel=channel, category=root)) == {cheap, dear}
    assert list(products_filter(channel=channel, category=leaf)) == [cheap]
    assert set(category_descendant_ids(root)) == {root.pk, leaf.pk}
    assert list(products_filter(channel=channel, price_min=100_000)) == [dear]
    assert list(products_filter(channel=channel, category=root, price_max=20_000)) == [cheap]
    assert list(products_filter(channel=channel, province="68")) == [dear]
    assert list(products_filter(channel=channel, category=root, in_stock=True)) == [dear]
    assert list(products_filter(channel=channel, category=root, in_stock=False)) == [cheap]
    assert list(products_filter(channel=channel, category=root, sort="-price")) == [dear, cheap]
    assert list(products_filter(channel=channel, category=root, sort="price")) == [cheap, dear]
    assert list(products_filter(channel=channel, cooperative=other_coop)) == [dear]


def test_combo_in_stock_follows_its_components(combo, channel):
    from storefront.warehouse.models import Stock

    assert combo in set(products_filter(channel=channel, in_stock=True))
    veg = combo.variants.get().combo_components.get(quantity=1).component
    Stock.objects.filter(product_variant=veg).update(quantity=0)
    assert combo in set(products_filter(channel=channel, in_stock=False))


def test_standards_filter_uses_the_standard_attribute(product, coop, channel, coop_staff):
    other = make_product(coop, channel, name="Xoài", price=35_000)
    product_update(actor=coop_staff, product=product, data={"standards": ["VietGAP", "OCOP 4 sao"]})
    product_update(actor=coop_staff, product=other, data={"standards": ["GlobalGAP"]})
    assert list(products_filter(channel=channel, standards=["VietGAP"])) == [product]
    assert set(products_filter(channel=channel, standards=["vietgap", "globalg.a.p."])) == {product, other}
    assert list(products_filter(channel=channel, ocop_stars_min=4)) == [product]


def test_price_filter_follows_variant_price_changes(product, channel, coop_staff):
    variant = product.variants.get()
    variant_channel_listing_update(actor=coop_staff, variant=variant, channel=channel, price=250_000)
    assert list(products_filter(channel=channel, price_min=200_000)) == [product]
    assert variant_prices(variant_ids=[variant.pk], channel=channel)[variant.pk].price == 250_000


def test_listing_query_count_does_not_grow_with_rows(coop, channel):
    def run():
        with CaptureQueriesContext(connection) as ctx:
            for p in products_filter(channel=channel, query="rau"):
                _ = (p.cooperative.name, p.category.name, [m.pk for m in p.media.all()],
                     [list(v.channel_listings.all()) for v in p.variants.all()], p.price_amount)
        return len(ctx.captured_queries)

    make_product(coop, channel, name="Rau một", price=1_000)
    few = run()
    for i in range(6):
        make_product(coop, channel, name=f"Rau số {i}", price=1_000 + i)
    assert run() == few


def test_unpublishing_hides_the_product(product, channel, coop_staff):
    product_channel_listing_update(actor=coop_staff, product=product, channel=channel, is_published=False)
    assert product not in set(products_visible(channel=channel))


