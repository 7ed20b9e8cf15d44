"""orderFulfillmentReturnProducts and orderGrantRefundCreate as a cooperative's staff use them, and
Order.grantedRefunds / totalGrantedRefund; another cooperative and shoppers are refused."""
import pytest
from django.db.models import Sum

from storefront.graphql.core.ids import global_id
from storefront.order.models import OrderGrantedRefund, OrderReturn
from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from storefront.payment.models import Payment
from storefront.warehouse.models import Stock, StockLot
from tests.checkout.helpers import place_order
from tests.graphql.flows import assert_permission_denied

pytestmark = pytest.mark.django_db

RETURN = """
mutation Return($order: ID!, $input: OrderReturnProductsInput!) {
  orderFulfillmentReturnProducts(order: $order, input: $input) {
    returnFulfillment { id } order { id totalGrantedRefund { amount currency }
      grantedRefunds { amount { amount } status lines { quantity orderLine { productName } } } }
    errors { field message code }
  }
}"""
GRANT = """
mutation Grant($id: ID!, $input: OrderGrantRefundCreateInput!) {
  orderGrantRefundCreate(id: $id, input: $input) {
    grantedRefund { id amount { amount currency } reason status shippingCostsIncluded lines { quantity } }
    order { totalGrantedRefund { amount } }
    errors { field message code }
  }
}"""
ORDER = """query Order($id: ID!) { order(id: $id) { totalGrantedRefund { amount } totalRefunded { amount }
  grantedRefunds { amount { amount } status } } }"""


