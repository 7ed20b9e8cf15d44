"""How many units of a variant can still be sold.

A plain variant's availability is the sum over its stocks of `quantity - quantity_allocated`
(a stock row is the running total of its harvest lots), except for a row whose earliest lot is
past its last day of sale and not expired yet (the expiry task runs periodically): its lots that
can still be sold are summed instead, so an expired lot is never offered even before the task runs.
A combo holds no stock of its own: its availability is the minimum over its components of
floor(component available ÷ units per combo). Variants that don't track inventory are capped at
`UNTRACKED_AVAILABLE` so callers can compare quantities without a special case.
"""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

from storefront.core.permissions import require_cooperative_access
from storefront.product.models import ComboComponent, ProductType, ProductVariant
from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import Stock, StockLot, Warehouse

UNTRACKED_AVAILABLE = 1_000_000


def combo_components_of(*, variant_ids) -> dict[int, list[tuple[int, int]]]:
    """{combo variant id: [(component variant id, units per combo), …]} for the combos among `variant_ids`."""
    components: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for combo_id, component_id, quantity in ComboComponent.objects.filter(combo_id__in=variant_ids).values_list(
        "combo_id", "component_id", "quantity"
    ).order_by("pk"):
        components[combo_id].append((component_id, quantity))
    return dict(components)


def stock_available_expression(*, stock_ref: str = "", today=None):
    """Units of a Stock row that can be sold today, as an expression over the row (`stock_ref`: the
    path to it from the queried model, e.g. "stocks__" … or "" on Stock itself)."""
    today = today or sales_date()
    sellable_lots = (
        StockLot.objects.filter(stock_id=OuterRef(f"{stock_ref}pk"), expired_at__isnull=True)
        .filter(Q(sellable_until__isnull=True) | Q(sellable_until__gte=today))
        .order_by().values("stock_id")
        .annotate(free=Sum(Greatest(F("quantity") - F("quantity_allocated"), Value(0)))).values("free")
    )
    return Case(
        When(**{f"{stock_ref}sellable_until__lt": today},
             then=Coalesce(Subquery(sellable_lots, output_field=IntegerField()), Value(0))),
        default=Greatest(F(f"{stock_ref}quantity") - F(f"{stock_ref}quantity_allocated"), Value(0)),
        output_field=IntegerField(),
    )


def _stock_available(variant_ids) -> dict[int, int]:
    rows = (
        Stock.objects.filter(product_variant_id__in=variant_ids)
        .values("product_variant_id")
        .annotate(available=Sum(stock_available_expression()))
    )
    return {row["product_variant_id"]: int(row["available"] or 0) for row in rows}


