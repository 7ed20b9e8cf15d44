"""Returns: the window, the request (lines, photo, refund account), the cooperative's decision
(restock into the lots or write off, the refund and its settlement), paying the refund, the mails."""
import io
import os
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from PIL import Image

from storefront.order.models import (Fulfillment, OrderEvent, OrderGrantedRefund, OrderReturn, OrderReturnLine)
from storefront.order.refunds import order_total_granted_refund, refund_grant
from storefront.order.returns import (refund_vietqr_payload, return_accept, return_deadline, return_record,
                                      return_refund_mark_paid, return_refuse, return_request_create)
from storefront.order.selectors import fulfillment_cash_due
from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from storefront.product.models import ProductVariantChannelListing
from storefront.settlement.models import LedgerEntry
from storefront.settlement.selectors import ledger_balance
from storefront.warehouse.lots import sales_date
from storefront.warehouse.models import Stock, StockLot
from storefront.warehouse.services import stock_lot_create
from tests.checkout.helpers import codes, place_order

pytestmark = pytest.mark.django_db
TODAY = sales_date()


@pytest.fixture(autouse=True)
def _mails_at_once(monkeypatch):
    """The mails are queued for after the commit; a test's transaction never commits."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def jpeg(name="anh.jpg", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def deliver(order, staff):
    lines = {str(line.pk): line.quantity for line in order.lines.all()}
    order_fulfill(order=order, lines=lines, tracking_number="VN1", actor=staff)
    order.refresh_from_db()
    for part in order.fulfillments.all():
        # A cash-on-delivery part is delivered with exactly the cash it owes.
        fulfillment_deliver(fulfillment=part, actor=staff, cash_collected=fulfillment_cash_due(order=order, fulfillment=part) or None)
    order.refresh_from_db()
    return order


def assert_stock_is_its_lots():
    for stock in Stock.objects.all():
        assert stock.quantity == (StockLot.objects.filter(stock=stock).aggregate(n=Sum("quantity"))["n"] or 0)


@pytest.fixture
def lots(product, variant, coop_staff):
    """Rice at 45,500 ₫, 30 % off in a lot's last 2 days: lot SOON (3 units) ends tomorrow, LATER (4) in a week."""
    ProductVariantChannelListing.objects.filter(variant=variant).update(price_amount=45_500)
    product.markdown_percent, product.markdown_days = 30, 2
    product.save()
    Stock.objects.filter(product_variant=variant).update(quantity=0)
    warehouse = product.cooperative.warehouses.get()
    return {code: stock_lot_create(actor=coop_staff, variant=variant, warehouse=warehouse, quantity=quantity,
                                   code=code, best_before=TODAY + timedelta(days=days))
            for code, quantity, days in (("SOON", 3, 1), ("LATER", 4, 7))}


