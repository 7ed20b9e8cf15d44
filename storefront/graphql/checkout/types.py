"""Checkout and CheckoutLine. Totals, shipping quotes and problems come from the checkout
selectors, computed once per checkout per request."""
from __future__ import annotations

from storefront.checkout import models as m
from storefront.checkout import selectors as checkout_selectors
from storefront.checkout.selectors import CheckoutLineTotal
from storefront.discount import selectors as discount_selectors
from storefront.payment import gateways as payment_gateways

from ..core.context import set_current_channel
from ..core.dataloaders import loader
from ..core.ids import global_id
from ..core.money import money, taxed_money
from ..core.saleor import SaleorObjectType


def totals(checkout):
    cached = getattr(checkout, "_htx_totals", None)
    if cached is None:
        cached = checkout_selectors.checkout_totals(checkout=checkout)
        checkout._htx_totals = cached
    return cached


def shipping_quotes(checkout):
    cached = getattr(checkout, "_htx_quotes", None)
    if cached is None:
        cached = checkout_selectors.checkout_shipping_methods(checkout=checkout, totals=totals(checkout))
        checkout._htx_quotes = cached
    return cached


def gateway_dict(gateway, currency: str) -> dict:
    return {"id": gateway.id, "name": str(gateway.name), "config": [], "currencies": [currency]}


def _line_problems(checkout):
    cached = getattr(checkout, "_htx_problems", None)
    if cached is None:
        lines_by_id = {line_total.line.pk: line_total for line_total in totals(checkout).lines}
        cached = []
        for problem in checkout_selectors.checkout_problems(checkout=checkout):
            line = lines_by_id.get(problem.line_id)
            if line is None:
                continue
            if problem.code == "insufficient_stock":
                cached.append({"__typename": "CheckoutLineProblemInsufficientStock",
                               "availableQuantity": problem.available_quantity, "line": line,
                               "variant": line.line.variant, "_line_id": problem.line_id})
            else:
                cached.append({"__typename": "CheckoutLineProblemVariantNotAvailable", "line": line,
                               "_line_id": problem.line_id})
        checkout._htx_problems = cached
    return cached


class Checkout(SaleorObjectType):
    class Meta:
        model = m.Checkout
        fields = {"token": "token", "created": "created_at", "user": "user", "channel": "channel",
            "billingAddress": "billing_address", "shippingAddress": "shipping_address",
            "customerNote": "customer_note", "note": "customer_note"}
        unsupported = ("availableCollectionPoints", "giftCards", "stockReservationExpires", "storedPaymentMethods")

    @staticmethod
    def resolve_id(root, info):
        set_current_channel(info, root.channel)
        return root.token

    @staticmethod
    def resolve_updated_at(root, info):
        return root.last_change

    resolve_last_change = resolve_updated_at

    @staticmethod
    def resolve_email(root, info):
        return root.email or None

    @staticmethod
    def resolve_shipping_methods(root, info):
        return shipping_quotes(root)

    resolve_available_shipping_methods = resolve_shipping_methods

    @staticmethod
    def resolve_available_payment_gateways(root, info):
        return [gateway_dict(g, root.channel.currency_code)
                for g in payment_gateways.available_gateways(root.channel)]

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return True

    @staticmethod
    def resolve_quantity(root, info):
        return totals(root).quantity

    @staticmethod
    def resolve_lines(root, info):
        set_current_channel(info, root.channel)
        return totals(root).lines

    @staticmethod
    def resolve_shipping_price(root, info):
        return taxed_money(totals(root).shipping_price, totals(root).currency)

    @staticmethod
    def resolve_subtotal_price(root, info):
        return taxed_money(totals(root).subtotal, totals(root).currency)

    @staticmethod
    def resolve_total_price(root, info):
        return taxed_money(totals(root).total, totals(root).currency)

    @staticmethod
    def resolve_total_balance(root, info):
        return money(-totals(root).total, totals(root).currency)

    @staticmethod
    def resolve_shipping_method(root, info):
        return totals(root).shipping

    resolve_delivery_method = resolve_shipping_method

    @staticmethod
    def resolve_delivery(root, info):
        quote = totals(root).shipping
        if quote is None:
            return None
        return {"id": global_id("ShippingMethod", quote.method.pk), "shippingMethod": quote}

    @staticmethod
    def resolve_tax_exemption(root, info):
        return False

    @staticmethod
    def resolve_language_code(root, info):
        return (root.language_code or "vi").upper()

    @staticmethod
    def resolve_display_gross_prices(root, info):
        return True

    @staticmethod
    def resolve_authorize_status(root, info):
        return "NONE"

    @staticmethod
    def resolve_charge_status(root, info):
        return "NONE"

    @staticmethod
    def resolve_transactions(root, info):
        return []

    @staticmethod
    def resolve_problems(root, info):
        return _line_problems(root)

    @staticmethod
    def resolve_voucher_code(root, info):
        """The code while it applies; a code that stopped applying (expired, used up …) answers null,
        as Saleor drops such a voucher."""
        return totals(root).voucher_code or None

    @staticmethod
    def resolve_voucher(root, info):
        code = totals(root).voucher_code
        return discount_selectors.voucher_by_code(code) if code else None

    @staticmethod
    def resolve_discount(root, info):
        """The voucher's discount (Saleor: "only discount created via voucher are included")."""
        return money(totals(root).voucher_discount, totals(root).currency)

    @staticmethod
    def resolve_discount_name(root, info):
        return totals(root).discount_name or None

    resolve_translated_discount_name = resolve_discount_name


class CheckoutLine(SaleorObjectType):
    """Roots are the selector's CheckoutLineTotal (the line with its prices)."""

    class Meta:
        model = CheckoutLineTotal
        fields = {"quantity": "quantity"}
        unsupported = ("priorUnitPrice", "priorTotalPrice", "priceOverrideReason")

    @staticmethod
    def resolve_id(root, info):
        return root.line.pk

    @staticmethod
    def resolve_variant(root, info):
        from ..product.dataloaders import ProductVariantByIdLoader

        return loader(info, ProductVariantByIdLoader).load(root.line.variant_id)

    @staticmethod
    def resolve_unit_price(root, info):
        return taxed_money(root.unit_price)

    @staticmethod
    def resolve_undiscounted_unit_price(root, info):
        return money(root.unit_price)

    @staticmethod
    def resolve_total_price(root, info):
        return taxed_money(root.total_price)

    @staticmethod
    def resolve_undiscounted_total_price(root, info):
        return money(root.undiscounted_total_price)

    @staticmethod
    def resolve_requires_shipping(root, info):
        return True

    @staticmethod
    def resolve_is_gift(root, info):
        return False

    @staticmethod
    def resolve_problems(root, info):
        checkout = root.line.checkout
        return [p for p in _line_problems(checkout) if p["_line_id"] == root.line.pk]


