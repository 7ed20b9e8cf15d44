"""Declaring, editing and closing a sales need, and turning it into a draft product."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.supply import services
from storefront.supply.models import SalesNeed

NEED = {
    "need_date": "2026-11-20",
    "product_name": "Gạo ST25",
    "product_group": "gao",
    "farm_area_ha": "180",
    "unit": "tấn",
    "quantity": "300",
    "standard": "VietGAP, OCOP 4 sao",
    "packaging": "Bao PP 25 kg",
    "delivery_period": "Tháng 12/2026",
    "delivery_place": "Kho HTX, Xã Kế Sách, Thành phố Cần Thơ",
    "unit_price_thousand_vnd": "30",
    "planned_market": "80",
    "planned_distributor": "100",
    "planned_processor": "0",
    "planned_exporter": "120",
}


def codes(excinfo) -> dict:
    return {field: [e.code for e in errors] for field, errors in excinfo.value.error_dict.items()}


@pytest.mark.django_db
def test_cooperative_staff_declares_a_need(coop, coop_staff):
    need = services.need_create(actor=coop_staff, cooperative=coop, data=NEED)
    need.refresh_from_db()
    assert need.status == SalesNeed.Status.OPEN
    assert need.need_date == datetime.date(2026, 11, 20)
    assert need.unit == "tấn"
    assert need.quantity == Decimal("300")
    assert need.unit_price_vnd == 30_000
    assert (need.planned_market, need.planned_distributor, need.planned_processor, need.planned_exporter) == (
        80, 100, 0, 120)
    assert need.farm_area_ha == Decimal("180.00")
    assert need.created_by == coop_staff


@pytest.mark.django_db
def test_unit_typed_without_marks_and_vietnamese_decimal_comma(coop, coop_staff):
    need = services.need_create(actor=coop_staff, cooperative=coop, data={
        **NEED, "unit": " Tan ", "quantity": "12,5", "planned_market": "0", "planned_distributor": "0",
        "planned_exporter": "0", "unit_price_thousand_vnd": "28,5"})
    assert need.unit == "tấn"
    assert need.quantity == Decimal("12.5")
    assert need.unit_price_vnd == 28_500


@pytest.mark.django_db
@pytest.mark.parametrize("field, value, code", [
    ("quantity", "-5", "invalid_quantity"),
    ("quantity", "0", "invalid_quantity"),
    ("quantity", "abc", "invalid"),
    ("planned_exporter", "-1", "invalid_quantity"),
    ("farm_area_ha", "-3", "invalid_quantity"),
    ("unit", "chục", "invalid_unit"),
    ("unit", "thùng xốp to", "invalid_unit"),
    ("unit", "", "required"),
    ("product_group", "banh_keo", "invalid"),
    ("product_name", "", "required"),
    ("need_date", "31/02/2026", "invalid"),
])
def test_bad_input_gets_a_specific_error_and_writes_nothing(coop, coop_staff, field, value, code):
    with pytest.raises(ValidationError) as excinfo:
        services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, field: value})
    assert code in codes(excinfo)[field]
    assert not SalesNeed.objects.exists()


@pytest.mark.django_db
def test_unknown_unit_message_names_the_unit_and_the_accepted_ones(coop, coop_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, "unit": "chục"})
    message = excinfo.value.error_dict["unit"][0].messages[0]
    assert "chục" in message and "tấn" in message and "yến" in message


@pytest.mark.django_db
def test_planned_channels_cannot_exceed_the_quantity(coop, coop_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, "quantity": "200"})
    assert codes(excinfo) == {"quantity": ["invalid_quantity"]}


@pytest.mark.django_db
def test_all_errors_are_reported_at_once(coop, coop_staff):
    with pytest.raises(ValidationError) as excinfo:
        services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, "unit": "xyz", "quantity": "-1",
                                                                      "product_name": ""})
    assert set(codes(excinfo)) == {"unit", "quantity", "product_name"}


@pytest.mark.django_db
def test_edit_changes_only_given_fields_until_closed(coop, coop_staff):
    need = services.need_create(actor=coop_staff, cooperative=coop, data=NEED)
    services.need_update(actor=coop_staff, need=need, data={"quantity": "350", "planned_market": "130"})
    need.refresh_from_db()
    assert (need.quantity, need.planned_market, need.packaging, need.unit_price_vnd) == (350, 130, "Bao PP 25 kg",
                                                                                         30_000)
    with pytest.raises(ValidationError) as excinfo:
        services.need_update(actor=coop_staff, need=need, data={"quantity": "-1"})
    assert codes(excinfo) == {"quantity": ["invalid_quantity"]}

    services.need_close(actor=coop_staff, need=need)
    need.refresh_from_db()
    assert need.status == SalesNeed.Status.CLOSED and need.closed_at is not None
    with pytest.raises(ValidationError) as excinfo:
        services.need_update(actor=coop_staff, need=need, data={"quantity": "10"})
    assert codes(excinfo) == {"status": ["invalid_status"]}
    with pytest.raises(ValidationError):
        services.need_close(actor=coop_staff, need=need)
    need.refresh_from_db()
    assert need.quantity == 350


@pytest.mark.django_db
def test_who_may_declare(coop, coop_staff, other_coop_staff, alliance_staff, program_staff, customer, other_coop):
    services.need_create(actor=program_staff, cooperative=coop, data=NEED)
    services.need_create(actor=alliance_staff, cooperative=coop, data=NEED)  # coop is in Cần Thơ
    for outsider in (other_coop_staff, customer):
        with pytest.raises(PermissionDenied):
            services.need_create(actor=outsider, cooperative=coop, data=NEED)
    with pytest.raises(PermissionDenied):  # Lâm Đồng is not the alliance's province
        services.need_create(actor=alliance_staff, cooperative=other_coop, data=NEED)
    need = SalesNeed.objects.first()
    with pytest.raises(PermissionDenied):
        services.need_update(actor=other_coop_staff, need=need, data={"quantity": "1"})
    with pytest.raises(PermissionDenied):
        services.need_close(actor=customer, need=need)
    assert SalesNeed.objects.count() == 2


@pytest.mark.django_db
def test_product_of_another_cooperative_is_refused(coop, coop_staff, other_coop, channel):
    from tests.factories import make_product

    foreign = make_product(other_coop, channel, name="Cải ngọt", price=18_000)
    with pytest.raises(ValidationError) as excinfo:
        services.need_create(actor=coop_staff, cooperative=coop, data={**NEED, "product": foreign.pk})
    assert codes(excinfo) == {"product": ["invalid"]}


@pytest.mark.django_db
def test_linked_product_fills_name_and_group(coop, coop_staff, product):
    need = services.need_create(actor=coop_staff, cooperative=coop,
                                data={**NEED, "product": product, "product_name": "", "product_group": ""})
    assert need.product == product
    assert need.product_name == product.name
    assert need.product_group == "gao"


@pytest.mark.django_db
def test_one_click_turns_a_need_into_an_unpublished_draft_product(coop, coop_staff, channel):
    from storefront.product.models import Category

    Category.objects.create(name="Gạo", slug="gao-nhom", program_group="gao")
    need = services.need_create(actor=coop_staff, cooperative=coop, data={
        **NEED, "standard": "VietGAP, OCOP 4 sao, Hữu cơ tự công bố"})
    product = services.need_to_draft_product(actor=coop_staff, need=need)
    product.refresh_from_db()
    assert product.cooperative == coop
    assert product.name == "Gạo ST25"
    assert product.category.program_group == "gao"
    assert product.standards[:2] == ["VietGAP", "OCOP"] and product.ocop_stars == 4
    assert "Bao PP 25 kg" in product.description and "Tháng 12/2026" in product.description
    assert "Hữu cơ tự công bố" in product.description
    assert product.origin_province_id == coop.province_id
    listing = product.channel_listings.get(channel=channel)
    assert listing.is_published is False
    need.refresh_from_db()
    assert need.draft_product == product and need.product == product
    # A second click does not make a second product.
    assert services.need_to_draft_product(actor=coop_staff, need=need) == product
    assert coop.products.count() == 1


@pytest.mark.django_db
def test_only_the_store_owners_make_products_from_needs(coop, coop_staff, alliance_staff, other_coop_staff, channel):
    need = services.need_create(actor=coop_staff, cooperative=coop, data=NEED)
    for actor in (alliance_staff, other_coop_staff):
        with pytest.raises(PermissionDenied):
            services.need_to_draft_product(actor=actor, need=need)
    assert not coop.products.exists()
