"""Stock movements for orders: allocate at placement, release on cancel, decrease on shipment.

Every function here must run inside the caller's `transaction.atomic`. The Stock rows concerned
are locked with `select_for_update` in primary-key order (one global order, so two orders never
deadlock each other) and availability is checked only *after* the locks are held: a check made
before locking races with the other buyer and oversells (Saleor 3.23 does exactly that).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from storefront.product.models import ProductVariant
from storefront.warehouse.lots import (LotLedger, lot_stock_ids, lots_release, lots_take_back,
                                      stocks_refresh_sellable_until)
from storefront.warehouse.models import Allocation, OrderLineLot, Stock, Warehouse
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


def _lock_stocks(variant_ids, *, province=None) -> list[Stock]:
    """The stock rows of `variant_ids`, locked in pk order; with `province`, only those of warehouses
    that ship there (a warehouse without shipping zones ships anywhere)."""
    stocks = Stock.objects.select_for_update(of=("self",)).select_related("warehouse").filter(
        product_variant_id__in=variant_ids)
    if province is not None:
        zones = Warehouse.shipping_zones.through.objects.filter(warehouse_id=OuterRef("warehouse_id"))
        covering = zones.filter(Q(shippingzone__region=province.region) | Q(shippingzone__provinces=province))
        stocks = stocks.filter(~Exists(zones) | Exists(covering))
    return list(stocks.order_by("pk"))


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


def allocate_stock(*, order_lines, combo_components=None, province=None) -> list[Allocation]:
    """Hold stock for saved `order_lines`, or raise `InsufficientStock` having changed nothing.

    A variant's stock may be spread over several warehouses of its cooperative and over many lots:
    each line takes from the lots that expire first, across the warehouses that ship to `province`
    (all, without it), never from a lot past its last day of sale; which lots it took is recorded
    (OrderLineLot). `combo_components`: what `combo_components_of` returns for the lines'
    variants, when the caller has read it already.
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
    stocks = _lock_stocks(tracked, province=province)
    ledger = LotLedger(stocks)  # locks the lots after the stocks, expires what is past its day
    stock_ids: dict[int, list[int]] = defaultdict(list)
    for stock in stocks:
        stock_ids[stock.product_variant_id].append(stock.pk)
    available = {vid: ledger.available(ids) for vid, ids in stock_ids.items()}

    # Checked under the locks: total demand per stock-holding variant across all lines.
    total_needed: dict[int, int] = defaultdict(int)
    for parts in demand.values():
        for vid, units in parts:
            if vid in tracked:
                total_needed[vid] += units
    short = {vid for vid, units in total_needed.items() if units > available.get(vid, 0)}
    if short:
        items = []
        for line, parts in demand.items():
            short_parts = [(vid, units) for vid, units in parts if vid in short]
            if short_parts:
                per_unit = [available.get(vid, 0) // max(units // line.quantity, 1) for vid, units in short_parts]
                items.append(InsufficientStockItem(line.variant_id, line.quantity, min(per_unit)))
        raise InsufficientStock(items)

    allocations: list[Allocation] = []
    line_lots: list[OrderLineLot] = []
    for line, parts in demand.items():
        per_stock: dict[int, int] = defaultdict(int)
        per_lot: dict[int, int] = defaultdict(int)
        for vid, units in parts:
            if vid not in tracked:
                continue
            for lot, n in ledger.take(stock_ids[vid], units):
                per_stock[lot.stock_id] += n
                per_lot[lot.pk] += n
        allocations.extend(
            Allocation(order_line=line, stock_id=stock_id, quantity_allocated=units)
            for stock_id, units in per_stock.items()
        )
        line_lots.extend(OrderLineLot(order_line=line, lot_id=lot_id, quantity=units, quantity_allocated=units)
                         for lot_id, units in per_lot.items())
    ledger.write()
    OrderLineLot.objects.bulk_create(line_lots)
    return Allocation.objects.bulk_create(allocations)


def _release(allocations: list[Allocation], *, consume: bool) -> None:
    """Give back (or, when `consume`, ship out) what `allocations` hold, then delete them."""
    if not allocations:
        return
    per_stock: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        per_stock[allocation.stock_id] += allocation.quantity_allocated
    # Lock in pk order like allocate_stock (stocks, then lots), so a release never deadlocks with a placement.
    list(Stock.objects.select_for_update().filter(pk__in=per_stock).order_by("pk").values_list("pk", flat=True))
    written_off = lots_release(order_line_ids={a.order_line_id for a in allocations}, consume=consume)
    for stock_id, units in sorted(per_stock.items()):
        changes = {"quantity_allocated": F("quantity_allocated") - units}
        if consume or written_off.get(stock_id):
            changes["quantity"] = F("quantity") - (units if consume else written_off[stock_id])
        Stock.objects.filter(pk=stock_id).update(**changes)
    if not consume:
        stocks_refresh_sellable_until(stock_ids=per_stock)
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


def increase_stock_for_refused_fulfillment(*, fulfillment) -> None:
    """The shopper refused the parcel of `fulfillment`: its units go back on hand, into their lots."""
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    line_ids = list(fulfillment.lines.values_list("pk", flat=True))
    stock_ids = lot_stock_ids(order_line_ids=line_ids)
    # Stocks, then lots, in pk order: the same order as every other stock movement.
    list(Stock.objects.select_for_update().filter(pk__in=stock_ids).order_by("pk").values_list("pk", flat=True))
    back = lots_take_back(order_line_ids=line_ids)
    for stock_id, units in sorted(back.items()):
        Stock.objects.filter(pk=stock_id).update(quantity=F("quantity") + units)
    stocks_refresh_sellable_until(stock_ids=stock_ids)
