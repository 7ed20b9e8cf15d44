from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...core.ids import decode_int_id
from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


@saleor_mutation("checkoutDeliveryMethodUpdate")
def checkout_delivery_method_update(root, info, delivery_method_id=None, id=None, token=None):
    checkout = checkout_from_args(info, id=id, token=token)
    method_id = None
    if delivery_method_id:
        method_id = decode_int_id(delivery_method_id, expected="ShippingMethod", field="deliveryMethodId")
    return {"checkout": checkout_services.checkout_delivery_method_update(checkout=checkout,
                                                                          shipping_method_id=method_id)}


@saleor_mutation("checkoutShippingMethodUpdate")
def checkout_shipping_method_update(root, info, shipping_method_id=None, id=None, token=None, checkout_id=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    method_id = None
    if shipping_method_id:
        method_id = decode_int_id(shipping_method_id, expected="ShippingMethod", field="shippingMethodId")
    return {"checkout": checkout_services.checkout_delivery_method_update(checkout=checkout,
                                                                          shipping_method_id=method_id)}
