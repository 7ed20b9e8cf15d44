from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError

from storefront.checkout import complete as placement
from storefront.checkout.models import Checkout
from storefront.payment.gateways import COD

from ...core.context import actor, set_current_channel
from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args, checkout_token_from_args


@saleor_mutation("checkoutComplete")
def checkout_complete(root, info, id=None, token=None, checkout_id=None, payment_data=None, redirect_url=None,
                      store_source=False, metadata=None):
    try:
        checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    except ValidationError as not_found:
        return _already_completed(info, not_found, id=id, token=token, checkout_id=checkout_id)
    # As Saleor does for a channel that allows unpaid orders: no payment chosen -> pay on delivery.
    default_gateway = COD if not checkout.payment_gateway and checkout.channel.allow_unpaid_orders else None
    order = placement.checkout_complete(checkout=checkout, actor=actor(info), payment_gateway=default_gateway,
                                        require_privacy_consent=False)
    set_current_channel(info, checkout.channel)
    return {"order": order, "confirmationNeeded": False, "confirmationData": None}


def _already_completed(info, not_found: ValidationError, **args):
    """A completed checkout is gone; completing it again answers its order, as Saleor does."""
    raw, _field = checkout_token_from_args(**args)
    try:
        token = uuid.UUID(raw)
    except ValueError:
        raise not_found from None
    try:
        order = placement.checkout_complete(checkout=Checkout(token=token), actor=actor(info),
                                            require_privacy_consent=False)
    except ValidationError:
        raise not_found from None
    set_current_channel(info, order.channel)
    return {"order": order, "confirmationNeeded": False, "confirmationData": None}
