"""Staff pages in a real browser: no empty box under a photo upload until a photo is chosen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shop_in_browser import _png_file, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_no_empty_box_under_the_photo_upload(new_page, coop, coop_staff, product, tmp_path):
    page = new_page()
    sign_in(page, coop_staff.email)
    page.goto(f"/dashboard/htx/{coop.pk}/san-pham/{product.pk}/")
    preview = page.locator("#upload-preview")
    expect(preview).to_be_hidden()
    assert preview.bounding_box() is None  # not laid out at all, not an empty 128 px frame
    page.get_by_label("Ảnh sản phẩm").set_input_files(str(_png_file(tmp_path)))
    expect(preview).to_be_visible()
