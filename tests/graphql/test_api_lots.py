"""Harvest lots over the API: staff record and read them; shoppers see only the dates a cooperative shows."""
from datetime import timedelta

import pytest

from storefront.graphql.core.ids import global_id
from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import StockLot

pytestmark = pytest.mark.django_db

TODAY = sales_date()
LOT_CREATE = """
mutation Lot($input: StockLotCreateInput!) {
  stockLotCreate(input: $input) {
    stockLot { id code harvestDate bestBefore sellableUntil quantity standard certificate isExpired traceabilityUrl
               warehouse { slug } }
    errors { field message code }
  }
}"""
LOT_UPDATE = """
mutation LotUpdate($id: ID!, $input: StockLotUpdateInput!) {
  stockLotUpdate(id: $id, input: $input) { stockLot { bestBefore note } errors { field code } }
}"""
VARIANT_LOTS = """
query Variant($id: ID!, $channel: String!) {
  productVariant(id: $id, channel: $channel) {
    quantityAvailable bestBefore harvestDate
    lots { code quantity quantityAllocated }
    stocks { quantity bestBefore harvestDate }
  }
}"""


def _input(variant, coop, **extra):
    return {"variant": global_id("ProductVariant", variant.pk), "warehouse": global_id("Warehouse",
            coop.warehouses.get().pk), "quantity": 12, **extra}


def test_staff_record_a_lot_and_read_it_on_the_variant(gql_as, coop_staff, coop, variant, channel):
    client = gql_as(coop_staff)
    created = client.execute(LOT_CREATE, {"input": _input(
        variant, coop, code="BUOI-2612", harvestDate=str(TODAY - timedelta(days=2)), shelfLifeDays=10,
        standard="VIETGAP", certificate="VG-123")})["stockLotCreate"]
    assert created["errors"] == []
    lot = created["stockLot"]
    assert lot["code"] == "BUOI-2612" and lot["quantity"] == 12 and lot["standard"] == "VIETGAP"
    assert lot["bestBefore"] == str(TODAY + timedelta(days=8)) == lot["sellableUntil"]
    assert lot["traceabilityUrl"].endswith(f"/truy-xuat/{StockLot.objects.get(code='BUOI-2612').public_id}/")
    data = client.execute(VARIANT_LOTS, {"id": global_id("ProductVariant", variant.pk),
                                         "channel": channel.slug})["productVariant"]
    assert data["quantityAvailable"] == 22
    assert sorted(row["quantity"] for row in data["lots"]) == [10, 12]
    assert data["bestBefore"] == str(TODAY + timedelta(days=8))  # staff always see their dates
    assert data["stocks"] == [{"quantity": 22, "bestBefore": str(TODAY + timedelta(days=8)),
                               "harvestDate": str(TODAY - timedelta(days=2))}]

    updated = client.execute(LOT_UPDATE, {"id": lot["id"], "input": {"bestBefore": str(TODAY + timedelta(days=3)),
                                                                      "note": "Sửa hạn"}})["stockLotUpdate"]
    assert updated == {"stockLot": {"bestBefore": str(TODAY + timedelta(days=3)), "note": "Sửa hạn"}, "errors": []}


@pytest.mark.parametrize(("extra", "field", "code"), [
    ({"quantity": 0}, "quantity", "INVALID"),
    ({"harvestDate": str(TODAY), "bestBefore": str(TODAY - timedelta(days=1))}, "bestBefore", "INVALID"),
])
def test_bad_lots_answer_saleor_style_errors(gql_as, coop_staff, coop, variant, extra, field, code):
    result = gql_as(coop_staff).execute(LOT_CREATE, {"input": _input(variant, coop, **extra)})["stockLotCreate"]
    assert result["stockLot"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert result["errors"][0]["message"]
    assert not StockLot.objects.exists()


def test_a_taken_code_and_another_cooperatives_warehouse_are_refused(gql_as, coop_staff, coop, other_coop, variant):
    client = gql_as(coop_staff)
    assert client.execute(LOT_CREATE, {"input": _input(variant, coop, code="A1")})["stockLotCreate"]["errors"] == []
    again = client.execute(LOT_CREATE, {"input": _input(variant, coop, code="A1")})["stockLotCreate"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("code", "UNIQUE")]
    foreign = client.execute(LOT_CREATE, {"input": {**_input(variant, coop), "warehouse": global_id(
        "Warehouse", other_coop.warehouses.get().pk)}})["stockLotCreate"]
    assert [(e["field"], e["code"]) for e in foreign["errors"]] == [("warehouse", "INVALID")]


def test_other_cooperatives_staff_get_the_permission_error(gql_as, other_coop_staff, coop, variant):
    body = gql_as(other_coop_staff).post(LOT_CREATE, {"input": _input(variant, coop)})
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not StockLot.objects.exists()


def test_shoppers_see_lot_dates_only_where_the_cooperative_shows_them(gql, coop_staff, variant, channel):
    from storefront.warehouse.services import stock_lot_create

    stock_lot_create(actor=coop_staff, variant=variant, warehouse=variant.product.cooperative.warehouses.get(),
                     quantity=3, harvest_date=TODAY, best_before=TODAY + timedelta(days=4))
    variables = {"id": global_id("ProductVariant", variant.pk), "channel": channel.slug}
    hidden = gql.execute(VARIANT_LOTS, variables)["productVariant"]
    assert (hidden["bestBefore"], hidden["harvestDate"], hidden["lots"], hidden["stocks"]) == (None, None, None, None)
    variant.product.show_lot_dates = True
    variant.product.save()
    shown = gql.execute(VARIANT_LOTS, variables)["productVariant"]
    assert (shown["bestBefore"], shown["harvestDate"]) == (str(TODAY + timedelta(days=4)), str(TODAY))
    assert shown["lots"] is None and shown["stocks"] is None
