"""The demo seed imports the sample sheets once, however often it runs."""
import datetime
from decimal import Decimal

import pytest

from storefront.demo.supply import seed_supply_demo
from storefront.supply import reports
from storefront.supply.models import DistributorPurchase, SalesNeed, SalesRecord


@pytest.mark.django_db
def test_seed_is_idempotent_and_matches_the_sample(program_staff):
    from tests.factories import make_cooperative

    make_cooperative("HTX Nông nghiệp Vĩnh Bình", province_code="92")
    for name, code in (("HTX Xoài cát Mỹ Thọ", "82"), ("HTX Thanh long Hàm Thuận Nam", "68")):
        make_cooperative(name, province_code=code)
    first = seed_supply_demo()
    second = seed_supply_demo()
    assert first == second
    assert SalesNeed.objects.count() == first["needs"]
    assert SalesRecord.objects.count() == first["records"]
    assert DistributorPurchase.objects.count() == first["purchases"]
    rice = SalesNeed.objects.get(source_ref="R2026-11-20-003")
    assert (rice.unit, rice.quantity, rice.unit_price_vnd, rice.planned_exporter) == ("tấn", 300, 30_000, 120)
    week = reports.sales_report(actor=program_staff, date_from=datetime.date(2026, 11, 16),
                                date_to=datetime.date(2026, 11, 22))
    assert (first["needs"], first["records"], first["purchases"]) == (3, 7, 1)  # C13 is not in this store
    (tonnes,) = week.totals
    assert tonnes.unit == "tấn"
    assert {str(c): q for c, q in tonnes.by_channel.items()} == {
        "market": Decimal("47.5"), "distributor": 31, "processor": 22, "exporter": 68, "online": 0}
