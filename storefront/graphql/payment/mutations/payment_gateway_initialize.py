from __future__ import annotations

from storefront.payment import gateways as payment_gateways

from ...checkout.inputs import checkout_from_args
from ...core.mutations import saleor_mutation


@saleor_mutation("paymentGatewayInitialize")
def payment_gateway_initialize(root, info, id, amount=None, payment_gateways_=None, **kwargs):
    checkout = checkout_from_args(info, id=id)
    requested = kwargs.get("payment_gateways") or payment_gateways_
    wanted = {g.get("id") for g in requested} if requested else None
    configs = [
        {"id": gateway.id, "data": {"name": str(gateway.name)}, "errors": []}
        for gateway in payment_gateways.available_gateways(checkout.channel)
        if wanted is None or gateway.id in wanted
    ]
    return {"gatewayConfigs": configs}
