"""The whole checkout as a Saleor storefront runs it, and its errors."""
import pytest

from storefront.graphql.core.ids import global_id
from storefront.order.models import Order
from tests.graphql.flows import ADDRESS, create_checkout, ready_checkout
from tests.graphql.queries import (BILLING_ADDRESS_UPDATE, CHECKOUT_COMPLETE, CHECKOUT_CREATE, CHECKOUT_QUERY,
                                   CONSENT, DELIVERY_METHOD_UPDATE, EMAIL_UPDATE, LINES_ADD, LINES_DELETE,
                                   LINES_UPDATE, NOTE_UPDATE, ORDER_BY_ID, ORDER_BY_TOKEN, PAYMENT_CREATE,
                                   SHIPPING_ADDRESS_UPDATE, TRANSACTION_INITIALIZE)

def test_full_checkout_cash_on_delivery(gql, variant, shipping_method):
    checkout = create_checkout(gql, variant)
    assert checkout["quantity"] == 2
    assert checkout["subtotalPrice"]["gross"] == {"amount": 390000.0, "currency": "VND"}
    assert checkout["lines"][0]["unitPrice"]["gross"]["amount"] == 195000
    assert {g["id"] for g in checkout["availablePaymentGateways"]} == {"htx.payments.cod", "htx.payments.vietqr"}
    # Saleor answers a checkout without a voucher with a zero discount, not null
    assert checkout["shippingMethods"] == [] and checkout["giftCards"] == [] and checkout["discount"]["amount"] == 0
    cid = checkout["id"]

    address = gql.execute(SHIPPING_ADDRESS_UPDATE, {"id": cid, "address": {**ADDRESS, "countryArea": "92"}})
    shipped = address["checkoutShippingAddressUpdate"]["checkout"]
    assert shipped["shippingAddress"]["countryArea"] == "Thành phố Cần Thơ"
    assert shipped["shippingAddress"]["phone"] == "+84912345678"
    assert shipped["shippingMethods"][0]["price"]["amount"] == 30000
    gql.execute(BILLING_ADDRESS_UPDATE, {"id": cid, "address": ADDRESS})
    method_id = shipped["shippingMethods"][0]["id"]
    delivery = gql.execute(DELIVERY_METHOD_UPDATE, {"id": cid, "deliveryMethodId": method_id})
    assert delivery["checkoutDeliveryMethodUpdate"]["checkout"]["totalPrice"]["gross"]["amount"] == 420000
    assert gql.execute(EMAIL_UPDATE, {"id": cid, "email": "An@Example.com"})[
        "checkoutEmailUpdate"]["checkout"]["email"] == "an@example.com"
    assert gql.execute(NOTE_UPDATE, {"id": cid, "note": "Giao giờ hành chính"})[
        "checkoutCustomerNoteUpdate"]["checkout"]["customerNote"] == "Giao giờ hành chính"
    # Only Saleor's own operations: no consent extension is needed to place the order.
    completed = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]
    assert completed["errors"] == []
    order = completed["order"]
    assert order["status"] == "UNFULFILLED" and order["paymentStatus"] == "NOT_CHARGED"
    assert order["total"]["gross"] == {"amount": 420000.0, "currency": "VND"}
    assert order["lines"][0]["quantity"] == 2 and order["vietqrTransfer"] is None
    assert order["customerNote"] == "Giao giờ hành chính"
    assert Order.objects.get().payment_gateway == "htx.payments.cod"
    again = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]  # idempotent
    assert again["order"]["id"] == order["id"]
    by_token = gql.execute(ORDER_BY_TOKEN, {"token": order["token"]})["orderByToken"]
    assert by_token["number"] == order["number"]


def test_vietqr_checkout_shows_transfer(gql, variant, shipping_method):
    cid = ready_checkout(gql, variant, shipping_method)
    paid = gql.execute(PAYMENT_CREATE, {"id": cid, "gateway": "htx.payments.vietqr"})["checkoutPaymentCreate"]
    assert paid["errors"] == [] and paid["payment"] is None
    order = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["order"]
    assert order["status"] == "UNCONFIRMED"
    transfer = order["vietqrTransfer"]
    assert transfer["amount"] == {"amount": 420000.0, "currency": "VND"}
    assert transfer["transferNote"] == f"HTX{order['number']}"
    assert transfer["payload"].startswith("000201") and transfer["imageUrl"].startswith("data:image/svg+xml;base64,")


def test_transaction_initialize_picks_gateway(gql, variant, shipping_method):
    cid = ready_checkout(gql, variant, shipping_method)
    init = gql.execute(TRANSACTION_INITIALIZE, {"id": cid, "gateway": "htx.payments.vietqr"})["transactionInitialize"]
    assert init["errors"] == [] and init["data"]["gateway"] == "htx.payments.vietqr"
    order = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["order"]
    assert order["vietqrTransfer"] is not None
    bad = gql.execute(TRANSACTION_INITIALIZE, {"id": create_checkout(gql, variant)["id"], "gateway": "stripe"})
    assert bad["transactionInitialize"]["errors"][0]["code"] in {"INVALID", "NOT_FOUND"}


