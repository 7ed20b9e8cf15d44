from __future__ import annotations

from storefront.checkout import services as checkout_services
from storefront.payment.gateways import COD

from ...core.context import actor, set_current_channel
from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


@saleor_mutation("checkoutComplete")
def checkout_complete(root, info, id=None, token=None, checkout_id=None, payment_data=None, redirect_url=None,
                      store_source=False, metadata=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    # As Saleor does for a channel that allows unpaid orders: no payment chosen -> pay on delivery.
    default_gateway = COD if not checkout.payment_gateway and checkout.channel.allow_unpaid_orders else None
    order = checkout_services.checkout_complete(checkout=checkout, actor=actor(info), payment_gateway=default_gateway)
    set_current_channel(info, checkout.channel)
    return {"order": order, "confirmationNeeded": False, "confirmationData": None}
