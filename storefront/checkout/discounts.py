"""A checkout's vouchers and promotions: the running promotions and the entered voucher code,
checked and priced by the discount app, for the cart's totals and for placing the order (both go
through `checkout_discount_plan`, so the cart shows what the order will cost)."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.checkout.error_codes import CheckoutErrorCode
from storefront.discount.models import Voucher
from storefront.discount.pricing import DiscountPlan, PricedLine, plan_discounts
from storefront.discount.selectors import active_promotions, voucher_by_code, voucher_problem


@dataclass
class CheckoutDiscounts:
    plan: DiscountPlan
    voucher: Voucher | None  # the entered voucher when it applies
    problem: tuple[str, str] | None  # (CheckoutErrorCode value, message) when the entered code does not apply


def priced_line(key, variant, quantity: int, total: int) -> PricedLine:
    product = variant.product
    return PricedLine(key=key, product_id=product.pk, cooperative_id=product.cooperative_id,
                      category_id=product.category_id, quantity=quantity, total=int(total))


def unknown_code_problem(code: str) -> tuple[str, str]:
    return CheckoutErrorCode.INVALID.value, _("Mã giảm giá %(code)s không tồn tại.") % {"code": code}


def checkout_discount_plan(*, code: str, lines: list[PricedLine], shipping_price: int, user=None, email: str = "",
                           now=None, voucher: Voucher | None = None) -> CheckoutDiscounts:
    """The discounts of a cart: running promotions, and the voucher of `code` if it applies now to
    these lines and this customer (signed-in user, else e-mail). Pass `voucher` when it is already
    loaded (locked)."""
    now = now or timezone.now()
    promotions = active_promotions(now=now)
    problem = None
    if code and voucher is None:
        voucher = voucher_by_code(code)
        if voucher is None:
            problem = unknown_code_problem(code)
    if voucher is not None:
        found = voucher_problem(voucher, lines=lines, promotions=promotions, now=now, user=user, email=email)
        if found is not None:
            problem, voucher = (CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value, found[1]), None
    plan = plan_discounts(lines=lines, shipping_price=shipping_price, promotions=promotions, voucher=voucher)
    return CheckoutDiscounts(plan=plan, voucher=voucher, problem=problem)
