"""Rates, quotes, inquiries and who may do what."""
from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError

from catalog_sync import services
from catalog_sync.models import ExchangeRate, Inquiry, Listing
from catalog_sync.selectors import inquiries_for_actor
from catalog_sync.sync import catalog_sync_run
from tests.catalog_sync.helpers import make_export
from tests.catalog_sync.test_catalog_sync_mapping import FEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate_feed():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/Usercontrols/TVPortal.TyGia/pXML.aspx"
    server.shutdown()


def test_rate_fetched_from_configured_url_and_manual_rate_wins(rate_feed, settings, trade_staff, source):
    settings.CATALOG_SYNC_RATE_URL = rate_feed
    from catalog_sync.tasks import fetch_exchange_rate_task

    assert fetch_exchange_rate_task.delay().get() == "2026-06-13 26122.00"
    rate = ExchangeRate.objects.get()
    assert rate.source == "vietcombank"
    services.exchange_rate_set(actor=trade_staff, source=source, on_date=date(2026, 6, 13), vnd_per_usd="26,300")
    assert services.exchange_rate_fetch().vnd_per_unit == Decimal("26300.00")  # staff's rate is kept
    with pytest.raises(ValidationError):
        services.exchange_rate_set(actor=trade_staff, source=source, on_date=date(2026, 6, 14), vnd_per_usd="abc")


def test_quote_keeps_its_rate_and_date_and_needs_confirmation(product, trade_staff, source):
    profile = services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    with pytest.raises(ValidationError) as err:
        services.price_tiers_suggest(actor=trade_staff, source=source, profile=profile,
                                     tiers=[(100, Decimal("10"))], on_date=date(2026, 6, 13))
    assert err.value.error_dict["exchange_rate"][0].code == "no_exchange_rate"
    services.exchange_rate_set(actor=trade_staff, source=source, on_date=date(2026, 6, 10), vnd_per_usd="26300")
    tiers = services.price_tiers_suggest(actor=trade_staff, source=source, profile=profile,
                                         tiers=[(100, Decimal("10")), (500, Decimal("0"))], on_date=date(2026, 6, 13))
    assert [(t.min_quantity, t.price_usd) for t in tiers] == [(100, Decimal("8.16")), (500, Decimal("7.41"))]
    assert {(t.rate_vnd_per_usd, t.rate_date, t.base_price_vnd) for t in tiers} == {
        (Decimal("26300.00"), date(2026, 6, 10), 195_000)}
    profile.refresh_from_db()
    assert not profile.prices_confirmed
    services.price_tiers_confirm(actor=trade_staff, source=source, profile=profile)
    profile.refresh_from_db()
    assert profile.prices_confirmed


def test_only_trade_staff_enrich_publish_and_set_rates(product, coop_staff, customer, source):
    for actor in (coop_staff, customer):
        with pytest.raises(PermissionDenied):
            services.export_profile_get_or_create(actor=actor, source=source, product_id=product.pk)
        with pytest.raises(PermissionDenied):
            services.export_profiles_select(actor=actor, source=source, product_ids=[product.pk], selected=True)
        with pytest.raises(PermissionDenied):
            services.exchange_rate_set(actor=actor, source=source, on_date=date(2026, 1, 1), vnd_per_usd="26000")
        with pytest.raises(PermissionDenied):
            services.sync_request(actor=actor, source=source)


def test_bad_enrichment_input_is_refused_without_partial_write(product, trade_staff, source):
    profile = services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    with pytest.raises(ValidationError) as err:
        services.export_profile_update(actor=trade_staff, source=source, profile=profile, data={
            "title_en": "New title", "moq": "-3", "moq_unit": "sack",
            "tiers": [{"min_quantity": 100, "price_usd": "1.005"}]})
    assert set(err.value.error_dict) == {"moq", "moq_unit", "price_tiers"}
    profile.refresh_from_db()
    assert profile.title_en != "New title"


