"""The issue's journeys in a real browser (headless Chromium) against a live server.

People sign in through the login form, as they would; pages are reached by clicking links and
buttons, with htmx doing its part (suggestions, cart, commune list).
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Matkhau!2026"  # tests/factories.make_user's


@pytest.fixture
def shop(channel, coop, other_coop, product, combo, shipping_method):
    """The rice of tests/conftest.py (10 in stock), a combo of two cooperatives, delivery everywhere."""
    return {"product": product, "combo": combo}


def sign_in(page, email, password=PASSWORD):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def fill_address_and_continue(page, email=None):
    if email is not None:
        page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Họ", exact=True).fill("Nguyễn Văn")
    page.get_by_label("Tên", exact=True).fill("An")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Tỉnh/thành phố").select_option("92")
    commune = page.get_by_label("Xã/phường/đặc khu")
    expect(commune.locator("option")).not_to_have_count(1)  # filled by htmx from the province
    commune.select_option(index=1)
    page.get_by_label("Số nhà, đường, thôn/ấp").fill("12 Đường 30/4")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/giao-hang/$"))


def agree_and_order(page, gateway_label):
    page.get_by_label(gateway_label).check()
    page.locator("#id_consent_data").check()
    page.locator("#id_consent_share").check()
    page.get_by_role("button", name="Đặt hàng").click()


def test_guest_searches_without_accents_buys_combo_and_product_with_vietqr(new_page, shop, screenshot):
    page = new_page()
    page.goto("/")
    screenshot(page, "home")
    search = page.get_by_label("Tìm sản phẩm")
    search.fill("gao st25")
    suggestion = page.locator("#search-suggestions a", has_text="Gạo ST25 Vĩnh Bình")
    expect(suggestion).to_be_visible()
    search.press("Enter")
    expect(page.locator("h1")).to_contain_text("gao st25")
    screenshot(page, "search")
    page.locator(".card a", has_text="Gạo ST25 Vĩnh Bình").click()
    expect(page.locator("#price")).to_contain_text("195.000 ₫")
    screenshot(page, "product")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("1")

    page.get_by_label("Tìm sản phẩm").fill("combo rau gao")
    page.get_by_label("Tìm sản phẩm").press("Enter")
    page.locator(".card a", has_text="Combo rau gạo").click()
    expect(page.locator(".combo-contents")).to_contain_text("Cải ngọt VietGAP")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("2")

    page.locator("#mini-cart").click()
    expect(page.locator("#cart-subtotal")).to_have_text("334.000 ₫")
    screenshot(page, "cart")
    page.get_by_role("link", name="Thanh toán").click()
    fill_address_and_continue(page, email="khach.vang.lai@example.com")
    screenshot(page, "checkout-delivery")
    agree_and_order(page, "Chuyển khoản ngân hàng (VietQR)")

    expect(page.locator("h1")).to_contain_text("Cảm ơn bạn")
    qr = page.locator("#vietqr-image")
    expect(qr).to_be_visible()
    # The QR is a PNG made on request: on a busy machine it may still be loading when the <img> shows.
    page.wait_for_function("() => { const img = document.querySelector('#vietqr-image');"
                           " return img.complete && img.naturalWidth > 100; }", timeout=15_000)
    expect(page.locator("#transfer-amount")).to_have_text("364.000 ₫")  # + 30.000 ₫ delivery (free from 500.000 ₫)
    expect(page.locator("#transfer-note")).to_have_text(re.compile(r"^HTX\d+$"))
    screenshot(page, "order-confirmation")
    page.locator("#order-status-link").click()
    expect(page.locator("#order-status")).to_have_text("Chờ xác nhận thanh toán")


def test_customer_registers_orders_and_sees_it_in_history(new_page, shop, screenshot):
    page = new_page()
    page.goto("/tai-khoan/dang-ky/")
    page.get_by_label("E-mail", exact=True).fill("hoa@example.com")
    page.get_by_label("Họ", exact=True).fill("Lê")
    page.get_by_label("Tên", exact=True).fill("Hoa")
    page.get_by_label("Mật khẩu").fill("Hoa-sen-2026")
    page.locator("#id_consent_data").check()
    screenshot(page, "register")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator("h1")).to_have_text("Tài khoản của tôi")

    page.goto(f"/san-pham/{shop['product'].slug}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("1")
    page.goto("/thanh-toan/")
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("hoa@example.com")
    fill_address_and_continue(page)
    agree_and_order(page, "Thanh toán khi nhận hàng (COD)")
    expect(page.locator("h1")).to_contain_text("Cảm ơn bạn")
    number = re.search(r"#(\d+)", page.locator("h1").inner_text()).group(1)

    page.goto("/tai-khoan/don-hang/")
    expect(page.locator("table.orders")).to_contain_text(f"#{number}")
    screenshot(page, "order-history")


def _png_file(tmp_path):
    path = tmp_path / "buoi.png"
    image = Image.new("RGB", (320, 240), (40, 140, 70))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_cooperative_adds_a_product_with_photo_and_others_cannot_open_it(new_page, shop, coop, coop_staff,
                                                                         other_coop_staff, screenshot, tmp_path):
    page = new_page()
    sign_in(page, coop_staff.email)
    page.goto("/dashboard/")
    expect(page.locator("h1")).to_have_text(coop.name)
    screenshot(page, "dashboard-overview")
    page.get_by_role("link", name="Sản phẩm", exact=True).click()
    page.get_by_role("link", name="Thêm sản phẩm").click()
    page.get_by_label("Tên sản phẩm").fill("Bưởi da xanh Vĩnh Bình")
    page.get_by_label("Danh mục").select_option(label="Gạo")
    page.get_by_label("Mã SKU").fill("BUOI-DX-01")
    page.get_by_label("Giá bán (₫)").fill("85000")
    page.get_by_label("Số lượng trong kho").fill("25")
    page.get_by_role("button", name="Tạo sản phẩm").click()
    expect(page.locator("h1")).to_have_text("Bưởi da xanh Vĩnh Bình")
    edit_url = page.url

    page.get_by_label("Ảnh sản phẩm").set_input_files(str(_png_file(tmp_path)))
    expect(page.locator("#upload-preview")).to_be_visible()
    page.get_by_label("Mô tả ảnh (cho người khiếm thị)").fill("Bưởi da xanh cắt đôi")
    page.get_by_role("button", name="Tải ảnh lên").click()
    expect(page.locator(".media-list img")).to_have_count(1)
    page.locator("#h-publish + p + form button").click()
    expect(page.locator(".messages")).to_contain_text("Đã đăng bán")
    screenshot(page, "dashboard-product")

    page.get_by_role("link", name="Xem trên cửa hàng").click()
    photo = page.get_by_role("img", name="Bưởi da xanh cắt đôi")
    expect(photo).to_be_visible()
    photo.element_handle().wait_for_element_state("stable")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle(), timeout=15_000)
    expect(page.locator("#price")).to_contain_text("85.000 ₫")

    intruder = new_page()
    sign_in(intruder, other_coop_staff.email)
    response = intruder.goto(edit_url)
    assert response.status == 403


def test_cooperative_ships_its_part_and_the_order_status_changes(new_page, shop, coop, other_coop, coop_staff,
                                                                  customer, channel, shipping_method, screenshot):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_privacy_consent)

    vegetables = make_product(other_coop, channel, name="Rau muống", price=15_000, stock=10)
    address = {"first_name": "An", "last_name": "Nguyễn", "street_address_1": "1 Hòa Bình",
               "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
    checkout = checkout_create(channel=channel, actor=customer, email=customer.email,
                               lines=[(shop["product"].variants.get(), 1), (vegetables.variants.get(), 2)],
                               shipping_address=address, billing_address=address)
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    checkout_privacy_consent(checkout=checkout, granted=True)
    order = checkout_complete(checkout=checkout, actor=customer, payment_gateway="htx.payments.cod")

    shopper = new_page()
    shopper.goto(f"/don-hang/{order.token}/")
    expect(shopper.locator("#order-status")).to_have_text("Chờ giao hàng")

    page = new_page()
    sign_in(page, coop_staff.email)
    page.goto(f"/dashboard/htx/{coop.pk}/don-hang/")
    part = page.locator(f"#f-{order.fulfillments.get(cooperative=coop).pk}")
    expect(part).to_contain_text("Gạo ST25 Vĩnh Bình")
    expect(part).not_to_contain_text("Rau muống")  # the other cooperative's part is not shown
    part.get_by_label("Mã vận đơn").fill("GHN-0001")
    part.get_by_role("button", name="Đã gửi hàng").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật")
    screenshot(page, "dashboard-orders")

    shopper.reload()
    expect(shopper.locator("#order-status")).to_have_text("Đã gửi một phần")  # sent, not yet delivered
    expect(shopper.locator(f'.fulfillment[data-cooperative="{coop.slug}"]')).to_contain_text("GHN-0001")
    screenshot(shopper, "order-status")

    # The parcel reached the shopper: the cooperative records the cash the carrier collected.
    part = page.locator(f"#f-{order.fulfillments.get(cooperative=coop).pk}")
    due = part.locator("[data-cash-due]").get_attribute("data-cash-due")
    part.get_by_label("Tiền mặt đã thu (đồng)").fill(due)
    part.get_by_role("button", name="Đã giao cho khách").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật")
    shopper.reload()
    expect(shopper.locator("#order-status")).to_have_text("Đã giao một phần")
    expect(shopper.locator("#charge-status")).to_have_text("Đã thanh toán một phần")
    expect(shopper.locator("#order-history")).to_contain_text("Giao hàng")
    screenshot(page, "dashboard-orders-delivered")
    screenshot(shopper, "order-status-delivered")


def test_language_switch(new_page, shop, screenshot):
    page = new_page()
    page.goto(f"/san-pham/{shop['product'].slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.locator("form.language button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()
    expect(page.locator("#price")).to_contain_text("195.000 ₫")
    screenshot(page, "product-en")
    page.get_by_label("Language").select_option("vi")
    page.locator("form.language button").click()
    expect(page.get_by_role("button", name="Thêm vào giỏ")).to_be_visible()


def test_phone_viewport_has_no_horizontal_scroll(new_page, shop, screenshot):
    page = new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(f"/san-pham/{shop['product'].slug}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("1")
    for name, url in (("home", "/"), ("search", "/tim-kiem/?q=gao"), ("category", "/danh-muc/gao/"),
                      ("product", f"/san-pham/{shop['combo'].slug}/"), ("cart", "/gio-hang/"),
                      ("checkout", "/thanh-toan/"), ("login", "/tai-khoan/dang-nhap/")):
        page.goto(url)
        overflow = page.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')].filter(el => {
                const box = el.getBoundingClientRect();
                return box.width > 0 && box.right > width + 1 && !el.closest('.table-wrap, .thumbs');
            }).map(el => el.tagName + '.' + el.className);
            return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
        }""")
        assert overflow["scroll"] <= overflow["width"], (name, overflow)
        assert not overflow["wide"], (name, overflow)
        screenshot(page, f"phone-{name}")


