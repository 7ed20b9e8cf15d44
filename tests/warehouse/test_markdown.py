"""Near-expiry markdown: exact VND per lot, on the product page, in the cart and in the order."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from storefront.checkout.complete import checkout_complete
from storefront.checkout.selectors import checkout_totals
from storefront.product.catalog_cache import bump_catalog_version
from storefront.product.models import ProductVariantChannelListing
from storefront.warehouse.lots import sales_date
from storefront.warehouse.markdown import marked_down
from storefront.warehouse.models import OrderLineLot, Stock
from storefront.warehouse.services import stock_lot_create
from tests.checkout.helpers import codes, place_order, ready_checkout

pytestmark = pytest.mark.django_db
TODAY = sales_date()


@pytest.fixture
def ruled(product, variant, coop_staff):
    """Rice at 45,500 ₫, 30 % off in a lot's last 2 days: 3 units end tomorrow, 4 in a week."""
    ProductVariantChannelListing.objects.filter(variant=variant).update(price_amount=45_500)
    product.markdown_percent, product.markdown_days = 30, 2
    product.save()
    Stock.objects.filter(product_variant=variant).update(quantity=0)
    warehouse = product.cooperative.warehouses.get()
    for code, quantity, days in (("SOON", 3, 1), ("LATER", 4, 7)):
        stock_lot_create(actor=coop_staff, variant=variant, warehouse=warehouse, quantity=quantity, code=code,
                         harvest_date=TODAY - timedelta(days=3), best_before=TODAY + timedelta(days=days))
    return variant


def test_marked_down_prices_are_whole_dong_rounded_half_up():
    assert marked_down(45_500, 30) == 31_850
    assert marked_down(10_001, 50) == 5_001  # 5,000.5 rounds up
    assert marked_down(9_999, 33) == 6_699  # 6,699.33 rounds down
    assert marked_down(18_000, 10) == 16_200


def test_the_order_charges_the_marked_down_units_of_the_lot_in_its_last_days(ruled, channel, shipping_method):
    checkout = ready_checkout(channel, [(ruled, 5)])
    totals = checkout_totals(checkout=checkout)
    assert totals.lines[0].total_price == 3 * 31_850 + 2 * 45_500 == 186_550
    order = checkout_complete(checkout=checkout)
    line = order.lines.get()
    assert (line.unit_price_amount, line.total_price_amount) == (45_500, 186_550)
    assert order.subtotal_amount == 186_550
    assert order.total_amount == 186_550 + order.shipping_price_amount
    assert order.fulfillments.get().subtotal_amount == 186_550
    assert {row.lot.code: row.quantity for row in OrderLineLot.objects.select_related("lot")} == {"SOON": 3, "LATER": 2}
    # the lot in its last days is gone: the next order pays full price
    assert place_order(channel, [(ruled, 2)]).lines.get().total_price_amount == 91_000


def test_no_markdown_outside_the_last_days_or_without_a_rule(ruled, product, channel, shipping_method):
    product.markdown_days = 1  # SOON ends tomorrow: not in its last day yet
    product.save()
    assert checkout_totals(checkout=ready_checkout(channel, [(ruled, 2)])).lines[0].total_price == 91_000
    product.markdown_percent = product.markdown_days = None
    product.save()
    assert place_order(channel, [(ruled, 3)]).lines.get().total_price_amount == 136_500


def test_an_order_placed_after_the_marked_units_went_elsewhere_is_refused(ruled, channel, shipping_method):
    waiting = ready_checkout(channel, [(ruled, 2)], email="cho@example.com")
    assert checkout_totals(checkout=waiting).lines[0].total_price == 63_700
    # Another buyer takes the marked-down units between the plan and the locks: simulated by holding
    # them exactly as an order does (the plan reads the free units, the placement takes lots FEFO).
    place_order(channel, [(ruled, 3)], email="nhanh@example.com")
    assert checkout_totals(checkout=waiting).lines[0].total_price == 91_000  # the cart shows the new price
    order = checkout_complete(checkout=waiting)
    assert order.lines.get().total_price_amount == 91_000


def test_the_product_page_shows_the_markdown_and_its_last_day(client, ruled, product):
    bump_catalog_version()
    page = client.get(reverse("web:product", args=[product.slug])).content.decode()
    assert "31.850" in page and "45.500" in page
    assert "Giảm 30% hàng cận hạn" in page
    assert (TODAY + timedelta(days=1)).strftime("%d/%m/%Y") in page
    english = client.get(reverse("web:product", args=[product.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "30% off near best-before" in english


def test_the_rule_needs_both_a_percent_and_days(product, coop_staff):
    from storefront.product.services import product_update

    with pytest.raises(ValidationError) as exc:
        product_update(actor=coop_staff, product=product, data={"markdown_percent": 30, "markdown_days": None})
    assert codes(exc.value) == {"markdown_days": ["required"]}
    with pytest.raises(ValidationError) as exc:
        product_update(actor=coop_staff, product=product, data={"markdown_percent": 95, "markdown_days": 2})
    assert codes(exc.value) == {"markdown_percent": ["invalid"]}
    product_update(actor=coop_staff, product=product, data={"markdown_percent": "30", "markdown_days": "2",
                                                            "show_lot_dates": True})
    product.refresh_from_db()
    assert (product.markdown_percent, product.markdown_days, product.show_lot_dates) == (30, 2, True)


def test_a_voucher_applies_on_top_of_the_markdown_and_never_below_zero(ruled, channel, shipping_method,
                                                                       program_staff):
    from storefront.checkout.services import checkout_add_promo_code
    from storefront.discount.services import voucher_create

    voucher_create(actor=program_staff, code="THEM10", discount_value=10)
    checkout = ready_checkout(channel, [(ruled, 5)])
    checkout_add_promo_code(checkout=checkout, promo_code="THEM10")
    order = checkout_complete(checkout=checkout)
    line = order.lines.get()
    # 10 % of what the line costs after the markdown (186,550): 18,655.
    assert (line.undiscounted_total_price_amount, line.discount_amount, line.total_price_amount) == (
        186_550, 18_655, 167_895)
    voucher_create(actor=program_staff, code="BIG", discount_value=10_000_000, discount_value_type="fixed")
    checkout = ready_checkout(channel, [(ruled, 1)])
    checkout_add_promo_code(checkout=checkout, promo_code="BIG")
    assert checkout_totals(checkout=checkout).lines[0].total_price == 0
