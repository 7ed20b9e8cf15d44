"""A shopper applies a voucher on the cart page, sees the discount, and places the order at the
discounted total (headless Chromium against a live server)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from storefront.order.models import Order
from tests.e2e.test_shop_in_browser import agree_and_order, fill_address_and_continue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_shopper_applies_a_voucher_and_pays_the_discounted_total(new_page, channel, coop, product, shipping_method,
                                                                 program_staff, screenshot):
    from storefront.discount.services import voucher_create

    voucher_create(actor=program_staff, code="TETNONGSAN", name="Tết nông sản −10 %", discount_value=10,
                   min_spent_amount=300_000)
    page = new_page()
    page.goto(f"/san-pham/{product.slug}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("1")
    page.locator("#mini-cart").click()

    # below the minimum spend: refused in place, with the reason
    page.get_by_label("Mã giảm giá").fill("tetnongsan")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("#promo-code-error")).to_contain_text("áp dụng cho đơn từ 300.000 ₫")
    page.get_by_label("Số lượng").fill("2")
    page.get_by_role("button", name="Cập nhật").click()
    expect(page.locator("#cart-subtotal")).to_have_text("390.000 ₫")

    page.get_by_label("Mã giảm giá").fill("tetnongsan")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("#applied-code")).to_have_text("TETNONGSAN")
    expect(page.locator("#cart-discount")).to_have_text("−39.000 ₫")
    expect(page.locator("#cart-subtotal")).to_have_text("351.000 ₫")
    screenshot(page, "cart-voucher")

    page.get_by_role("link", name="Thanh toán").click()
    fill_address_and_continue(page, email="khach.tet@example.com")
    expect(page.locator("#summary-discount")).to_have_text("−39.000 ₫")
    agree_and_order(page, "Thanh toán khi nhận hàng (COD)")
    expect(page.locator("h1")).to_contain_text("Cảm ơn bạn")
    expect(page.locator("#order-discount")).to_have_text("−39.000 ₫")
    expect(page.locator("#order-total")).to_have_text("381.000 ₫")  # 351.000 ₫ + 30.000 ₫ delivery
    screenshot(page, "order-voucher")
    number = re.search(r"#(\d+)", page.locator("h1").inner_text()).group(1)
    order = Order.objects.get(pk=number)
    assert (order.voucher_code, order.total_amount) == ("TETNONGSAN", 381_000)
