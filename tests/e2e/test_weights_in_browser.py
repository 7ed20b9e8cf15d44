"""Fresh produce sold by weight, in a real browser: a cooperative sets a product to be sold by weight,
records a harvest lot, a shopper sees the terms, and the cooperative enters what the goods weighed
when it ships them (a weight far off is refused first); the shopper's order page follows."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shop_in_browser import sign_in
from tests.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_cooperative_records_a_lot_and_enters_a_weight_when_shipping(new_page, coop, coop_staff, customer, channel,
                                                                     shipping_method, screenshot):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_privacy_consent)
    from storefront.warehouse.lots import sales_date
    from storefront.warehouse.models import Stock

    fish = make_product(coop, channel, name="Cá lóc đồng", price=120_000, stock=0)
    variant = fish.variants.get()
    page = new_page()
    sign_in(page, coop_staff.email)

    # The product form: sold by weight, about 1 kg a unit, ±10 %.
    page.goto(f"/dashboard/htx/{coop.pk}/san-pham/{fish.pk}/")
    page.get_by_label("Bán theo cân (giá tạm tính, cân thực tế khi giao)").check()
    page.get_by_label("Khối lượng danh nghĩa mỗi đơn vị (gam)").fill("1000")
    page.get_by_label("Sai số cân cho phép (± %)").fill("10")
    page.get_by_label("Cho khách xem ngày thu hoạch và hạn sử dụng của lô").check()
    page.locator("#h-info + form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu sản phẩm")

    # A harvest lot of 5 fish, best before in 3 days.
    page.get_by_role("link", name="Lô hàng (ngày thu hoạch, hạn sử dụng)").click()
    page.get_by_label("Ngày thu hoạch / sản xuất").fill(sales_date().isoformat())
    page.get_by_label("Hoặc số ngày sử dụng").fill("3")
    page.get_by_label("Số lượng").fill("5")
    page.get_by_role("button", name="Ghi lô").click()
    expect(page.locator("#h-lots + .table-wrap tbody")).to_contain_text("Đang bán")
    assert Stock.objects.get(product_variant=variant).quantity == 5

    shopper = new_page()
    shopper.goto(f"/san-pham/{fish.slug}/")
    expect(shopper.locator("#weighed-terms")).to_contain_text("khoảng 1 kg, giá tạm tính; cân thực tế ±10 %")
    # The cooperative chose to show its lots' dates: the shopper sees the best-before of the lot she gets.
    best_before = (sales_date() + timedelta(days=3)).strftime("%d/%m/%Y")
    expect(shopper.locator("#lot-dates")).to_contain_text(f"Hạn sử dụng: {best_before}")

    address = {"first_name": "An", "last_name": "Nguyễn", "street_address_1": "1 Hòa Bình",
               "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
    checkout = checkout_create(channel=channel, actor=customer, email=customer.email, lines=[(variant, 2)],
                               shipping_address=address, billing_address=address)
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    checkout_privacy_consent(checkout=checkout, granted=True)
    order = checkout_complete(checkout=checkout, actor=customer, payment_gateway="htx.payments.cod")
    shopper.goto(f"/don-hang/{order.token}/")
    expect(shopper.locator("#order-total")).to_have_text(f"{240_000 + order.shipping_price_amount:,} ₫".replace(",", "."))
    expect(shopper.locator(".weighed-note")).to_be_visible()

    page.goto(f"/dashboard/htx/{coop.pk}/don-hang/")
    part = page.locator(f"#f-{order.fulfillments.get().pk}")
    part.get_by_label("Mã vận đơn").fill("GHN-0002")
    weight = part.get_by_label("Khối lượng thực tế của Cá lóc đồng (gam)")
    weight.fill("3000")  # the wrong parcel on the scale: refused, nothing shipped
    part.get_by_role("button", name="Đã gửi hàng").click()
    expect(page.locator(".messages")).to_contain_text("quá xa khối lượng đặt 2 kg")
    part = page.locator(f"#f-{order.fulfillments.get().pk}")
    expect(part.locator(".status").first).to_have_text("Chờ chuẩn bị")
    part.get_by_label("Mã vận đơn").fill("GHN-0002")
    part.get_by_label("Khối lượng thực tế của Cá lóc đồng (gam)").fill("1850")
    part.get_by_role("button", name="Đã gửi hàng").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật")
    part = page.locator(f"#f-{order.fulfillments.get().pk}")
    expect(part.locator(".actual-weight")).to_contain_text("cân thực tế 1,85 kg (đặt 2 kg)")
    expect(part.locator(".part-subtotal")).to_have_text("222.000 ₫")
    expect(part.locator(".cod-amount")).to_have_text(f"{222_000 + order.shipping_price_amount:,} ₫".replace(",", "."))
    screenshot(page, "dashboard-ship-with-weight")

    shopper.reload()
    expect(shopper.locator(".actual-weight")).to_contain_text("Cân thực tế 1,85 kg (đặt khoảng 2 kg)")
    expect(shopper.locator("#order-cod-amount")).to_have_text(
        f"{222_000 + order.shipping_price_amount:,} ₫".replace(",", "."))
    screenshot(shopper, "order-status-weighed")
