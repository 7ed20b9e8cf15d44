from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from storefront.discount import services as discount_services
from storefront.discount.error_codes import DiscountErrorCode

from ...core.mutations import saleor_mutation
from ...product.inputs import require_staff
from ..inputs import lower, one_id, optional_id


@saleor_mutation("voucherCreate")
def voucher_create(root, info, input):
    """Saleor's voucherCreate, with one code, and scoped: a cooperative's staff create vouchers for
    their own products (paid by the cooperative); program staff anywhere, paid by whom they say."""
    user = require_staff(info)
    codes = list(input.get("add_codes") or [])
    if input.get("code"):
        codes.insert(0, input.get("code"))
    if len(codes) > 1:
        raise ValidationError({"addCodes": ValidationError(_("Mỗi mã giảm giá có một mã."),
                                                           code=DiscountErrorCode.INVALID.value)})
    per_customer = input.get("usage_limit_per_customer")
    if per_customer is None and input.get("apply_once_per_customer"):
        per_customer = 1
    voucher = discount_services.voucher_create(
        actor=user, code=codes[0] if codes else "", name=input.get("name") or "",
        type=lower(input.get("type")) or "entire_order",
        discount_value_type=lower(input.get("discount_value_type")) or "percentage",
        discount_value=input.get("discount_value"), min_spent_amount=input.get("min_amount_spent") or 0,
        usage_limit=input.get("usage_limit"), usage_limit_per_customer=per_customer,
        start_date=input.get("start_date"), end_date=input.get("end_date"),
        cooperative=optional_id(input.get("cooperative"), expected="Cooperative", field="cooperative"),
        product=one_id(input.get("products"), expected="Product", field="products"),
        category=one_id(input.get("categories"), expected="Category", field="categories"),
        funded_by=lower(input.get("funded_by")))
    return {"voucher": voucher}
