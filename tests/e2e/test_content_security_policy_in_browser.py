"""Under the Content-Security-Policy the pages' scripts still run (they are static files) and the browser reports
no violation: the product page's photo thumbnails and variant choice, htmx's suggestions and cart."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def product_with_photos_and_variants(product, coop, channel):
    from storefront.product.models import ProductVariant, ProductVariantChannelListing
    from storefront.warehouse.models import Stock
    from tests.catalog_sync.helpers import add_image

    add_image(product, color=(200, 170, 40))
    add_image(product, color=(40, 120, 200))
    product.variants.update(name="Túi 5 kg")
    second = ProductVariant.objects.create(product=product, sku="ST25-10KG", name="Túi 10 kg", weight_g=10_000)
    ProductVariantChannelListing.objects.create(variant=second, channel=channel, price_amount=380_000)
    Stock.objects.create(warehouse=coop.warehouses.first(), product_variant=second, quantity=5)
    return product


def test_pages_work_under_the_policy(new_page, product_with_photos_and_variants):
    product = product_with_photos_and_variants
    page = new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/")
    page.get_by_label("Tìm sản phẩm").fill("gao st25")
    expect(page.locator("#search-suggestions a", has_text="Gạo ST25")).to_be_visible()  # htmx suggestions
    page.goto(f"/san-pham/{product.slug}/")
    main = page.locator("#main-image")
    first_src = main.get_attribute("src")
    page.locator(".thumbs button").nth(1).click()
    expect(main).not_to_have_attribute("src", first_src)
    page.get_by_label("Loại").select_option(str(product.variants.get(sku="ST25-10KG").pk))
    expect(page).to_have_url(re.compile(r"variant=\d+"))
    expect(page.locator("#price")).to_contain_text("380.000")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("1")  # htmx cart
    assert violations == []
