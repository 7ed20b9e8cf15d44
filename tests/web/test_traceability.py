"""A lot's public page, reached from the QR code on the packing slip, and lot dates on the product page."""
import base64
import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from storefront.warehouse.lots import sales_date
from storefront.warehouse.services import stock_lot_create
from tests.checkout.helpers import ADDRESS, place_order

pytestmark = pytest.mark.django_db
TODAY = sales_date()


@pytest.fixture
def vietgap_lot(variant, coop_staff):
    return stock_lot_create(actor=coop_staff, variant=variant, warehouse=variant.product.cooperative.warehouses.get(),
                            quantity=8, code="VB-2611", harvest_date=TODAY - timedelta(days=1),
                            best_before=TODAY + timedelta(days=6), standard="vietgap", certificate="VG-0931")


def test_the_lot_page_tells_what_who_where_when_in_vietnamese_and_english(client, vietgap_lot, variant, coop, channel,
                                                                          shipping_method, customer):
    product = variant.product
    product.name_en = "Vinh Binh jasmine rice"
    product.save()
    order = place_order(channel, [(variant, 9)], actor=customer, email="khach@example.com")
    assert order.lines.get().lots.filter(lot=vietgap_lot).exists()
    url = reverse("web:lot", args=[vietgap_lot.public_id])
    page = client.get(url).content.decode()
    for text in (product.name, coop.name, coop.commune.name, coop.province.full_name, "VB-2611", "VietGAP", "VG-0931",
                 (TODAY - timedelta(days=1)).strftime("%d/%m/%Y"), (TODAY + timedelta(days=6)).strftime("%d/%m/%Y"),
                 "Hạn sử dụng", "Hợp tác xã"):
        assert text in page, text
    english = client.get(url, {"lang": "en"}).content.decode()
    for text in ("Vinh Binh jasmine rice", "Best before", "Cooperative", "Harvest or production date", coop.name):
        assert text in english, text
    # nothing about who bought from the lot
    for personal in ("khach@example.com", ADDRESS["last_name"], ADDRESS["phone"], ADDRESS["street_address_1"],
                     f"#{order.pk}", str(order.token)):
        assert personal not in page and personal not in english, personal


def test_an_unknown_lot_is_not_found(client):
    assert client.get(reverse("web:lot", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def _decoded_qr_codes(html: str) -> list[str]:
    payloads = []
    for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html):
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        payloads.extend(result.text for result in zxingcpp.read_barcodes(image))
    return payloads


def test_the_packing_slip_prints_each_lots_qr_code(client, settings, vietgap_lot, variant, coop, coop_staff, channel,
                                                   shipping_method):
    settings.SITE_URL = "https://htx-market.example.com"
    order = place_order(channel, [(variant, 10)])  # 8 from the dated lot, 2 from the older undated units
    fulfillment = order.fulfillments.get()
    client.force_login(coop_staff)
    response = client.get(reverse("dashboard:packing_slip", args=[coop.pk, fulfillment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"#{order.pk}" in html and ADDRESS["street_address_1"] in html and "VB-2611" in html
    line_lots = sorted(order.lines.get().lots.select_related("lot"), key=lambda row: row.lot.best_before is None)
    assert [row.quantity for row in line_lots] == [8, 2]
    assert _decoded_qr_codes(html) == [f"https://htx-market.example.com/truy-xuat/{row.lot.public_id}/"
                                       for row in line_lots]
    # the decoded address opens the lot's page
    assert client.get(f"/truy-xuat/{vietgap_lot.public_id}/").status_code == 200


def test_another_cooperative_cannot_print_the_slip(client, vietgap_lot, variant, coop, other_coop_staff, channel,
                                                   shipping_method):
    fulfillment = place_order(channel, [(variant, 1)]).fulfillments.get()
    client.force_login(other_coop_staff)
    assert client.get(reverse("dashboard:packing_slip", args=[coop.pk, fulfillment.pk])).status_code == 403


def test_the_product_page_shows_the_next_lots_dates_where_the_cooperative_chooses(client, vietgap_lot, product):
    url = reverse("web:product", args=[product.slug])
    best_before = (TODAY + timedelta(days=6)).strftime("%d/%m/%Y")
    assert best_before not in client.get(url).content.decode()
    product.show_lot_dates = True
    product.save()
    from storefront.product.catalog_cache import bump_catalog_version

    bump_catalog_version()
    page = client.get(url).content.decode()
    assert f"Hạn sử dụng: {best_before}" in page
    assert (TODAY - timedelta(days=1)).strftime("%d/%m/%Y") in page


def test_the_product_page_costs_the_same_queries_with_many_lots(client, product, variant, coop_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    product.show_lot_dates = True
    product.save()
    url = reverse("web:product", args=[product.slug])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)  # the catalog part is cached from here on, as for any shopper
    before = queries()
    warehouse = product.cooperative.warehouses.get()
    for i in range(40):
        stock_lot_create(actor=coop_staff, variant=variant, warehouse=warehouse, quantity=1,
                         harvest_date=TODAY, best_before=TODAY + timedelta(days=1 + i))
    assert queries() == before
    assert f"Hạn sử dụng: {(TODAY + timedelta(days=1)).strftime('%d/%m/%Y')}" in client.get(url).content.decode()