def variants_quantity_available(*, variant_ids) -> dict[int, int]:
    """{variant id: units available to sell} for every id given (unknown ids get 0). Three queries."""
    variant_ids = {int(v) for v in variant_ids}
    if not variant_ids:
        return {}
    components = combo_components_of(variant_ids=variant_ids)
    component_ids = {cid for parts in components.values() for cid, _ in parts}
    info = {
        row["id"]: row
        for row in ProductVariant.objects.filter(id__in=variant_ids | component_ids).values(
            "id", "track_inventory", "product__product_type__kind"
        )
    }
    stock = _stock_available(variant_ids | component_ids)

    def plain(variant_id: int) -> int:
        row = info.get(variant_id)
        if row is None:
            return 0
        if not row["track_inventory"]:
            return UNTRACKED_AVAILABLE
        return stock.get(variant_id, 0)

    result: dict[int, int] = {}
    for variant_id in variant_ids:
        row = info.get(variant_id)
        if row is None:
            result[variant_id] = 0
        elif variant_id in components:
            result[variant_id] = min(plain(cid) // quantity for cid, quantity in components[variant_id])
        elif row["product__product_type__kind"] == ProductType.Kind.COMBO:
            result[variant_id] = 0  # a combo without components cannot be assembled
        else:
            result[variant_id] = plain(variant_id)
    return result


def products_quantity_available(*, product_ids) -> dict[int, int]:
    """{product id: units available over all its variants}, by the rules of `variants_quantity_available`, for
    the products of `product_ids` that have variants (the others have none to sell: absent, read them as 0).

    `product_ids` may be a queryset of product ids: it is then a subquery, where a list of 10,000 ids costs
    Django more to prepare than the database spends answering. Plain variants are read in one query, their
    stock summed by the database; combos (variants with components, or of a combo product type) are few and go
    through `variants_quantity_available`.
    """
    available_stock = (
        Stock.objects.filter(product_variant_id=OuterRef("pk"))
        .values("product_variant_id")
        .annotate(available=Sum(stock_available_expression()))
        .values("available")
    )
    rows = (
        ProductVariant.objects.filter(product_id__in=product_ids)
        .annotate(stock_available=Subquery(available_stock, output_field=IntegerField()),
                  has_components=Exists(ComboComponent.objects.filter(combo_id=OuterRef("pk"))))
        .order_by()
        .values_list("pk", "product_id", "track_inventory", "product__product_type__kind", "stock_available",
                     "has_components")
    )
    totals: dict[int, int] = defaultdict(int)
    combos: dict[int, int] = {}  # combo variant id -> product id
    for variant_id, product_id, track_inventory, kind, stock_available, has_components in rows:
        if has_components or kind == ProductType.Kind.COMBO:
            combos[variant_id] = product_id
            totals[product_id] += 0  # listed even when every combo variant is unassemblable
        elif not track_inventory:
            totals[product_id] += UNTRACKED_AVAILABLE
        else:
            totals[product_id] += int(stock_available or 0)
    if combos:
        for variant_id, units in variants_quantity_available(variant_ids=combos).items():
            totals[combos[variant_id]] += units
    return dict(totals)


def variant_quantity_available(*, variant) -> int:
    variant_id = getattr(variant, "pk", variant)
    return variants_quantity_available(variant_ids=[variant_id])[variant_id]


def warehouses_of_cooperative(*, actor, cooperative) -> list[Warehouse]:
    """A cooperative's warehouses, the first made first (new stock goes there by default)."""
    require_cooperative_access(actor, cooperative.pk)
    return list(Warehouse.objects.filter(cooperative=cooperative).order_by("pk"))


def stocks_running_low(*, actor, cooperative, threshold: int, limit: int = 20):
    """A cooperative's tracked stock rows with at most `threshold` units free, the emptiest first."""
    require_cooperative_access(actor, cooperative.pk)
    return (Stock.objects.filter(warehouse__cooperative=cooperative, product_variant__track_inventory=True)
            .annotate(free=F("quantity") - F("quantity_allocated"))
            .filter(free__lte=threshold)
            .select_related("product_variant__product", "warehouse").order_by("free", "pk")[:limit])


def stocks_for_variant(*, variant):
    return Stock.objects.filter(product_variant=variant).select_related("warehouse").order_by("pk")


def stock_lots_for_variant(*, actor, variant):
    """Every lot of `variant` for its cooperative's staff: on sale first (first to expire first), then
    the sold-out and expired ones, newest first."""
    from storefront.core.permissions import require_cooperative_access

    require_cooperative_access(actor, variant.product.cooperative_id)
    return (StockLot.objects.filter(stock__product_variant=variant).select_related("stock__warehouse")
            .order_by(F("expired_at").desc(nulls_first=True), F("sellable_until").asc(nulls_last=True), "-pk"))


def stock_lot_public(*, public_id):
    """A lot as its public traceability page shows it (None when unknown): what, from whom, where, when."""
    return (StockLot.objects.filter(public_id=public_id)
            .select_related("stock__product_variant__product__origin_province", "cooperative__province",
                            "cooperative__commune", "stock__warehouse__province", "stock__warehouse__commune")
            .first())


def next_lots(*, variant_ids=None, stock_ids=None, today=None) -> dict[int, StockLot]:
    """{variant id (or stock id, given `stock_ids`): the lot its next unit would come from}: among
    the lots with free units still sellable today, the first to expire (FEFO). One query."""
    today = today or sales_date()
    lots = (StockLot.objects.filter(expired_at__isnull=True, quantity__gt=F("quantity_allocated"))
            .filter(Q(sellable_until__isnull=True) | Q(sellable_until__gte=today))
            .select_related("stock"))
    if stock_ids is not None:
        lots, key = lots.filter(stock_id__in=list(stock_ids)), (lambda lot: lot.stock_id)
    else:
        lots, key = lots.filter(stock__product_variant_id__in=list(variant_ids)), (
            lambda lot: lot.stock.product_variant_id)
    from storefront.warehouse.lots import fefo_key

    first: dict[int, StockLot] = {}
    for lot in sorted(lots, key=fefo_key):
        first.setdefault(key(lot), lot)
    return first


def lots_of_order_lines(*, order_line_ids) -> dict:
    """{order line id: [OrderLineLot with its lot]}: which lots each line took (held or shipped)."""
    from storefront.warehouse.models import OrderLineLot

    found = defaultdict(list)
    for row in (OrderLineLot.objects.filter(order_line_id__in=list(order_line_ids))
                .select_related("lot").order_by(F("lot__sellable_until").asc(nulls_last=True), "pk")):
        found[row.order_line_id].append(row)
    return dict(found)
