"""Cooperative staff record harvest lots on the dashboard; bad input is explained next to the field."""
from datetime import timedelta

import pytest
from django.urls import reverse

from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import Stock, StockLot

pytestmark = pytest.mark.django_db
TODAY = sales_date()


def _post(client, coop, variant, **fields):
    data = {"warehouse": coop.warehouses.get().pk, "quantity": 5, "code": "", "harvest_date": "",
            "best_before": "", "shelf_life_days": "", "standard": "", "certificate": "", "note": "", **fields}
    return client.post(reverse("dashboard:variant_lots", args=[coop.pk, variant.pk]), data)


def test_staff_record_a_lot_and_see_it_listed(client, coop_staff, coop, variant):
    client.force_login(coop_staff)
    response = _post(client, coop, variant, code="BUOI-01", harvest_date=str(TODAY), shelf_life_days=9,
                     standard="vietgap", quantity=12)
    assert response.status_code == 302
    lot = StockLot.objects.get(code="BUOI-01")
    assert (lot.quantity, lot.best_before, lot.standard) == (12, TODAY + timedelta(days=9), "vietgap")
    assert Stock.objects.get(product_variant=variant).quantity == 22
    page = client.get(response["Location"]).content.decode()
    assert "BUOI-01" in page and (TODAY + timedelta(days=9)).strftime("%d/%m/%Y") in page
    assert reverse("web:lot", args=[lot.public_id]) in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"harvest_date": str(TODAY), "best_before": str(TODAY - timedelta(days=2))},
     "Hạn sử dụng không được trước ngày thu hoạch."),
    ({"quantity": 0}, "Số lượng phải là số nguyên lớn hơn 0."),
    ({"quantity": -4}, "Số lượng phải là số nguyên lớn hơn 0."),
    ({"code": "TAKEN"}, "Mã lô TAKEN đã được dùng trong hợp tác xã."),
])
def test_bad_lots_are_explained_and_nothing_is_written(client, coop_staff, coop, variant, fields, message):
    client.force_login(coop_staff)
    assert _post(client, coop, variant, code="TAKEN").status_code == 302
    before = StockLot.objects.count()
    response = _post(client, coop, variant, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StockLot.objects.count() == before


def test_staff_of_another_cooperative_cannot_reach_the_lots(client, other_coop_staff, coop, variant):
    client.force_login(other_coop_staff)
    assert client.get(reverse("dashboard:variant_lots", args=[coop.pk, variant.pk])).status_code == 403
    assert _post(client, coop, variant).status_code == 403
    assert not StockLot.objects.filter(code__startswith="L").exists()


def test_another_cooperatives_warehouse_is_not_offered(client, coop_staff, coop, other_coop, variant):
    client.force_login(coop_staff)
    response = _post(client, coop, variant, warehouse=other_coop.warehouses.get().pk)
    assert response.status_code == 200 and not StockLot.objects.filter(quantity_received=5).exists()
