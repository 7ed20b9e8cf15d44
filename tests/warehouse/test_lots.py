"""Harvest lots: recording, expiry-first allocation, expiry in Vietnam's calendar, giving units back."""
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from storefront.order.services import fulfillment_ship, order_cancel
from storefront.shipping.models import ShippingZone
from storefront.warehouse.lots import LotLedger, sales_date
from storefront.warehouse.models import OrderLineLot, Stock, StockLot, Warehouse
from storefront.warehouse.selectors import variant_quantity_available, variants_quantity_available
from storefront.warehouse.services import (stock_lot_create, stock_lot_update, stock_lots_expire,
                                           variant_lots_refresh)
from tests.checkout.helpers import codes, place_order, ready_checkout

pytestmark = pytest.mark.django_db

TODAY = sales_date()


def lot(actor, variant, quantity, best_before_in_days, *, warehouse=None, **fields):
    return stock_lot_create(actor=actor, variant=variant, warehouse=warehouse or variant.product.cooperative.warehouses.first(),
                            quantity=quantity, harvest_date=TODAY - timedelta(days=1),
                            best_before=TODAY + timedelta(days=best_before_in_days), **fields)


@pytest.fixture
def lotted(variant, coop_staff):
    """The variant's 10 units (an undated stock-count lot) plus three dated lots."""
    late = lot(coop_staff, variant, 5, 20, code="LATE")
    early = lot(coop_staff, variant, 4, 3, code="EARLY")
    middle = lot(coop_staff, variant, 6, 8, code="MIDDLE")
    return early, middle, late


def taken(order) -> dict[str, int]:
    return {row.lot.code: row.quantity for row in OrderLineLot.objects.filter(order_line__order=order)
            .select_related("lot")}


def test_a_lot_adds_its_units_to_the_stock_row(variant, coop_staff):
    created = lot(coop_staff, variant, 7, 5)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (17, 0)
    # the 10 units counted before lots became one undated lot: the row is the sum of its lots
    assert sorted(StockLot.objects.filter(stock=stock).values_list("quantity", flat=True)) == [7, 10]
    assert stock.sellable_until == created.best_before
    assert created.code.startswith(f"L{created.harvest_date:%y%m%d}-")
    assert variant_quantity_available(variant=variant) == 17


def test_orders_take_the_lots_that_expire_first(channel, variant, lotted, shipping_method):
    first = place_order(channel, [(variant, 3)])
    assert taken(first) == {"EARLY": 3}
    second = place_order(channel, [(variant, 5)])
    assert taken(second) == {"EARLY": 1, "MIDDLE": 4}
    third = place_order(channel, [(variant, 9)])
    assert taken(third) == {"MIDDLE": 2, "LATE": 5, StockLot.objects.get(best_before=None).code: 2}
    for stock_lot in StockLot.objects.all():
        held = sum(OrderLineLot.objects.filter(lot=stock_lot).values_list("quantity_allocated", flat=True))
        assert stock_lot.quantity_allocated == held
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (25, 17)


def test_fefo_runs_across_warehouses_that_ship_to_the_address(channel, coop, coop_staff, variant, shipping_method):
    home = coop.warehouses.get()
    near = Warehouse.objects.create(cooperative=coop, name="Kho Cái Răng", slug="kho-cai-rang", province_id="92")
    north = Warehouse.objects.create(cooperative=coop, name="Kho Hà Nội", slug="kho-ha-noi", province_id="01")
    north.shipping_zones.add(ShippingZone.objects.create(name="Miền Bắc", region="north"))
    lot(coop_staff, variant, 2, 4, warehouse=near, code="NEAR")
    lot(coop_staff, variant, 9, 2, warehouse=north, code="NORTH")  # expires first, but not shipped to Cần Thơ
    lot(coop_staff, variant, 3, 6, code="HOME", warehouse=home)
    order = place_order(channel, [(variant, 4)])
    assert taken(order) == {"NEAR": 2, "HOME": 2}
    line = order.lines.get()
    assert {a.stock.warehouse_id: a.quantity_allocated for a in line.allocations.select_related("stock")} == {
        near.pk: 2, home.pk: 2}


