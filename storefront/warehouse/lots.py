"""Harvest lots: recording them, taking units from them expiry-first (FEFO), giving units back.

A stock row that has lots is their running total (see `StockLot`). Everything that changes lots
runs inside the caller's `transaction.atomic` and locks in one global order: Stock rows by pk,
then their StockLot rows by pk. Placement, cancellation, a stock edit and the expiry task thus
never deadlock each other, and each reads the lots only once it holds their locks.

Days are Vietnam's calendar days: a lot is sold up to and including its `sellable_until` day in
Asia/Ho_Chi_Minh, whatever the server's clock zone.
"""
from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from storefront.warehouse.models import OrderLineLot, Stock, StockLot

SALES_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def sales_date(now=None) -> date:
    """Today in Vietnam."""
    return timezone.localtime(now or timezone.now(), SALES_TIME_ZONE).date()


def sellable_until_for(*, best_before: date | None, min_remaining_shelf_life_days: int) -> date | None:
    """The last day a lot may be sold: its best-before date less the days a buyer must still have."""
    if best_before is None:
        return None
    return best_before - timedelta(days=min_remaining_shelf_life_days or 0)


def is_sellable(lot: StockLot, *, today: date) -> bool:
    return lot.expired_at is None and (lot.sellable_until is None or lot.sellable_until >= today)


def fefo_key(lot: StockLot, *, stock_free: dict[int, int] | None = None):
    """First expired, first out; lots without a best-before date last. Between lots expiring together,
    the warehouse with the most free units first (fewer parcels), then the older harvest."""
    return (lot.sellable_until is None, lot.sellable_until or date.max, lot.best_before or date.max,
            -(stock_free or {}).get(lot.stock_id, 0), lot.harvest_date or date.max, lot.pk)


def generated_lot_code(*, prefix: str = "L", on: date | None = None) -> str:
    """A readable code (`L251203-7F3A`); the per-cooperative unique index decides whether it is free."""
    return f"{prefix}{(on or sales_date()):%y%m%d}-{secrets.token_hex(2).upper()}"


