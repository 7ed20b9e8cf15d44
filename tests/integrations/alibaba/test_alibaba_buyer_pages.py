"""English buyer pages and the inquiry form in the real browser (Debian's Chromium through Playwright);
the seller then reads and answers the inquiry through the protocol."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alibaba_helpers import ARTIFACTS, image_bytes, rice_draft, unique_ref

from integrations.alibaba import DeliverPeriod, PriceTier, ProductAttribute, SourcingTrade

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def listed(client):
    """A rice and a pepper listing, approved and online; returns (marker, rice product id)."""
    marker = unique_ref("ST").replace("-", "").lower()
    rice_img = client.upload_image(image_bytes(900, 900, color="#c9b27c"), "st25-rice.jpg").url
    rice_id = client.add_product(rice_draft((rice_img,), keywords=("jasmine rice", "st25 rice", marker),
                                            subject=f"Vietnam ST25 Jasmine Rice Long Grain Lot {marker}"))
    pepper_img = client.upload_image(image_bytes(800, 800, color="#2b2b2b"), "pepper.jpg").url
    client.add_product(rice_draft(
        (pepper_img,), category_id=100000008, subject=f"Phu Quoc Black Pepper 550 g/l {marker}",
        keywords=("black pepper", "vietnam pepper", marker),
        attributes=(ProductAttribute("Place of Origin", "Vietnam"), ProductAttribute("Certification", "Organic")),
        sourcing_trade=SourcingTrade(min_order_quantity=1, min_order_unit_type="Metric Ton",
                                     fob_min_price=Decimal("3900"), fob_max_price=Decimal("4200"),
                                     fob_unit_type="Metric Ton", supply_quantity=300, supply_unit_type="Metric Ton",
                                     supply_period_type="Month", delivery_port="Ho Chi Minh City",
                                     packaging_desc="50 kg jute bags", payment_methods=("T/T",),
                                     deliver_periods=(DeliverPeriod(20, 10),)),
        price_tiers=(PriceTier(1, Decimal("4200.00")), PriceTier(10, Decimal("3900.00")))))
    assert client.get_product(rice_id).approved
    return marker, rice_id


def test_browse_category_and_product_page(page, sandbox, listed):
    marker, _ = listed
    page.goto(sandbox.base_url + "/")
    assert page.title().startswith("Home")
    assert page.get_by_role("heading", name="Vietnamese farm produce from cooperatives").is_visible()
    shot(page, "home")
    page.locator("nav.cats").get_by_role("link", name="Rice", exact=True).click()
    assert page.get_by_role("heading", name="Rice", exact=True).is_visible()
    card = page.locator(".product-card", has_text=marker)
    assert card.count() == 1 and "US$620.00 - US$680.00 / Metric Ton" in card.inner_text()
    shot(page, "category-rice")
    card.get_by_role("link").last.click()
    assert page.get_by_role("heading", level=1).inner_text().endswith(marker)
    tiers = page.locator("table.tiers").inner_text()
    for text in ("25 - 99 Metric Ton", "100 - 499 Metric Ton", "≥ 500 Metric Ton", "US$680.00", "US$650.00",
                 "US$620.00"):
        assert text in tiers
    facts = page.locator("table.facts").inner_text()
    for text in ("25 Metric Ton", "5000 Metric Ton per Month", "25 kg PP bags", "Ho Chi Minh City",
                 "up to 100 Metric Ton: 15 days", "T/T, L/C", "VietGAP", "HACCP"):
        assert text in facts, text
    supplier = page.locator(".supplier").inner_text()
    assert "Mekong Green Farmers Cooperative" in supplier and "Soc Trang, Vietnam" in supplier
    assert page.locator(".gallery img").first.evaluate("img => img.naturalWidth") == 900
    shot(page, "product")


def test_search_box(page, sandbox, listed):
    marker, _ = listed
    page.goto(sandbox.base_url + "/")
    page.get_by_role("searchbox").fill(f"pepper {marker}")
    page.get_by_role("button", name="Search").click()
    cards = page.locator(".product-card")
    assert cards.count() == 1 and "Phu Quoc Black Pepper" in cards.inner_text()
    shot(page, "search")
    page.get_by_role("searchbox").fill(f"nothing-like-this-{marker}")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".empty").is_visible()


def test_send_inquiry_and_read_it_back_through_the_protocol(page, sandbox, client, listed):
    marker, rice_id = listed
    plain = client.decrypt_product_id(rice_id)
    page.goto(f"{sandbox.base_url}/product-detail/rice_{plain}.html")
    form = page.locator("form.inquiry")
    form.get_by_label("Your name").fill("Anna Schmidt")
    form.get_by_label("Company").fill("Reis & Mehr GmbH")
    form.get_by_label("Country").select_option("Germany")
    form.get_by_label("Email").fill("anna@reis-mehr.example.com")
    form.get_by_label("Quantity").fill("-5")
    form.get_by_label("Message").fill("Please quote CIF Hamburg for 2 containers, 25 kg bags.")
    form.get_by_role("button", name="Send inquiry").click()
    assert "Please enter the quantity as a positive number." in page.get_by_role("alert").inner_text()
    assert form.get_by_label("Company").input_value() == "Reis & Mehr GmbH"  # kept after the error
    shot(page, "inquiry-error")
    form.get_by_label("Quantity").fill("50")
    form.get_by_label("Unit").select_option("Metric Ton")
    form.get_by_role("button", name="Send inquiry").click()
    assert "Thank you! Your inquiry was sent" in page.get_by_role("status").inner_text()
    shot(page, "inquiry-sent")

    inquiries = client.list_inquiries(product_id=rice_id)
    assert inquiries.total_item == 1
    brief = inquiries.items[0]
    assert (brief.buyer_name, brief.company_name, brief.country, brief.email) == (
        "Anna Schmidt", "Reis & Mehr GmbH", "Germany", "anna@reis-mehr.example.com")
    assert brief.quantity == Decimal("50") and brief.quantity_unit == "Metric Ton" and brief.status == "new"
    full = client.get_inquiry(brief.inquiry_id)
    assert full.description == "Please quote CIF Hamburg for 2 containers, 25 kg bags."
    answered = client.reply_to_inquiry(brief.inquiry_id, "CIF Hamburg: US$745.00 per Metric Ton, 30 days.")
    assert answered.status == "quoted" and answered.replies[0].content.startswith("CIF Hamburg")
    assert client.list_inquiries(status="quoted", product_id=rice_id).total_item == 1
