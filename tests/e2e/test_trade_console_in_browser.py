"""The trade console in a real browser: "Đồng bộ ngay" shows progress and the result without a reload."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.catalog_sync.conftest import catalog, categories, sandbox, sandbox_server  # noqa: F401 - fixtures
from tests.catalog_sync.helpers import make_export, remote_products
from tests.e2e.test_shop_in_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sync_now_reports_its_result_in_place(new_page, trade_staff, product, catalog, categories):  # noqa: F811
    make_export(product, trade_staff)
    page = new_page()
    sign_in(page, trade_staff.email)
    page.goto("/trade/")
    expect(page.locator("#publishing-notice")).to_contain_text("chưa đăng")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Đồng bộ ngay").click()
    status = page.locator("#sync-status")
    expect(status).to_be_visible()
    expect(status).to_have_text(re.compile(r"Đồng bộ xong \(lần \d+\): thêm 1, sửa 0"), timeout=20_000)
    assert page.evaluate("window.notReloaded") is True  # same document: no navigation happened
    assert len(remote_products(catalog)) == 1
