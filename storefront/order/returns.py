"""Returns: a shopper asks to return units of a delivered part within its cooperative's return
window; the cooperative accepts (each line restocked into the lots it came from, or written off as
damaged, and a RETURN refund granted) or refuses with a reason; the refund is then paid by bank
transfer (a VietQR to the shopper's account) or in cash and marked paid with its reference.

Money is exact: a line refunds what was paid for the units returned. When a line's total is not
unit price × quantity (units marked down near expiry), the k units returned after p earlier ones
refund ⌊T·(p+k)/n⌋ − ⌊T·p/n⌋ (T the line's total, n its quantity), so returning a line whole, in any
number of returns, refunds exactly T, and never more. `refund_grant` caps the order as a whole.

A return changes no order, part or line total (what was sold stays what was sold, as in Saleor): the
money going back is the granted refund, and the cooperative's ledger bears it as an ADJUSTMENT.

Locks: the order, then the part, then the return (then stock rows and lots, by the lots module),
the same order as every other order action.
"""
from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.permissions import cooperative_ids_of, is_program_staff, require_cooperative_access
from storefront.core.text import fold
from storefront.core.uploads import UploadRejected, image_upload_clean
from storefront.order import notifications
from storefront.order.error_codes import OrderErrorCode, OrderGrantRefundCreateErrorCode
from storefront.order.models import (Fulfillment, Order, OrderEvent, OrderGrantedRefund, OrderGrantedRefundLine,
                                     OrderLine, OrderReturn, OrderReturnLine, OrderReturnLineLot)
from storefront.order.refunds import order_refundable_amount, refund_grant, refund_mark_paid
from storefront.payment.vietqr import BANK_NAMES, build_payload
from storefront.settlement.services import settlement_book_refund_adjustment
from storefront.warehouse.lots import lots_restock
from storefront.warehouse.models import OrderLineLot

MAX_REASON_LENGTH = 1000
OPEN = (OrderReturn.Status.REQUESTED, OrderReturn.Status.ACCEPTED)


def _error(field: str, message: str, code=OrderErrorCode.INVALID) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


# --- windows and what may still be returned ---------------------------------------------------------


def line_is_fresh(line: OrderLine) -> bool:
    """Fresh (perishable) goods have the short window and need a photo of the problem."""
    variant = line.variant
    return bool(variant is not None and variant.product.perishable)


def return_deadline(*, fulfillment: Fulfillment, line: OrderLine) -> datetime | None:
    """Until when the shopper may ask to return `line`; None when it cannot be returned at all
    (not delivered, or the cooperative takes no returns of that kind)."""
    if fulfillment.status != Fulfillment.Status.DELIVERED or fulfillment.delivered_at is None:
        return None
    cooperative = fulfillment.cooperative
    if line_is_fresh(line):
        window = timedelta(hours=cooperative.fresh_return_window_hours)
    else:
        window = timedelta(days=cooperative.return_window_days)
    if not window:
        return None
    return fulfillment.delivered_at + window


def units_in_returns(*, line_ids: Iterable, statuses=OPEN, exclude_return_id=None) -> dict:
    """{order line id: units in returns of `statuses`} (asked for and not refused, by default)."""
    qs = OrderReturnLine.objects.filter(order_line_id__in=list(line_ids), order_return__status__in=statuses)
    if exclude_return_id is not None:
        qs = qs.exclude(order_return_id=exclude_return_id)
    return {row["order_line_id"]: int(row["units"]) for row in
            qs.values("order_line_id").annotate(units=Sum("quantity")).order_by()}


def returnable_quantities(*, lines: Iterable[OrderLine]) -> dict:
    """{order line id: units that may still be asked back}: delivered less those in open returns."""
    lines = list(lines)
    taken = units_in_returns(line_ids=[line.pk for line in lines])
    return {line.pk: max(0, line.quantity_fulfilled - taken.get(line.pk, 0)) for line in lines}


def line_refund_amount(*, line: OrderLine, units_before: int, units: int) -> int:
    """What `units` of `line` refund after `units_before` were refunded (see the module's note)."""
    total, quantity = int(line.total_price_amount), int(line.quantity)
    if quantity <= 0:
        return 0
    return total * (units_before + units) // quantity - total * units_before // quantity


