"""Selling by actual weight through the API: the terms on ProductVariant, orderFulfill with each
line's actualWeight (grams, the shop's weight unit), OrderLine.actualWeight and the totals after it."""
import pytest

from storefront.graphql.core.ids import global_id
from storefront.order.models import Order, OrderGrantedRefund
from tests.checkout.helpers import place_order
from tests.factories import make_product
from tests.graphql.flows import assert_permission_denied

pytestmark = pytest.mark.django_db

VARIANT = """
query V($id: ID!) { productVariant(id: $id, channel: "vietnam") {
  sku soldByWeight nominalWeight { unit value } weightTolerancePercent weight { unit value } } }"""
ORDER_FULFILL = """
mutation Fulfill($order: ID!, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    order { total { gross { amount } } subtotal { gross { amount } }
            lines { soldByWeight nominalWeight { unit value } actualWeight { unit value }
                    totalPrice { gross { amount } } } }
    errors { field message code } }
}"""


@pytest.fixture
def fish(coop, channel):
    return make_product(coop, channel, name="Cá lóc đồng", price=120_000, sold_by_weight=True, nominal_weight_g=1000,
                        weight_tolerance_percent=10).variants.get()


def _input(order, grams):
    line = order.lines.get()
    warehouse = global_id("Warehouse", line.cooperative.warehouses.get().pk)
    item = {"orderLineId": global_id("OrderLine", line.pk), "stocks": [{"quantity": line.quantity,
                                                                       "warehouse": warehouse}]}
    if grams is not None:
        item["actualWeight"] = grams
    return {"order": global_id("Order", order.pk), "input": {"lines": [item], "trackingNumber": "VN1"}}


def test_variant_states_how_it_is_sold(gql, fish, variant):
    sold = gql.execute(VARIANT, {"id": global_id("ProductVariant", fish.pk)})["productVariant"]
    assert (sold["soldByWeight"], sold["nominalWeight"], sold["weightTolerancePercent"]) == (
        True, {"unit": "G", "value": 1000.0}, 10)
    by_unit = gql.execute(VARIANT, {"id": global_id("ProductVariant", variant.pk)})["productVariant"]
    assert (by_unit["soldByWeight"], by_unit["nominalWeight"], by_unit["weightTolerancePercent"]) == (False, None, None)


def test_fulfil_with_actual_weight(gql_as, coop_staff, channel, fish, shipping_method):
    order = place_order(channel, [(fish, 2)])  # cash on delivery
    client = gql_as(coop_staff)
    missing = client.execute(ORDER_FULFILL, _input(order, None))["orderFulfill"]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("actualWeight", "REQUIRED")]
    too_far = client.execute(ORDER_FULFILL, _input(order, 2601))["orderFulfill"]
    assert [(e["field"], e["code"]) for e in too_far["errors"]] == [("actualWeight", "INVALID")]
    assert "2,6 kg" in too_far["errors"][0]["message"]
    done = client.execute(ORDER_FULFILL, _input(order, 1850))["orderFulfill"]
    assert done["errors"] == []
    [line] = done["order"]["lines"]
    assert line == {"soldByWeight": True, "nominalWeight": {"unit": "G", "value": 2000.0},
                    "actualWeight": {"unit": "G", "value": 1850.0}, "totalPrice": {"gross": {"amount": 222000}}}
    order.refresh_from_db()
    # A cooperative's staff see their own part: its goods as weighed.
    assert done["order"]["subtotal"]["gross"]["amount"] == done["order"]["total"]["gross"]["amount"] == 222_000
    assert order.total_amount == 222_000 + order.shipping_price_amount


def test_prepaid_lighter_weight_grants_a_refund(gql_as, coop_staff, program_staff, channel, fish, shipping_method):
    from storefront.order.services import order_mark_as_paid
    from storefront.payment.gateways import VIETQR

    order = place_order(channel, [(fish, 1)], gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT7")
    done = gql_as(coop_staff).execute(ORDER_FULFILL, _input(order, 900))["orderFulfill"]
    assert done["errors"] == []
    assert done["order"]["lines"][0]["totalPrice"]["gross"]["amount"] == 108_000
    assert OrderGrantedRefund.objects.get(order=order).amount == 12_000


def test_another_cooperative_is_refused(gql_as, other_coop_staff, channel, fish, shipping_method):
    order = place_order(channel, [(fish, 1)])
    assert_permission_denied(gql_as(other_coop_staff).post(ORDER_FULFILL, _input(order, 1000)), "orderFulfill")
    assert Order.objects.get().lines.get().actual_weight_g is None