def _values_update(model, columns: list[str], rows: list[tuple]) -> None:
    """UPDATE `model` SET columns = the row's values WHERE pk = the row's first value, in one statement.

    Django writes a CASE … WHEN per column for this, about ten times slower while the rows are
    locked. The first column is the pk; the others are integers or dates (NULL allowed)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in columns]
    postgres = connection.vendor == "postgresql"

    def placeholder(field) -> str:
        if field.get_internal_type() == "DateField":
            return "CAST(%s AS date)" if postgres else "%s"  # SQLite would read CAST AS date as a number
        return "CAST(%s AS bigint)" if field.primary_key else "CAST(%s AS integer)"

    value_row = "(" + ", ".join(placeholder(field) for field in fields) + ")"
    values = ", ".join([value_row] * len(rows))
    # Both SQLite and PostgreSQL name the VALUES columns column1, column2, …
    assignments = ", ".join(f"{qn(field.column)} = changes.column{i}" for i, field in enumerate(fields[1:], 2))
    params = []
    for row in sorted(rows):
        params.extend(value.isoformat() if isinstance(value, date) else value for value in row)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS changes "
            f"WHERE {table}.{qn(fields[0].column)} = changes.column1",
            params,
        )


class LotLedger:
    """The lots of some locked stock rows, read under their locks, changed in memory, written at once.

    Opening a ledger also settles what a late or missing write left behind: lots whose last day
    of sale has passed are expired now (their free units written off), and units counted on a stock
    row outside any lot (rows written before lots, or in bulk) are taken into one undated lot.
    """

    def __init__(self, stocks: list[Stock], *, today: date | None = None, now=None):
        self.now = now or timezone.now()
        self.today = today or sales_date(self.now)
        self.stocks = {stock.pk: stock for stock in stocks}
        self.lots: dict[int, list[StockLot]] = defaultdict(list)
        self._changed_lots: dict[int, StockLot] = {}
        self._changed_stocks: set[int] = set()
        self._expired_now: list[int] = []
        if not self.stocks:
            return
        for lot in StockLot.objects.select_for_update().filter(
                stock_id__in=list(self.stocks), quantity__gt=0).order_by("pk"):
            self.lots[lot.stock_id].append(lot)
        for stock in self.stocks.values():
            self._adopt_unlotted_units(stock)
            for lot in self.lots[stock.pk]:
                if lot.expired_at is None and lot.sellable_until is not None and lot.sellable_until < self.today:
                    self._expire(lot)

    def _adopt_unlotted_units(self, stock: Stock) -> None:
        lots = self.lots[stock.pk]
        unlotted = stock.quantity - sum(lot.quantity for lot in lots)
        if unlotted <= 0:
            return
        held = min(max(stock.quantity_allocated - sum(lot.quantity_allocated for lot in lots), 0), unlotted)
        cooperative_id = getattr(stock, "cooperative_id", None) or stock.warehouse.cooperative_id
        lot = StockLot.objects.create(
            stock_id=stock.pk, cooperative_id=cooperative_id, code=generated_lot_code(prefix=f"TON{stock.pk}-"),
            quantity_received=unlotted, quantity=unlotted, quantity_allocated=held, created_at=self.now)
        lots.append(lot)

    def _expire(self, lot: StockLot) -> None:
        free = lot.quantity - lot.quantity_allocated
        lot.quantity -= free
        lot.quantity_expired += free
        lot.expired_at = self.now
        self.stocks[lot.stock_id].quantity -= free
        self._expired_now.append(lot.pk)
        self._touch(lot)

    def _touch(self, lot: StockLot) -> None:
        self._changed_lots[lot.pk] = lot
        self._changed_stocks.add(lot.stock_id)

    def sellable_lots(self, stock_ids) -> list[StockLot]:
        """The lots of `stock_ids` with free units that may be sold today, first to expire first."""
        lots = [lot for stock_id in stock_ids for lot in self.lots.get(stock_id, ())
                if lot.quantity_free > 0 and is_sellable(lot, today=self.today)]
        stock_free: dict[int, int] = defaultdict(int)
        for lot in lots:
            stock_free[lot.stock_id] += lot.quantity_free
        return sorted(lots, key=lambda lot: fefo_key(lot, stock_free=stock_free))

    def available(self, stock_ids) -> int:
        return sum(lot.quantity_free for lot in self.sellable_lots(stock_ids))

    def take(self, stock_ids, units: int) -> list[tuple[StockLot, int]]:
        """Hold `units` from the lots of `stock_ids`, expiry first. The caller checked `available`."""
        taken = []
        for lot in self.sellable_lots(stock_ids):
            if units == 0:
                break
            n = min(lot.quantity_free, units)
            lot.quantity_allocated += n
            self.stocks[lot.stock_id].quantity_allocated += n
            self._touch(lot)
            taken.append((lot, n))
            units -= n
        if units:
            raise ValueError("take() asked for more than available()")
        return taken

    @property
    def expired_count(self) -> int:
        """Lots this ledger expired (found past their last day of sale)."""
        return len(self._expired_now)

    def receive(self, lot: StockLot) -> None:
        """A new lot (saved with quantity 0) brings its `quantity_received` units into its stock."""
        lot.quantity = lot.quantity_received
        self.stocks[lot.stock_id].quantity += lot.quantity
        self.lots[lot.stock_id].append(lot)
        self._touch(lot)

    def add_units(self, stock: Stock, units: int) -> None:
        """Units found on hand beyond the lots (a stock count): into the stock's undated open lot."""
        lot = next((lot for lot in self.lots[stock.pk] if lot.best_before is None and lot.expired_at is None), None)
        if lot is None:
            lot = StockLot.objects.create(
                stock_id=stock.pk, cooperative_id=stock.warehouse.cooperative_id,
                code=generated_lot_code(prefix=f"TON{stock.pk}-"), created_at=self.now)
            self.lots[stock.pk].append(lot)
        lot.quantity += units
        lot.quantity_received += units
        stock.quantity += units
        self._touch(lot)

    def remove_units(self, stock: Stock, units: int) -> None:
        """Units missing at a stock count: off the free units of the lots, first to expire first."""
        for lot in self.sellable_lots([stock.pk]):
            if units == 0:
                break
            n = min(lot.quantity_free, units)
            lot.quantity -= n
            stock.quantity -= n
            self._touch(lot)
            units -= n
        if units:
            raise ValueError("remove_units() asked for more than the free units")

    def stock_sellable_until(self, stock_id: int) -> date | None:
        days = [lot.sellable_until for lot in self.lots.get(stock_id, ())
                if lot.quantity_free > 0 and lot.expired_at is None and lot.sellable_until is not None]
        return min(days) if days else None

    def write(self) -> None:
        """Write the changed lots and their stock rows' totals (absolute values: the rows are locked)."""
        _values_update(StockLot, ["id", "quantity", "quantity_allocated", "quantity_expired", "quantity_received"],
                       [(lot.pk, lot.quantity, lot.quantity_allocated, lot.quantity_expired, lot.quantity_received)
                        for lot in self._changed_lots.values()])
        if self._expired_now:
            StockLot.objects.filter(pk__in=self._expired_now).update(expired_at=self.now)
        _values_update(Stock, ["id", "quantity", "quantity_allocated", "sellable_until"],
                       [(stock.pk, stock.quantity, stock.quantity_allocated, self.stock_sellable_until(stock.pk))
                        for stock in self.stocks.values()
                        if stock.pk in self._changed_stocks or stock.sellable_until != self.stock_sellable_until(stock.pk)])
        for stock in self.stocks.values():
            stock.sellable_until = self.stock_sellable_until(stock.pk)
        self._changed_lots.clear()
        self._changed_stocks.clear()
        self._expired_now = []


