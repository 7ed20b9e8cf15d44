"""NUL bytes and ids that are not ids: a translated error at the boundary (400), never a 500 or the database's
own words. PostgreSQL refuses NUL in text, so the sweep's real test is a run with DATABASE_URL set to it."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.prerequisites import missing_prerequisite

NUL = "a\x00b"
NUL_MESSAGE_VI = "Không được chứa ký tự NUL (mã 0)."
LEAKS = ("NUL (0x00)", "cannot contain NUL", "Traceback", "DataError")
PARAMS = ["q", "province", "status", "page", "variant", "next", "sort", "price_min", "price_max", "in_stock",
          "certification", "per_page", "cooperative", "category", "format"]


def _no_leak(response):
    body = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, (response.status_code, body[:300])
    assert not any(leak in body for leak in LEAKS), body[:300]


def test_search_with_nul_is_a_field_error(client, product):
    response = client.get(reverse("web:search"), {"q": NUL})
    assert response.status_code == 400
    assert NUL_MESSAGE_VI in response.content.decode()
    english = client.get(reverse("web:search"), {"q": NUL}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and "Null characters are not allowed." in english.content.decode()
    assert client.get(reverse("web:search_suggest"), {"q": NUL}).status_code == 400
    assert client.get(reverse("web:search"), {"q": "gao"}).status_code == 200


def test_communes_of_a_nul_province_are_400(client, product):
    response = client.get(reverse("web:communes"), {"province": NUL})
    assert response.status_code == 400 and "<option" in response.content.decode()
    assert "Phường Ninh Kiều" in client.get(reverse("web:communes"), {"province": "92"}).content.decode()


@pytest.mark.parametrize("raw", ["abc", "1.5", "\x00", "-1", "0", "²", "99999999999999999999", ""])
def test_cart_add_with_a_bad_variant_id_is_400(client, variant, raw):
    from storefront.checkout.models import CheckoutLine

    response = client.post(reverse("web:cart_add"), {"variant": raw, "quantity": "1"})
    assert response.status_code == 400
    assert "Không tìm thấy sản phẩm." in response.content.decode()
    htmx = client.post(reverse("web:cart_add"), {"variant": raw, "quantity": "1"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400 and 'role="alert"' in htmx.content.decode()
    assert not CheckoutLine.objects.exists()


@pytest.mark.parametrize("raw", ["abc", "1.5", "\x00", "99999999999999999999"])
def test_cart_lines_with_a_bad_line_id_are_not_found(client, variant, raw):
    client.post(reverse("web:cart_add"), {"variant": variant.pk, "quantity": "2"})
    assert client.post(reverse("web:cart_update"), {"line": raw, "quantity": "1"}).status_code == 404
    assert client.post(reverse("web:cart_remove"), {"line": raw}).status_code == 404
    from storefront.checkout.models import CheckoutLine

    assert CheckoutLine.objects.get().quantity == 2


def test_address_with_nul_is_a_field_error(client, customer):
    client.force_login(customer)
    data = {"last_name": "Nguyễn", "first_name": NUL, "phone": "0912345678", "province": "92",
            "commune": "31117", "street_address_1": "12 Đường 30/4"}
    response = client.post(reverse("web:address_book"), data)
    assert response.status_code == 200 and NUL_MESSAGE_VI in response.content.decode()
    response = client.post(reverse("web:address_book"), {**data, "first_name": "An", "province": NUL})
    assert response.status_code == 200
    assert response.context["form"].errors["province"]
    assert not customer.addresses.exists()


def test_pages_with_nul_everywhere(client, product, customer):
    """Every shop page with NUL in each parameter it might read, and each of its forms posted with NUL in every
    field."""
    pages = [reverse(n) for n in ("web:home", "web:search", "web:search_suggest", "web:communes", "web:cart",
                                  "web:cooperatives", "web:login", "web:register")]
    pages += [reverse("web:product", args=[product.slug]), reverse("web:category", args=[product.category.slug])]
    for user in (None, customer):
        browser = Client()
        if user:
            browser.force_login(user)
            pages = pages + [reverse(n) for n in ("web:account", "web:address_book", "web:order_history")]
        for url in pages:
            _no_leak(browser.get(url, {p: NUL for p in PARAMS}))
            page = browser.get(url)
            names = set(re.findall(r'name="([^"]+)"', page.content.decode())) - {"csrfmiddlewaretoken"}
            if page.status_code == 200 and names:
                _no_leak(browser.post(url, {name: NUL for name in names}))


def test_postgresql_refuses_nul(db):
    """Why the sweep above must run on PostgreSQL too: there a NUL that reaches a query is an error."""
    if connection.vendor != "postgresql":
        missing_prerequisite("NUL bytes fail only on PostgreSQL: set DATABASE_URL=postgres://…")
    from django.db import DataError, transaction

    from storefront.core.models import Province

    with pytest.raises((DataError, ValueError)), transaction.atomic():
        Province.objects.filter(code=NUL).exists()
