"""The shop's own orders as an online sales channel, read from `order.OrderLine` (never copied).

A line counts as sold when the program counts it: its order is paid (a bank transfer received) or its
part was delivered (cash on delivery is paid then); an unpaid order placed minutes ago is not a sale. It
counts on the local date its order was placed, for the cooperative and product it was sold from, unless
the order (or that cooperative's part of it) was canceled. A combo is counted as its
components, each for the cooperative that made it, so a combo of rice and vegetables credits both.
Quantities are given in the product's net unit when it has one (`túi 5 kg` × 3 = 15 kg), otherwise
in the unit of sale; a line sold by weight counts the kilograms it weighed when shipped (its nominal
weight until then).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from .models import ProductGroup
from .units import normalize_unit

FALLBACK_UNIT = "cái"


@dataclass(frozen=True)
class OnlineSale:
    sold_on: datetime.date
    cooperative: object
    product: object
    product_name: str
    product_group: str
    unit: str
    quantity: Decimal


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def product_group_of(product, default: str | None = ProductGroup.OTHER) -> str | None:
    """The program group of the product's category or its nearest ancestor that has one."""
    category = product.category
    while category is not None:
        if category.program_group in ProductGroup.values:
            return category.program_group
        category = category.parent
    return default


def quantity_in_unit(product, quantity: int) -> tuple[Decimal, str]:
    net_unit = normalize_unit(product.net_unit) if product.net_unit else None
    if net_unit and product.net_quantity:
        return Decimal(quantity) * product.net_quantity, net_unit
    first_word = (product.unit_label or "").split(" ", 1)[0]
    return Decimal(quantity), normalize_unit(first_word) or FALLBACK_UNIT


def weighed_kg(line) -> Decimal:
    """Kilograms of a line sold by weight: what it weighed when shipped, its nominal weight before."""
    grams = line.actual_weight_g if line.actual_weight_g is not None else line.nominal_total_weight_g
    return (Decimal(grams) / 1000).quantize(Decimal("0.001"))


def online_sales(*, date_from: datetime.date, date_to: datetime.date, scope) -> list[OnlineSale]:
    from storefront.order.models import ChargeStatus, Fulfillment, OrderLine, OrderStatus
    from storefront.product.models import ComboComponent

    lines = (
        OrderLine.objects.filter(order__created_at__gte=_day_start(date_from),
                                 order__created_at__lt=_day_start(date_to + datetime.timedelta(days=1)),
                                 variant__isnull=False)
        .filter(Q(order__charge_status__in=(ChargeStatus.FULL, ChargeStatus.OVERCHARGED))
                | Q(fulfillment__status=Fulfillment.Status.DELIVERED))
        .exclude(order__status=OrderStatus.CANCELED)
        .exclude(fulfillment__status__in=Fulfillment.CLOSED)
        .select_related("order", "variant__product__category__parent", "cooperative__province",
                        "cooperative__commune")
        .order_by("order__created_at", "pk")
    )
    combo_variant_ids = {line.variant_id for line in lines if line.is_combo}
    components: dict[int, list] = {}
    for component in (ComboComponent.objects.filter(combo_id__in=combo_variant_ids)
                      .select_related("component__product__category__parent",
                                      "component__product__cooperative__province",
                                      "component__product__cooperative__commune")):
        components.setdefault(component.combo_id, []).append(component)

    sales: list[OnlineSale] = []
    for line in lines:
        sold_on = timezone.localtime(line.order.created_at).date()
        if line.is_combo:
            parts = [(c.component.product, c.component.product.cooperative, c.quantity * line.quantity)
                     for c in components.get(line.variant_id, [])]
        elif line.cooperative is not None:
            parts = [(line.variant.product, line.cooperative, line.quantity)]
        else:
            parts = []
        for product, cooperative, units_sold in parts:
            if not scope.allows(cooperative):
                continue
            if line.sold_by_weight:
                quantity, unit = weighed_kg(line), "kg"
            else:
                quantity, unit = quantity_in_unit(product, units_sold)
            sales.append(OnlineSale(sold_on, cooperative, product, product.name, product_group_of(product),
                                    unit, quantity))
    return sales