@pytest.fixture
def delivered(variant, channel, shipping_method, customer, coop_staff, program_staff):
    """3 × 195,000 ₫ paid by VietQR and delivered."""
    order = place_order(channel, [(variant, 3)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order_fulfill(order=order, lines={str(line.pk): line.quantity for line in order.lines.all()},
                  tracking_number="VN1", actor=coop_staff)
    fulfillment_deliver(fulfillment=order.fulfillments.get(), actor=coop_staff)
    order.refresh_from_db()
    return order


def _return_input(order, quantity, **extra):
    line = order.lines.get()
    return {"order": global_id("Order", order.pk), "input": {
        "orderLines": [{"orderLineId": global_id("OrderLine", line.pk), "quantity": quantity}], **extra}}


def test_a_cooperative_takes_back_units_and_refunds_them(gql_as, delivered, coop_staff, variant):
    stock_before = Stock.objects.get(product_variant=variant).quantity
    data = gql_as(coop_staff).execute(RETURN, _return_input(delivered, 2, refund=True, reason="Dập"))
    payload = data["orderFulfillmentReturnProducts"]
    assert payload["errors"] == [] and payload["returnFulfillment"] is None
    assert payload["order"]["totalGrantedRefund"] == {"amount": 390_000.0, "currency": "VND"}
    assert payload["order"]["grantedRefunds"] == [{"amount": {"amount": 390_000.0}, "status": "NONE",
                                                   "lines": [{"quantity": 2, "orderLine": {"productName": variant.product.name}}]}]
    stock = Stock.objects.get(product_variant=variant)
    assert stock.quantity == stock_before + 2
    assert stock.quantity == StockLot.objects.filter(stock=stock).aggregate(n=Sum("quantity"))["n"]
    # a written-off unit is not restocked; more units than delivered are refused, nothing written
    fulfillment_line = global_id("FulfillmentLine", delivered.lines.get().pk)
    data = gql_as(coop_staff).execute(RETURN, {"order": global_id("Order", delivered.pk), "input": {
        "fulfillmentLines": [{"fulfillmentLineId": fulfillment_line, "quantity": 1, "writeOff": True}]}})
    assert data["orderFulfillmentReturnProducts"]["errors"] == []
    assert Stock.objects.get(product_variant=variant).quantity == stock_before + 2
    data = gql_as(coop_staff).execute(RETURN, _return_input(delivered, 1, refund=True))
    errors = data["orderFulfillmentReturnProducts"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("orderLines", "INVALID_QUANTITY")]
    assert OrderReturn.objects.count() == 2 and OrderGrantedRefund.objects.count() == 1


def test_refund_above_what_was_paid_for_the_lines_is_refused(gql_as, delivered, coop_staff):
    data = gql_as(coop_staff).execute(RETURN, _return_input(delivered, 1, refund=True, amountToRefund=195_001))
    errors = data["orderFulfillmentReturnProducts"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("amountToRefund", "INVALID")]
    assert not OrderReturn.objects.exists() and not OrderGrantedRefund.objects.exists()


def test_another_cooperative_and_the_shopper_are_refused(gql_as, delivered, other_coop_staff, customer):
    for user in (other_coop_staff, customer):
        body = gql_as(user).post(RETURN, _return_input(delivered, 1, refund=True))
        assert_permission_denied(body, "orderFulfillmentReturnProducts")
        body = gql_as(user).post(GRANT, {"id": global_id("Order", delivered.pk), "input": {
            "amount": 1000, "transactionId": global_id("TransactionItem", Payment.objects.get().pk)}})
        assert_permission_denied(body, "orderGrantRefundCreate")
    assert not OrderReturn.objects.exists() and not OrderGrantedRefund.objects.exists()


def test_grant_refund_by_lines_or_amount_never_above_what_was_paid(gql_as, delivered, coop_staff, program_staff):
    order_id = global_id("Order", delivered.pk)
    transaction_id = global_id("TransactionItem", Payment.objects.get().pk)
    line_id = global_id("OrderLine", delivered.lines.get().pk)
    data = gql_as(coop_staff).execute(GRANT, {"id": order_id, "input": {
        "reason": "Thiếu cân", "lines": [{"id": line_id, "quantity": 1}], "transactionId": transaction_id}})
    payload = data["orderGrantRefundCreate"]
    assert payload["errors"] == []
    assert payload["grantedRefund"]["amount"] == {"amount": 195_000.0, "currency": "VND"}
    assert (payload["grantedRefund"]["reason"], payload["grantedRefund"]["status"]) == ("Thiếu cân", "NONE")
    assert payload["grantedRefund"]["lines"] == [{"quantity": 1}]
    # 3 units delivered, 1 refunded: 3 more are too many
    data = gql_as(coop_staff).execute(GRANT, {"id": order_id, "input": {
        "lines": [{"id": line_id, "quantity": 3}], "transactionId": transaction_id}})
    assert [e["field"] for e in data["orderGrantRefundCreate"]["errors"]] == ["lines"]
    # charged 585,000 + shipping; left after 195,000: anything above is refused
    left = delivered.total_charged_amount - 195_000
    data = gql_as(program_staff).execute(GRANT, {"id": order_id, "input": {
        "amount": left + 1, "transactionId": transaction_id}})
    assert [(e["field"], e["code"]) for e in data["orderGrantRefundCreate"]["errors"]] == [
        ("amount", "AMOUNT_GREATER_THAN_AVAILABLE")]
    data = gql_as(program_staff).execute(GRANT, {"id": order_id, "input": {"amount": "10.5",
                                                                          "transactionId": transaction_id}})
    assert [(e["field"], e["code"]) for e in data["orderGrantRefundCreate"]["errors"]] == [("amount", "INVALID")]
    data = gql_as(program_staff).execute(GRANT, {"id": order_id, "input": {
        "amount": 1000, "transactionId": global_id("TransactionItem", 999)}})
    assert [(e["field"], e["code"]) for e in data["orderGrantRefundCreate"]["errors"]] == [
        ("transactionId", "NOT_FOUND")]
    assert OrderGrantedRefund.objects.count() == 1
    data = gql_as(program_staff).execute(ORDER, {"id": order_id})["order"]
    assert data == {"totalGrantedRefund": {"amount": 195_000.0}, "totalRefunded": {"amount": 0.0},
                    "grantedRefunds": [{"amount": {"amount": 195_000.0}, "status": "NONE"}]}


def test_each_cooperative_sees_only_its_own_refunds(gql_as, delivered, coop_staff, other_coop_staff, coop):
    from storefront.order.refunds import refund_grant

    refund_grant(order=delivered, actor=coop_staff, amount=5_000, cooperative=coop)
    order_id = global_id("Order", delivered.pk)
    mine = gql_as(coop_staff).execute(ORDER, {"id": order_id})["order"]
    assert mine["totalGrantedRefund"] == {"amount": 5_000.0}
    body = gql_as(other_coop_staff).post(ORDER, {"id": order_id})
    assert body["data"]["order"] is None


def test_a_cooperative_refunds_at_most_its_own_part(gql_as, variant, channel, shipping_method, customer,
                                                   coop_staff, program_staff):
    """Without lines, a cooperative's refund is capped by its part (2 × 195,000 ₫), not by all that was
    charged (the 30,000 ₫ shipping too)."""
    order = place_order(channel, [(variant, 2)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT2")
    assert order.total_amount == 390_000 + 30_000
    order_id = global_id("Order", order.pk)
    transaction_id = global_id("TransactionItem", Payment.objects.get(order=order).pk)
    data = gql_as(coop_staff).execute(GRANT, {"id": order_id, "input": {"amount": 390_001,
                                                                         "transactionId": transaction_id}})
    assert [e["code"] for e in data["orderGrantRefundCreate"]["errors"]] == ["AMOUNT_GREATER_THAN_AVAILABLE"]
    data = gql_as(coop_staff).execute(GRANT, {"id": order_id, "input": {"amount": 390_000,
                                                                         "transactionId": transaction_id}})
    assert data["orderGrantRefundCreate"]["grantedRefund"]["amount"]["amount"] == 390_000
    data = gql_as(program_staff).execute(GRANT, {"id": order_id, "input": {"amount": 30_000,
                                                                            "transactionId": transaction_id}})
    assert data["orderGrantRefundCreate"]["errors"] == []  # the shipping is the program's to refund


def test_in_a_shared_order_a_cooperative_touches_only_its_own_lines(gql_as, variant, other_coop, channel,
                                                                   shipping_method, customer, coop_staff,
                                                                   other_coop_staff, program_staff):
    from tests.factories import make_product

    greens = make_product(other_coop, channel, name="Cải ngọt", price=20_000).variants.get()
    order = place_order(channel, [(variant, 1), (greens, 2)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT3")
    order_fulfill(order=order, lines={str(line.pk): line.quantity for line in order.lines.all()},
                  tracking_number="VN3", actor=program_staff)
    for part in order.fulfillments.all():
        fulfillment_deliver(fulfillment=part, actor=program_staff)
    theirs = order.lines.get(cooperative=other_coop)
    order_id = global_id("Order", order.pk)
    body = gql_as(coop_staff).post(RETURN, {"order": order_id, "input": {
        "orderLines": [{"orderLineId": global_id("OrderLine", theirs.pk), "quantity": 1}], "refund": True}})
    assert_permission_denied(body, "orderFulfillmentReturnProducts")
    body = gql_as(coop_staff).post(GRANT, {"id": order_id, "input": {
        "lines": [{"id": global_id("OrderLine", theirs.pk), "quantity": 1}],
        "transactionId": global_id("TransactionItem", Payment.objects.get(order=order).pk)}})
    assert_permission_denied(body, "orderGrantRefundCreate")
    assert not OrderReturn.objects.exists() and not OrderGrantedRefund.objects.exists()
    data = gql_as(other_coop_staff).execute(RETURN, {"order": order_id, "input": {
        "orderLines": [{"orderLineId": global_id("OrderLine", theirs.pk), "quantity": 1}], "refund": True}})
    assert data["orderFulfillmentReturnProducts"]["order"]["totalGrantedRefund"]["amount"] == 20_000
