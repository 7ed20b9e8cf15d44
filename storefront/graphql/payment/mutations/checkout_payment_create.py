"""A client picks cash on delivery or a VietQR transfer; neither takes money online, so choosing
is all there is: the order records the gateway when the checkout is completed."""
from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...checkout.inputs import checkout_from_args
from ...core.mutations import saleor_mutation


@saleor_mutation("checkoutPaymentCreate")
def checkout_payment_create(root, info, input, id=None, token=None, checkout_id=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    checkout = checkout_services.checkout_payment_gateway_set(checkout=checkout, gateway_id=input.get("gateway"))
    return {"checkout": checkout, "payment": None}
