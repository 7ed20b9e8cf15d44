"""A return in a real browser: the shopper asks to return a fresh line with a photo and a bank account,
the cooperative sees the photo, accepts, pays the refund by the VietQR shown and records it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from storefront.order.models import OrderGrantedRefund, OrderReturn
from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from tests.checkout.helpers import place_order
from tests.e2e.test_shop_in_browser import _png_file, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_shopper_returns_a_line_and_the_cooperative_refunds_it(new_page, coop, coop_staff, customer, product,
                                                             variant, channel, shipping_method, program_staff,
                                                             screenshot, tmp_path):
    product.perishable = True
    product.save()
    order = place_order(channel, [(variant, 3)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order_fulfill(order=order, lines={str(line.pk): line.quantity for line in order.lines.all()},
                  tracking_number="VN1", actor=coop_staff)
    fulfillment_deliver(fulfillment=order.fulfillments.get(), actor=coop_staff)
    line = order.lines.get()

    shopper = new_page()
    sign_in(shopper, customer.email)
    shopper.goto(f"/don-hang/{order.token}/")
    shopper.get_by_role("link", name="Yêu cầu trả hàng").click()
    shopper.locator(f"#id_line_{line.pk}").fill("1")
    shopper.get_by_label("Lý do trả hàng").fill("Rau bị dập khi nhận")
    shopper.get_by_label("Ảnh chụp tình trạng hàng").set_input_files(str(_png_file(tmp_path)))
    shopper.get_by_label("Chuyển khoản vào tài khoản của tôi").check()
    shopper.get_by_label("Ngân hàng").select_option("970418")
    shopper.get_by_label("Số tài khoản").fill("21410000123456")
    shopper.get_by_label("Chủ tài khoản").fill("Lê Văn Bình")
    shopper.get_by_role("button", name="Gửi yêu cầu trả hàng").click()
    order_return = OrderReturn.objects.get()
    row = shopper.locator(f"#return-{order_return.pk}")
    expect(row.locator(".status")).to_have_text("Chờ hợp tác xã xem xét")

    staff = new_page()
    sign_in(staff, coop_staff.email)
    staff.goto(f"/dashboard/htx/{coop.pk}/tra-hang/")
    card = staff.locator(f"#return-{order_return.pk}")
    expect(card).to_contain_text("Rau bị dập khi nhận")
    photo = card.locator("img.return-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0  # the private photo is served to its cooperative
    card.get_by_role("button", name="Chấp nhận trả hàng").click()
    card = staff.locator(f"#return-{order_return.pk}")
    expect(card.locator("h2 .status")).to_have_text("Đã chấp nhận")
    qr = card.locator("img.refund-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0
    expect(card.locator(".refund-account")).to_have_text("21410000123456")
    screenshot(staff, "return-refund-vietqr")
    card.get_by_label("Mã giao dịch chuyển khoản").fill("FT26337001")
    card.get_by_role("button", name="Đã hoàn tiền").click()
    expect(staff.locator(f"#return-{order_return.pk} .refund .status")).to_have_text("Đã hoàn tiền")
    refund = OrderGrantedRefund.objects.get()
    assert (refund.status, refund.reference, refund.amount) == ("success", "FT26337001", 195_000)

    shopper.reload()
    expect(shopper.locator(f"#return-{order_return.pk} .refund-status")).to_have_text("Đã hoàn tiền")
