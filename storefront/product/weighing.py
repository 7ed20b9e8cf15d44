"""Selling by actual weight: a unit of fresh produce is "about 1 kg"; the shopper pays (or, paying on
delivery, is told) the nominal price, and the cooperative weighs the goods when it ships them.

A product is sold by weight or not (`Product.sold_by_weight`); its nominal weight per unit and its
tolerance are the product's, and a variant may state its own nominal weight (`ProductVariant.
nominal_weight_g`, for a 2 kg bag next to a 1 kg one). The price rules at fulfilment are in
`storefront.order.weights`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

MAX_TOLERANCE_PERCENT = 50
# A weight entered further from the nominal than this many tolerances is a typing mistake (or the
# wrong parcel), never a price: it is refused, nothing written.
HARD_BOUND_TOLERANCES = 3


@dataclass(frozen=True)
class WeighedSale:
    nominal_weight_g: int
    tolerance_percent: int

    def bounds_g(self, quantity: int) -> tuple[int, int]:
        """The actual weights (grams, for `quantity` units) accepted at fulfilment, inclusive:
        within ± HARD_BOUND_TOLERANCES × tolerance of the nominal, and above 0."""
        nominal = self.nominal_weight_g * quantity
        spread = nominal * self.tolerance_percent * HARD_BOUND_TOLERANCES
        low = max(1, -(-(nominal * 100 - spread) // 100))  # ceiling, so the bound is never looser
        high = (nominal * 100 + spread) // 100
        return low, high

    def label(self) -> str:
        """"khoảng 1 kg, giá tạm tính; cân thực tế ±10 %" in the active language."""
        return weighed_label(self.nominal_weight_g, self.tolerance_percent)


def weighed_sale_of(variant, product=None) -> WeighedSale | None:
    """`product`: the variant's, when the caller has it (no query for `variant.product`)."""
    product = product if product is not None else variant.product
    if not product.sold_by_weight:
        return None
    nominal = variant.nominal_weight_g or product.nominal_weight_g
    if not nominal or not product.weight_tolerance_percent:
        return None
    return WeighedSale(int(nominal), int(product.weight_tolerance_percent))


def format_weight(grams: int) -> str:
    """`1000` -> "1 kg", `1500` -> "1,5 kg" (Vietnamese) / "1.5 kg", `750` -> "750 g"."""
    grams = int(grams)
    if abs(grams) < 1000:
        return f"{grams} g"
    kg = (Decimal(grams) / 1000).normalize()
    text = f"{kg:f}"
    if (translation.get_language() or "vi").startswith("vi"):
        text = text.replace(".", ",")
    return f"{text} kg"


def weighed_label(nominal_weight_g: int, tolerance_percent: int) -> str:
    return _("khoảng %(weight)s, giá tạm tính; cân thực tế ±%(tolerance)s %%") % {
        "weight": format_weight(nominal_weight_g), "tolerance": tolerance_percent}
