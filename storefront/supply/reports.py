"""The program's three reports, built from needs, sales records, the shop's orders and distributor
purchases: the daily list of needs (form A), the results by channel over a period (form B) and a
distributor's sales by destination (form C). The screens and the XLSX files both render these objects.

Quantities are summed per unit and never converted, except in the charts, which put every mass unit
on one scale in tonnes and say how many rows in other units they leave out.
"""
from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.text import fold

from . import inputs
from .access import report_scope
from .error_codes import SupplyErrorCode
from .models import ProductGroup, SalesChannel, SalesNeed
from .online import online_sales
from .selectors import distributor_purchases_for_actor, sales_records_for_actor
from .units import to_tonnes
from .waste import waste_by_week

ZERO = Decimal(0)
ONLINE_BUYER = "HTX Market"
NEED_CHANNEL_FIELDS = OrderedDict([
    (SalesChannel.MARKET, "planned_market"),
    (SalesChannel.DISTRIBUTOR, "planned_distributor"),
    (SalesChannel.PROCESSOR, "planned_processor"),
    (SalesChannel.EXPORTER, "planned_exporter"),
])
DESTINATIONS = OrderedDict([("sold_hcmc", "TP. Hồ Chí Minh"), ("sold_hanoi", "TP. Hà Nội"),
                            ("sold_other", "Tỉnh, TP khác")])


# ---- shared shapes --------------------------------------------------------------------------------

@dataclass
class Bar:
    label: str
    value: Decimal


@dataclass
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    left_out: int = 0  # rows whose unit is not a mass, so not on the tonnes scale


@dataclass
class Section:
    """One product group of a report: a numbered heading row with its rows under it."""

    number: int
    group: str
    label: str
    rows: list = field(default_factory=list)


class _TonnesTally:
    """Sums quantities in tonnes per key, counting the items it cannot convert."""

    def __init__(self, keys=()):
        self.values: OrderedDict[str, Decimal] = OrderedDict((key, ZERO) for key in keys)
        self.left_out = 0

    def add(self, key, quantity: Decimal, unit: str) -> None:
        tonnes = to_tonnes(quantity, unit)
        if tonnes is None:
            self.left_out += 1
            return
        self.values[key] = self.values.get(key, ZERO) + tonnes

    def chart(self, title: str, labels: dict) -> Chart:
        return Chart(title, "tấn", [Bar(str(labels.get(k, k)), plain(v)) for k, v in self.values.items()],
                     self.left_out)


