"""Orders through the API as cooperative staff and customers see them: each cooperative its own
lines, fulfilment by the line's cooperative, cancellation by the customer."""
from storefront.graphql.core.ids import global_id
from tests.factories import make_product, make_shipping
from tests.graphql.flows import assert_permission_denied, ready_checkout
from tests.graphql.queries import CHECKOUT_COMPLETE, LINES_ADD

ORDERS = """
query Orders {
  orders(first: 20) { totalCount edges { node { id number userEmail user { email }
    lines { productName quantity } subtotal { gross { amount } } total { gross { amount } } fulfillments { status } } } }
}"""
ORDER_FULFILL = """
mutation Fulfill($order: ID!, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) { order { id status fulfillments { status trackingNumber } }
                                               fulfillments { id status } errors { field message code } }
}"""
ORDER_CANCEL = "mutation Cancel($id: ID!) { orderCancel(id: $id) { order { id status } errors { field code } } }"


def _place_mixed_order(gql, product, other_product):
    """One order with a line from each cooperative."""
    shipping_method = make_shipping(product.channel_listings.get().channel)
    cid = ready_checkout(gql, product.variants.get(), shipping_method, quantity=1)
    gql.execute(LINES_ADD, {"id": cid, "lines": [
        {"quantity": 2, "variantId": global_id("ProductVariant", other_product.variants.get().pk)}]})
    return gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["order"]


def test_orders_show_each_cooperative_only_its_lines(gql, gql_as, coop_staff, other_coop_staff, customer,
                                                     product, other_coop, channel):
    other_product = make_product(other_coop, channel, name="Cải ngọt", price=20_000)
    order = _place_mixed_order(gql, product, other_product)
    mine = gql_as(coop_staff).execute(ORDERS)["orders"]
    assert mine["totalCount"] == 1
    node = mine["edges"][0]["node"]
    assert [line["productName"] for line in node["lines"]] == [product.name]
    assert node["subtotal"]["gross"]["amount"] == 195000 and node["user"] is None
    theirs = gql_as(other_coop_staff).execute(ORDERS)["orders"]["edges"][0]["node"]
    assert [line["productName"] for line in theirs["lines"]] == ["Cải ngọt"]
    assert theirs["subtotal"]["gross"]["amount"] == 40000
    assert_permission_denied(gql_as(customer).post(ORDERS), "orders")
    assert_permission_denied(gql.post(ORDERS), "orders")
    assert order["subtotal"]["gross"]["amount"] == 235000


def test_order_fulfill_by_its_cooperative(gql, gql_as, coop_staff, other_coop_staff, product, other_coop, channel):
    from storefront.order.models import Order

    other_product = make_product(other_coop, channel, name="Cải ngọt", price=20_000)
    placed = _place_mixed_order(gql, product, other_product)
    order = Order.objects.get()
    own_line = order.lines.get(cooperative=product.cooperative)
    other_line = order.lines.exclude(pk=own_line.pk).get()
    warehouse_id = global_id("Warehouse", product.cooperative.warehouses.get().pk)

    def lines(line):
        return [{"orderLineId": global_id("OrderLine", line.pk),
                 "stocks": [{"quantity": line.quantity, "warehouse": warehouse_id}]}]

    foreign = gql_as(other_coop_staff).post(ORDER_FULFILL, {"order": placed["id"], "input": {
        "lines": lines(own_line), "trackingNumber": "VN123"}})
    assert_permission_denied(foreign, "orderFulfill")
    no_tracking = gql_as(coop_staff).execute(ORDER_FULFILL, {"order": placed["id"], "input": {"lines": lines(own_line)}})
    assert no_tracking["orderFulfill"]["errors"][0]["code"] == "REQUIRED"
    done = gql_as(coop_staff).execute(ORDER_FULFILL, {"order": placed["id"], "input": {
        "lines": lines(own_line), "trackingNumber": "VN123"}})["orderFulfill"]
    assert done["errors"] == [] and done["fulfillments"][0]["status"] == "FULFILLED"
    assert done["order"]["fulfillments"] == [{"status": "FULFILLED", "trackingNumber": "VN123"}]
    mixed = gql_as(coop_staff).post(ORDER_FULFILL, {"order": placed["id"], "input": {
        "lines": lines(other_line), "trackingNumber": "VN9"}})
    assert_permission_denied(mixed, "orderFulfill")


def test_order_cancel_by_customer_and_not_by_others(gql_as, customer, other_coop_staff, product, shipping_method):
    client = gql_as(customer)
    cid = ready_checkout(client, product.variants.get(), shipping_method, quantity=1)
    order = client.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]["order"]
    assert_permission_denied(gql_as(other_coop_staff).post(ORDER_CANCEL, {"id": order["id"]}), "orderCancel")
    canceled = client.execute(ORDER_CANCEL, {"id": order["id"]})["orderCancel"]
    assert canceled["errors"] == [] and canceled["order"]["status"] == "CANCELED"
    again = client.execute(ORDER_CANCEL, {"id": order["id"]})["orderCancel"]
    assert again["errors"][0]["code"] == "CANNOT_CANCEL_ORDER"
