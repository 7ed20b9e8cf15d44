"""Trade staff read a listing's publish history in the console and roll it back, in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

# The sandbox B2B catalog over HTTP and its fixtures, as the catalog_sync tests use them.
from tests.catalog_sync.conftest import catalog, categories, sandbox, sandbox_server, source  # noqa: F401
from tests.catalog_sync.helpers import make_export
from tests.e2e.test_shop_in_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_history_shows_who_changed_what_and_a_rollback_goes_through_the_preview(new_page, product, trade_staff,
                                                                              source, catalog, categories,
                                                                              screenshot):
    from catalog_sync import services
    from catalog_sync.models import Listing, ListingRestore, PublishSnapshot
    from catalog_sync.sync import catalog_sync_run

    profile = make_export(product, trade_staff)
    catalog_sync_run(source=source, catalog=catalog, triggered_by="test")
    services.export_profile_update(actor=trade_staff, source=source, profile=profile,
                                   data={"title_en": "Vietnam ST25 Rice Mislabelled"})
    catalog_sync_run(source=source, catalog=catalog, triggered_by="test")
    listing = Listing.objects.get()

    page = new_page()
    sign_in(page, trade_staff.email)
    page.goto(f"/trade/products/{product.pk}/")
    page.get_by_role("link", name="Lịch sử đăng").click()
    rows = page.locator("#history tr.snapshot")
    expect(rows).to_have_count(2)
    newest = rows.first
    expect(newest).to_contain_text("trade@example.com")
    expect(newest).to_contain_text("Tên tiếng Anh")
    expect(newest).to_contain_text("Vietnam ST25 Rice Mislabelled")
    screenshot(page, "trade-history")

    rows.nth(1).get_by_role("link", name="Khôi phục phiên bản này").click()
    diff = page.locator("#rollback-diff")
    expect(diff).to_contain_text("Vietnam ST25 Rice Mislabelled")
    expect(diff).to_contain_text("Vietnam ST25 Fragrant Rice 5 kg Bag")
    page.get_by_role("button", name="Xác nhận khôi phục").click()
    expect(page).to_have_url(re.compile(r"/trade/preview/$"))
    change = page.locator("#dry-run tr.change", has_text=product.name)
    expect(change).to_contain_text("Khôi phục phiên bản cũ")
    expect(change).to_contain_text("Vietnam ST25 Fragrant Rice 5 kg Bag")
    screenshot(page, "trade-rollback-preview")
    assert catalog.client.get_product(listing.remote_id).subject == "Vietnam ST25 Rice Mislabelled"  # not yet

    page.get_by_role("button", name="Đồng bộ ngay").click()
    page.wait_for_load_state()
    assert catalog.client.get_product(listing.remote_id).subject == "Vietnam ST25 Fragrant Rice 5 kg Bag"
    page.goto(f"/trade/products/{product.pk}/history/")
    expect(page.locator("#history tr.snapshot")).to_have_count(3)
    expect(page.locator("#history tr.snapshot").first).to_contain_text("Khôi phục phiên bản cũ")
    expect(page.locator("#restore-status")).to_contain_text("Đã khôi phục, đang giữ")
    assert ListingRestore.objects.get().status == ListingRestore.Status.HELD
    assert PublishSnapshot.objects.filter(action="rollback").count() == 1