def plain(value: Decimal) -> Decimal:
    """`12.500` -> `12.5`, `100.000` -> `100` (not `1E+2`)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def _resolve_province(province):
    from storefront.core.geo import find_province
    from storefront.core.models import Province

    if province in (None, ""):
        return None
    if isinstance(province, Province):
        return province
    found = find_province(str(province))
    if found is None:
        raise ValidationError({"province": ValidationError(_("Không tìm thấy tỉnh, thành phố “%(p)s”.")
                                                           % {"p": province}, code=SupplyErrorCode.INVALID.value)})
    return found


def _read_period(date_from, date_to) -> tuple[datetime.date, datetime.date]:
    errors = inputs.FieldErrors()
    start, end = inputs.date_range(date_from, date_to, errors)
    errors.raise_if_any()
    return start, end


def _group_order(group: str) -> int:
    values = list(ProductGroup.values)
    return values.index(group) if group in values else len(values)


def _sections(rows_by_group: dict, sort_key) -> list[Section]:
    sections = []
    for group in sorted(rows_by_group, key=_group_order):
        section = Section(len(sections) + 1, group, str(ProductGroup(group).label) if group in ProductGroup.values
                          else group, sorted(rows_by_group[group], key=sort_key))
        for index, row in enumerate(section.rows, start=1):
            row.number = f"{section.number}.{index}"
        sections.append(section)
    return sections


def _weeks(date_from: datetime.date, date_to: datetime.date) -> list[tuple[int, int]]:
    weeks, day = [], date_from
    while day <= date_to:
        key = day.isocalendar()[:2]
        if key not in weeks:
            weeks.append(key)
        day += datetime.timedelta(days=1)
    return weeks


def _week_label(key: tuple[int, int]) -> str:
    return _("Tuần %(week)d/%(year)d") % {"week": key[1], "year": key[0]}


# ---- A. daily list of needs -----------------------------------------------------------------------

@dataclass
class NeedRow:
    need: SalesNeed
    number: str = ""

    @property
    def planned(self) -> list[Decimal]:
        return [getattr(self.need, name) for name in NEED_CHANNEL_FIELDS.values()]


@dataclass
class NeedTotal:
    unit: str
    quantity: Decimal
    planned: list[Decimal]


@dataclass
class NeedsReport:
    day: datetime.date
    province: object
    sections: list[Section]
    totals: list[NeedTotal]
    charts: list[Chart]

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def needs_daily_report(*, actor, day=None, province=None) -> NeedsReport:
    """Needs open on `day`: declared on or before it and not closed before it ended."""
    errors = inputs.FieldErrors()
    day = inputs.date({"day": day}, "day", errors, default=timezone.localdate())
    errors.raise_if_any()
    province = _resolve_province(province)
    scope = report_scope(actor, province=province)
    day_end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    needs = (SalesNeed.objects.select_related("cooperative__province", "cooperative__commune")
             .filter(scope.cooperative_q(), need_date__lte=day)
             .exclude(status=SalesNeed.Status.CLOSED, closed_at__lt=day_end))
    by_group: dict[str, list] = {}
    totals: OrderedDict[str, NeedTotal] = OrderedDict()
    channel_tally = _TonnesTally(NEED_CHANNEL_FIELDS)
    group_tally = _TonnesTally()
    for need in needs:
        row = NeedRow(need)
        by_group.setdefault(need.product_group, []).append(row)
        total = totals.setdefault(need.unit, NeedTotal(need.unit, ZERO, [ZERO] * len(NEED_CHANNEL_FIELDS)))
        total.quantity += need.quantity
        total.planned = [a + b for a, b in zip(total.planned, row.planned)]
        for channel, name in NEED_CHANNEL_FIELDS.items():
            channel_tally.add(channel, getattr(need, name), need.unit)
        group_tally.add(need.product_group, need.quantity, need.unit)
    sections = _sections(by_group, lambda r: (fold(r.need.cooperative.name), fold(r.need.product_name), r.need.pk))
    group_tally.values = OrderedDict(sorted(group_tally.values.items(), key=lambda kv: _group_order(kv[0])))
    charts = [
        channel_tally.chart(_("Số lượng dự kiến theo kênh tiêu thụ"), dict(SalesChannel.choices)),
        group_tally.chart(_("Số lượng cần tiêu thụ theo nhóm sản phẩm"), dict(ProductGroup.choices)),
    ]
    return NeedsReport(day, province, sections, list(totals.values()), charts)


# ---- B. results by channel over a period ----------------------------------------------------------

@dataclass
class ChannelCell:
    quantity: Decimal = ZERO
    buyers: list[str] = field(default_factory=list)

    def add(self, quantity: Decimal, buyer: str) -> None:
        self.quantity += quantity
        if buyer and buyer not in self.buyers:
            self.buyers.append(buyer)

    @property
    def buyers_text(self) -> str:
        return "; ".join(self.buyers)


@dataclass
class SalesRow:
    cooperative: object
    product_name: str
    unit: str
    cells: OrderedDict = field(default_factory=lambda: OrderedDict((c, ChannelCell()) for c in SalesChannel))
    difficulties: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    number: str = ""

    @property
    def total(self) -> Decimal:
        return sum((cell.quantity for cell in self.cells.values()), ZERO)


@dataclass
class SalesTotal:
    unit: str
    by_channel: OrderedDict

    @property
    def total(self) -> Decimal:
        return sum(self.by_channel.values(), ZERO)


@dataclass
class SalesReport:
    date_from: datetime.date
    date_to: datetime.date
    province: object
    sections: list[Section]
    totals: list[SalesTotal]
    charts: list[Chart]
    waste: list = field(default_factory=list)  # WasteWeek per week: the shop's lots expired unsold

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _note(items: list[str], text: str) -> None:
    if text and text not in items:
        items.append(text)


def sales_report(*, actor, date_from, date_to, province=None) -> SalesReport:
    """Quantities sold per product group, cooperative and product, by channel with the buyers' names;
    recorded sales plus the shop's orders as the online channel."""
    date_from, date_to = _read_period(date_from, date_to)
    province = _resolve_province(province)
    scope = report_scope(actor, province=province)
    rows: dict[tuple, SalesRow] = {}
    by_group: dict[str, list] = {}
    totals: OrderedDict[str, SalesTotal] = OrderedDict()
    channel_tally = _TonnesTally(SalesChannel.values)
    group_tally = _TonnesTally()
    weeks = _weeks(date_from, date_to)
    week_tally = _TonnesTally(weeks)

    def add(*, group, cooperative, product_id, product_name, unit, channel, quantity, buyer, sold_on):
        key = (group, cooperative.pk, product_id or fold(product_name), unit)
        row = rows.get(key)
        if row is None:
            row = rows[key] = SalesRow(cooperative, product_name, unit)
            by_group.setdefault(group, []).append(row)
        row.cells[channel].add(quantity, buyer)
        total = totals.setdefault(unit, SalesTotal(unit, OrderedDict((c, ZERO) for c in SalesChannel)))
        total.by_channel[channel] += quantity
        channel_tally.add(channel, quantity, unit)
        group_tally.add(group, quantity, unit)
        week_tally.add(sold_on.isocalendar()[:2], quantity, unit)
        return row

    records = sales_records_for_actor(actor=actor, date_from=date_from, date_to=date_to, province=province)
    for record in records.order_by("sold_on", "pk"):
        row = add(group=record.product_group, cooperative=record.cooperative, product_id=record.product_id,
                  product_name=record.product_name, unit=record.unit, channel=SalesChannel(record.channel),
                  quantity=record.quantity, buyer=record.buyer_name, sold_on=record.sold_on)
        _note(row.difficulties, record.difficulties)
        _note(row.proposals, record.proposals)
    for sale in online_sales(date_from=date_from, date_to=date_to, scope=scope):
        add(group=sale.product_group, cooperative=sale.cooperative, product_id=sale.product.pk,
            product_name=sale.product_name, unit=sale.unit, channel=SalesChannel.ONLINE, quantity=sale.quantity,
            buyer=ONLINE_BUYER, sold_on=sale.sold_on)

    sections = _sections(by_group, lambda r: (fold(r.cooperative.name), fold(r.product_name), r.unit))
    group_tally.values = OrderedDict(sorted(group_tally.values.items(), key=lambda kv: _group_order(kv[0])))
    group_tally.left_out = channel_tally.left_out
    charts = [
        channel_tally.chart(_("Số lượng theo kênh tiêu thụ"), dict(SalesChannel.choices)),
        group_tally.chart(_("Số lượng theo nhóm sản phẩm"), dict(ProductGroup.choices)),
        week_tally.chart(_("Số lượng theo tuần"), {w: _week_label(w) for w in weeks}),
    ]
    waste = waste_by_week(date_from=date_from, date_to=date_to, scope=scope, weeks=weeks, week_label=_week_label)
    return SalesReport(date_from, date_to, province, sections, list(totals.values()), charts, waste)