def test_a_lot_past_its_day_is_not_sold_even_before_the_expiry_task(channel, variant, coop_staff, shipping_method):
    gone = lot(coop_staff, variant, 6, 2, code="GONE")
    assert variant_quantity_available(variant=variant) == 16
    # The day passes with no write: the row still counts 16, but readers and checkout skip the lot.
    StockLot.objects.filter(pk=gone.pk).update(best_before=TODAY - timedelta(days=1),
                                               sellable_until=TODAY - timedelta(days=1))
    Stock.objects.filter(product_variant=variant).update(sellable_until=TODAY - timedelta(days=1))
    assert Stock.objects.get(product_variant=variant).quantity == 16
    assert variant_quantity_available(variant=variant) == 10
    assert variants_quantity_available(variant_ids=[variant.pk]) == {variant.pk: 10}
    with pytest.raises(ValidationError) as exc:
        place_order(channel, [(variant, 11)])  # the cart refuses it already
    assert codes(exc.value) == {"quantity": ["insufficient_stock"]}
    order = place_order(channel, [(variant, 10)])
    assert "GONE" not in taken(order)
    gone.refresh_from_db()
    # the placement expired it under its lock: free units written off, the row no longer counts them
    assert (gone.quantity, gone.quantity_expired, gone.expired_at is not None) == (0, 6, True)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated, stock.sellable_until) == (10, 10, None)


def test_the_expiry_task_writes_off_what_is_past_its_day(variant, coop_staff):
    lot(coop_staff, variant, 6, 2, code="SOON")
    lot(coop_staff, variant, 4, 5, code="LATER")
    assert stock_lots_expire(today=TODAY + timedelta(days=2)) == 0  # the best-before day itself still sells
    assert stock_lots_expire(today=TODAY + timedelta(days=3)) == 1
    soon = StockLot.objects.get(code="SOON")
    assert (soon.quantity, soon.quantity_expired) == (0, 6)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.sellable_until) == (14, TODAY + timedelta(days=5))


def test_the_sales_day_turns_at_midnight_in_vietnam():
    # 23:59 in Hà Nội is 16:59 UTC; one minute later it is tomorrow there, still today in UTC.
    assert sales_date(datetime(2026, 12, 3, 16, 59, tzinfo=dt_timezone.utc)) == date(2026, 12, 3)
    assert sales_date(datetime(2026, 12, 3, 17, 0, tzinfo=dt_timezone.utc)) == date(2026, 12, 4)


def test_expiry_follows_the_vietnamese_day_boundary(variant, coop_staff):
    last_day = lot(coop_staff, variant, 5, 0, code="LASTDAY")  # best before today
    stock = Stock.objects.select_related("warehouse").get(product_variant=variant)
    evening_utc = datetime.combine(TODAY, datetime.min.time(), tzinfo=dt_timezone.utc) + timedelta(hours=16, minutes=59)
    with transaction.atomic():
        ledger = LotLedger([Stock.objects.select_for_update().select_related("warehouse").get(pk=stock.pk)],
                           now=evening_utc)
        assert ledger.available([stock.pk]) == 15  # 23:59 in Vietnam: still its day
        ledger.write()
    after_midnight = evening_utc + timedelta(minutes=1)
    with transaction.atomic():
        ledger = LotLedger([Stock.objects.select_for_update().select_related("warehouse").get(pk=stock.pk)],
                           now=after_midnight)
        assert ledger.available([stock.pk]) == 10
        ledger.write()
    last_day.refresh_from_db()
    assert last_day.expired_at == after_midnight


def test_minimum_remaining_shelf_life_stops_sales_earlier(channel, variant, coop_staff, shipping_method):
    lot(coop_staff, variant, 6, 3, code="THREE")
    assert variant_quantity_available(variant=variant) == 16
    variant.min_remaining_shelf_life_days = 4  # a buyer must still have 4 days
    variant.save()
    variant_lots_refresh(variant=variant)
    assert StockLot.objects.get(code="THREE").expired_at is not None
    assert variant_quantity_available(variant=variant) == 10
    with pytest.raises(ValidationError) as exc:
        place_order(channel, [(variant, 12)])
    assert codes(exc.value) == {"quantity": ["insufficient_stock"]}


