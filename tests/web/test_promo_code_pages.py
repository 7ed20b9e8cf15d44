"""The voucher code on the cart page: apply, see the discount line, remove; refusals in place; the
order placed from the pages costs the discounted total."""
import pytest
from django.urls import reverse

from storefront.discount.services import voucher_create
from storefront.order.models import Order
from tests.web.test_cart_checkout import ADDRESS, _add, _commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher(program_staff):
    return voucher_create(actor=program_staff, code="GIAM10", name="Giảm 10 %", discount_value=10)


def test_apply_see_and_remove_a_code(client, variant, voucher):
    _add(client, variant, 2)
    response = client.post(reverse("web:cart_promo_add"), {"promo_code": "giam10"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="applied-code">GIAM10<' in html
    assert 'id="cart-discount">−39.000 ₫' in html and 'id="cart-subtotal">351.000 ₫' in html
    assert "<s class=\"muted\">390.000 ₫</s>" in html
    response = client.post(reverse("web:cart_promo_remove"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "cart-discount" not in html and 'id="cart-subtotal">390.000 ₫' in html


def test_an_unknown_code_is_refused_in_place(client, variant, voucher):
    _add(client, variant, 1)
    response = client.post(reverse("web:cart_promo_add"), {"promo_code": "SAI"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="promo-code-error" role="alert">Mã giảm giá SAI không tồn tại.' in html
    assert "applied-code" not in html


def test_the_order_from_the_pages_costs_the_discounted_total(client, variant, voucher, shipping_method):
    _add(client, variant, 2)
    client.post(reverse("web:cart_promo_add"), {"promo_code": "GIAM10"})
    client.post(reverse("web:checkout"), {**ADDRESS, "commune": _commune().code})
    page = client.get(reverse("web:checkout_delivery")).content.decode()
    assert 'id="summary-discount">−39.000 ₫' in page and "<dd class=\"num\">351.000 ₫</dd>" in page
    response = client.post(reverse("web:checkout_delivery"), {
        "shipping_method": shipping_method.pk, "payment_gateway": "htx.payments.cod", "note": "",
        "consent_data": "on", "consent_share": "on"})
    assert response.status_code == 302, response.context["form"].errors
    order = Order.objects.get()
    assert response["Location"] == reverse("web:order_confirmation", args=[order.token])
    assert (order.total_amount, order.voucher_code) == (351_000 + 30_000, "GIAM10")
    html = client.get(response["Location"]).content.decode()
    assert 'id="order-discount">−39.000 ₫' in html and 'id="order-total">381.000 ₫' in html
