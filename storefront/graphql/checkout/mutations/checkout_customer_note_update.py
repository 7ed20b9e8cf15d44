from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


@saleor_mutation("checkoutCustomerNoteUpdate")
def checkout_customer_note_update(root, info, customer_note, id):
    checkout = checkout_from_args(info, id=id)
    return {"checkout": checkout_services.checkout_customer_note_update(checkout=checkout, note=customer_note)}