def test_cancelling_puts_units_back_into_the_same_lots(channel, variant, lotted, program_staff, shipping_method):
    early, middle, _late = lotted
    order = place_order(channel, [(variant, 6)])
    assert taken(order) == {"EARLY": 4, "MIDDLE": 2}
    order_cancel(order=order, actor=program_staff, reason="test")
    early.refresh_from_db()
    middle.refresh_from_db()
    assert (early.quantity, early.quantity_allocated, middle.quantity, middle.quantity_allocated) == (4, 0, 6, 0)
    assert not OrderLineLot.objects.exists()
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated, stock.sellable_until) == (25, 0, early.best_before)


def test_units_returned_to_an_expired_lot_are_written_off(channel, variant, coop_staff, program_staff,
                                                         shipping_method):
    short = lot(coop_staff, variant, 3, 1, code="SHORT")
    order = place_order(channel, [(variant, 2)])
    assert taken(order) == {"SHORT": 2}
    assert stock_lots_expire(today=TODAY + timedelta(days=2)) == 1
    order_cancel(order=order, actor=program_staff, reason="test")
    short.refresh_from_db()
    assert (short.quantity, short.quantity_allocated, short.quantity_expired) == (0, 0, 3)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (10, 0)


def test_shipping_keeps_the_lines_lots_for_traceability(channel, variant, lotted, coop_staff, shipping_method):
    order = place_order(channel, [(variant, 5)])
    fulfillment = order.fulfillments.get()
    from storefront.order.services import fulfillment_pack

    fulfillment_pack(fulfillment=fulfillment, actor=coop_staff)
    fulfillment_ship(fulfillment=fulfillment, actor=coop_staff, tracking_number="VN123")
    rows = {row.lot.code: (row.quantity, row.quantity_allocated) for row in OrderLineLot.objects.select_related("lot")}
    assert rows == {"EARLY": (4, 0), "MIDDLE": (1, 0)}
    early = StockLot.objects.get(code="EARLY")
    assert (early.quantity, early.quantity_allocated, early.quantity_received) == (0, 0, 4)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (20, 0)


def test_a_stock_count_adjusts_the_lots(variant, lotted, coop_staff):
    from storefront.product.services import variant_stocks_update

    warehouse = variant.product.cooperative.warehouses.first()
    variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(warehouse, 20)])  # 5 missing
    early, middle, late = (StockLot.objects.get(code=c) for c in ("EARLY", "MIDDLE", "LATE"))
    assert (early.quantity, middle.quantity, late.quantity) == (0, 5, 5)  # off the first to expire
    variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(warehouse, 23)])  # 3 found
    assert StockLot.objects.get(best_before=None).quantity == 13
    assert Stock.objects.get(product_variant=variant).quantity == 23
    assert sum(StockLot.objects.values_list("quantity", flat=True)) == 23