@pytest.fixture
def delivered(lots, variant, channel, shipping_method, customer, coop_staff, program_staff):
    """5 units bought (3 marked down to 31,850 + 2 at 45,500 = 186,550), paid by VietQR, delivered."""
    order = place_order(channel, [(variant, 5)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    return deliver(order, coop_staff)


def ask(order, customer, quantity=2, **kwargs):
    line = order.lines.get()
    data = {"lines": {line: quantity}, "reason": "Gạo bị ẩm", "refund_method": "bank_transfer",
            "bank_bin": "970436", "bank_account_no": "0071 0012 34567", "bank_account_name": "Nguyễn Thị Lan"}
    data.update(kwargs)
    return return_request_create(order=order, actor=customer, **data)


def test_a_return_restocks_into_its_lots_and_refunds_the_paid_units_exactly(delivered, lots, customer, coop_staff,
                                                                            coop):
    line = delivered.lines.get()
    assert line.total_price_amount == 3 * 31_850 + 2 * 45_500 == 186_550
    mail.outbox.clear()
    first = ask(delivered, customer, quantity=2)
    assert (first.status, first.bank_account_no, first.bank_account_name) == (
        OrderReturn.Status.REQUESTED, "007100123456" + "7", "NGUYEN THI LAN")
    assert {m.to[0] for m in mail.outbox} == {coop.email, customer.email}
    first = return_accept(order_return=first, actor=coop_staff)
    # 2 of 5 units of a 186,550 ₫ line: ⌊186,550 × 2 / 5⌋ = 74,620
    assert (first.status, first.amount, first.granted_refund.amount) == (OrderReturn.Status.ACCEPTED, 74_620, 74_620)
    assert (first.granted_refund.kind, first.granted_refund.method) == ("return", "bank_transfer")
    assert first.granted_refund.lines.get().quantity == 2
    lots["SOON"].refresh_from_db()
    lots["LATER"].refresh_from_db()
    assert (lots["SOON"].quantity, lots["LATER"].quantity) == (2, 2)  # back into the lot the units came from
    assert_stock_is_its_lots()
    # the other 3 units, in a second return, written off as damaged: the line refunds 186,550 in all
    second = return_accept(order_return=ask(delivered, customer, quantity=3), actor=coop_staff, write_off=[line.pk])
    assert second.amount == 186_550 - 74_620 == 111_930
    assert order_total_granted_refund(order=delivered) == 186_550
    assert second.lines.get().disposition == OrderReturnLine.Disposition.WRITE_OFF
    lots["SOON"].refresh_from_db()
    lots["LATER"].refresh_from_db()
    assert (lots["SOON"].quantity, lots["LATER"].quantity) == (2, 2)  # nothing restocked
    assert_stock_is_its_lots()
    # nothing is left to return
    with pytest.raises(ValidationError) as exc:
        ask(delivered, customer, quantity=1)
    assert codes(exc.value) == {"lines": ["invalid_quantity"]}
    types = list(delivered.events.values_list("type", flat=True))
    assert types.count(OrderEvent.Type.RETURN_REQUESTED) == 2 and types.count(OrderEvent.Type.RETURN_ACCEPTED) == 2
    assert delivered.events.filter(type=OrderEvent.Type.RETURN_ACCEPTED).first().user == coop_staff


def test_units_asked_back_never_exceed_those_delivered(delivered, customer, coop_staff):
    pending = ask(delivered, customer, quantity=4)
    with pytest.raises(ValidationError) as exc:  # 4 are already asked back, 1 is left
        ask(delivered, customer, quantity=2)
    assert codes(exc.value) == {"lines": ["invalid_quantity"]}
    return_refuse(order_return=pending, actor=coop_staff, reason="Bao bì còn nguyên, hàng không lỗi")
    assert ask(delivered, customer, quantity=5).lines.get().quantity == 5  # refused units may be asked again
    assert OrderReturn.objects.count() == 2


def test_settlement_bears_the_refund(delivered, customer, coop_staff, coop, settings):
    settings.SETTLEMENT_FEE_PERCENT = 5
    # delivered: sale 186,550, fee 5 % = 9,327.5 → 9,328 (half-up)
    assert ledger_balance(cooperative=coop) == 186_550 - 9_328 == 177_222
    order_return = return_accept(order_return=ask(delivered, customer, quantity=2), actor=coop_staff)
    adjustment = LedgerEntry.objects.get(kind=LedgerEntry.Kind.ADJUSTMENT)
    assert (adjustment.amount, adjustment.cooperative_id) == (-74_620, coop.pk)
    assert ledger_balance(cooperative=coop) == 177_222 - 74_620 == 102_602
    # the cooperative pays the shopper from its own account: the program did not, the balance comes back
    refund = return_refund_mark_paid(order_return=order_return, actor=coop_staff, reference="FT-HOAN-1")
    assert (refund.status, refund.reference) == (OrderGrantedRefund.Status.SUCCESS, "FT-HOAN-1")
    assert ledger_balance(cooperative=coop) == 102_602 + 74_620 == 177_222


def test_the_program_paying_the_refund_leaves_it_against_the_cooperative(delivered, customer, coop_staff, coop,
                                                                          program_staff, settings):
    settings.SETTLEMENT_FEE_PERCENT = 5
    order_return = return_accept(order_return=ask(delivered, customer, quantity=1), actor=coop_staff)
    assert order_return.amount == 186_550 * 1 // 5 == 37_310
    return_refund_mark_paid(order_return=order_return, actor=program_staff, reference="UNC 7")
    assert ledger_balance(cooperative=coop) == 186_550 - 9_328 - 37_310


def test_vietqr_of_the_refund_pays_the_shoppers_account(delivered, customer, coop_staff):
    order_return = return_accept(order_return=ask(delivered, customer, quantity=2), actor=coop_staff)
    payload = refund_vietqr_payload(order_return)
    assert "970436" in payload and "0071001234567" in payload and "540574620" in payload
    assert f"HOAN TIEN HTX{delivered.pk}" in payload


def test_cash_refund_marked_paid_with_a_receipt(delivered, customer, coop_staff):
    order_return = ask(delivered, customer, quantity=1, refund_method="cash", bank_bin="", bank_account_no="")
    order_return = return_accept(order_return=order_return, actor=coop_staff)
    assert order_return.granted_refund.method == "cash" and refund_vietqr_payload(order_return) is None
    mail.outbox.clear()
    return_refund_mark_paid(order_return=order_return, actor=coop_staff, reference="PT-0012")
    assert delivered.events.filter(type=OrderEvent.Type.REFUNDED).get().parameters["reference"] == "PT-0012"
    assert "PT-0012" in mail.outbox[0].body


def test_after_the_window_nothing_is_written(delivered, customer, coop):
    part = delivered.fulfillments.get()
    line = delivered.lines.get()
    assert return_deadline(fulfillment=part, line=line) == part.delivered_at + timedelta(days=7)
    with pytest.raises(ValidationError) as exc:
        ask(delivered, customer, now=part.delivered_at + timedelta(days=7, minutes=1))
    assert codes(exc.value) == {"lines": ["invalid"]}
    assert "quá hạn" in exc.value.messages[0]
    coop.return_window_days = 0
    coop.save()
    with pytest.raises(ValidationError):
        ask(delivered, customer)
    assert not OrderReturn.objects.exists() and not OrderEvent.objects.filter(type="return_requested").exists()


def test_fresh_goods_have_hours_and_need_a_photo(delivered, customer, product, coop, settings):
    product.perishable = True
    product.save()
    part = delivered.fulfillments.get()
    assert return_deadline(fulfillment=part, line=delivered.lines.get()) == part.delivered_at + timedelta(hours=24)
    with pytest.raises(ValidationError) as exc:
        ask(delivered, customer)
    assert codes(exc.value) == {"photo": ["required"]}
    not_an_image = SimpleUploadedFile("anh.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        ask(delivered, customer, photo=not_an_image)
    assert codes(exc.value) == {"photo": ["invalid"]}
    with pytest.raises(ValidationError):
        ask(delivered, customer, photo=jpeg(), now=part.delivered_at + timedelta(hours=25))
    assert not OrderReturn.objects.exists()
    order_return = ask(delivered, customer, photo=jpeg("IMG_2026 khach.jpg"))
    name = order_return.photo.name
    assert name.startswith("returns/") and "khach" not in name and name.endswith(".jpg")
    assert settings.PRIVATE_MEDIA_ROOT.joinpath(name).exists()
    assert not settings.MEDIA_ROOT.joinpath(name).exists()  # never under the publicly served media
    with order_return.photo.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"


def test_bad_refund_accounts(delivered, customer):
    for fields, field in (({"bank_bin": "123456"}, "bank_bin"), ({"bank_account_no": "12ab"}, "bank_account_no"),
                          ({"bank_account_name": " "}, "bank_account_name"), ({"refund_method": "gift"},
                                                                             "refund_method")):
        with pytest.raises(ValidationError) as exc:
            ask(delivered, customer, **fields)
        assert list(codes(exc.value)) == [field]
    assert not OrderReturn.objects.exists()


def test_only_the_shopper_asks_and_only_the_cooperative_decides(delivered, customer, coop_staff, other_coop_staff,
                                                              program_staff):
    for actor in (coop_staff, other_coop_staff, program_staff):
        with pytest.raises(PermissionDenied):
            ask(delivered, actor)
    order_return = ask(delivered, customer)
    for decide in (lambda a: return_accept(order_return=order_return, actor=a),
                   lambda a: return_refuse(order_return=order_return, actor=a, reason="không")):
        for actor in (other_coop_staff, customer):
            with pytest.raises(PermissionDenied):
                decide(actor)
    order_return.refresh_from_db()
    assert order_return.status == OrderReturn.Status.REQUESTED and not OrderGrantedRefund.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ADJUSTMENT).exists()
    refused = return_refuse(order_return=order_return, actor=coop_staff, reason="Hàng đúng mô tả")
    assert refused.status == OrderReturn.Status.REFUSED
    with pytest.raises(ValidationError) as exc:
        return_accept(order_return=refused, actor=coop_staff)
    assert codes(exc.value) == {"status": ["not_editable"]}


def test_a_refused_return_mails_the_shopper_in_the_orders_language(delivered, customer, coop_staff):
    delivered.language_code = "en"
    delivered.save()
    order_return = ask(delivered, customer)
    mail.outbox.clear()
    return_refuse(order_return=order_return, actor=coop_staff, reason="Hàng đúng mô tả")
    assert mail.outbox[0].to == [customer.email]
    assert "refused" in mail.outbox[0].subject and "Hàng đúng mô tả" in mail.outbox[0].body


def test_a_part_not_delivered_cannot_be_returned(variant, channel, shipping_method, customer, program_staff):
    order = place_order(channel, [(variant, 2)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT2")
    with pytest.raises(ValidationError) as exc:
        ask(order, customer)
    assert codes(exc.value) == {"lines": ["not_editable"]}


def test_a_cash_on_delivery_order_refunds_the_cash_collected(variant, channel, shipping_method, customer,
                                                             coop_staff):
    order = deliver(place_order(channel, [(variant, 2)], actor=customer), coop_staff)  # cash collected on delivery
    line = order.lines.get()
    assert order.total_charged_amount == order.total_amount
    order_return = ask(order, customer, quantity=1)
    return_accept(order_return=order_return, actor=coop_staff)
    order_return.refresh_from_db()
    assert order_return.status == OrderReturn.Status.ACCEPTED
    assert order_return.granted_refund.amount == line.total_price_amount // 2
    assert order_total_granted_refund(order=order) == line.total_price_amount // 2


def test_a_refund_above_what_was_charged_undoes_the_acceptance(variant, channel, shipping_method, customer,
                                                               coop_staff, program_staff):
    order = deliver(place_order(channel, [(variant, 2)], actor=customer), coop_staff)
    refund_grant(order=order, actor=program_staff, amount=order.total_charged_amount - 1)  # all but 1 ₫ already back
    order_return = ask(order, customer, quantity=1)
    stock_before = Stock.objects.get(product_variant=variant).quantity
    with pytest.raises(ValidationError) as exc:
        return_accept(order_return=order_return, actor=coop_staff)
    assert codes(exc.value) == {"amount": ["invalid"]}
    order_return.refresh_from_db()
    assert order_return.status == OrderReturn.Status.REQUESTED
    assert Stock.objects.get(product_variant=variant).quantity == stock_before
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ADJUSTMENT).exists()


def test_staff_record_a_return_and_a_refund_at_once(delivered, coop_staff, other_coop_staff, lots):
    line = delivered.lines.get()
    with pytest.raises(PermissionDenied):
        return_record(order=delivered, actor=other_coop_staff, lines={line.pk: 1}, refund=True)
    with pytest.raises(ValidationError) as exc:
        return_record(order=delivered, actor=coop_staff, lines={line.pk: 6}, refund=True)
    assert codes(exc.value) == {"lines": ["invalid_quantity"]}
    with pytest.raises(ValidationError) as exc:  # 1 unit was paid 37,310 ₫
        return_record(order=delivered, actor=coop_staff, lines={line.pk: 1}, refund=True, amount_to_refund=40_000)
    assert codes(exc.value) == {"amount_to_refund": ["invalid"]}
    assert not OrderReturn.objects.exists()
    recorded = return_record(order=delivered, actor=coop_staff, lines={line.pk: 1}, refund=True,
                             amount_to_refund=30_000)
    assert (recorded.status, recorded.amount, recorded.granted_refund.method) == ("accepted", 30_000, "cash")
    lots["SOON"].refresh_from_db()
    assert lots["SOON"].quantity == 1
    assert_stock_is_its_lots()


def test_a_late_accept_still_respects_the_delivered_units(delivered, customer, coop_staff):
    """Two requests cannot both be accepted past the delivered units, even if written in a race."""
    first = ask(delivered, customer, quantity=3)
    second = ask(delivered, customer, quantity=2)
    OrderReturnLine.objects.filter(order_return=second).update(quantity=3)  # as if both passed the check
    return_accept(order_return=first, actor=coop_staff)
    with pytest.raises(ValidationError) as exc:
        return_accept(order_return=second, actor=coop_staff)
    assert codes(exc.value) == {"lines": ["invalid_quantity"]}
    assert order_total_granted_refund(order=delivered) == 186_550 * 3 // 5
    assert Fulfillment.objects.get().status == Fulfillment.Status.DELIVERED


def test_personal_data_holds_the_returns_and_erasure_removes_photo_and_account(delivered, customer, coop_staff,
                                                                                product, program_staff):
    from storefront.privacy.services import personal_data_erase, personal_data_erasure_request, personal_data_export

    product.perishable = True
    product.save()
    order_return = ask(delivered, customer, photo=jpeg())
    exported = personal_data_export(actor=customer)["returns"]
    assert [(r["bank_account_no"], r["photo"], r["reason"]) for r in exported] == [("0071001234567", True, "Gạo bị ẩm")]
    request = personal_data_erasure_request(actor=customer)
    with pytest.raises(ValidationError):  # the return is still to decide, the refund still to pay
        personal_data_erase(actor=program_staff, request=request)
    order_return = return_accept(order_return=order_return, actor=coop_staff)
    with pytest.raises(ValidationError):
        personal_data_erase(actor=program_staff, request=request)
    return_refund_mark_paid(order_return=order_return, actor=coop_staff, reference="FT9")
    photo_path = order_return.photo.path
    done = personal_data_erase(actor=program_staff, request=request)
    assert done.outcome["returns_anonymised"] == 1
    order_return.refresh_from_db()
    assert (order_return.photo.name, order_return.bank_account_no, order_return.bank_account_name) == ("", "", "")
    assert order_return.reason != "Gạo bị ẩm" and order_return.amount == 74_620
    assert not os.path.exists(photo_path)


def test_the_errors_are_translated(delivered, customer, product):
    from django.utils import translation

    part = delivered.fulfillments.get()
    with translation.override("en"):
        with pytest.raises(ValidationError) as late:
            ask(delivered, customer, now=part.delivered_at + timedelta(days=8))
        with pytest.raises(ValidationError) as too_many:
            ask(delivered, customer, quantity=6)
        product.perishable = True
        product.save()
        with pytest.raises(ValidationError) as no_photo:
            ask(delivered, customer)
    assert late.value.messages[0].startswith("The return window for")
    assert "can still be returned" in too_many.value.messages[0]
    assert no_photo.value.messages == ["Fresh goods: please attach a photo of the goods' condition."]
