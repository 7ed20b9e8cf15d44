"""SQL statements per shop page, pinned: a count that grows fails here.

Catalog pages are counted cold (the catalog version bumped first, as right after a catalog write)
and warm (their catalog reads served from the cache); every page on a second visit, so what a
process reads once (reference data) is not in the count whatever ran before. Lower a pin when a
change saves a statement; never raise one without a reason."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from storefront.core.models import Commune
from storefront.product.catalog_cache import bump_catalog_version
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PINS = {
    "home, cold": 12, "home, warm": 6,
    "category, cold": 12, "category, warm": 3,
    "search, cold": 8, "search, warm": 3,
    "product, cold": 10, "product, warm": 3,
    # The cart's totals read the running promotions: one statement each time they are computed.
    "cart (3 lines)": 9,
    "checkout address": 9,
    "checkout delivery": 19,
}


def _search_check(name: str) -> int:
    """On PostgreSQL a cold search asks once whether every word matches before it chooses word or
    typo matching (storefront/product/search.py): one statement more than the substring search."""
    from django.db import connection

    return 1 if name == "search, cold" and connection.vendor == "postgresql" else 0


def _statements(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _check(name, count):
    pinned = PINS[name] + _search_check(name)
    assert count == pinned, f"{name}: {count} statements, pinned at {pinned}"


@pytest.fixture
def catalog(coop, other_coop, channel, product):
    return [product] + [make_product(coop if i % 2 else other_coop, channel, name=f"Gạo thơm {i}", price=10_000 + i)
                        for i in range(30)]


@pytest.mark.parametrize("name, url, params", [
    ("home", "web:home", None),
    ("category", "web:category", {"per_page": 24}),
    ("search", "web:search", {"q": "gao thom"}),
    ("product", "web:product", None),
])
def test_catalog_pages(client, catalog, name, url, params):
    product = catalog[0]
    url = (reverse(url, args=[product.category.slug]) if name == "category" else
           reverse(url, args=[product.slug]) if name == "product" else reverse(url))
    _statements(client, url, params)  # first visit: the process's reference data
    bump_catalog_version()
    _check(f"{name}, cold", _statements(client, url, params))
    _check(f"{name}, warm", _statements(client, url, params))


def test_cart_and_checkout_pages(client, catalog, shipping_method):
    for product in catalog[:3]:
        response = client.post(reverse("web:cart_add"), {"variant": product.variants.get().pk, "quantity": 1})
        assert response.status_code == 302
    for _ in range(2):  # the second visit is counted
        cart = _statements(client, reverse("web:cart"))
        address = _statements(client, reverse("web:checkout"))
    _check("cart (3 lines)", cart)
    _check("checkout address", address)
    commune = Commune.objects.filter(province_id="92").order_by("code").first()
    response = client.post(reverse("web:checkout"), {
        "email": "an@example.com", "last_name": "Nguyễn Văn", "first_name": "An", "phone": "0912345678",
        "province": "92", "street_address_1": "12 Đường 30/4", "commune": commune.code})
    assert response.status_code == 302 and response["Location"] == reverse("web:checkout_delivery")
    for _ in range(2):
        delivery = _statements(client, reverse("web:checkout_delivery"))
    _check("checkout delivery", delivery)
