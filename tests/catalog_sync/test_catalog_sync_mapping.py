"""Pure rules: price tier derivation and rounding, readiness diagnostics, the Vietcombank feed."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from catalog_sync.mapping import (CategoryRules, ExportTerms, Tier, build_listing, content_hash, readiness,
                                  suggest_price_usd)
from catalog_sync.ports import ImageRef, ProductSnapshot
from catalog_sync.services import parse_vietcombank_xml


def snapshot(**overrides) -> ProductSnapshot:
    values = dict(product_id=123, cooperative_id=1, cooperative_name="HTX Vĩnh Bình", cooperative_selling=True,
                  name="Gạo ST25", name_en="ST25 rice", description="", description_en="", category_id=1,
                  category_name="Gạo", category_name_en="Rice", is_published=True, is_combo=False, price_vnd=195_000,
                  quantity_available=10, images=(ImageRef(1, "h1", 800, 800),))
    values.update(overrides)
    return ProductSnapshot(**values)


RICE = CategoryRules(id=100000001, name="Rice", required_attributes=("Place of Origin",),
                     allowed_values={"Certification": ("VietGAP", "GlobalGAP", "OCOP", "HACCP")})


def terms(**overrides) -> ExportTerms:
    values = dict(selected=True, title_en="Vietnam ST25 Rice", keywords=("st25 rice",), category=RICE,
                  hs_code="100630", moq=100, moq_unit="Bag", supply_quantity=5000, supply_unit="Bag",
                  supply_period="Month", port="Ho Chi Minh City", lead_time_days=15, certifications=("VietGAP",),
                  tiers=(Tier(100, Decimal("7.80")), Tier(500, Decimal("7.41"))), prices_confirmed=True)
    values.update(overrides)
    return ExportTerms(**values)


def test_price_suggestion_matches_the_worked_example():
    # vietnam-domain.md §3: 195,000 ₫ at 26,300 ₫/USD -> 7.41 USD
    assert suggest_price_usd(price_vnd=195_000, vnd_per_usd=Decimal("26300"), margin_percent=Decimal("0")) == \
        Decimal("7.41")
    # margin applied before rounding: 195000/26300*1.10 = 8.1558... -> 8.16
    assert suggest_price_usd(price_vnd=195_000, vnd_per_usd=Decimal("26300"), margin_percent=Decimal("10")) == \
        Decimal("8.16")


def test_price_suggestion_rounds_half_up_at_the_cent():
    # 3,288 ₫ at 26,304 ₫/USD is exactly 0.125 USD
    assert suggest_price_usd(price_vnd=3_288, vnd_per_usd=Decimal("26304"), margin_percent=Decimal("0")) == \
        Decimal("0.13")  # half-up, where banker's rounding would give 0.12
    with pytest.raises(TypeError):
        suggest_price_usd(price_vnd=195_000.0, vnd_per_usd=Decimal("26300"), margin_percent=Decimal("0"))


@hsettings(max_examples=50, deadline=None)
@given(price=st.integers(min_value=1_000, max_value=50_000_000), rate=st.integers(min_value=20_000, max_value=30_000),
       margin=st.integers(min_value=0, max_value=50))
def test_price_suggestion_is_within_half_a_cent_of_the_exact_value(price, rate, margin):
    usd = suggest_price_usd(price_vnd=price, vnd_per_usd=Decimal(rate), margin_percent=Decimal(margin))
    exact = Decimal(price) / Decimal(rate) * (1 + Decimal(margin) / 100)
    assert usd.as_tuple().exponent == -2
    assert abs(usd - exact) <= Decimal("0.005")


def test_ready_listing_has_no_diagnostics_and_stable_hash():
    assert readiness(terms(), snapshot()) == []
    listing = build_listing(terms(), snapshot(), ["http://x/photobank/1/a.jpg"])
    assert {"attribute_name": "Model Number", "value_name": "HTX-P-000123"} in listing["attributes"]
    assert listing["sourcing_trade"]["fob_min_price"] == "7.41"
    assert content_hash(listing) == content_hash(build_listing(terms(), snapshot(), ["http://x/photobank/1/a.jpg"]))


@pytest.mark.parametrize("overrides,snap,field,code", [
    ({"hs_code": ""}, {}, "hs_code", "required"),
    ({"hs_code": "10063"}, {}, "hs_code", "invalid"),
    ({"title_en": "x" * 129}, {}, "title_en", "max_length"),
    ({"title_en": "Gạo ST25"}, {}, "title_en", "ascii"),
    ({"keywords": ("a", "b", "c", "d")}, {}, "keywords", "max_items"),
    ({"keywords": ("rice, white",)}, {}, "keywords", "invalid"),
    ({"category": None}, {}, "remote_category", "required"),
    ({"place_of_origin": ""}, {}, "place_of_origin", "required"),
    ({"certifications": ("Kosher",)}, {}, "certifications", "not_allowed"),
    ({"moq": None}, {}, "moq", "required"),
    ({"moq_unit": "bao"}, {}, "moq_unit", "invalid"),
    ({"tiers": (Tier(500, Decimal("7.41")), Tier(100, Decimal("7.80")))}, {}, "price_tiers", "not_ascending"),
    ({"tiers": (Tier(100, Decimal("7.00")), Tier(500, Decimal("7.50")))}, {}, "price_tiers", "price_increases"),
    ({"tiers": ()}, {}, "price_tiers", "required"),
    ({"prices_confirmed": False}, {}, "price_tiers", "unconfirmed"),
    ({"port": "Cát Lái"}, {}, "port", "invalid"),
    ({}, {"images": ()}, "images", "required"),
    ({}, {"images": (ImageRef(1, "h", 500, 400),)}, "images", "too_small"),
])
def test_readiness_reports_the_field_and_reason(overrides, snap, field, code):
    found = {(d.field, d.code) for d in readiness(terms(**overrides), snapshot(**snap))}
    assert (field, code) in found


def test_image_under_minimum_message_names_the_platform_minimum():
    [diag] = readiness(terms(), snapshot(images=(ImageRef(1, "h", 600, 300),)))
    assert "640" in diag.message and "600×300" in diag.message


FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<ExrateList><DateTime>6/13/2026 2:45:53 PM</DateTime>
<Exrate CurrencyCode="AUD" CurrencyName="AUSTRALIAN DOLLAR" Buy="16,800.00" Transfer="16,970.00" Sell="17,500.00" />
<Exrate CurrencyCode="USD" CurrencyName="US DOLLAR" Buy="26,092.00" Transfer="26,122.00" Sell="26,412.00" />
<Source>Joint Stock Commercial Bank for Foreign Trade of Vietnam - Vietcombank</Source></ExrateList>"""


def test_vietcombank_feed_gives_the_transfer_rate_and_date():
    assert parse_vietcombank_xml(FEED) == (date(2026, 6, 13), Decimal("26122.00"))
    with pytest.raises(ValueError):
        parse_vietcombank_xml(FEED.replace(b'"USD"', b'"XXX"'))