def test_lines_add_update_delete(gql, variant, combo):
    checkout = create_checkout(gql, variant, quantity=1)
    cid = checkout["id"]
    combo_variant = combo.variants.get()
    added = gql.execute(LINES_ADD, {"id": cid, "lines": [
        {"quantity": 2, "variantId": global_id("ProductVariant", combo_variant.pk)},
        {"quantity": 1, "variantId": global_id("ProductVariant", variant.pk)}]})["checkoutLinesAdd"]
    assert added["errors"] == []
    assert sorted(line["quantity"] for line in added["checkout"]["lines"]) == [2, 2]
    updated = gql.execute(LINES_UPDATE, {"id": cid, "lines": [
        {"quantity": 5, "variantId": global_id("ProductVariant", variant.pk)}]})["checkoutLinesUpdate"]
    assert updated["errors"] == [] and updated["checkout"]["quantity"] == 7
    line_id = next(line["id"] for line in updated["checkout"]["lines"] if line["quantity"] == 2)
    by_line = gql.execute(LINES_UPDATE, {"id": cid, "lines": [{"quantity": 3, "lineId": line_id}]})
    assert by_line["checkoutLinesUpdate"]["checkout"]["quantity"] == 8
    deleted = gql.execute(LINES_DELETE, {"id": cid, "linesIds": [line_id]})["checkoutLinesDelete"]
    assert deleted["errors"] == [] and deleted["checkout"]["quantity"] == 5


def test_insufficient_stock_and_unknown_variant_errors(gql, variant, combo):
    body = gql.execute(CHECKOUT_CREATE, {"input": {"channel": "vietnam", "lines": [
        {"quantity": 11, "variantId": global_id("ProductVariant", variant.pk)}]}})["checkoutCreate"]
    assert body["checkout"] is None
    assert body["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    unknown = gql.execute(CHECKOUT_CREATE, {"input": {"channel": "vietnam", "lines": [
        {"quantity": 1, "variantId": global_id("ProductVariant", 99999)}]}})["checkoutCreate"]
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    garbage = gql.execute(CHECKOUT_CREATE, {"input": {"channel": "vietnam", "lines": [
        {"quantity": 1, "variantId": "bm9wZQ=="}]}})["checkoutCreate"]
    assert garbage["errors"][0] == {"field": "variantId", "message": "Couldn't resolve id: bm9wZQ==.",
                                    "code": "GRAPHQL_ERROR", "variants": None}
    zero = gql.execute(CHECKOUT_CREATE, {"input": {"channel": "vietnam", "lines": [
        {"quantity": 0, "variantId": global_id("ProductVariant", variant.pk)}]}})["checkoutCreate"]
    assert zero["errors"][0]["code"] == "ZERO_QUANTITY"
    bad_channel = gql.execute(CHECKOUT_CREATE, {"input": {"channel": "nope", "lines": []}})["checkoutCreate"]
    assert bad_channel["errors"][0]["code"] == "NOT_FOUND"


def test_checkout_problems_when_stock_drops(gql, variant):
    checkout = create_checkout(gql, variant, quantity=5)
    stock = variant.stocks.get()
    stock.quantity = 3
    stock.save()
    data = gql.execute(CHECKOUT_QUERY, {"id": checkout["id"]})["checkout"]
    assert data["problems"] == [{"__typename": "CheckoutLineProblemInsufficientStock", "availableQuantity": 3,
                                 "line": {"id": data["lines"][0]["id"]},
                                 "variant": {"id": global_id("ProductVariant", variant.pk)}}]
    assert data["lines"][0]["problems"] == [{"__typename": "CheckoutLineProblemInsufficientStock"}]


@pytest.mark.parametrize("field,value,code", [
    ("countryArea", "Atlantis", "INVALID"),
    ("city", "Phường Không Có", "INVALID"),
    ("phone", "12345", "INVALID"),
])
def test_address_errors_are_saleor_shaped(gql, variant, field, value, code):
    cid = create_checkout(gql, variant)["id"]
    result = gql.execute(SHIPPING_ADDRESS_UPDATE, {"id": cid, "address": {**ADDRESS, field: value}})
    errors = result["checkoutShippingAddressUpdate"]["errors"]
    assert result["checkoutShippingAddressUpdate"]["checkout"] is None
    assert errors and errors[0]["field"] == field and errors[0]["addressType"] == "SHIPPING"
    assert errors[0]["code"] == code


def test_complete_reports_missing_steps(gql, variant):
    cid = create_checkout(gql, variant)["id"]
    errors = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["errors"]
    codes = {e["code"] for e in errors}
    assert {"SHIPPING_ADDRESS_NOT_SET", "BILLING_ADDRESS_NOT_SET"} <= codes
    assert Order.objects.count() == 0


def test_another_users_checkout_is_not_found(gql, gql_as, customer, variant):
    mine = gql_as(customer)
    checkout = create_checkout(mine, variant)
    assert gql.execute(CHECKOUT_QUERY, {"id": checkout["id"]})["checkout"] is None
    result = gql.execute(EMAIL_UPDATE, {"id": checkout["id"], "email": "x@example.com"})["checkoutEmailUpdate"]
    assert result["checkout"] is None and result["errors"][0]["code"] == "NOT_FOUND"
    assert mine.execute(CHECKOUT_QUERY, {"id": checkout["id"]})["checkout"]["email"] == "khach@example.com"


def test_customer_order_by_id_and_me(gql_as, customer, variant, shipping_method):
    client = gql_as(customer)
    cid = ready_checkout(client, variant, shipping_method)
    order = client.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["order"]
    assert client.execute(ORDER_BY_ID, {"id": order["id"]})["order"]["number"] == order["number"]
    me = client.execute("{ me { email orders(first: 5) { totalCount edges { node { number } } } } }")["me"]
    assert me["orders"]["totalCount"] == 1 and me["orders"]["edges"][0]["node"]["number"] == order["number"]


def test_consent_extension_is_recorded_with_the_order(gql, variant, shipping_method):
    from storefront.account.models import ConsentRecord

    cid = ready_checkout(gql, variant, shipping_method)  # sends checkoutPrivacyConsentUpdate
    completed = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]
    assert completed["errors"] == []
    token = Order.objects.get().checkout_token
    assert ConsentRecord.objects.filter(checkout_token=token, purpose="data_processing", granted=True).exists()