def test_inquiry_round_trip_and_cooperative_scoping(product, other_coop, trade_staff, coop_staff, other_coop_staff,
                                                    source, catalog, sandbox, categories):
    make_export(product, trade_staff)
    catalog_sync_run(source=source, catalog=catalog)
    listing = Listing.objects.get()
    detail_url = catalog.client.get_product(listing.remote_id).pc_detail_url
    response = requests.post(detail_url, data={
        "buyer_name": "Anna Schmidt", "company_name": "Hamburg Foods GmbH", "country": "Germany",
        "email": "anna@example.com", "quantity": "2000", "quantity_unit": "Bag",
        "message": "Please quote FOB Ho Chi Minh City for 2000 bags, monthly."}, allow_redirects=False, timeout=10)
    assert response.status_code == 303, response.text[:500]
    assert services.inquiries_pull(catalog=catalog) == 1
    assert services.inquiries_pull(catalog=catalog) == 0  # pulled once
    inquiry = Inquiry.objects.get()
    assert inquiry.cooperative_id == product.cooperative_id and inquiry.company_name == "Hamburg Foods GmbH"
    assert "2000 bags" in inquiry.message

    assert list(inquiries_for_actor(actor=coop_staff, source=source)) == [inquiry]
    assert list(inquiries_for_actor(actor=other_coop_staff, source=source)) == []
    for actor in (other_coop_staff, coop_staff):  # buyers hear from trade staff only
        with pytest.raises(PermissionDenied):
            services.inquiry_reply(actor=actor, source=source, inquiry=inquiry, text="Hi", catalog=catalog)
    with pytest.raises(PermissionDenied):
        services.inquiry_cooperative_answer(actor=other_coop_staff, source=source, inquiry=inquiry, text="Hi")
    answer = services.inquiry_cooperative_answer(actor=coop_staff, source=source, inquiry=inquiry,
                                                 text="Giá 7,41 USD/bao cho 2.000 bao, giao sau 15 ngày.")
    assert answer.from_cooperative and not answer.sent_to_platform
    assert not catalog.client.get_inquiry(int(inquiry.remote_id)).replies  # relayed by trade staff, not sent

    services.inquiry_reply(actor=trade_staff, source=source, inquiry=inquiry, catalog=catalog,
                           text="FOB HCMC USD 7.41/bag for 2000 bags, 15 days.", status="quoted")
    remote = catalog.client.get_inquiry(int(inquiry.remote_id))
    assert remote.status == "quoted"
    assert [r.content for r in remote.replies] == ["FOB HCMC USD 7.41/bag for 2000 bags, 15 days."]
    services.inquiry_reply(actor=trade_staff, source=source, inquiry=inquiry, text="", status="closed",
                           catalog=catalog)
    inquiry.refresh_from_db()
    assert inquiry.status == "closed" and catalog.client.get_inquiry(int(inquiry.remote_id)).status == "closed"


def test_manual_inquiry_for_the_real_platform(product, trade_staff, coop_staff, source):
    services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    with pytest.raises(PermissionDenied):
        services.inquiry_create_manual(actor=coop_staff, source=source, data={"message": "x"})
    inquiry = services.inquiry_create_manual(actor=trade_staff, source=source, data={
        "product_id": product.pk, "message": "Need 5 t monthly to Rotterdam", "company_name": "NL Rice BV",
        "country": "Netherlands", "quantity": "5", "quantity_unit": "Metric Ton"})
    assert inquiry.cooperative_id == product.cooperative_id
    services.inquiry_reply(actor=trade_staff, source=source, inquiry=inquiry, text="Offer sent", status="quoted")
    assert inquiry.replies.get().sent_to_platform is False


def test_export_candidates_are_searched_like_the_shop(product, coop, channel, source):
    from catalog_sync.selectors import export_candidates
    from tests.factories import make_product

    coffee = make_product(coop, channel, name="Cà phê Robusta Vĩnh Bình", price=120_000)
    assert [s.product_id for s, _p, _l in export_candidates(source=source, query="ca phe")[0]] == [coffee.pk]
    assert [s.product_id for s, _p, _l in export_candidates(source=source, query="GẠO st25")[0]] == [product.pk]
    assert {s.product_id for s, _p, _l in export_candidates(source=source)[0]} >= {product.pk, coffee.pk}