def line_program_share(*, line: OrderLine, units_before: int, units: int) -> int:
    """The part of the discount the program paid on `units` of `line` (after `units_before`), spread
    over the units the way `line_refund_amount` spreads the line's total: returning a whole line in
    any number of returns gives back exactly its `program_discount_amount`."""
    share, quantity = int(line.program_discount_amount), int(line.quantity)
    if quantity <= 0 or share <= 0:
        return 0
    return share * (units_before + units) // quantity - share * units_before // quantity


# --- input checks ---------------------------------------------------------------------------------


def _clean_reason(reason, *, field: str = "reason") -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise _error(field, _("Vui lòng nêu lý do."), OrderErrorCode.REQUIRED)
    if len(reason) > MAX_REASON_LENGTH:
        raise _error(field, _("Lý do quá dài."))
    return reason


def _clean_lines(order: Order, lines: Mapping) -> tuple[Fulfillment, dict[OrderLine, int]]:
    """{order line (of `order`): quantity} all from one delivered part; keys may be lines or their ids."""
    if not lines:
        raise _error("lines", _("Vui lòng chọn ít nhất một dòng hàng để trả."), OrderErrorCode.REQUIRED)
    by_id = {str(line.pk): line for line in OrderLine.objects.filter(order=order).select_related(
        "variant__product", "fulfillment__cooperative")}
    cleaned: dict[OrderLine, int] = {}
    for key, quantity in lines.items():
        line = by_id.get(str(getattr(key, "pk", key)))
        if line is None:
            raise _error("lines", _("Không tìm thấy dòng hàng trong đơn này."), OrderErrorCode.NOT_FOUND)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise _error("lines", _("Số lượng trả không hợp lệ."), OrderErrorCode.INVALID_QUANTITY)
        if quantity:
            cleaned[line] = cleaned.get(line, 0) + quantity
    if not cleaned:
        raise _error("lines", _("Vui lòng chọn ít nhất một dòng hàng để trả."), OrderErrorCode.ZERO_QUANTITY)
    parts = {line.fulfillment_id for line in cleaned}
    if len(parts) != 1 or None in parts:
        raise _error("lines", _("Mỗi yêu cầu trả hàng chỉ gồm hàng của một hợp tác xã."))
    return next(iter(cleaned)).fulfillment, cleaned


