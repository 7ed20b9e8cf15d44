"""After the order through the API: orderMarkAsPaid (program staff), orderFulfillmentCancel,
orderFulfillmentMarkDelivered (cash on delivery) and orderFulfillmentRefuse, each scoped to the
acting cooperative; Saleor's error codes and chargeStatus."""
import pytest

from storefront.graphql.core.ids import global_id
from storefront.order.models import Fulfillment, OrderGrantedRefund
from storefront.order.services import fulfillment_ship
from storefront.payment.gateways import VIETQR
from storefront.payment.models import Payment
from storefront.warehouse.models import Stock
from tests.checkout.helpers import place_order
from tests.factories import make_product
from tests.graphql.flows import assert_permission_denied

pytestmark = pytest.mark.django_db

PART = "fulfillment { id status } order { id total { gross { amount } } chargeStatus paymentStatus isPaid }"
MARK_AS_PAID = """mutation Paid($id: ID!, $ref: String) { orderMarkAsPaid(id: $id, transactionReference: $ref) {
  order { id chargeStatus isPaid totalCharged { amount } } errors { field code message } } }"""
CANCEL = """mutation Cancel($id: ID!, $input: FulfillmentCancelInput) { orderFulfillmentCancel(id: $id, input: $input) {
  %s errors { field code message } } }""" % PART
DELIVERED = """mutation Delivered($id: ID!, $cash: Int) { orderFulfillmentMarkDelivered(id: $id, cashCollected: $cash) {
  %s errors { field code message } } }""" % PART
REFUSE = """mutation Refuse($id: ID!, $reason: String!) { orderFulfillmentRefuse(id: $id, reason: $reason) {
  %s errors { field code message } } }""" % PART


@pytest.fixture
def order(channel, variant, other_coop, customer, shipping_method):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    return place_order(channel, [(variant, 2), (veg, 3)], actor=customer)


def _id(part):
    return global_id("Fulfillment", part.pk)


def test_mark_as_paid_by_program_staff_only(gql_as, channel, variant, customer, shipping_method, program_staff,
                                            coop_staff):
    order = place_order(channel, [(variant, 1)], actor=customer, gateway=VIETQR)
    variables = {"id": global_id("Order", order.pk), "ref": "FT2611"}
    assert_permission_denied(gql_as(coop_staff).post(MARK_AS_PAID, variables), "orderMarkAsPaid")
    assert_permission_denied(gql_as(customer).post(MARK_AS_PAID, variables), "orderMarkAsPaid")
    paid = gql_as(program_staff).execute(MARK_AS_PAID, variables)["orderMarkAsPaid"]
    assert paid["errors"] == [] and paid["order"]["chargeStatus"] == "FULL" and paid["order"]["isPaid"] is True
    assert paid["order"]["totalCharged"]["amount"] == 225_000
    assert Payment.objects.get(order=order, status="charged").psp_reference == "FT2611"
    again = gql_as(program_staff).execute(MARK_AS_PAID, variables)["orderMarkAsPaid"]
    assert again["errors"][0]["code"] == "INVALID"


def test_fulfillment_cancel_scoped_and_refused_after_shipping(gql_as, order, coop, other_coop, coop_staff,
                                                              other_coop_staff, variant):
    mine = order.fulfillments.get(cooperative=coop)
    theirs = order.fulfillments.get(cooperative=other_coop)
    assert_permission_denied(gql_as(coop_staff).post(CANCEL, {"id": _id(theirs), "input": {"reason": "x"}}),
                             "orderFulfillmentCancel")
    no_reason = gql_as(coop_staff).execute(CANCEL, {"id": _id(mine)})["orderFulfillmentCancel"]
    assert no_reason["errors"][0]["code"] == "REQUIRED" and no_reason["errors"][0]["field"] == "reason"
    fulfillment_ship(fulfillment=theirs, actor=other_coop_staff, tracking_number="VTP1")
    late = gql_as(other_coop_staff).execute(CANCEL, {"id": _id(theirs), "input": {"reason": "muộn"}})
    assert late["orderFulfillmentCancel"]["errors"][0]["code"] == "CANNOT_CANCEL_FULFILLMENT"
    done = gql_as(coop_staff).execute(CANCEL, {"id": _id(mine), "input": {"reason": "Hết hàng"}})
    done = done["orderFulfillmentCancel"]
    assert done["errors"] == [] and done["fulfillment"]["status"] == "CANCELED"
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0
    # The shipping fee can no longer be carried by the parcel already sent: the order owes the vegetables.
    assert Fulfillment.objects.get(pk=theirs.pk).amount_due == 60_000


