"""Writes of the warehouse domain: harvest lots recorded by a cooperative's staff, stock counts, expiry."""
from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.permissions import require_cooperative_access
from storefront.warehouse.error_codes import StockErrorCode
from storefront.warehouse.lots import (LotLedger, generated_lot_code, lots_due_to_expire, sales_date,
                                       sellable_until_for)
from storefront.warehouse.models import Stock, StockLot, Warehouse

MAX_LOT_QUANTITY = 1_000_000
MAX_SHELF_LIFE_DAYS = 3650
LOT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")


def _error(field: str, message: str, code: StockErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _as_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _error(field, _("Ngày không hợp lệ."), StockErrorCode.INVALID) from None


def _as_int(value, field: str, *, minimum: int, maximum: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _error(field, message, StockErrorCode.INVALID) from None
    if isinstance(value, float) and value != number or not minimum <= number <= maximum:
        raise _error(field, message, StockErrorCode.INVALID)
    return number


def _clean_dates(*, variant, harvest_date, best_before, shelf_life_days) -> tuple[date | None, date | None]:
    harvest_date = _as_date(harvest_date, "harvest_date")
    best_before = _as_date(best_before, "best_before")
    if harvest_date is not None and harvest_date > sales_date():
        raise _error("harvest_date", _("Ngày thu hoạch không được ở tương lai."), StockErrorCode.INVALID)
    if shelf_life_days not in (None, "") and best_before is None:
        days = _as_int(shelf_life_days, "shelf_life_days", minimum=1, maximum=MAX_SHELF_LIFE_DAYS,
                       message=_("Số ngày sử dụng phải từ 1 đến %(n)s.") % {"n": MAX_SHELF_LIFE_DAYS})
        if harvest_date is None:
            raise _error("harvest_date", _("Cần ngày thu hoạch để tính hạn sử dụng từ số ngày."),
                         StockErrorCode.REQUIRED)
        best_before = harvest_date + timedelta(days=days)
    elif best_before is None and harvest_date is not None and variant.product.shelf_life_days:
        best_before = harvest_date + timedelta(days=variant.product.shelf_life_days)
    if best_before is not None and harvest_date is not None and best_before < harvest_date:
        raise _error("best_before", _("Hạn sử dụng không được trước ngày thu hoạch."), StockErrorCode.INVALID)
    return harvest_date, best_before


def _clean_text(*, standard, certificate, note) -> dict:
    standard = (standard or "").strip().lower()
    if standard and standard not in StockLot.Standard.values:
        raise _error("standard", _("Tiêu chuẩn không hợp lệ."), StockErrorCode.INVALID)
    certificate = (certificate or "").strip()
    if len(certificate) > 120:
        raise _error("certificate", _("Số chứng nhận tối đa 120 ký tự."), StockErrorCode.INVALID)
    return {"standard": standard, "certificate": certificate, "note": (note or "").strip()[:2000]}


def stock_lot_create(*, actor, variant, warehouse: Warehouse, quantity, code: str = "", harvest_date=None,
                     best_before=None, shelf_life_days=None, standard: str = "", certificate: str = "",
                     note: str = "") -> StockLot:
    """Record a lot of `variant` received into `warehouse`; its units are on sale at once.

    The best-before date is given, or computed from the harvest date and `shelf_life_days` (or the
    product's shelf life). A blank code is generated; a code is unique within the cooperative."""
    cooperative_id = variant.product.cooperative_id
    require_cooperative_access(actor, cooperative_id)
    if warehouse.cooperative_id != cooperative_id:
        raise _error("warehouse", _("Kho %(name)s không thuộc hợp tác xã của sản phẩm.") % {"name": warehouse.name},
                     StockErrorCode.INVALID)
    if variant.product.is_combo or not variant.track_inventory:
        raise _error("variant", _("Biến thể này không quản lý tồn kho theo lô."), StockErrorCode.INVALID)
    quantity = _as_int(quantity, "quantity", minimum=1, maximum=MAX_LOT_QUANTITY,
                       message=_("Số lượng phải là số nguyên lớn hơn 0."))
    harvest_date, best_before = _clean_dates(variant=variant, harvest_date=harvest_date, best_before=best_before,
                                             shelf_life_days=shelf_life_days)
    text = _clean_text(standard=standard, certificate=certificate, note=note)
    code = (code or "").strip()
    if code and not LOT_CODE.match(code):
        raise _error("code", _("Mã lô chỉ gồm chữ không dấu, số và . _ / -, tối đa 40 ký tự."),
                     StockErrorCode.INVALID)
    if code and StockLot.objects.filter(cooperative_id=cooperative_id, code__iexact=code).exists():
        raise _error("code", _("Mã lô %(code)s đã được dùng trong hợp tác xã.") % {"code": code},
                     StockErrorCode.UNIQUE)
    sellable_until = sellable_until_for(best_before=best_before,
                                        min_remaining_shelf_life_days=variant.min_remaining_shelf_life_days)
    with transaction.atomic():
        Stock.objects.get_or_create(warehouse=warehouse, product_variant=variant)
        stock = Stock.objects.select_for_update().select_related("warehouse").get(
            warehouse=warehouse, product_variant=variant)
        ledger = LotLedger([stock])
        for attempt in range(5):
            try:
                with transaction.atomic():
                    lot = StockLot.objects.create(
                        stock=stock, cooperative_id=cooperative_id,
                        code=code or generated_lot_code(on=harvest_date or sales_date()),
                        harvest_date=harvest_date, best_before=best_before, sellable_until=sellable_until,
                        quantity_received=quantity, quantity=0, **text)
                break
            except IntegrityError:
                if code or attempt == 4:  # a concurrent lot took the code between the check and here
                    raise _error("code", _("Mã lô %(code)s đã được dùng trong hợp tác xã.") % {"code": code},
                                 StockErrorCode.UNIQUE) from None
        ledger.receive(lot)
        ledger.write()
    return lot


def stock_lot_update(*, actor, lot: StockLot, harvest_date=None, best_before=None, standard=None,
                     certificate=None, note=None) -> StockLot:
    """Correct a lot's dates, standard, certificate or note (None: unchanged). Its units stay."""
    require_cooperative_access(actor, lot.cooperative_id)
    with transaction.atomic():
        stock = Stock.objects.select_for_update().select_related("warehouse", "product_variant__product").get(
            pk=lot.stock_id)
        ledger = LotLedger([stock])
        locked = StockLot.objects.select_for_update().get(pk=lot.pk)
        if locked.expired_at is not None:
            raise _error("best_before", _("Lô đã hết hạn bán, không sửa được."), StockErrorCode.INVALID)
        variant = stock.product_variant
        new_harvest, new_best_before = _clean_dates(
            variant=variant, shelf_life_days=None,
            harvest_date=locked.harvest_date if harvest_date is None else harvest_date,
            best_before=locked.best_before if best_before is None else best_before)
        text = _clean_text(standard=locked.standard if standard is None else standard,
                           certificate=locked.certificate if certificate is None else certificate,
                           note=locked.note if note is None else note)
        locked.harvest_date, locked.best_before = new_harvest, new_best_before
        locked.sellable_until = sellable_until_for(
            best_before=new_best_before, min_remaining_shelf_life_days=variant.min_remaining_shelf_life_days)
        for field, value in text.items():
            setattr(locked, field, value)
        locked.save(update_fields=["harvest_date", "best_before", "sellable_until", *text])
        for known in ledger.lots[stock.pk]:
            if known.pk == locked.pk:
                known.sellable_until = locked.sellable_until
        ledger.write()  # the stock's earliest last day of sale may have moved
    return locked


def stock_quantity_set(*, stock: Stock, quantity: int) -> Stock:
    """A stock count: `stock` (locked by the caller) now holds `quantity` units in all.

    Units found beyond the lots go into the stock's undated lot; missing units come off the free
    units of the lots that expire first. The caller has checked `quantity` ≥ what orders hold."""
    ledger = LotLedger([stock])
    difference = quantity - stock.quantity
    if difference > 0:
        ledger.add_units(stock, difference)
    elif difference < 0:
        if -difference > ledger.available([stock.pk]):
            raise _error("quantity", _("Số lượng không được nhỏ hơn số đang giữ cho đơn."), StockErrorCode.INVALID)
        ledger.remove_units(stock, -difference)
    ledger.write()
    return stock


def stock_lots_expire(*, today: date | None = None) -> int:
    """Expire every lot past its last day of sale (free units written off, stock totals updated).
    One short transaction per stock row, so the task never holds many locks. Returns the lots expired."""
    today = today or sales_date()
    expired = 0
    for stock_id in list(lots_due_to_expire(today=today)):
        with transaction.atomic():
            stock = Stock.objects.select_for_update().select_related("warehouse").filter(pk=stock_id).first()
            if stock is None:
                continue
            ledger = LotLedger([stock], today=today, now=timezone.now())
            expired += ledger.expired_count
            ledger.write()
    return expired


def variant_lots_refresh(*, variant) -> None:
    """After the variant's minimum remaining shelf life changed: each lot's last day of sale follows."""
    with transaction.atomic():
        stocks = list(Stock.objects.select_for_update().select_related("warehouse")
                      .filter(product_variant=variant).order_by("pk"))
        lots = list(StockLot.objects.select_for_update().filter(stock__in=stocks, expired_at__isnull=True)
                    .order_by("pk"))
        for lot in lots:
            lot.sellable_until = sellable_until_for(
                best_before=lot.best_before, min_remaining_shelf_life_days=variant.min_remaining_shelf_life_days)
        StockLot.objects.bulk_update(lots, ["sellable_until"])
        LotLedger(stocks).write()
