from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args, lines_data


@saleor_mutation("checkoutLinesAdd")
def checkout_lines_add(root, info, lines, id=None, token=None, checkout_id=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    return {"checkout": checkout_services.checkout_lines_add(checkout=checkout, lines=lines_data(lines))}
