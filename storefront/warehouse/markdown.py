"""Near-expiry markdown: a product's rule takes a percent off every unit that comes from a lot in its
last days of sale. Prices stay exact integer VND (rounded to the nearest dong, halves up).

A line's price depends on which lots its units come from, and orders take lots expiry-first: the
lots in their markdown days are always the first taken. So the marked-down units of a line are
the free units of those lots, up to the line's quantity (`line_prices`); the cart and the order
price lines by that plan, and placement checks under the locks that the lots it took agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q

from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import OrderLineLot, StockLot


def marked_down(price: int, percent: int) -> int:
    """`price` less `percent` %, to the nearest dong (halves up): 45,500 less 30 % is 31,850."""
    return (int(price) * (100 - int(percent)) + 50) // 100


def markdown_starts(*, sellable_until: date, days: int) -> date:
    """First day of a lot's markdown: its last `days` days of sale, the last day included."""
    return sellable_until - timedelta(days=days - 1)


def has_rule(product) -> bool:
    return bool(product.markdown_percent and product.markdown_days)


@dataclass(frozen=True)
class LinePrice:
    unit_price: int  # the variant's price, before markdown
    quantity: int
    marked_units: int  # units from lots in their markdown days
    marked_unit_price: int
    marked_until: date | None  # the last day of sale of those lots (shown to the shopper)

    @property
    def total(self) -> int:
        return self.marked_units * self.marked_unit_price + (self.quantity - self.marked_units) * self.unit_price


def _window_lots(variants, today: date) -> dict[int, tuple[int, date]]:
    """{variant id: (free units of its lots in their markdown days, the first of those lots' last day)}
    for the variants whose product has a rule. One query, none without a rule."""
    condition = Q()
    for variant in variants:
        if has_rule(variant.product):
            last_day = today + timedelta(days=variant.product.markdown_days - 1)
            condition |= Q(stock__product_variant_id=variant.pk, sellable_until__lte=last_day)
    if not condition:
        return {}
    found: dict[int, tuple[int, date]] = {}
    for variant_id, quantity, allocated, until in (
            StockLot.objects.filter(condition, expired_at__isnull=True, sellable_until__gte=today,
                                    quantity__gt=F("quantity_allocated"))
            .values_list("stock__product_variant_id", "quantity", "quantity_allocated", "sellable_until")):
        units, first = found.get(variant_id, (0, until))
        found[variant_id] = (units + quantity - allocated, min(first, until))
    return found


def line_prices(*, lines, today: date | None = None) -> dict:
    """{key: LinePrice} for `lines`, an iterable of (key, variant with its product, quantity, unit price).

    Lines of one variant share its lots: the first line takes the marked-down units first."""
    lines = list(lines)
    today = today or sales_date()
    window = _window_lots([variant for _key, variant, _q, _p in lines], today)
    left = {vid: units for vid, (units, _until) in window.items()}
    prices = {}
    for key, variant, quantity, unit_price in lines:
        marked = min(left.get(variant.pk, 0), quantity)
        if marked:
            left[variant.pk] -= marked
        prices[key] = LinePrice(
            unit_price=int(unit_price), quantity=quantity, marked_units=marked,
            marked_unit_price=marked_down(unit_price, variant.product.markdown_percent) if marked else int(unit_price),
            marked_until=window[variant.pk][1] if marked else None)
    return prices


def marked_units_taken(*, order_lines, today: date | None = None) -> dict:
    """{order line id: units it took from lots in their markdown days}, for lines whose product has a
    rule (read after allocation, to check the plan the prices came from)."""
    today = today or sales_date()
    ruled = {line.pk: line.variant.product.markdown_days for line in order_lines
             if line.variant_id and has_rule(line.variant.product)}
    taken = {line_id: 0 for line_id in ruled}
    if not ruled:
        return taken
    for line_id, units, until in (OrderLineLot.objects.filter(order_line_id__in=list(ruled))
                                  .values_list("order_line_id", "quantity", "lot__sellable_until")):
        if until is not None and markdown_starts(sellable_until=until, days=ruled[line_id]) <= today <= until:
            taken[line_id] += units
    return taken
