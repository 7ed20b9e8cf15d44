"""Personal-data rights in a real browser: a shopper downloads their data and asks for erasure;
program staff carry it out and find it in the audit log."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shop_in_browser import sign_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_shopper_downloads_and_asks_for_erasure_staff_erase(new_page, program_staff, screenshot):
    make_user("lan@example.com", first_name="Lan", phone="+84912000111")
    page = new_page()
    sign_in(page, "lan@example.com")
    page.goto("/tai-khoan/")
    page.get_by_role("link", name="Dữ liệu cá nhân", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải dữ liệu (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["email"] == "lan@example.com" and data["account"]["phone"] == "+84912000111"

    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Gửi yêu cầu xoá").click()
    expect(page.locator("main")).to_contain_text("cán bộ chương trình đang xử lý")
    screenshot(page, "personal-data-requested")

    staff = new_page()
    sign_in(staff, program_staff.email)
    staff.goto("/dashboard/program/hop-tac-xa/")
    staff.get_by_role("link", name="Dữ liệu cá nhân", exact=True).click()
    expect(staff.locator("main")).to_contain_text("lan@example.com")
    staff.get_by_role("button", name="Thực hiện xoá").click()
    expect(staff.locator(".messages")).to_contain_text("đã xoá và ẩn danh dữ liệu")
    staff.get_by_role("link", name="Nhật ký thao tác").click()
    expect(staff.locator("table")).to_contain_text("Xoá dữ liệu cá nhân")
    screenshot(staff, "audit-log")

    again = new_page()
    sign_in(again, "lan@example.com")
    expect(again).to_have_url("/tai-khoan/dang-nhap/")  # the account is gone