def test_demo_shop_and_demo_accounts(new_page, screenshot):
    """The demo data of `manage.py seed_demo` (without its pictures: drawing and thumbnailing them takes
    most of a minute; photos are covered by the cooperative test): its accounts sign in through the form."""
    from storefront.demo.seed import DEMO_PASSWORD, seed_demo

    logins = dict(seed_demo(with_images=False).logins)
    page = new_page()
    page.goto("/")
    expect(page.locator("#h-combos")).to_be_visible()
    screenshot(page, "demo-home")
    page.get_by_label("Tìm sản phẩm").fill("gao st25 vinh binh")
    page.get_by_label("Tìm sản phẩm").press("Enter")
    page.locator(".card a", has_text="Gạo ST25 Vĩnh Bình").first.click()
    expect(page.locator("#price")).to_contain_text("₫")
    screenshot(page, "demo-product")

    sign_in(page, logins["customer"], DEMO_PASSWORD)
    page.goto("/tai-khoan/")
    expect(page.locator("h1")).to_have_text("Tài khoản của tôi")

    staff_email = next(email for role, email in logins.items() if "Vĩnh Bình" in role)
    staff = new_page()
    sign_in(staff, staff_email, DEMO_PASSWORD)
    staff.goto("/dashboard/")
    expect(staff.locator("h1")).to_have_text("HTX Nông nghiệp Vĩnh Bình")
    staff.get_by_role("link", name="Sản phẩm", exact=True).click()
    expect(staff.locator("main table")).to_contain_text("Gạo ST25 Vĩnh Bình")

    program = new_page()
    sign_in(program, logins["program staff (admin)"], DEMO_PASSWORD)
    program.goto("/dashboard/program/hop-tac-xa/")
    expect(program.locator("main")).to_contain_text("HTX Nông nghiệp Vĩnh Bình")
    screenshot(program, "demo-program-cooperatives")
