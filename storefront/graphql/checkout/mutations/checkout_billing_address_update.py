from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.checkout import services as checkout_services

from ...core.mutations import saleor_mutation
from ..inputs import address_data, checkout_from_args, with_address_type


@saleor_mutation("checkoutBillingAddressUpdate")
def checkout_billing_address_update(root, info, billing_address, id=None, token=None, checkout_id=None,
                                    save_address=True, validation_rules=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    try:
        updated = checkout_services.checkout_billing_address_update(
            checkout=checkout, address_data=address_data(billing_address))
    except ValidationError as exc:
        raise with_address_type(exc, "BILLING") from None
    return {"checkout": updated}