@pytest.mark.parametrize(("fields", "expected"), [
    ({"quantity": 0}, {"quantity": ["invalid"]}),
    ({"quantity": -3}, {"quantity": ["invalid"]}),
    ({"quantity": "nhiều"}, {"quantity": ["invalid"]}),
    ({"harvest_date": TODAY, "best_before": TODAY - timedelta(days=1)}, {"best_before": ["invalid"]}),
    ({"harvest_date": TODAY + timedelta(days=1)}, {"harvest_date": ["invalid"]}),
    ({"shelf_life_days": 5}, {"harvest_date": ["required"]}),
    ({"code": "có dấu"}, {"code": ["invalid"]}),
    ({"standard": "iso"}, {"standard": ["invalid"]}),
])
def test_bad_lots_are_refused_with_nothing_written(variant, coop_staff, fields, expected):
    values = {"quantity": 5, **fields}
    before = list(StockLot.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        stock_lot_create(actor=coop_staff, variant=variant, warehouse=variant.product.cooperative.warehouses.first(),
                         **values)
    assert codes(exc.value) == expected
    assert list(StockLot.objects.values_list("pk", flat=True)) == before
    assert Stock.objects.get(product_variant=variant).quantity == 10


def test_best_before_is_computed_from_the_shelf_life(variant, coop_staff):
    created = stock_lot_create(actor=coop_staff, variant=variant, warehouse=variant.product.cooperative.warehouses.first(),
                               quantity=2, harvest_date=TODAY, shelf_life_days=7, standard="vietgap",
                               certificate="VG-01-2026")
    assert created.best_before == TODAY + timedelta(days=7)
    assert (created.standard, created.certificate) == ("vietgap", "VG-01-2026")


def test_lot_codes_are_unique_within_a_cooperative(variant, coop_staff, other_coop, other_coop_staff, channel):
    from tests.factories import make_product

    lot(coop_staff, variant, 2, 5, code="HT-01")
    with pytest.raises(ValidationError) as exc:
        lot(coop_staff, variant, 2, 5, code="ht-01")
    assert codes(exc.value) == {"code": ["unique"]}
    assert "ht-01" in exc.value.error_dict["code"][0].messages[0]
    other_variant = make_product(other_coop, channel, "Cải ngọt", 18_000).variants.get()
    assert lot(other_coop_staff, other_variant, 2, 5, code="HT-01").code == "HT-01"  # another cooperative's


def test_a_cooperative_touches_only_its_own_lots(variant, coop_staff, other_coop, other_coop_staff):
    with pytest.raises(PermissionDenied):
        lot(other_coop_staff, variant, 2, 5)
    with pytest.raises(ValidationError) as exc:
        lot(coop_staff, variant, 2, 5, warehouse=other_coop.warehouses.first())
    assert codes(exc.value) == {"warehouse": ["invalid"]}
    own = lot(coop_staff, variant, 2, 5)
    with pytest.raises(PermissionDenied):
        stock_lot_update(actor=other_coop_staff, lot=own, note="không phải của tôi")


def test_correcting_a_lots_best_before_moves_its_last_day(variant, coop_staff):
    created = lot(coop_staff, variant, 2, 5)
    updated = stock_lot_update(actor=coop_staff, lot=created, best_before=TODAY + timedelta(days=2))
    assert updated.sellable_until == TODAY + timedelta(days=2)
    assert Stock.objects.get(product_variant=variant).sellable_until == TODAY + timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        stock_lot_update(actor=coop_staff, lot=created, best_before=TODAY - timedelta(days=5))
    assert codes(exc.value) == {"best_before": ["invalid"]}


def test_checkout_refuses_a_cart_that_only_an_expired_lot_could_fill(channel, variant, coop_staff,
                                                                     shipping_method):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import checkout_lines_add

    Stock.objects.filter(product_variant=variant).update(quantity=0)
    oneday = lot(coop_staff, variant, 3, 1, code="ONEDAY")
    checkout = ready_checkout(channel, [(variant, 3)])
    # the lot's last day passes while the cart waits; the expiry task has not run
    StockLot.objects.filter(pk=oneday.pk).update(sellable_until=TODAY - timedelta(days=1))
    Stock.objects.filter(product_variant=variant).update(sellable_until=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        checkout_lines_add(checkout=checkout, lines=[(variant, 1)])
    assert "insufficient_stock" in {code for field in codes(exc.value).values() for code in field}
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["insufficient_stock"]}
    assert StockLot.objects.get(pk=oneday.pk).quantity_allocated == 0


def test_the_expiry_task_is_scheduled_and_runs_the_service(variant, coop_staff, settings):
    from storefront.warehouse.tasks import expire_stock_lots_task

    assert settings.CELERY_BEAT_SCHEDULE["expire-stock-lots"]["task"] == expire_stock_lots_task.name
    stale = lot(coop_staff, variant, 4, 1, code="STALE")
    StockLot.objects.filter(pk=stale.pk).update(sellable_until=TODAY - timedelta(days=1))
    assert expire_stock_lots_task.apply().get() == 1
    assert Stock.objects.get(product_variant=variant).quantity == 10