def lots_release(*, order_line_ids, consume: bool, now=None) -> dict[int, int]:
    """Give back (or, when `consume`, ship out) what the lines hold in their lots.

    Cancelling returns the units to the very lots they came from; units returned to a lot that has
    expired meanwhile are written off with it. Shipping keeps the line's lot rows (quantity_allocated
    0) for traceability. The caller holds the locks of the lots' stock rows and updates their
    quantity_allocated (and, when consuming, quantity) itself; returns {stock id: units written off},
    which the stock rows' quantity must lose too."""
    rows = list(OrderLineLot.objects.filter(order_line_id__in=list(order_line_ids), quantity_allocated__gt=0)
                .order_by("pk"))
    if not rows:
        return {}
    now = now or timezone.now()
    lots = {lot.pk: lot for lot in StockLot.objects.select_for_update()
            .filter(pk__in={row.lot_id for row in rows}).order_by("pk")}
    written_off: dict[int, int] = defaultdict(int)
    emptied, kept = [], []
    for row in rows:
        lot = lots[row.lot_id]
        units = row.quantity_allocated
        lot.quantity_allocated -= units
        if consume:
            lot.quantity -= units
        elif lot.expired_at is not None:
            lot.quantity -= units
            lot.quantity_expired += units
            written_off[lot.stock_id] += units
        if not consume:
            row.quantity -= units
        row.quantity_allocated = 0
        (kept if row.quantity else emptied).append(row)
    _values_update(StockLot, ["id", "quantity", "quantity_allocated", "quantity_expired"],
                   [(lot.pk, lot.quantity, lot.quantity_allocated, lot.quantity_expired) for lot in lots.values()])
    if emptied:
        OrderLineLot.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    if kept:
        _values_update(OrderLineLot, ["id", "quantity", "quantity_allocated"],
                       [(row.pk, row.quantity, row.quantity_allocated) for row in kept])
    return dict(written_off)