def test_mark_delivered_with_cash_and_refuse(gql_as, order, coop, other_coop, coop_staff, other_coop_staff):
    mine = order.fulfillments.get(cooperative=coop)
    theirs = order.fulfillments.get(cooperative=other_coop)
    fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number="GHN1")
    fulfillment_ship(fulfillment=theirs, actor=other_coop_staff, tracking_number="VTP1")
    assert_permission_denied(gql_as(other_coop_staff).post(DELIVERED, {"id": _id(mine), "cash": 420_000}),
                             "orderFulfillmentMarkDelivered")
    assert_permission_denied(gql_as(other_coop_staff).post(REFUSE, {"id": _id(mine), "reason": "x"}),
                             "orderFulfillmentRefuse")
    short = gql_as(coop_staff).execute(DELIVERED, {"id": _id(mine), "cash": 400_000})
    assert short["orderFulfillmentMarkDelivered"]["errors"][0] | {"message": ""} == {
        "field": "cashCollected", "code": "INVALID", "message": ""}
    assert not Payment.objects.filter(fulfillment=mine).exists()
    done = gql_as(coop_staff).execute(DELIVERED, {"id": _id(mine), "cash": 420_000})["orderFulfillmentMarkDelivered"]
    assert done["errors"] == [] and done["fulfillment"]["status"] == "FULFILLED"
    assert (done["order"]["chargeStatus"], done["order"]["paymentStatus"], done["order"]["isPaid"]) == (
        "PARTIAL", "PARTIALLY_CHARGED", False)
    refused = gql_as(other_coop_staff).execute(REFUSE, {"id": _id(theirs), "reason": "Khách đi vắng"})
    refused = refused["orderFulfillmentRefuse"]
    assert refused["errors"] == [] and refused["fulfillment"]["status"] == "RETURNED"
    # The refused vegetables owe nothing: the order is the rice and the shipping, all collected. Their
    # cooperative sees only its own part's total, now 0.
    assert refused["order"]["total"]["gross"]["amount"] == 0 and refused["order"]["chargeStatus"] == "FULL"
    order.refresh_from_db()
    assert order.total_amount == 420_000
    again = gql_as(other_coop_staff).execute(REFUSE, {"id": _id(theirs), "reason": "x"})["orderFulfillmentRefuse"]
    assert again["errors"][0]["code"] == "INVALID"


def test_prepaid_part_cancelled_through_the_api_becomes_a_refund_due(gql_as, channel, variant, other_coop, customer,
                                                                    shipping_method, program_staff, other_coop_staff):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    order = place_order(channel, [(variant, 2), (veg, 3)], actor=customer, gateway=VIETQR)
    gql_as(program_staff).execute(MARK_AS_PAID, {"id": global_id("Order", order.pk)})
    theirs = order.fulfillments.get(cooperative=other_coop)
    done = gql_as(other_coop_staff).execute(CANCEL, {"id": _id(theirs), "input": {"reason": "Mưa lớn"}})
    assert done["orderFulfillmentCancel"]["errors"] == []
    refund = OrderGrantedRefund.objects.get(order=order)
    assert (refund.amount, refund.cooperative_id, refund.kind) == (60_000, other_coop.pk, "cancellation")


ORDER_CANCEL = """mutation Cancel($id: ID!) { orderCancel(id: $id) {
  order { id status chargeStatus total { gross { amount } } } errors { field code message } } }"""


def test_order_cancel_prepaid_refunds_and_after_shipping_refused(gql_as, channel, variant, other_coop, customer,
                                                                 shipping_method, program_staff, coop_staff):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    prepaid = place_order(channel, [(variant, 2), (veg, 3)], actor=customer, gateway=VIETQR)
    gql_as(program_staff).execute(MARK_AS_PAID, {"id": global_id("Order", prepaid.pk)})
    done = gql_as(customer).execute(ORDER_CANCEL, {"id": global_id("Order", prepaid.pk)})["orderCancel"]
    assert done["errors"] == [] and done["order"]["status"] == "CANCELED"
    assert done["order"]["total"]["gross"]["amount"] == 0
    assert sum(OrderGrantedRefund.objects.filter(order=prepaid).values_list("amount", flat=True)) == 480_000

    cod = place_order(channel, [(variant, 1)], actor=customer)
    fulfillment_ship(fulfillment=cod.fulfillments.get(), actor=coop_staff, tracking_number="GHN1")
    late = gql_as(customer).execute(ORDER_CANCEL, {"id": global_id("Order", cod.pk)})["orderCancel"]
    assert late["errors"][0]["code"] == "CANNOT_CANCEL_ORDER" and late["errors"][0]["message"]
    cod.refresh_from_db()
    assert cod.status == "fulfilled"


def test_a_cooperative_reads_the_events_of_its_own_part_only(gql_as, order, coop, other_coop, coop_staff,
                                                            other_coop_staff, customer):
    from storefront.order.services import fulfillment_cancel

    fulfillment_ship(fulfillment=order.fulfillments.get(cooperative=coop), actor=coop_staff, tracking_number="G1")
    fulfillment_cancel(fulfillment=order.fulfillments.get(cooperative=other_coop), actor=other_coop_staff,
                       reason="Mưa lớn")
    query = "query O($id: ID!) { order(id: $id) { events { type } } }"
    variables = {"id": global_id("Order", order.pk)}

    def types(user):
        return [e["type"] for e in gql_as(user).execute(query, variables)["order"]["events"]]

    assert types(other_coop_staff) == ["FULFILLMENT_CANCELED"]
    assert "FULFILLMENT_CANCELED" not in types(coop_staff) and "FULFILLMENT_FULFILLED_ITEMS" in types(coop_staff)
    assert {"PLACED", "FULFILLMENT_FULFILLED_ITEMS", "FULFILLMENT_CANCELED"} <= set(types(customer))
