"""What expired unsold in the shop's harvest lots, per ISO week, next to what the shop sold that week:
units, kilograms (the variants' weights) and value (integer VND at the variant's shop price)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min

from storefront.order.models import Fulfillment, OrderLine, OrderStatus
from storefront.warehouse.models import StockLot

from .online import _day_start


@dataclass
class WasteWeek:
    week: tuple[int, int]
    label: str
    sold_units: int = 0
    sold_kg: Decimal = Decimal(0)
    sold_value: int = 0
    expired_units: int = 0
    expired_kg: Decimal = Decimal(0)
    expired_value: int = 0

    @property
    def expired_share(self) -> Decimal | None:
        """Expired units per unit offered (sold + expired), in percent, one decimal."""
        offered = self.sold_units + self.expired_units
        if not offered:
            return None
        return (Decimal(100 * self.expired_units) / offered).quantize(Decimal("0.1"))


def _kg(grams_per_unit: int | None, units: int) -> Decimal:
    return (Decimal(grams_per_unit or 0) * units / 1000).quantize(Decimal("0.001"))


def waste_by_week(*, date_from: datetime.date, date_to: datetime.date, scope, weeks, week_label) -> list[WasteWeek]:
    """One row per week of the period (`weeks`: ISO (year, week) keys) for the cooperatives `scope` shows."""
    rows = {week: WasteWeek(week, week_label(week)) for week in weeks}
    start, end = _day_start(date_from), _day_start(date_to + datetime.timedelta(days=1))
    lots = (StockLot.objects.filter(scope.cooperative_q("cooperative"), expired_at__gte=start, expired_at__lt=end,
                                    quantity_expired__gt=0)
            .select_related("stock__product_variant__product")
            .annotate(price=Min("stock__product_variant__channel_listings__price_amount")))
    for lot in lots:
        row = rows.get(_local_week(lot.expired_at))
        if row is None:
            continue
        variant = lot.stock.product_variant
        row.expired_units += lot.quantity_expired
        row.expired_kg += _kg(variant.effective_weight_g, lot.quantity_expired)
        row.expired_value += int(lot.price or 0) * lot.quantity_expired
    lines = (OrderLine.objects.filter(scope.cooperative_q("cooperative"), order__created_at__gte=start,
                                      order__created_at__lt=end, is_combo=False)
             .exclude(order__status=OrderStatus.CANCELED).exclude(fulfillment__status__in=Fulfillment.CLOSED)
             .values_list("order__created_at", "quantity", "weight_g", "total_price_amount"))
    for created_at, quantity, weight_g, total in lines:
        row = rows.get(_local_week(created_at))
        if row is None:
            continue
        row.sold_units += quantity
        row.sold_kg += _kg(weight_g, quantity)
        row.sold_value += total
    return list(rows.values())


def _local_week(moment: datetime.datetime) -> tuple[int, int]:
    from django.utils import timezone

    return tuple(timezone.localtime(moment).date().isocalendar()[:2])
