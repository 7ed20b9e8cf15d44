"""Recording sales by hand and a distributor's purchases."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.supply import services
from storefront.supply.models import DistributorPurchase, SalesRecord

RECORD = {"sold_on": "2026-11-17", "product_name": "Gạo ST25", "product_group": "gao", "unit": "tấn",
          "quantity": "25", "channel": "distributor", "buyer_name": "Hệ thống siêu thị Mê Kông Mart"}


@pytest.mark.django_db
def test_record_a_sale(coop, coop_staff, alliance_staff):
    record = services.sales_record_create(actor=coop_staff, cooperative=coop, data=RECORD)
    assert (record.sold_on, record.unit, record.quantity, record.channel) == (
        datetime.date(2026, 11, 17), "tấn", 25, "distributor")
    services.sales_record_create(actor=alliance_staff, cooperative=coop, data={**RECORD, "unit": "yen"})
    assert SalesRecord.objects.filter(unit="yến").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("field, value, code", [
    ("quantity", "-25", "invalid_quantity"),
    ("unit", "chục", "invalid_unit"),
    ("channel", "online", "invalid"),
    ("channel", "facebook", "invalid"),
    ("buyer_name", "  ", "required"),
    ("sold_on", "2999-01-01", "invalid"),
])
def test_bad_records_are_refused(coop, coop_staff, field, value, code):
    with pytest.raises(ValidationError) as excinfo:
        services.sales_record_create(actor=coop_staff, cooperative=coop, data={**RECORD, field: value})
    assert [e.code for e in excinfo.value.error_dict[field]] == [code]
    assert not SalesRecord.objects.exists()


@pytest.mark.django_db
def test_records_are_the_cooperatives_own(coop, coop_staff, other_coop_staff, customer, other_coop, alliance_staff):
    for actor in (other_coop_staff, customer):
        with pytest.raises(PermissionDenied):
            services.sales_record_create(actor=actor, cooperative=coop, data=RECORD)
    with pytest.raises(PermissionDenied):
        services.sales_record_create(actor=alliance_staff, cooperative=other_coop, data=RECORD)
    record = services.sales_record_create(actor=coop_staff, cooperative=coop, data=RECORD)
    with pytest.raises(PermissionDenied):
        services.sales_record_delete(actor=other_coop_staff, record=record)
    services.sales_record_delete(actor=coop_staff, record=record)
    assert not SalesRecord.objects.exists()


@pytest.mark.django_db
def test_record_may_point_at_a_need_of_the_same_cooperative(coop, coop_staff, other_coop, other_coop_staff):
    from tests.supply.test_needs import NEED

    need = services.need_create(actor=coop_staff, cooperative=coop, data=NEED)
    foreign = services.need_create(actor=other_coop_staff, cooperative=other_coop, data=NEED)
    assert services.sales_record_create(actor=coop_staff, cooperative=coop,
                                        data={**RECORD, "need": need.pk}).need == need
    with pytest.raises(ValidationError) as excinfo:
        services.sales_record_create(actor=coop_staff, cooperative=coop, data={**RECORD, "need": foreign.pk})
    assert [e.code for e in excinfo.value.error_dict["need"]] == ["not_found"]


PURCHASE = {"purchased_on": "2026-11-18", "product_name": "Xoài cát chu", "product_group": "trai_cay",
            "unit": "tấn", "quantity": "10", "sold_hcmc": "6", "sold_hanoi": "3", "sold_other": "1"}


@pytest.mark.django_db
def test_distributor_records_where_it_sold(coop, distributor, distributor_staff, customer):
    purchase = services.distributor_purchase_create(actor=distributor_staff, distributor=distributor,
                                                    data={**PURCHASE, "cooperative": coop.pk})
    assert (purchase.sold_hcmc, purchase.sold_hanoi, purchase.sold_other) == (6, 3, 1)
    with pytest.raises(PermissionDenied):
        services.distributor_purchase_create(actor=customer, distributor=distributor,
                                             data={**PURCHASE, "cooperative": coop.pk})


@pytest.mark.django_db
@pytest.mark.parametrize("changes, field, code", [
    ({"sold_hcmc": "9"}, "quantity", "invalid_quantity"),
    ({"sold_hanoi": "-3"}, "sold_hanoi", "invalid_quantity"),
    ({"unit": "kiện"}, "unit", "invalid_unit"),
    ({"cooperative": None}, "cooperative", "required"),
    ({"cooperative": "999999"}, "cooperative", "not_found"),
])
def test_bad_purchases_are_refused(coop, distributor, distributor_staff, changes, field, code):
    data = {**PURCHASE, "cooperative": coop.pk, **changes}
    with pytest.raises(ValidationError) as excinfo:
        services.distributor_purchase_create(actor=distributor_staff, distributor=distributor, data=data)
    assert [e.code for e in excinfo.value.error_dict[field]] == [code]
    assert not DistributorPurchase.objects.exists()


@pytest.mark.django_db
def test_program_staff_name_the_new_roles(program_staff, coop_staff, customer):
    from storefront.core.models import Province
    from storefront.supply.access import alliance_province_codes, distributor_ids_of

    distributor = services.distributor_create(actor=program_staff, data={"name": "Liên hiệp HTX Thương mại"})
    services.distributor_member_add(actor=program_staff, distributor=distributor, user=customer)
    services.alliance_member_add(actor=program_staff, user=customer, province=Province.objects.get(pk="92"))
    assert distributor_ids_of(customer) == {distributor.pk}
    assert alliance_province_codes(customer) == {"92"}
    with pytest.raises(PermissionDenied):
        services.distributor_create(actor=coop_staff, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.alliance_member_add(actor=coop_staff, user=coop_staff, province=Province.objects.get(pk="92"))
