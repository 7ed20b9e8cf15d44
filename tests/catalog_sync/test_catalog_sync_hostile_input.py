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


def test_a_poison_inquiry_is_quarantined_and_the_rest_imported(client, product, trade_staff, coop_staff, source,
                                                              catalog, sandbox, categories):
    """Over real HTTP: three buyers write through the sandbox's inquiry form, one with a NUL in the name."""
    import requests

    from catalog_sync import services
    from catalog_sync.models import Inquiry, Listing, SyncCursor
    from catalog_sync.selectors import inquiries_for_actor
    from catalog_sync.sync import catalog_sync_run
    from tests.catalog_sync.helpers import make_export

    make_export(product, trade_staff)
    catalog_sync_run(source=source, catalog=catalog)
    detail_url = catalog.client.get_product(Listing.objects.get().remote_id).pc_detail_url
    for name in ("Anna Schmidt", "Bad\x00Actor\x07", "Kenji Sato"):
        response = requests.post(detail_url, data={
            "buyer_name": name, "company_name": "Foods Ltd", "country": "Germany", "email": "buyer@example.com",
            "quantity": "500", "quantity_unit": "Bag", "message": "Please quote FOB for 500 bags."},
            allow_redirects=False, timeout=10)
        assert response.status_code == 303, response.text[:300]

    assert services.inquiries_pull(catalog=catalog) == 3
    assert SyncCursor.objects.filter(name="inquiries").exists()
    assert services.inquiries_pull(catalog=catalog) == 0  # the cursor moved past all three
    poison = Inquiry.objects.get(quarantine=Inquiry.Quarantine.CONTROL_CHARACTERS)
    assert poison.buyer_name == "BadActor"
    assert "'Bad\\x00Actor\\x07'" in poison.quarantine_detail
    clean = Inquiry.objects.filter(quarantine="")
    assert sorted(clean.values_list("buyer_name", flat=True)) == ["Anna Schmidt", "Kenji Sato"]

    assert poison not in inquiries_for_actor(actor=coop_staff, source=source)  # held for trade staff
    assert set(inquiries_for_actor(actor=coop_staff, source=source)) == set(clean)
    client.force_login(trade_staff)
    page = client.get(reverse("catalog_sync:inquiry", args=[poison.pk])).content.decode()
    assert "Cách ly" in page and "Bad\\x00Actor" in page
    assert "Cách ly" in client.get(reverse("catalog_sync:inquiries")).content.decode()
    client.force_login(coop_staff)
    assert client.get(reverse("catalog_sync:inquiry", args=[poison.pk])).status_code in (403, 404)
