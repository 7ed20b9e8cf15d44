"""Stock movements for orders: allocate at placement, release on cancel, decrease on shipment.

Every function here must run inside the caller's `transaction.atomic`. The Stock rows concerned
are locked with `select_for_update` in primary-key order (one global order, so two orders never
deadlock each other) and availability is checked only *after* the locks are held: a check made
before locking races with the other buyer and oversells (Saleor 3.23 does exactly that).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from storefront.product.models import ProductVariant
from storefront.warehouse.models import Allocation, Stock
from storefront.warehouse.selectors import combo_components_of


@dataclass(frozen=True)
class InsufficientStockItem:
    variant_id: int  # the variant the buyer asked for (the combo, for a combo line)
    requested: int
    available: int


class InsufficientStock(Exception):
    def __init__(self, items: list[InsufficientStockItem]):
        self.items = items
        super().__init__(f"insufficient stock for variants {[item.variant_id for item in items]}")


def _lock_stocks(variant_ids) -> list[Stock]:
    return list(
        Stock.objects.select_for_update().filter(product_variant_id__in=variant_ids).order_by("pk")
    )


def _component_demand(order_lines, components=None) -> dict:
    """{order line: [(stock-holding variant id, units)]}; combos expand to their components."""
    if components is None:
        components = combo_components_of(variant_ids={line.variant_id for line in order_lines if line.variant_id})
    demand = {}
    for line in order_lines:
        if not line.variant_id:
            continue
        if line.variant_id in components:
            demand[line] = [(cid, per_combo * line.quantity) for cid, per_combo in components[line.variant_id]]
        else:
            demand[line] = [(line.variant_id, line.quantity)]
    return demand


def allocate_stock(*, order_lines, combo_components=None) -> list[Allocation]:
    """Hold stock for saved `order_lines`, or raise `InsufficientStock` having changed nothing.

    A variant's stock may be spread over several warehouses of its cooperative: each line takes
    from the warehouse with the most available first. `combo_components`: what
    `combo_components_of` returns for the lines' variants, when the caller has read it already.
    """
    demand = _component_demand(order_lines, combo_components)
    needed_ids = {vid for parts in demand.values() for vid, _ in parts}
    # Plain lines carry their variant already; only combo components need a look-up.
    known = {line.variant_id: line.variant.track_inventory for line in demand
             if "variant" in line._state.fields_cache and line.variant is not None}
    tracked = {vid for vid in needed_ids if known.get(vid)}
    unknown = needed_ids - set(known)
    if unknown:
        tracked |= set(ProductVariant.objects.filter(id__in=unknown, track_inventory=True).values_list("id", flat=True))
    stocks = _lock_stocks(tracked)
    by_variant: dict[int, list[Stock]] = defaultdict(list)
    available: dict[int, int] = {}
    for stock in stocks:
        by_variant[stock.product_variant_id].append(stock)
        available[stock.pk] = max(stock.quantity - stock.quantity_allocated, 0)

    # Checked under the locks: total demand per stock-holding variant across all lines.
    total_needed: dict[int, int] = defaultdict(int)
    for parts in demand.values():
        for vid, units in parts:
            if vid in tracked:
                total_needed[vid] += units
    short = {
        vid for vid, units in total_needed.items()
        if units > sum(available[s.pk] for s in by_variant.get(vid, ()))
    }
    if short:
        items = []
        for line, parts in demand.items():
            short_parts = [(vid, units) for vid, units in parts if vid in short]
            if short_parts:
                per_unit = [
                    sum(available[s.pk] for s in by_variant.get(vid, ())) // max(units // line.quantity, 1)
                    for vid, units in short_parts
                ]
                items.append(InsufficientStockItem(line.variant_id, line.quantity, min(per_unit)))
        raise InsufficientStock(items)

    allocations: list[Allocation] = []
    taken: dict[int, int] = defaultdict(int)
    for line, parts in demand.items():
        per_stock: dict[int, int] = defaultdict(int)
        for vid, units in parts:
            if vid not in tracked:
                continue
            remaining = units
            for stock in sorted(by_variant[vid], key=lambda s: (-available[s.pk], s.pk)):
                if remaining == 0:
                    break
                take = min(available[stock.pk], remaining)
                if take <= 0:
                    continue
                available[stock.pk] -= take
                taken[stock.pk] += take
                per_stock[stock.pk] += take
                remaining -= take
        allocations.extend(
            Allocation(order_line=line, stock_id=stock_id, quantity_allocated=units)
            for stock_id, units in per_stock.items()
        )
    if taken:
        _add_allocated(taken)
    return Allocation.objects.bulk_create(allocations)


def _add_allocated(units_by_stock: dict[int, int]) -> None:
    """quantity_allocated += units for each locked stock row, in one statement.

    Written in SQL because it runs while the rows are locked and Django builds a CASE … WHEN update
    for this in about ten times the time (the same statement works on PostgreSQL and SQLite ≥ 3.33)."""
    table = connection.ops.quote_name(Stock._meta.db_table)
    pk = connection.ops.quote_name(Stock._meta.pk.column)
    allocated = connection.ops.quote_name(Stock._meta.get_field("quantity_allocated").column)
    rows = sorted(units_by_stock.items())
    values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS integer))"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {allocated} = {table}.{allocated} + changes.column2 "
            f"FROM (VALUES {values}) AS changes WHERE {table}.{pk} = changes.column1",
            [value for row in rows for value in row],
        )


def _release(allocations: list[Allocation], *, consume: bool) -> None:
    """Give back (or, when `consume`, ship out) what `allocations` hold, then delete them."""
    if not allocations:
        return
    per_stock: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        per_stock[allocation.stock_id] += allocation.quantity_allocated
    # Lock in pk order like allocate_stock, so a release never deadlocks with a placement.
    list(Stock.objects.select_for_update().filter(pk__in=per_stock).order_by("pk").values_list("pk", flat=True))
    for stock_id, units in sorted(per_stock.items()):
        changes = {"quantity_allocated": F("quantity_allocated") - units}
        if consume:
            changes["quantity"] = F("quantity") - units
        Stock.objects.filter(pk=stock_id).update(**changes)
    Allocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()


def deallocate_stock_for_lines(*, order_lines) -> None:
    allocations = list(Allocation.objects.filter(order_line__in=list(order_lines)).order_by("pk"))
    _release(allocations, consume=False)


def deallocate_stock(*, order) -> None:
    """Return everything `order` still holds (cancel, expiry)."""
    allocations = list(Allocation.objects.filter(order_line__order=order).order_by("pk"))
    _release(allocations, consume=False)


def decrease_stock_for_fulfillment(*, fulfillment) -> None:
    """The goods of `fulfillment` leave the warehouse: quantity and allocation fall together."""
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    allocations = list(Allocation.objects.filter(order_line__fulfillment=fulfillment).order_by("pk"))
    _release(allocations, consume=True)
