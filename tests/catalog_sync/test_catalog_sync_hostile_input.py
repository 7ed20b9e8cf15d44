"""NUL bytes in the trade console's filters and forms: a translated error (400), never a 500."""
import re

from django.test import Client
from django.urls import reverse

from tests.web.test_hostile_input import NUL, NUL_MESSAGE_VI, PARAMS, _no_leak


def test_candidate_and_inquiry_filters_with_nul_are_400(client, trade_staff, product):
    client.force_login(trade_staff)
    response = client.get(reverse("catalog_sync:candidates"), {"q": NUL})
    assert response.status_code == 400 and NUL_MESSAGE_VI in response.content.decode()
    assert client.get(reverse("catalog_sync:candidates"), {"cooperative": "abc"}).status_code == 400
    assert client.get(reverse("catalog_sync:candidates"), {"q": "gao"}).status_code == 200
    response = client.get(reverse("catalog_sync:inquiries"), {"status": NUL})
    assert response.status_code == 400 and NUL_MESSAGE_VI in response.content.decode()


def test_trade_pages_with_nul_everywhere(trade_staff, product):
    browser = Client()
    browser.force_login(trade_staff)
    for name in ("catalog_sync:dashboard", "catalog_sync:candidates", "catalog_sync:rates", "catalog_sync:inquiries",
                 "catalog_sync:inquiry_new", ("catalog_sync:profile", product.pk)):
        url = reverse(name) if isinstance(name, str) else reverse(name[0], args=name[1:])
        _no_leak(browser.get(url, {p: NUL for p in PARAMS}))
        fields = set(re.findall(r'name="([^"]+)"', browser.get(url).content.decode())) - {"csrfmiddlewaretoken"}
        _no_leak(browser.post(url, {f: NUL for f in fields}))
