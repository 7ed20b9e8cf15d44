"""What expired unsold in the shop's harvest lots, per ISO week, next to what the shop sold that week:
units, kilograms (the variants' weights) and value (integer VND at the variant's shop price); and the
goods shoppers returned that their cooperative wrote off as damaged (value: what was refunded)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min

from storefront.order.models import Fulfillment, OrderLine, OrderReturn, OrderReturnLine, OrderStatus
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
    damaged_units: int = 0
    damaged_kg: Decimal = Decimal(0)
    damaged_value: int = 0

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
             .values_list("order__created_at", "quantity", "weight_g", "total_price_amount", "actual_weight_g"))
    for created_at, quantity, weight_g, total, actual_weight_g in lines:
        row = rows.get(_local_week(created_at))
        if row is None:
            continue
        row.sold_units += quantity
        # A line sold by weight counts what it weighed once shipped.
        row.sold_kg += _kg(weight_g, quantity) if actual_weight_g is None else _kg(actual_weight_g, 1)
        row.sold_value += total
    damaged = (OrderReturnLine.objects.filter(
        scope.cooperative_q("order_return__cooperative"), disposition=OrderReturnLine.Disposition.WRITE_OFF,
        order_return__status=OrderReturn.Status.ACCEPTED, order_return__decided_at__gte=start,
        order_return__decided_at__lt=end, order_line__is_combo=False)
        .values_list("order_return__decided_at", "quantity", "order_line__weight_g", "amount"))
    for decided_at, quantity, weight_g, amount in damaged:
        row = rows.get(_local_week(decided_at))
        if row is None:
            continue
        row.damaged_units += quantity
        row.damaged_kg += _kg(weight_g, quantity)
        row.damaged_value += amount
    return list(rows.values())


def _local_week(moment: datetime.datetime) -> tuple[int, int]:
    from django.utils import timezone

    return tuple(timezone.localtime(moment).date().isocalendar()[:2])
