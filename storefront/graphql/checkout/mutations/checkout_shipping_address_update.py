from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.checkout import services as checkout_services

from ...core.mutations import saleor_mutation
from ..inputs import address_data, checkout_from_args, with_address_type


@saleor_mutation("checkoutShippingAddressUpdate")
def checkout_shipping_address_update(root, info, shipping_address, id=None, token=None, checkout_id=None,
                                     save_address=True, validation_rules=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    try:
        updated = checkout_services.checkout_shipping_address_update(
            checkout=checkout, address_data=address_data(shipping_address))
    except ValidationError as exc:
        raise with_address_type(exc, "SHIPPING") from None
    return {"checkout": updated}
