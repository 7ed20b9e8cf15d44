"""Checkout steps shared by the API tests, written as a storefront sends them."""
from storefront.graphql.core.ids import global_id
from tests.graphql.queries import (BILLING_ADDRESS_UPDATE, CHECKOUT_CREATE, CONSENT, DELIVERY_METHOD_UPDATE,
                                   SHIPPING_ADDRESS_UPDATE)

ADDRESS = {
    "firstName": "An", "lastName": "Nguyễn Văn", "streetAddress1": "12 Đường 30/4", "city": "Phường Ninh Kiều",
    "country": "VN", "countryArea": "Cần Thơ", "phone": "0912345678",
}


def create_checkout(gql, variant, quantity=2, **extra):
    data = gql.execute(CHECKOUT_CREATE, {"input": {
        "channel": "vietnam", "email": "khach@example.com",
        "lines": [{"quantity": quantity, "variantId": global_id("ProductVariant", variant.pk)}], **extra}})
    assert data["checkoutCreate"]["errors"] == []
    return data["checkoutCreate"]["checkout"]


def ready_checkout(gql, variant, shipping_method, quantity=2):
    checkout = create_checkout(gql, variant, quantity)
    cid = checkout["id"]
    assert gql.execute(SHIPPING_ADDRESS_UPDATE, {"id": cid, "address": ADDRESS})[
        "checkoutShippingAddressUpdate"]["errors"] == []
    assert gql.execute(BILLING_ADDRESS_UPDATE, {"id": cid, "address": ADDRESS})[
        "checkoutBillingAddressUpdate"]["errors"] == []
    assert gql.execute(DELIVERY_METHOD_UPDATE, {"id": cid, "deliveryMethodId": global_id(
        "ShippingMethod", shipping_method.pk)})["checkoutDeliveryMethodUpdate"]["errors"] == []
    assert gql.execute(CONSENT, {"id": cid})["checkoutPrivacyConsentUpdate"]["errors"] == []
    return cid


def assert_permission_denied(body, field):
    assert body["data"][field] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
