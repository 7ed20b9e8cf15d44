from __future__ import annotations

from storefront.checkout import services as checkout_services

from ...core.ids import decode_id
from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


@saleor_mutation("checkoutLinesDelete")
def checkout_lines_delete(root, info, lines_ids, id=None, token=None):
    checkout = checkout_from_args(info, id=id, token=token)
    line_ids = [decode_id(line_id, expected="CheckoutLine", field="lineId") for line_id in lines_ids]
    return {"checkout": checkout_services.checkout_lines_delete(checkout=checkout, line_ids=line_ids)}
