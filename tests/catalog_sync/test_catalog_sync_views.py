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
    assert client.get(reverse("catalog_sync:cooperative_inquiries", args=[product.cooperative_id])).status_code == 403
    client.force_login(coop_staff)
    own = reverse("catalog_sync:cooperative_inquiries", args=[product.cooperative_id])
    assert client.get(reverse("catalog_sync:inquiries")).url == own
    assert "Sydney Rice Pty" not in client.get(own).content.decode()  # the page names the product, not the buyer
    assert client.get(reverse("catalog_sync:inquiry", args=[inquiry.pk])).url == reverse(
        "catalog_sync:cooperative_inquiry", args=[product.cooperative_id, inquiry.pk])


def test_an_inquiry_reaches_the_producing_cooperative_in_vietnamese(client, trade_staff, coop_staff, product,
                                                                    source):
    from catalog_sync import services

    services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    inquiry = services.inquiry_create_manual(actor=trade_staff, source=source, data={
        "product_id": product.pk, "message": "Please quote FOB for 2000 bags monthly.", "country": "Australia",
        "company_name": "Sydney Rice Pty", "quantity": "2000", "quantity_unit": "Bag"})
    client.force_login(coop_staff)
    overview = client.get(reverse("dashboard:overview", args=[product.cooperative_id])).content.decode()
    listing_url = reverse("catalog_sync:cooperative_inquiries", args=[product.cooperative_id])
    assert f'href="{listing_url}"' in overview  # in the cooperative's own navigation
    listing = client.get(listing_url).content.decode()
    assert product.name in listing and "2.000 bao" in listing and "Úc" in listing
    url = reverse("catalog_sync:cooperative_inquiry", args=[product.cooperative_id, inquiry.pk])
    page = client.get(url).content.decode()
    for label in ("Sản phẩm", "Số lượng người mua cần", "Thị trường", "Lời nhắn của người mua (nguyên văn tiếng Anh)"):
        assert label in page
    assert "2.000 bao" in page and "Please quote FOB for 2000 bags monthly." in page
    assert 'class="dash-nav"' in page and 'id="site-search"' not in page  # the dashboard's frame
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 200 and "Hãy nhập câu trả lời" in empty.content.decode()
    assert client.post(url, {"text": "Giá 7,41 USD/bao,\r\ngiao sau 15 ngày."}).status_code == 302
    answer = inquiry.replies.get()
    assert answer.from_cooperative and not answer.sent_to_platform and answer.text == "Giá 7,41 USD/bao,\ngiao sau 15 ngày."
    client.force_login(trade_staff)  # trade staff see it, marked as not yet sent to the buyer
    trade_page = client.get(reverse("catalog_sync:inquiry", args=[inquiry.pk])).content.decode()
    assert "HTX trả lời, chưa gửi người mua" in trade_page and "giao sau 15 ngày" in trade_page
    assert "2.000 bao" in trade_page and "2000,000" not in trade_page
    assert "2.000 bao" in client.get(reverse("catalog_sync:inquiries")).content.decode()
    candidates = client.get(reverse("catalog_sync:candidates")).content.decode()
    assert "195.000 ₫" in candidates and "195000" not in candidates


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


def test_the_candidate_list_is_paginated(client, trade_staff, coop, channel, product):
    from catalog_sync.selectors import CANDIDATES_PER_PAGE
    from tests.factories import make_product

    for i in range(CANDIDATES_PER_PAGE + 4):
        make_product(coop, channel, name=f"Gạo lô {i:03d}", price=100_000, stock=1)
    client.force_login(trade_staff)
    url = reverse("catalog_sync:candidates")
    first = client.get(url, {"q": "gao"}).content.decode()
    assert first.count('name="product_ids"') == CANDIDATES_PER_PAGE
    assert 'href="?q=gao&amp;page=2"' in first and "Trang 1/2" in first
    second = client.get(url, {"q": "gao", "page": "2"}).content.decode()
    assert second.count('name="product_ids"') == 5  # the 54 lots and the rice of the fixture



def test_a_new_inquiry_is_mailed_to_the_producing_cooperative_in_vietnamese(trade_staff, product, source, settings,
                                                                           django_capture_on_commit_callbacks):
    from django.core import mail

    from catalog_sync import services

    settings.SITE_URL = "https://htx.example.com"
    services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_create_manual(actor=trade_staff, source=source, data={
            "product_id": product.pk, "message": "Please quote 2000 bags.", "country": "Japan", "quantity": "2000",
            "quantity_unit": "Bag"})
    [message] = mail.outbox
    assert message.to == [product.cooperative.email]
    assert message.subject == f"Yêu cầu báo giá mới từ người mua nước ngoài: {product.name}"
    for line in (f"Sản phẩm: {product.name}", "Số lượng người mua cần: 2.000 bao", "Thị trường: Nhật Bản",
                 "Please quote 2000 bags.",
                 "https://htx.example.com" + reverse("catalog_sync:cooperative_inquiry",
                                                     args=[product.cooperative_id, inquiry.pk])):
        assert line in message.body, line