# ---- C. a distributor's sales by destination ------------------------------------------------------

@dataclass
class PurchaseRow:
    cooperative: object
    product_name: str
    unit: str
    quantity: Decimal = ZERO
    destinations: OrderedDict = field(default_factory=lambda: OrderedDict((d, ZERO) for d in DESTINATIONS))
    difficulties: list[str] = field(default_factory=list)
    solutions: list[str] = field(default_factory=list)
    number: str = ""


@dataclass
class PurchaseTotal:
    unit: str
    quantity: Decimal
    destinations: OrderedDict


@dataclass
class DistributorReport:
    date_from: datetime.date
    date_to: datetime.date
    distributor: object
    sections: list[Section]
    totals: list[PurchaseTotal]
    charts: list[Chart]

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def distributor_report(*, actor, date_from, date_to, distributor=None) -> DistributorReport:
    """What a distributor (or, for program staff, every distributor) bought per product group,
    cooperative and product, and how much of it was sold in Ho Chi Minh City, Hanoi and elsewhere."""
    date_from, date_to = _read_period(date_from, date_to)
    purchases = distributor_purchases_for_actor(actor=actor, distributor=distributor, date_from=date_from,
                                                date_to=date_to)
    rows: dict[tuple, PurchaseRow] = {}
    by_group: dict[str, list] = {}
    totals: OrderedDict[str, PurchaseTotal] = OrderedDict()
    destination_tally = _TonnesTally(DESTINATIONS)
    for purchase in purchases.order_by("purchased_on", "pk"):
        key = (purchase.product_group, purchase.cooperative_id, purchase.product_id or fold(purchase.product_name),
               purchase.unit)
        row = rows.get(key)
        if row is None:
            row = rows[key] = PurchaseRow(purchase.cooperative, purchase.product_name, purchase.unit)
            by_group.setdefault(purchase.product_group, []).append(row)
        total = totals.setdefault(purchase.unit, PurchaseTotal(purchase.unit, ZERO,
                                                               OrderedDict((d, ZERO) for d in DESTINATIONS)))
        row.quantity += purchase.quantity
        total.quantity += purchase.quantity
        for name in DESTINATIONS:
            row.destinations[name] += getattr(purchase, name)
            total.destinations[name] += getattr(purchase, name)
            destination_tally.add(name, getattr(purchase, name), purchase.unit)
        _note(row.difficulties, purchase.difficulties)
        _note(row.solutions, purchase.solutions)
    sections = _sections(by_group, lambda r: (fold(r.cooperative.name), fold(r.product_name), r.unit))
    charts = [destination_tally.chart(_("Số lượng tiêu thụ theo địa bàn"), DESTINATIONS)]
    return DistributorReport(date_from, date_to, distributor, sections, list(totals.values()), charts)
