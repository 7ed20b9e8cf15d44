from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


@saleor_mutation("checkoutAddPromoCode")
def checkout_add_promo_code(root, info, promo_code, id=None, token=None, checkout_id=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    return {"checkout": checkout_services.checkout_add_promo_code(checkout=checkout, promo_code=promo_code)}
