"""Trade console pages: trade staff only (inquiries also for the cooperative's own staff)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from catalog_sync.models import ExportProfile, Listing
from catalog_sync.sync import catalog_sync_run
from tests.catalog_sync.helpers import add_image, make_export

pytestmark = pytest.mark.django_db

TRADE_PAGES = ["catalog_sync:dashboard", "catalog_sync:candidates", "catalog_sync:preview", "catalog_sync:rates",
               "catalog_sync:inquiry_new"]


@pytest.mark.parametrize("name", TRADE_PAGES)
def test_trade_pages_refuse_others(client, coop_staff, customer, name):
    assert client.get(reverse(name)).status_code == 302  # to the login page
    for user in (coop_staff, customer):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_enrichment_form_shows_readiness_and_saves(client, trade_staff, product, categories, source):
    add_image(product, 500, 400)
    client.force_login(trade_staff)
    url = reverse("catalog_sync:profile", args=[product.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Thiếu mã HS." in text and 'href="#id_hs_code"' in text
    assert "nhỏ hơn mức tối thiểu 640 px" in text
    response = client.post(url, {
        "selected": "on", "title_en": "Vietnam ST25 Rice", "keywords": "st25 rice, vietnam rice",
        "remote_category": "100000001", "hs_code": "100630", "place_of_origin": "Vietnam", "moq": "100",
        "moq_unit": "Bag", "supply_quantity": "1000", "supply_unit": "Bag", "supply_period": "Month",
        "port": "Ho Chi Minh City", "lead_time_days": "10", "payment_methods": ["T/T"], "certifications": "",
        "tiers": "100=7.80\n500=7.41"})
    assert response.status_code == 302
    profile = ExportProfile.objects.get(product_id=product.pk)
    assert profile.selected and profile.hs_code == "100630" and profile.price_tiers.count() == 2
    text = client.get(url).content.decode()
    assert "Thiếu mã HS." not in text and "Vietnam ST25 Rice" in text and "US $7.41" in text
    bad = client.post(url, {"title_en": "x", "moq": "abc", "supply_period": "Month", "tiers": "100=abc"})
    assert bad.status_code == 200 and "Phải là số nguyên dương." in bad.content.decode()


def test_dashboard_preview_and_retry(client, trade_staff, product, catalog, categories, source):
    make_export(product, trade_staff)
    client.force_login(trade_staff)
    preview = client.get(reverse("catalog_sync:preview")).content.decode()
    assert "HTX-P-" in preview and "Tên tiếng Anh" in preview and "Đăng mới" in preview
    assert product.name in preview and "subject" not in preview and "{'" not in preview
    catalog_sync_run(source=source, catalog=catalog)
    page = client.get(reverse("catalog_sync:dashboard")).content.decode()
    assert 'id="online-count">1<' in page
    Listing.objects.update(state=Listing.State.FAILED, last_error="boom")
    client.post(reverse("catalog_sync:retry_failed"))
    assert Listing.objects.get().state == Listing.State.LIVE
    candidates = client.get(reverse("catalog_sync:candidates"), {"status": "selected"}).content.decode()
    assert product.name in candidates


def test_inquiries_inbox_scoped_to_the_cooperative(client, trade_staff, coop_staff, other_coop_staff, product,
                                                   source):
    from catalog_sync import services

    services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    inquiry = services.inquiry_create_manual(actor=trade_staff, source=source, data={
        "product_id": product.pk, "message": "Need 10 t", "company_name": "Sydney Rice Pty"})
    client.force_login(other_coop_staff)
    assert "Sydney Rice Pty" not in client.get(reverse("catalog_sync:inquiries")).content.decode()
    assert client.get(reverse("catalog_sync:inquiry", args=[inquiry.pk])).status_code == 404
    client.force_login(coop_staff)
    assert "Sydney Rice Pty" in client.get(reverse("catalog_sync:inquiries")).content.decode()
    response = client.post(reverse("catalog_sync:inquiry", args=[inquiry.pk]), {"text": "Quote sent", "status": "quoted"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "quoted"


@pytest.mark.parametrize("name", TRADE_PAGES + ["catalog_sync:inquiries"])
def test_trade_pages_render_inside_the_site_frame(client, trade_staff, name):
    client.force_login(trade_staff)
    page = client.get(reverse(name))
    assert page.status_code == 200
    text = page.content.decode()
    # The site's base.html (footer, skip link) around the console's own navigation and content.
    assert 'class="site-footer"' in text and 'class="skip-link"' in text
    assert 'class="trade-tabs"' in text and '<div class="trade">' in text
    assert text.count("<html") == 1
