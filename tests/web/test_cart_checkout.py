"""Cart and checkout pages drive the checkout services; errors show in place."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from storefront.account.models import ConsentRecord
from storefront.order.models import Order

pytestmark = pytest.mark.django_db


def _add(client, variant, quantity=1, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("web:cart_add"), {"variant": variant.pk, "quantity": quantity}, **headers)


def test_add_to_cart_updates_the_mini_cart(client, variant):
    response = _add(client, variant, 2, htmx=True)
    html = response.content.decode()
    assert "Đã thêm vào giỏ hàng" in html
    assert 'id="mini-cart"' in html and 'hx-swap-oob="true"' in html
    assert re.search(r'class="count"[^>]*>2<', html)
    cart = client.get(reverse("web:cart")).content.decode()
    assert "390.000 ₫" in cart


def test_adding_more_than_in_stock_shows_the_error_in_place(client, variant):
    response = _add(client, variant, 11, htmx=True)
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Đã thêm" not in html
    assert client.get(reverse("web:cart")).context["checkout"] is None


def test_change_and_remove_lines(client, variant):
    _add(client, variant, 1)
    line = client.get(reverse("web:cart")).context["checkout"].lines.get()
    response = client.post(reverse("web:cart_update"), {"line": line.pk, "quantity": 3}, HTTP_HX_REQUEST="true")
    assert "585.000 ₫" in response.content.decode()
    response = client.post(reverse("web:cart_update"), {"line": line.pk, "quantity": 50}, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in response.content.decode()
    response = client.post(reverse("web:cart_remove"), {"line": line.pk}, HTTP_HX_REQUEST="true")
    assert "Giỏ hàng đang trống" in response.content.decode()


def test_bad_quantity_is_an_error_not_a_crash(client, variant):
    response = client.post(reverse("web:cart_add"), {"variant": variant.pk, "quantity": "abc"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


ADDRESS = {
    "email": "an@example.com", "last_name": "Nguyễn Văn", "first_name": "An", "phone": "0912345678",
    "province": "92", "street_address_1": "12 Đường 30/4",
}


def _commune(code="92"):
    from storefront.core.models import Commune

    return Commune.objects.filter(province_id=code).order_by("code").first()


def _checkout_to_order(client, variant, gateway, shipping_method, **consents):
    _add(client, variant, 2)
    response = client.post(reverse("web:checkout"), {**ADDRESS, "commune": _commune().code})
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("web:checkout_delivery")
    page = client.get(reverse("web:checkout_delivery"))
    assert "Giao tiêu chuẩn" in page.content.decode()
    data = {"shipping_method": shipping_method.pk, "payment_gateway": gateway, "note": "Gọi trước khi giao",
            "consent_data": "on", "consent_share": "on", **consents}
    return client.post(reverse("web:checkout_delivery"), data)


def test_guest_checkout_with_vietqr_shows_qr_amount_and_transfer_note(client, variant, shipping_method,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _checkout_to_order(client, variant, "htx.payments.vietqr", shipping_method)
    assert response.status_code == 302
    order = Order.objects.get()
    assert response["Location"] == reverse("web:order_confirmation", args=[order.token])
    assert order.total_amount == 2 * 195_000 + 30_000
    html = client.get(response["Location"]).content.decode()
    assert "420.000 ₫" in html
    assert order.transfer_note in html
    # The bank by its name (the demo account's BIN 970446), and copy buttons for the account and the reference.
    assert "Co-op Bank (Ngân hàng Hợp tác xã Việt Nam)" in html and "970446" in html
    assert f'data-copy="{order.transfer_note}"' in html and 'aria-label="Sao chép số tài khoản"' in html
    assert reverse("web:order_qr", args=[order.token]) in html
    assert reverse("web:order", args=[order.token]) in html
    png = client.get(reverse("web:order_qr", args=[order.token]))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    status = client.get(reverse("web:order", args=[order.token])).content.decode()
    assert "Chờ xác nhận thanh toán" in status
    assert [m.to for m in mail.outbox] == [["an@example.com"]]
    purposes = set(ConsentRecord.objects.filter(email="an@example.com").values_list("purpose", "granted"))
    assert ("data_processing", True) in purposes and ("share_with_sellers", True) in purposes
    assert ("marketing", False) in purposes
    # the cart is empty after placing the order
    assert client.get(reverse("web:cart")).context["checkout"] is None


def test_checkout_without_consent_places_no_order(client, variant, shipping_method):
    _add(client, variant, 1)
    client.post(reverse("web:checkout"), {**ADDRESS, "commune": _commune().code})
    response = client.post(reverse("web:checkout_delivery"), {
        "shipping_method": shipping_method.pk, "payment_gateway": "htx.payments.cod"})
    assert response.status_code == 200
    assert "consent_data" in response.context["form"].errors
    assert not Order.objects.exists()


def test_invalid_phone_is_shown_on_the_phone_field(client, variant):
    _add(client, variant, 1)
    response = client.post(reverse("web:checkout"), {**ADDRESS, "phone": "12345", "commune": _commune().code})
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors


def test_commune_of_another_province_is_refused(client, variant):
    _add(client, variant, 1)
    response = client.post(reverse("web:checkout"), {**ADDRESS, "commune": _commune("01").code})
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors


def test_communes_fragment_lists_the_province_communes(client):
    html = client.get(reverse("web:communes"), {"province": "92"}).content.decode()
    assert html.count("<option") > 10
    assert _commune().name in html


def test_cash_on_delivery_order_has_no_qr(client, variant, shipping_method):
    response = _checkout_to_order(client, variant, "htx.payments.cod", shipping_method)
    order = Order.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert "VietQR" not in html
    assert client.get(reverse("web:order_qr", args=[order.token])).status_code == 404


def test_unknown_order_token_is_not_found(client):
    assert client.get(reverse("web:order", args=["6f1c1c1e-0000-4000-8000-000000000000"])).status_code == 404