def _check_window(fulfillment: Fulfillment, lines: Mapping[OrderLine, int], now: datetime) -> None:
    if fulfillment.status != Fulfillment.Status.DELIVERED:
        raise _error("lines", _("Chỉ trả được hàng đã giao."), OrderErrorCode.NOT_EDITABLE)
    for line in lines:
        deadline = return_deadline(fulfillment=fulfillment, line=line)
        if deadline is None:
            raise _error("lines", _("%(cooperative)s không nhận trả lại sản phẩm “%(product)s”.")
                         % {"cooperative": fulfillment.cooperative.name, "product": line.product_name})
        if now > deadline:
            raise _error("lines", _("Đã quá hạn trả hàng cho “%(product)s” (hạn chót %(deadline)s).") % {
                "product": line.product_name,
                "deadline": timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")})


def _check_quantities(lines: Mapping[OrderLine, int], *, exclude_return_id=None, statuses=OPEN) -> None:
    """Under the order's lock: no line is asked back for more units than were delivered and are
    not already in another open return (when accepting: in another accepted one)."""
    taken = units_in_returns(line_ids=[line.pk for line in lines], exclude_return_id=exclude_return_id,
                             statuses=statuses)
    for line, quantity in lines.items():
        fresh = OrderLine.objects.values_list("quantity_fulfilled", flat=True).get(pk=line.pk)
        left = fresh - taken.get(line.pk, 0)
        if quantity > left:
            raise ValidationError({"lines": ValidationError(
                _("“%(product)s”: chỉ còn %(left)d đơn vị có thể trả (đã giao %(delivered)d).")
                % {"product": line.product_name, "left": max(left, 0), "delivered": fresh},
                code=OrderErrorCode.INVALID_QUANTITY.value, params={"orderLines": [str(line.pk)]})})


def _clean_refund_details(method, bank_bin, account_no, account_name) -> dict:
    if method not in OrderGrantedRefund.Method.values:
        raise _error("refund_method", _("Vui lòng chọn cách nhận tiền hoàn."), OrderErrorCode.REQUIRED)
    if method == OrderGrantedRefund.Method.CASH:
        return {"refund_method": method, "bank_bin": "", "bank_account_no": "", "bank_account_name": ""}
    bank_bin = str(bank_bin or "").strip()
    if bank_bin not in BANK_NAMES:
        raise _error("bank_bin", _("Vui lòng chọn ngân hàng nhận tiền hoàn."), OrderErrorCode.REQUIRED)
    account_no = "".join(str(account_no or "").split())
    if not (account_no.isascii() and account_no.isdigit() and 6 <= len(account_no) <= 19):
        raise _error("bank_account_no", _("Số tài khoản gồm 6 đến 19 chữ số."))
    # Banks show the holder's name without accents, in capitals.
    account_name = " ".join(fold(account_name).upper().split())
    if not account_name:
        raise _error("bank_account_name", _("Vui lòng nhập tên chủ tài khoản."), OrderErrorCode.REQUIRED)
    if len(account_name) > 50 or not all(ch.isalnum() or ch in " .-" for ch in account_name):
        raise _error("bank_account_name", _("Tên chủ tài khoản không hợp lệ."))
    return {"refund_method": method, "bank_bin": bank_bin, "bank_account_no": account_no,
            "bank_account_name": account_name}


def _checked_photo(photo) -> tuple[bytes, str] | None:
    """The re-encoded bytes of an acceptable photo (the one image check every upload goes through),
    else ValidationError."""
    if photo is None:
        return None
    try:
        image = image_upload_clean(photo, max_bytes=settings.MAX_IMAGE_UPLOAD_BYTES,
                                   max_pixels=settings.MAX_IMAGE_PIXELS)
    except UploadRejected as exc:
        raise _error("photo", exc.message) from None
    return image.data, image.extension


# --- the shopper asks -------------------------------------------------------------------------------


def _create(*, order: Order, actor, lines: Mapping, reason: str, photo, refund: dict, now: datetime,
            require_photo: bool) -> OrderReturn:
    fulfillment, lines = _clean_lines(order, lines)
    _check_window(fulfillment, lines, now)
    if require_photo and photo is None and any(line_is_fresh(line) for line in lines):
        raise _error("photo", _("Hàng tươi: vui lòng gửi kèm ảnh chụp tình trạng hàng."), OrderErrorCode.REQUIRED)
    checked = _checked_photo(photo)
    with transaction.atomic():
        locked_order = Order.objects.select_for_update().get(pk=order.pk)
        part = Fulfillment.objects.select_for_update().select_related("cooperative").get(pk=fulfillment.pk)
        _check_window(part, lines, now)
        _check_quantities(lines)
        order_return = OrderReturn(order=locked_order, fulfillment=part, cooperative=part.cooperative,
                                   reason=reason, created_at=now, requested_by=_user(actor), **refund)
        if checked is not None:
            data, extension = checked
            # A random name: nothing about the order or the shopper, nothing to guess.
            order_return.photo.save(f"{secrets.token_urlsafe(18)}.{extension}", ContentFile(data), save=False)
        try:
            order_return.save()
            OrderReturnLine.objects.bulk_create(
                OrderReturnLine(order_return=order_return, order_line=line, quantity=quantity)
                for line, quantity in lines.items())
            OrderEvent.objects.create(order=locked_order, type=OrderEvent.Type.RETURN_REQUESTED, user=_user(actor),
                                      date=now, parameters={
                                          "return": order_return.pk, "fulfillment": part.composed_id,
                                          "lines": {str(line.pk): quantity for line, quantity in lines.items()},
                                          "reason": reason, "refund_method": refund["refund_method"]})
        except Exception:
            if checked is not None:  # a request not written leaves no file behind
                order_return.photo.storage.delete(order_return.photo.name)
            raise
    return order_return


def return_request_create(*, order: Order, actor, lines: Mapping, reason: str, photo=None,
                          refund_method: str, bank_bin: str = "", bank_account_no: str = "",
                          bank_account_name: str = "", now: datetime | None = None) -> OrderReturn:
    """The shopper (the order's own account) asks to return `lines` ({order line or its id: units})
    of one delivered part, within the window, with a reason; a photo for fresh goods; the refund
    by bank transfer to the account given, or in cash. The cooperative is told by mail."""
    if _user(actor) is None or order.user_id != actor.pk:
        raise PermissionDenied(_("Chỉ người mua được yêu cầu trả hàng của đơn này."))
    reason = _clean_reason(reason)
    refund = _clean_refund_details(refund_method, bank_bin, bank_account_no, bank_account_name)
    order_return = _create(order=order, actor=actor, lines=lines, reason=reason, photo=photo, refund=refund,
                           now=now or timezone.now(), require_photo=True)
    notifications.return_requested(order_return)
    return order_return


# --- the cooperative decides ------------------------------------------------------------------------


def _lock_return(order_return: OrderReturn) -> tuple[Order, OrderReturn]:
    order = Order.objects.select_for_update().get(pk=order_return.order_id)
    Fulfillment.objects.select_for_update().filter(pk=order_return.fulfillment_id).values_list("pk", flat=True).get()
    locked = OrderReturn.objects.select_for_update().select_related("fulfillment", "cooperative").get(
        pk=order_return.pk)
    return order, locked


def _sync(target: OrderReturn, source: OrderReturn) -> OrderReturn:
    target.__dict__.update({k: v for k, v in source.__dict__.items() if not k.startswith("_")})
    target._state.fields_cache.clear()
    return target


def _attribute_to_lots(line: OrderLine, units_before: int, units: int) -> dict[int, int]:
    """{lot id: units} of `units` of `line` returned after `units_before`: each stock-holding
    variant of the line (a combo has several) gives back its share, from the line's lots in order,
    skipping what earlier returns took back from each."""
    rows = list(OrderLineLot.objects.filter(order_line=line).select_related("lot__stock").order_by("pk"))
    if not rows or line.quantity <= 0:
        return {}
    earlier = dict(OrderReturnLineLot.objects.filter(
        return_line__order_line=line, return_line__order_return__status=OrderReturn.Status.ACCEPTED)
        .values("lot_id").annotate(units=Sum("quantity")).values_list("lot_id", "units"))
    by_variant: dict[int, list[OrderLineLot]] = defaultdict(list)
    for row in rows:
        by_variant[row.lot.stock.product_variant_id].append(row)
    result: dict[int, int] = {}
    for variant_rows in by_variant.values():
        total = sum(row.quantity for row in variant_rows)
        need = total * (units_before + units) // line.quantity - total * units_before // line.quantity
        for row in variant_rows:
            if need == 0:
                break
            room = row.quantity - earlier.get(row.lot_id, 0)
            n = min(room, need)
            if n > 0:
                result[row.lot_id] = result.get(row.lot_id, 0) + n
                earlier[row.lot_id] = earlier.get(row.lot_id, 0) + n
                need -= n
    return result


def _accept_locked(order: Order, order_return: OrderReturn, *, actor, write_off: set, now: datetime,
                   refund: bool = True, amount_to_refund: int | None = None) -> OrderReturn:
    if order_return.status != OrderReturn.Status.REQUESTED:
        raise _error("status", _("Yêu cầu trả hàng này đã được xử lý."), OrderErrorCode.NOT_EDITABLE)
    return_lines = list(order_return.lines.select_related("order_line").order_by("pk"))
    lines = {row.order_line: row.quantity for row in return_lines}
    _check_quantities(lines, exclude_return_id=order_return.pk, statuses=(OrderReturn.Status.ACCEPTED,))
    before = units_in_returns(line_ids=[line.pk for line in lines], statuses=(OrderReturn.Status.ACCEPTED,))
    restock: dict[int, int] = {}
    lot_rows = []
    total = program_share = 0
    for row in return_lines:
        line = row.order_line
        units_before = before.get(line.pk, 0)
        row.amount = line_refund_amount(line=line, units_before=units_before, units=row.quantity)
        program_share += line_program_share(line=line, units_before=units_before, units=row.quantity)
        row.disposition = (OrderReturnLine.Disposition.WRITE_OFF if str(line.pk) in write_off
                           else OrderReturnLine.Disposition.RESTOCK)
        total += row.amount
        for lot_id, units in _attribute_to_lots(line, units_before, row.quantity).items():
            lot_rows.append(OrderReturnLineLot(return_line=row, lot_id=lot_id, quantity=units))
            if row.disposition == OrderReturnLine.Disposition.RESTOCK:
                restock[lot_id] = restock.get(lot_id, 0) + units
    if amount_to_refund is not None:
        if amount_to_refund > total:
            raise _error("amount_to_refund", _("Số tiền hoàn (%(amount)d ₫) lớn hơn số tiền đã trả cho các dòng "
                                               "hàng này (%(paid)d ₫).") % {"amount": amount_to_refund, "paid": total})
        total = amount_to_refund
    OrderReturnLine.objects.bulk_update(return_lines, ["amount", "disposition"])
    OrderReturnLineLot.objects.bulk_create(lot_rows)
    lots_restock(units_by_lot=restock)
    order_return.status = OrderReturn.Status.ACCEPTED
    order_return.decided_at = now
    order_return.decided_by = _user(actor)
    order_return.amount = total if refund else 0
    if refund and total > 0:
        order_return.granted_refund = refund_grant(
            order=order, actor=actor, amount=total, kind=OrderGrantedRefund.Kind.RETURN,
            reason=order_return.reason, cooperative=order_return.cooperative_id,
            method=order_return.refund_method, lines=lines)
        # Settlement: the cooperative bears an accepted return's refund. It is booked when granted,
        # not when paid, so the money due back to the shopper can no longer be paid out to the
        # cooperative in the meantime; if the cooperative then pays the shopper from its own account,
        # `return_refund_mark_paid` books it back (+), since the program did not pay it.
        settlement_book_refund_adjustment(
            cooperative_id=order_return.cooperative_id, amount=-total, actor=actor,
            reference=f"#{order_return.fulfillment.composed_id} R{order_return.pk}",
            note=_("Hoàn tiền trả hàng R%(n)s") % {"n": order_return.pk})
        if program_share:
            # The sale booked on delivery included the discount the program paid on these units
            # (settlement_book_delivery); the goods came back and the shopper is refunded what she
            # paid, so the program takes its share back too.
            settlement_book_refund_adjustment(
                cooperative_id=order_return.cooperative_id, amount=-program_share, actor=actor,
                reference=f"#{order_return.fulfillment.composed_id} R{order_return.pk}",
                note=_("Chương trình thu lại phần giảm giá đã trả cho hàng trả lại R%(n)s") % {"n": order_return.pk})
    order_return.save(update_fields=["status", "decided_at", "decided_by", "amount", "granted_refund"])
    OrderEvent.objects.create(order=order, type=OrderEvent.Type.RETURN_ACCEPTED, user=_user(actor), date=now,
                              parameters={"return": order_return.pk, "amount": order_return.amount,
                                          "restocked": sum(restock.values()),
                                          "written_off": [str(line.pk) for line in lines if str(line.pk) in write_off]})
    notifications.return_decided(order_return)
    return order_return


def return_accept(*, order_return: OrderReturn, actor, write_off: Iterable = (),
                  now: datetime | None = None) -> OrderReturn:
    """The cooperative takes the goods back: lines named in `write_off` (order line ids) were
    damaged and are recorded, not restocked; the others go back into their lots. A RETURN refund
    of what was paid for the units is granted (booked against the cooperative's settlement)."""
    require_cooperative_access(actor, order_return.cooperative_id)
    write_off = {str(getattr(line, "pk", line)) for line in write_off}
    with transaction.atomic():
        order, locked = _lock_return(order_return)
        _accept_locked(order, locked, actor=actor, write_off=write_off, now=now or timezone.now())
    return _sync(order_return, locked)


def return_refuse(*, order_return: OrderReturn, actor, reason: str, now: datetime | None = None) -> OrderReturn:
    require_cooperative_access(actor, order_return.cooperative_id)
    reason = _clean_reason(reason, field="refusal_reason")
    now = now or timezone.now()
    with transaction.atomic():
        order, locked = _lock_return(order_return)
        if locked.status != OrderReturn.Status.REQUESTED:
            raise _error("status", _("Yêu cầu trả hàng này đã được xử lý."), OrderErrorCode.NOT_EDITABLE)
        locked.status = OrderReturn.Status.REFUSED
        locked.refusal_reason = reason
        locked.decided_at = now
        locked.decided_by = _user(actor)
        locked.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
        OrderEvent.objects.create(order=order, type=OrderEvent.Type.RETURN_REFUSED, user=_user(actor), date=now,
                                  parameters={"return": locked.pk, "reason": reason})
        notifications.return_decided(locked)
    return _sync(order_return, locked)


def return_refund_mark_paid(*, order_return: OrderReturn, actor, reference: str) -> OrderGrantedRefund:
    """The return's refund was sent (bank transfer reference, or the cash receipt's number)."""
    require_cooperative_access(actor, order_return.cooperative_id)
    if order_return.granted_refund_id is None:
        raise _error("refund", _("Yêu cầu trả hàng này không có khoản hoàn tiền."), OrderErrorCode.NOT_FOUND)
    with transaction.atomic():
        refund = refund_mark_paid(refund=order_return.granted_refund, actor=actor, reference=reference)
        if not is_program_staff(actor):
            settlement_book_refund_adjustment(
                cooperative_id=order_return.cooperative_id, amount=refund.amount, actor=actor,
                reference=f"#{order_return.fulfillment.composed_id} R{order_return.pk}",
                note=_("Hợp tác xã tự chi hoàn tiền R%(n)s (%(ref)s)") % {"n": order_return.pk,
                                                                       "ref": refund.reference})
        notifications.return_refund_paid(order_return)
    return refund


# --- staff record a return (the API's orderFulfillmentReturnProducts) -------------------------------


def return_record(*, order: Order, actor, lines: Mapping, reason: str = "", refund: bool = False,
                  amount_to_refund: int | None = None, write_off: Iterable = (),
                  now: datetime | None = None) -> OrderReturn:
    """A cooperative's staff take back goods of their own delivered part (brought back or collected),
    within the window: the return is recorded accepted at once; `refund` grants the lines' paid
    amount (or `amount_to_refund`, never more), to be paid in cash."""
    now = now or timezone.now()
    fulfillment, cleaned = _clean_lines(order, lines)
    require_cooperative_access(actor, fulfillment.cooperative_id)
    reason = str(reason or "").strip()[:MAX_REASON_LENGTH] or _("Hợp tác xã nhận lại hàng")
    if amount_to_refund is not None and (isinstance(amount_to_refund, bool) or not isinstance(amount_to_refund, int)
                                         or amount_to_refund <= 0):
        raise _error("amount_to_refund", _("Số tiền hoàn phải là số nguyên dương (đồng)."))
    write_off = {str(getattr(line, "pk", line)) for line in write_off}
    refund_details = {"refund_method": OrderGrantedRefund.Method.CASH}
    with transaction.atomic():
        order_return = _create(order=order, actor=actor, lines=cleaned, reason=reason, photo=None,
                               refund=refund_details, now=now, require_photo=False)
        locked_order, locked = _lock_return(order_return)
        _accept_locked(locked_order, locked, actor=actor, write_off=write_off, now=now, refund=refund,
                       amount_to_refund=amount_to_refund if refund else None)
    return locked


# --- refunds granted by staff (the API's orderGrantRefundCreate) -----------------------------------


def refund_grant_for_order(*, order: Order, actor, amount: int | None, reason: str = "",
                           lines: Mapping | None = None) -> OrderGrantedRefund:
    """Staff grant a refund on an order: a cooperative's staff on their own lines (and part), program
    staff on any, or on the order as a whole without lines. Without `amount` it is what was paid for
    the lines' units, prorated like a return; a line never gets more units back than it has."""
    lines = dict(lines or {})
    by_id = {str(line.pk): line for line in OrderLine.objects.filter(order=order)}
    cleaned: dict[OrderLine, int] = {}
    for key, quantity in lines.items():
        line = by_id.get(str(getattr(key, "pk", key)))
        if line is None:
            raise _error("lines", _("Không tìm thấy dòng hàng trong đơn này."),
                         OrderGrantRefundCreateErrorCode.NOT_FOUND)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise _error("lines", _("Số lượng hoàn không hợp lệ."), OrderGrantRefundCreateErrorCode.INVALID)
        cleaned[line] = cleaned.get(line, 0) + quantity
    cooperatives = {line.cooperative_id for line in cleaned}
    if len(cooperatives) > 1:
        raise _error("lines", _("Mỗi khoản hoàn chỉ gồm hàng của một hợp tác xã."),
                     OrderGrantRefundCreateErrorCode.INVALID)
    cooperative_id = next(iter(cooperatives)) if cooperatives else None
    if cooperative_id is None and not is_program_staff(actor):
        own = {f.cooperative_id for f in order.fulfillments.all()} & cooperative_ids_of(actor)
        if len(own) != 1:
            raise PermissionDenied(_("Bạn không có quyền hoàn tiền cho phần hàng này."))
        cooperative_id = own.pop()
    if cooperative_id is not None:
        require_cooperative_access(actor, cooperative_id)
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise _error("amount", _("Số tiền hoàn phải là số nguyên dương (đồng)."), OrderGrantRefundCreateErrorCode.INVALID)
    reason = str(reason or "").strip()[:MAX_REASON_LENGTH]
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        granted = dict(OrderGrantedRefundLine.objects.filter(order_line__in=list(cleaned)).values(
            "order_line_id").annotate(units=Sum("quantity")).values_list("order_line_id", "units"))
        computed = 0
        for line, quantity in cleaned.items():
            before = int(granted.get(line.pk, 0))
            if before + quantity > line.quantity:
                raise ValidationError({"lines": ValidationError(
                    _("“%(product)s”: chỉ còn %(left)d đơn vị có thể hoàn.")
                    % {"product": line.product_name, "left": line.quantity - before},
                    code=OrderGrantRefundCreateErrorCode.INVALID.value)})
            computed += line_refund_amount(line=line, units_before=before, units=quantity)
        if amount is None:
            amount = computed
            if amount <= 0:
                raise _error("amount", _("Vui lòng nhập số tiền hoàn hoặc chọn dòng hàng."),
                             OrderGrantRefundCreateErrorCode.REQUIRED)
        refundable = order_refundable_amount(order=locked)
        if cooperative_id is not None:
            # A cooperative refunds at most what its own part came to, less what is already granted on it.
            part = Fulfillment.objects.filter(order=locked, cooperative_id=cooperative_id).values_list(
                "subtotal_amount", flat=True).first() or 0
            granted_on_part = OrderGrantedRefund.objects.filter(order=locked, cooperative_id=cooperative_id).aggregate(
                total=Sum("amount"))["total"] or 0
            refundable = min(refundable, max(0, int(part) - int(granted_on_part)))
        if amount > refundable:
            raise _error("amount", _("Số tiền hoàn (%(amount)d ₫) lớn hơn số tiền còn có thể hoàn (%(refundable)d ₫).")
                         % {"amount": amount, "refundable": refundable},
                         OrderGrantRefundCreateErrorCode.AMOUNT_GREATER_THAN_AVAILABLE)
        return refund_grant(order=locked, actor=actor, amount=amount, kind=OrderGrantedRefund.Kind.MANUAL,
                            reason=reason, cooperative=cooperative_id, lines=cleaned)


# --- what the cooperative's page shows to pay a refund ----------------------------------------------


def refund_transfer_note(order_return: OrderReturn) -> str:
    """ASCII note (≤ 25 characters) of the refund transfer, so the shopper recognises it."""
    return f"HOAN TIEN HTX{order_return.order_id} R{order_return.pk}"[:25]


def refund_vietqr_payload(order_return: OrderReturn) -> str | None:
    """The VietQR for the cooperative to pay an accepted return's refund to the shopper's account."""
    refund = order_return.granted_refund
    if (refund is None or order_return.refund_method != OrderGrantedRefund.Method.BANK_TRANSFER
            or not order_return.bank_account_no):
        return None
    return build_payload(bin=order_return.bank_bin, account=order_return.bank_account_no, amount=int(refund.amount),
                         purpose=refund_transfer_note(order_return))
