"""403, 404 and 500 in the site's layout, translated, with the reason and a way back (DEBUG off); a refusal
is logged once, without a traceback."""
from __future__ import annotations

import logging

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from storefront import urls
from storefront.web.views import errors

pytestmark = pytest.mark.django_db


def test_the_handlers_are_ours():
    assert urls.handler403.endswith("errors.permission_denied") and urls.handler404.endswith("errors.page_not_found")
    assert urls.handler500.endswith("errors.server_error") and urls.handler400.endswith("errors.bad_request")


@override_settings(DEBUG=False)
def test_404_in_the_layout_with_reason_and_ways_back(client, channel):
    response = client.get("/khong-co-trang-nay/", HTTP_REFERER="http://testserver/gio-hang/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in page and 'class="site-footer"' in page  # the site's frame
    assert "Không tìm thấy trang" in page and "/khong-co-trang-nay/" in page
    assert 'href="http://testserver/gio-hang/"' in page and 'href="/"' in page
    english = client.get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    english = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in english and "Back to the HTX Market home page" in english


@override_settings(DEBUG=False)
def test_403_says_why_and_offers_the_login_or_the_dashboard(client, coop_staff, caplog):
    anonymous = client.get(reverse("catalog_sync:sync_status"))
    assert anonymous.status_code == 302  # login_required: to the login page
    client.force_login(coop_staff)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("catalog_sync:dashboard"))
    page = response.content.decode()
    assert response.status_code == 403 and 'class="site-header"' in page
    assert "Bạn không có quyền xem trang này" in page
    assert "Chỉ cán bộ xúc tiến thương mại được thực hiện thao tác này." in page  # the reason given
    assert f'href="{reverse("dashboard:home")}"' in page
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1 and refusals[0].exc_info is None and refusals[0].exc_text is None


def test_500_renders_without_the_database_and_in_english_too(monkeypatch):
    request = RequestFactory().get("/gio-hang/")
    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor",
                        lambda self: (_ for _ in ()).throw(DatabaseError("down")))
    response = errors.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and 'class="site-footer"' in page
    assert "Có lỗi ở phía máy chủ" in page and 'href="/"' in page
    with translation.override("en"):
        assert "Server error" in errors.server_error(request).content.decode()


@override_settings(DEBUG=False)
def test_an_unhandled_error_reaches_the_500_page(monkeypatch, channel):
    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("storefront.web.views.legal.terms", boom, raising=False)
    client = Client(raise_request_exception=False)
    from storefront.web import urls as web_urls

    pattern = next(p for p in web_urls.urlpatterns if getattr(p, "name", "") == "terms")
    monkeypatch.setattr(pattern, "callback", boom)
    response = client.get(reverse("web:terms"))
    assert response.status_code == 500 and "Có lỗi ở phía máy chủ" in response.content.decode()
