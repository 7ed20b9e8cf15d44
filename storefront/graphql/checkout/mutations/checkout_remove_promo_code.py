from __future__ import annotations

from storefront.checkout import services as checkout_services
from storefront.discount import selectors as discount_selectors

from ...core.ids import try_decode
from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


@saleor_mutation("checkoutRemovePromoCode")
def checkout_remove_promo_code(root, info, id=None, token=None, checkout_id=None, promo_code=None,
                               promo_code_id=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    code = promo_code
    if code is None and promo_code_id is not None:
        # A voucher's ID: it is removed when it is the voucher applied.
        pk = try_decode(promo_code_id, "Voucher")
        voucher = discount_selectors.voucher_by_id(pk) if pk and str(pk).isdigit() else None
        if voucher is None or voucher.code.lower() != checkout.voucher_code.lower():
            return {"checkout": checkout}
        code = voucher.code
    return {"checkout": checkout_services.checkout_remove_promo_code(checkout=checkout, promo_code=code)}
