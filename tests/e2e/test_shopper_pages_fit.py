"""Every shopper page fits a 360–390 px phone (no sideways scrolling), the VietQR confirmation included, and on
a desktop the order totals stay inside their table; the VietQR box's copy buttons copy."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shop_in_browser import agree_and_order, fill_address_and_continue, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1;
  }).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide};
}"""


def assert_fits(page, where):
    for width in (360, 390):
        page.set_viewport_size({"width": width, "height": 800})
        result = page.evaluate(OVERFLOW)
        assert result["scroll"] <= width, f"{where} at {width} px: {result}"


@pytest.fixture
def shop(channel, coop, other_coop, product, combo, shipping_method):
    return {"product": product, "combo": combo, "coop": coop}


def test_every_shopper_page_fits_a_phone(new_page, shop, settings):
    page = new_page(viewport={"width": 390, "height": 800})
    product, combo = shop["product"], shop["combo"]
    for url in ("/", f"/danh-muc/{product.category.slug}/", "/tim-kiem/?q=gao", f"/san-pham/{product.slug}/",
                f"/san-pham/{combo.slug}/", "/hop-tac-xa/", f"/hop-tac-xa/{shop['coop'].slug}/",
                "/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/", "/tai-khoan/quen-mat-khau/", "/dieu-khoan/",
                "/bao-ve-du-lieu/", "/khong-co-trang-nay/"):
        page.goto(url)
        assert_fits(page, url)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/san-pham/{product.slug}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator("#mini-cart .count")).to_have_text("1")
    page.goto("/gio-hang/")
    assert_fits(page, "cart")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/thanh-toan/")
    assert_fits(page, "checkout address")
    page.set_viewport_size({"width": 390, "height": 800})
    fill_address_and_continue(page, email="khach@example.com")
    assert_fits(page, "checkout delivery")
    page.set_viewport_size({"width": 390, "height": 800})
    agree_and_order(page, "Chuyển khoản ngân hàng (VietQR)")
    expect(page.locator("h1")).to_contain_text("Cảm ơn bạn")
    page.wait_for_function("() => { const img = document.querySelector('#vietqr-image');"
                           " return img.complete && img.naturalWidth > 100; }", timeout=15_000)
    assert_fits(page, "VietQR confirmation")
    confirmation = page.url

    page.set_viewport_size({"width": 1280, "height": 900})
    overhang = page.evaluate("""() => [...document.querySelectorAll('table')].map(t => {
        const box = t.parentElement.getBoundingClientRect();
        return [...t.querySelectorAll('td, th')].filter(c => c.getBoundingClientRect().right > box.right + 1).length;
      })""")
    assert overhang and not any(overhang), f"cells past their table's box on the desktop: {overhang}"
    total, table = page.evaluate("""() => [document.querySelector('#order-total').getBoundingClientRect().right,
                                         document.querySelector('.table-wrap').getBoundingClientRect().right]""")
    assert total <= table + 1, f"the total ({total}) overhangs the order table ({table})"

    page.locator("#order-status-link").click()
    expect(page.locator("#order-status")).to_be_visible()
    assert_fits(page, "order status")
    assert re.search(r"/xac-nhan/$", confirmation)


def test_account_pages_fit_a_phone(new_page, shop, customer):
    page = new_page(viewport={"width": 390, "height": 800})
    sign_in(page, customer.email)
    for url in ("/tai-khoan/", "/tai-khoan/don-hang/", "/tai-khoan/dia-chi/"):
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(url)
        assert_fits(page, url)


def test_vietqr_copy_buttons_copy_the_account_and_the_reference(new_page, shop, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"/san-pham/{shop['product'].slug}/")
        page.get_by_role("button", name="Thêm vào giỏ").click()
        expect(page.locator("#mini-cart .count")).to_have_text("1")
        page.goto("/thanh-toan/")
        fill_address_and_continue(page, email="khach@example.com")
        agree_and_order(page, "Chuyển khoản ngân hàng (VietQR)")
        expect(page.locator("#transfer-bank")).to_contain_text("Co-op Bank")
        note = page.locator("#transfer-note").inner_text()
        page.get_by_role("button", name="Sao chép nội dung chuyển khoản").click()
        expect(page.locator(".copy-status")).to_have_text("Đã sao chép.")
        assert page.evaluate("navigator.clipboard.readText()") == note
        page.get_by_role("button", name="Sao chép số tài khoản").click()
        assert page.evaluate("navigator.clipboard.readText()") == page.locator("#transfer-account").inner_text()
    finally:
        context.close()
