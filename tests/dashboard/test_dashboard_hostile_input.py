"""NUL bytes in the staff pages: a translated error, nothing written, never a 500 or the database's words."""
import re

from django.test import Client
from django.urls import reverse

from tests.web.test_hostile_input import NUL, NUL_MESSAGE_VI, PARAMS, _no_leak


def test_variant_table_with_nul_writes_nothing(client, coop_staff, coop, product, channel):
    client.force_login(coop_staff)
    variant = product.variants.get()
    warehouse = coop.warehouses.get()
    response = client.post(reverse("dashboard:variant_save", args=[coop.pk, variant.pk]),
                           {"name": NUL, "price": 199_000, f"stock-{warehouse.pk}": 42}, follow=True)
    assert NUL_MESSAGE_VI in response.content.decode()
    variant.refresh_from_db()
    assert variant.name != NUL and variant.stocks.get().quantity == 10
    assert variant.channel_listings.get(channel=channel).price_amount == 195_000


def test_staff_pages_with_nul_everywhere(coop_staff, program_staff, coop, product):
    variant = product.variants.get()
    pages = {
        coop_staff: ["dashboard:home", ("dashboard:products", coop.pk), ("dashboard:product_new", coop.pk),
                     ("dashboard:product_edit", coop.pk, product.pk), ("dashboard:orders", coop.pk),
                     ("dashboard:profile", coop.pk), ("dashboard:variant_save", coop.pk, variant.pk),
                     ("dashboard:variant_add", coop.pk, product.pk)],
        program_staff: ["dashboard:program_cooperatives", "dashboard:program_orders", "dashboard:program_combo",
                        "dashboard:program_collections", "dashboard:program_settlement"],
    }
    for user, names in pages.items():
        browser = Client()
        browser.force_login(user)
        for name in names:
            url = reverse(name) if isinstance(name, str) else reverse(name[0], args=name[1:])
            _no_leak(browser.get(url, {p: NUL for p in PARAMS}))
            page = browser.get(url)
            fields = set(re.findall(r'name="([^"]+)"', page.content.decode())) if page.status_code == 200 \
                else {"name", "price", "sku", "description"}
            _no_leak(browser.post(url, {f: NUL for f in fields - {"csrfmiddlewaretoken"}}))
