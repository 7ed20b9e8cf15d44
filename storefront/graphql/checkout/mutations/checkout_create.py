from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...core.context import actor, require_channel_for_mutation, set_current_channel
from ...core.mutations import saleor_mutation
from ..inputs import address_data, enum_value, lines_data


@saleor_mutation("checkoutCreate")
def checkout_create(root, info, input):
    channel = require_channel_for_mutation(info, input.get("channel"))
    shipping = input.get("shipping_address")
    billing = input.get("billing_address")
    language = enum_value(input.get("language_code")) or "VI"
    checkout = checkout_services.checkout_create(
        channel=channel, actor=actor(info), email=input.get("email") or "",
        lines=lines_data(input.get("lines")),
        shipping_address=address_data(shipping) if shipping is not None else None,
        billing_address=address_data(billing) if billing is not None else None,
        language_code=str(language).lower().split("_")[0],
    )
    if input.get("privacy_consent"):
        checkout = checkout_services.checkout_privacy_consent(checkout=checkout, granted=True)
    set_current_channel(info, channel)
    return {"checkout": checkout, "created": True}
