"""Reads on a checkout: who may open it, its totals, what stops it from being placed."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from storefront.checkout.discounts import checkout_discount_plan, priced_line
from storefront.checkout.error_codes import CheckoutErrorCode
from storefront.checkout.models import Checkout, CheckoutLine
from storefront.checkout.validation import load_variant_contexts, purchase_problem
from storefront.shipping.selectors import ShippingMethodQuote, shipping_methods_for
from storefront.warehouse.markdown import line_prices
from storefront.warehouse.selectors import variants_quantity_available


@dataclass
class CheckoutLineTotal:
    line: CheckoutLine
    quantity: int
    unit_price: int  # VND; 0 when the variant has no price in the channel (see checkout_problems)
    total_price: int  # what the shopper pays for the line (vouchers and promotions taken off)
    weight_g: int
    undiscounted_total_price: int = 0  # before vouchers and promotions (near-expiry markdown included)

    @property
    def discount(self) -> int:
        return self.undiscounted_total_price - self.total_price


@dataclass
class CheckoutTotals:
    lines: list[CheckoutLineTotal]
    subtotal: int
    shipping_price: int
    total: int
    weight_g: int
    quantity: int
    shipping: ShippingMethodQuote | None = None
    currency: str = "VND"
    undiscounted_subtotal: int = 0
    undiscounted_shipping_price: int = 0
    discount: int = 0  # vouchers and promotions, goods and delivery
    voucher_discount: int = 0  # the voucher's part (Saleor's Checkout.discount)
    discount_name: str = ""  # the voucher's name (Saleor's Checkout.discountName)
    voucher_code: str = ""  # the entered code when it applies
    voucher_problem: str = ""  # why the entered code does not apply (now)
    discount_names: list = field(default_factory=list)  # every discount applied, for the cart


@dataclass
class CheckoutProblem:
    code: str  # a CheckoutErrorCode value
    message: str
    line_id: uuid.UUID | None = None
    variant_id: int | None = None
    available_quantity: int | None = None
    extra: dict = field(default_factory=dict)


def checkout_for_actor(*, token, actor) -> Checkout | None:
    """The checkout if `actor` may use it: its owner, or anyone holding the token of an anonymous one."""
    try:
        token = uuid.UUID(str(token))
    except (TypeError, ValueError, AttributeError):
        return None
    checkout = Checkout.objects.select_related("channel", "shipping_address", "billing_address", "user").filter(
        pk=token).first()
    if checkout is None:
        return None
    if checkout.user_id is not None and not (actor is not None and actor.is_authenticated and actor.pk == checkout.user_id):
        return None
    return checkout


def checkout_quantity_for_actor(*, token, actor) -> int | None:
    """Units in the checkout if `actor` may use it (the rule of `checkout_for_actor`), else None: the
    cart badge on every page, in one query."""
    try:
        token = uuid.UUID(str(token))
    except (TypeError, ValueError, AttributeError):
        return None
    rows = list(Checkout.objects.filter(pk=token).values_list("user_id").annotate(units=Sum("lines__quantity")))
    if not rows:
        return None
    user_id, units = rows[0]
    if user_id is not None and not (actor is not None and actor.is_authenticated and actor.pk == user_id):
        return None
    return units or 0


def _lines(checkout: Checkout) -> list[CheckoutLine]:
    return list(
        checkout.lines.select_related("variant__product__cooperative", "variant__product__product_type")
        .order_by("created_at", "id")
    )


def _line_weight(variant) -> int:
    return variant.weight_g or variant.product.weight_g or 0


def _contexts(checkout: Checkout, lines) -> dict:
    # The lines carry their variants with product, cooperative and product type: not read again.
    return load_variant_contexts(variant_ids={line.variant_id for line in lines}, channel=checkout.channel,
                                 variants=[line.variant for line in lines])


def _totals_without_shipping(checkout: Checkout, lines, contexts=None) -> CheckoutTotals:
    contexts = _contexts(checkout, lines) if contexts is None else contexts
    units = {}
    for line in lines:
        context = contexts.get(line.variant_id)
        units[line.pk] = int(context.price) if context and context.price is not None else 0
    # Units from lots in their last days are marked down (a query only for products with a rule).
    plan = line_prices(lines=[(line.pk, line.variant, line.quantity, units[line.pk]) for line in lines])
    rows = [CheckoutLineTotal(line=line, quantity=line.quantity, unit_price=units[line.pk],
                              total_price=plan[line.pk].total, weight_g=_line_weight(line.variant) * line.quantity,
                              undiscounted_total_price=plan[line.pk].total)
            for line in lines]
    subtotal = sum(r.total_price for r in rows)
    weight = sum(r.weight_g for r in rows)
    return CheckoutTotals(lines=rows, subtotal=subtotal, shipping_price=0, total=subtotal, weight_g=weight,
                          quantity=sum(r.quantity for r in rows), currency=checkout.channel.currency_code,
                          undiscounted_subtotal=subtotal)


def _with_discounts(checkout: Checkout, totals: CheckoutTotals) -> CheckoutTotals:
    """Vouchers and promotions taken off the lines and the delivery (the same plan placing uses)."""
    user = checkout.user if checkout.user_id else None
    found = checkout_discount_plan(
        code=checkout.voucher_code, shipping_price=totals.shipping_price, user=user,
        email=checkout.email or (user.email if user else ""),
        lines=[priced_line(row.line.pk, row.line.variant, row.quantity, row.total_price) for row in totals.lines])
    plan = found.plan
    for row in totals.lines:
        row.total_price -= plan.line_discount(row.line.pk)
    totals.undiscounted_shipping_price = totals.shipping_price
    totals.subtotal = plan.subtotal
    totals.shipping_price -= plan.shipping_discount
    totals.total = totals.subtotal + totals.shipping_price
    totals.discount = plan.discount
    totals.voucher_discount = plan.voucher_discount
    totals.discount_names = [application.name for application in plan.applications]
    if found.voucher is not None:
        totals.voucher_code = found.voucher.code
        totals.discount_name = found.voucher.name or found.voucher.code
    if found.problem is not None:
        totals.voucher_problem = found.problem[1]
    return totals


def checkout_shipping_methods(*, checkout: Checkout, totals: CheckoutTotals | None = None) -> list[ShippingMethodQuote]:
    address = checkout.shipping_address
    if address is None:
        return []
    totals = totals or _totals_without_shipping(checkout, _lines(checkout))
    return shipping_methods_for(channel=checkout.channel, province=address.province, weight_g=totals.weight_g,
                                subtotal=totals.undiscounted_subtotal)


def checkout_totals(*, checkout: Checkout) -> CheckoutTotals:
    return _with_discounts(checkout, _with_shipping(checkout, _totals_without_shipping(checkout, _lines(checkout))))


def checkout_totals_and_problems(*, checkout: Checkout) -> tuple[CheckoutTotals, list[CheckoutProblem]]:
    """`checkout_totals` and `checkout_problems` from one read of the lines (the cart page shows both)."""
    lines = _lines(checkout)
    contexts = _contexts(checkout, lines)
    return (_with_discounts(checkout, _with_shipping(checkout, _totals_without_shipping(checkout, lines, contexts))),
            _problems(lines, contexts))


def _with_shipping(checkout: Checkout, totals: CheckoutTotals) -> CheckoutTotals:
    if checkout.shipping_method_id and checkout.shipping_address_id:
        for candidate in checkout_shipping_methods(checkout=checkout, totals=totals):
            if candidate.method.pk == checkout.shipping_method_id:
                totals.shipping = candidate
                totals.shipping_price = candidate.price
                totals.total = totals.subtotal + candidate.price
    return totals


def checkout_problems(*, checkout: Checkout) -> list[CheckoutProblem]:
    """Per-line problems shown in the cart (Saleor's `checkout.problems`): not for sale, short of stock."""
    lines = _lines(checkout)
    return _problems(lines, _contexts(checkout, lines))


def _problems(lines, contexts) -> list[CheckoutProblem]:
    available = variants_quantity_available(variant_ids=[line.variant_id for line in lines])
    problems = []
    for line in lines:
        context = contexts[line.variant_id]
        problem = purchase_problem(context)
        if problem:
            code, message = problem
            problems.append(CheckoutProblem(code=code.value, message=message % {"item": context.label},
                                            line_id=line.pk, variant_id=line.variant_id))
        elif line.quantity > available[line.variant_id]:
            problems.append(CheckoutProblem(
                code=CheckoutErrorCode.INSUFFICIENT_STOCK.value,
                message=_("%(item)s chỉ còn %(n)d.") % {"item": context.label, "n": available[line.variant_id]},
                line_id=line.pk, variant_id=line.variant_id, available_quantity=available[line.variant_id]))
    return problems