def lots_take_back(*, order_line_ids, now=None) -> dict[int, int]:
    """Units the lines shipped come back (a parcel the shopper refused): each into the very lot it
    left, so `Stock.quantity == Σ lots` holds; into a lot that has expired meanwhile they come back
    written off. The lines then hold nothing (their lot rows go). The caller holds the locks of the
    lots' stock rows (`lot_stock_ids` names them) and adds the returned {stock id: units back on hand}
    to those rows' quantity."""
    rows = list(OrderLineLot.objects.filter(order_line_id__in=list(order_line_ids), quantity_allocated=0,
                                            quantity__gt=0).order_by("pk"))
    if not rows:
        return {}
    lots = {lot.pk: lot for lot in StockLot.objects.select_for_update()
            .filter(pk__in={row.lot_id for row in rows}).order_by("pk")}
    back: dict[int, int] = defaultdict(int)
    for row in rows:
        lot = lots[row.lot_id]
        if lot.expired_at is not None:
            lot.quantity_expired += row.quantity
        else:
            lot.quantity += row.quantity
            back[lot.stock_id] += row.quantity
    _values_update(StockLot, ["id", "quantity", "quantity_expired"],
                   [(lot.pk, lot.quantity, lot.quantity_expired) for lot in lots.values()])
    OrderLineLot.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return dict(back)


def lot_stock_ids(*, order_line_ids) -> list[int]:
    """The stock rows whose lots the lines' shipped units came from, in lock order."""
    return sorted(set(OrderLineLot.objects.filter(order_line_id__in=list(order_line_ids), quantity_allocated=0,
                                                  quantity__gt=0).values_list("lot__stock_id", flat=True)))


def stocks_refresh_sellable_until(*, stock_ids) -> None:
    """Recompute `Stock.sellable_until` from the lots (after units went back into lots)."""
    earliest = (StockLot.objects.filter(stock_id=OuterRef("pk"), expired_at__isnull=True,
                                        quantity__gt=F("quantity_allocated"))
                .order_by().values("stock_id").annotate(day=Min("sellable_until")).values("day"))
    Stock.objects.filter(pk__in=list(stock_ids)).update(sellable_until=Subquery(earliest))


def lots_due_to_expire(*, today: date | None = None):
    """Stock rows having a lot whose last day of sale is past and that is not expired yet."""
    today = today or sales_date()
    return (StockLot.objects.filter(expired_at__isnull=True, sellable_until__lt=today)
            .filter(Q(quantity__gt=0)).values_list("stock_id", flat=True).distinct().order_by("stock_id"))


def lots_restock(*, units_by_lot: dict[int, int]) -> dict[int, int]:
    """Put returned units back into the lots they were sold from; their stock rows follow, so
    `Stock.quantity` stays Σ its lots. Locks the stock rows (pk order), then the lots (pk order), like
    every other lot change. A lot that has expired meanwhile takes the units and writes them off
    with it (they were past their day). Returns {lot id: units back on sale}."""
    units_by_lot = {lot_id: units for lot_id, units in units_by_lot.items() if units > 0}
    if not units_by_lot:
        return {}
    stock_ids = sorted(set(StockLot.objects.filter(pk__in=list(units_by_lot)).values_list("stock_id", flat=True)))
    stocks = {stock.pk: stock for stock in Stock.objects.select_for_update().filter(pk__in=stock_ids).order_by("pk")}
    lots = list(StockLot.objects.select_for_update().filter(pk__in=list(units_by_lot)).order_by("pk"))
    on_sale: dict[int, int] = {}
    for lot in lots:
        units = units_by_lot[lot.pk]
        if lot.expired_at is not None:
            lot.quantity_expired += units
            on_sale[lot.pk] = 0
        else:
            lot.quantity += units
            stocks[lot.stock_id].quantity += units
            on_sale[lot.pk] = units
    _values_update(StockLot, ["id", "quantity", "quantity_expired"],
                   [(lot.pk, lot.quantity, lot.quantity_expired) for lot in lots])
    _values_update(Stock, ["id", "quantity"], [(stock.pk, stock.quantity) for stock in stocks.values()])
    stocks_refresh_sellable_until(stock_ids=list(stocks))
    return on_sale
