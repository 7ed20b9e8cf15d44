"""After the order, with hand-computed totals (integer VND).

The order used throughout: rice 2 × 195.000 = 390.000 ₫ from the first cooperative (part 1, which
carries the 30.000 ₫ shipping fee) and vegetables 3 × 20.000 = 60.000 ₫ from the second (part 2):
480.000 ₫ in all. The program's fee is 5 %.
"""
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from storefront.order.models import ChargeStatus, Fulfillment, OrderEvent, OrderGrantedRefund, OrderStatus
from storefront.order.selectors import fulfillment_cash_due, order_history
from storefront.order.services import (fulfillment_cancel, fulfillment_deliver, fulfillment_refuse, fulfillment_ship,
                                       order_cancel, order_mark_as_paid)
from storefront.payment.gateways import VIETQR
from storefront.payment.models import Payment
from storefront.settlement.models import LedgerEntry
from storefront.settlement.selectors import ledger_balance
from storefront.warehouse.models import Allocation, OrderLineLot, Stock, StockLot
from tests.checkout.helpers import codes, place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fee(settings):
    settings.SETTLEMENT_FEE_PERCENT = "5"


def _order(channel, variant, other_coop, customer, *, gateway=None, language="vi"):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    kwargs = {"gateway": gateway} if gateway else {}
    order = place_order(channel, [(variant, 2), (veg, 3)], actor=customer, **kwargs)
    if language != "vi":
        type(order).objects.filter(pk=order.pk).update(language_code=language)
        order.refresh_from_db()
    first = order.fulfillments.get(fulfillment_order=1)
    second = order.fulfillments.get(fulfillment_order=2)
    return order, first, second, veg


@pytest.fixture
def cod_order(channel, variant, other_coop, customer, shipping_method):
    return _order(channel, variant, other_coop, customer)


@pytest.fixture
def prepaid_order(channel, variant, other_coop, customer, shipping_method, program_staff):
    order, first, second, veg = _order(channel, variant, other_coop, customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=480_000)
    return order, first, second, veg


def _fresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def _lots_match_stock(variant) -> None:
    for stock in Stock.objects.filter(product_variant=variant):
        lots = StockLot.objects.filter(stock=stock).aggregate(q=Sum("quantity"), a=Sum("quantity_allocated"))
        assert (stock.quantity, stock.quantity_allocated) == (lots["q"] or 0, lots["a"] or 0)


# --- cash on delivery ----------------------------------------------------------------------------


def test_cash_on_delivery_per_part_partly_then_fully_paid(cod_order, coop, other_coop, coop_staff,
                                                          other_coop_staff):
    order, first, second, _ = cod_order
    assert (order.total_amount, first.shipping_amount, second.shipping_amount) == (480_000, 30_000, 0)
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    assert fulfillment_cash_due(order=order, fulfillment=first) == 420_000  # its goods and the shipping
    for cash, code in ((None, "required"), (400_000, "invalid"), (430_000, "invalid"), (-1, "invalid"),
                       (420_000.0, "invalid")):
        with pytest.raises(ValidationError) as exc:
            fulfillment_deliver(fulfillment=first, actor=coop_staff, cash_collected=cash)
        assert codes(exc.value) == {"cash_collected": [code]}
    _fresh(first, order)
    assert first.status == Fulfillment.Status.SHIPPED and order.total_charged_amount == 0
    assert not Payment.objects.filter(order=order, status=Payment.Status.CHARGED).exists()
    assert not LedgerEntry.objects.exists()

    fulfillment_deliver(fulfillment=first, actor=coop_staff, cash_collected=420_000)
    _fresh(order, first)
    assert (order.total_charged_amount, order.charge_status) == (420_000, ChargeStatus.PARTIAL)
    assert first.cash_collected_amount == 420_000
    payment = Payment.objects.get(order=order, fulfillment=first)
    assert (payment.status, payment.amount, payment.captured_amount, payment.captured_by) == (
        Payment.Status.CHARGED, 420_000, 420_000, coop_staff)
    assert {e.kind: e.amount for e in LedgerEntry.objects.filter(cooperative=coop)} == {
        "sale": 390_000, "fee": -19_500, "cash": -420_000}
    # The cooperative holds 420.000 ₫ of which 390.000 − 19.500 is its own: it owes the program the rest.
    assert ledger_balance(cooperative=coop) == -49_500

    fulfillment_ship(fulfillment=second, actor=other_coop_staff, tracking_number="VTP2")
    fulfillment_deliver(fulfillment=second, actor=other_coop_staff, cash_collected=60_000)
    _fresh(order)
    assert (order.total_charged_amount, order.charge_status) == (480_000, ChargeStatus.FULL)
    assert Payment.objects.filter(order=order, status=Payment.Status.CHARGED).count() == 2
    assert not Payment.objects.filter(order=order, status=Payment.Status.PENDING).exists()
    assert ledger_balance(cooperative=other_coop) == 60_000 - 3_000 - 60_000
    captured = order.events.filter(type=OrderEvent.Type.PAYMENT_CAPTURED)
    assert sorted(e.parameters["amount"] for e in captured) == [60_000, 420_000]


def test_a_prepaid_part_collects_nothing(prepaid_order, coop, coop_staff):
    order, first, _, _ = prepaid_order
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    assert fulfillment_cash_due(order=order, fulfillment=first) == 0
    with pytest.raises(ValidationError) as exc:
        fulfillment_deliver(fulfillment=first, actor=coop_staff, cash_collected=420_000)
    assert codes(exc.value) == {"cash_collected": ["invalid"]}
    fulfillment_deliver(fulfillment=first, actor=coop_staff)
    assert {e.kind: e.amount for e in LedgerEntry.objects.filter(cooperative=coop)} == {"sale": 390_000,
                                                                                          "fee": -19_500}
    assert ledger_balance(cooperative=coop) == 370_500


def test_status_says_sent_until_delivered(cod_order, coop_staff, other_coop_staff):
    order, first, second, _ = cod_order
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    _fresh(order)
    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    assert order.status_display == "Đã gửi một phần"  # not "partly delivered": nothing was delivered
    fulfillment_ship(fulfillment=second, actor=other_coop_staff, tracking_number="VTP2")
    _fresh(order)
    assert order.status_display == "Đã gửi hàng"
    fulfillment_deliver(fulfillment=first, actor=coop_staff, cash_collected=420_000)
    _fresh(order)
    assert order.status_display == "Đã giao một phần"
    fulfillment_deliver(fulfillment=second, actor=other_coop_staff, cash_collected=60_000)
    _fresh(order)
    assert order.status_display == "Đã giao hàng"


# --- refused delivery ----------------------------------------------------------------------------


def test_refused_parcel_returns_to_its_lots_and_totals_follow(cod_order, variant, coop_staff, other_coop_staff,
                                                            django_capture_on_commit_callbacks):
    order, first, second, _ = cod_order
    line_lots = {row.lot_id: row.quantity for row in OrderLineLot.objects.filter(order_line__fulfillment=first)}
    before = {lot.pk: lot.quantity for lot in StockLot.objects.filter(pk__in=line_lots)}
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    assert Stock.objects.get(product_variant=variant).quantity == 8
    with pytest.raises(ValidationError) as exc:
        fulfillment_refuse(fulfillment=first, actor=coop_staff, reason=" ")
    assert codes(exc.value) == {"reason": ["required"]}
    with pytest.raises(PermissionDenied):
        fulfillment_refuse(fulfillment=first, actor=other_coop_staff, reason="Không nghe máy")
    with pytest.raises(ValidationError) as exc:
        fulfillment_refuse(fulfillment=second, actor=other_coop_staff, reason="chưa gửi")
    assert codes(exc.value) == {"status": ["invalid"]}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_refuse(fulfillment=first, actor=coop_staff, reason="Khách không nghe máy")
    _fresh(order, first, second)
    assert (first.status, first.canceled_reason, first.subtotal_amount) == (
        Fulfillment.Status.REFUSED, "Khách không nghe máy", 0)
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (10, 0)
    assert {lot.pk: lot.quantity for lot in StockLot.objects.filter(pk__in=line_lots)} == before  # the same lots
    _lots_match_stock(variant)
    # The shipping fee moves to the part not yet sent; the order owes 60.000 + 30.000.
    assert (second.shipping_amount, order.total_amount, order.subtotal_amount) == (30_000, 90_000, 60_000)
    assert list(first.lines.values_list("total_price_amount", flat=True)) == [0]
    assert order.status == OrderStatus.UNFULFILLED
    assert order.events.filter(type=OrderEvent.Type.FULFILLMENT_REFUSED, user=coop_staff).exists()
    assert [m.subject for m in mail.outbox] == [f"HTX Market: một phần đơn #{order.number} không được nhận"]
    assert "90.000 ₫" in mail.outbox[0].body
    with pytest.raises(ValidationError):  # once only: nothing comes back twice
        fulfillment_refuse(fulfillment=first, actor=coop_staff, reason="lần hai")
    assert Stock.objects.get(product_variant=variant).quantity == 10


def test_units_refused_into_an_expired_lot_are_written_off(cod_order, variant, coop_staff):
    from django.utils import timezone

    order, first, _, _ = cod_order
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    lot = StockLot.objects.get(order_lines__order_line__fulfillment=first)
    StockLot.objects.filter(pk=lot.pk).update(expired_at=timezone.now())
    fulfillment_refuse(fulfillment=first, actor=coop_staff, reason="Hàng hỏng khi về")
    lot.refresh_from_db()
    assert (lot.quantity, lot.quantity_expired) == (8, 2)
    assert Stock.objects.get(product_variant=variant).quantity == 8
    _lots_match_stock(variant)


def test_refusing_every_part_closes_the_order(channel, variant, customer, coop_staff, shipping_method):
    order = place_order(channel, [(variant, 1)], actor=customer)
    part = order.fulfillments.get()
    fulfillment_ship(fulfillment=part, actor=coop_staff, tracking_number="GHN1")
    fulfillment_refuse(fulfillment=part, actor=coop_staff, reason="Sai địa chỉ")
    _fresh(order)
    assert (order.status, order.total_amount, order.charge_status) == (OrderStatus.CANCELED, 0, ChargeStatus.NONE)
    assert order.payments.get().status == Payment.Status.CANCELED


# --- cancellations -------------------------------------------------------------------------------


def test_shopper_cancels_prepaid_order_and_a_refund_is_due_per_part(prepaid_order, customer, variant):
    order, first, second, veg = prepaid_order
    order_cancel(order=order, actor=customer, reason="Đổi ý")
    _fresh(order, first, second)
    assert order.status == OrderStatus.CANCELED and order.total_amount == 0
    refunds = list(OrderGrantedRefund.objects.filter(order=order).order_by("pk"))
    assert [(r.kind, r.cooperative_id, r.amount, r.shipping_costs_included, r.status) for r in refunds] == [
        ("cancellation", first.cooperative_id, 390_000, False, "none"),
        ("cancellation", second.cooperative_id, 90_000, True, "none"),  # the last part gives back the shipping
    ]
    assert sum(r.amount for r in refunds) == order.total_charged_amount == 480_000
    assert order.charge_status == ChargeStatus.FULL  # charged less granted back squares with 0 owed
    assert not Allocation.objects.filter(order_line__order=order).exists()
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0
    _lots_match_stock(variant)
    _lots_match_stock(veg)
    types = list(order.events.values_list("type", flat=True))
    assert types.count(OrderEvent.Type.REFUND_GRANTED) == 2 and OrderEvent.Type.CANCELED in types


def test_cooperative_cancels_its_part_of_a_prepaid_order(prepaid_order, coop, coop_staff, other_coop_staff, veg):
    order, first, second, _ = prepaid_order
    fulfillment_cancel(fulfillment=second, actor=other_coop_staff, reason="Mưa lớn, không thu hoạch được")
    _fresh(order, first, second)
    refund = OrderGrantedRefund.objects.get(order=order)
    assert (refund.cooperative_id, refund.amount, refund.kind) == (second.cooperative_id, 60_000, "cancellation")
    assert [(rl.order_line.fulfillment_id, rl.quantity) for rl in refund.lines.all()] == [(second.pk, 3)]
    assert (order.subtotal_amount, order.total_amount, second.subtotal_amount) == (390_000, 420_000, 0)
    assert order.charge_status == ChargeStatus.FULL  # 480.000 − 60.000 granted back = 420.000 owed
    assert Stock.objects.get(product_variant=veg).quantity_allocated == 0
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    fulfillment_deliver(fulfillment=first, actor=coop_staff)
    assert ledger_balance(cooperative=coop) == 390_000 - 19_500
    assert not LedgerEntry.objects.filter(fulfillment=second).exists()


@pytest.fixture
def veg(other_coop, channel):
    from storefront.product.models import ProductVariant

    return ProductVariant.objects.get(product__cooperative=other_coop)


def test_cod_part_cancelled_moves_the_shipping_to_the_part_still_to_send(cod_order, coop_staff, other_coop_staff):
    order, first, second, _ = cod_order
    fulfillment_cancel(fulfillment=first, actor=coop_staff, reason="Hết hàng")
    _fresh(order, second)
    assert (second.shipping_amount, order.total_amount) == (30_000, 90_000)
    assert not OrderGrantedRefund.objects.exists()  # nothing was paid
    fulfillment_ship(fulfillment=second, actor=other_coop_staff, tracking_number="VTP2")
    assert fulfillment_cash_due(order=order, fulfillment=second) == 90_000
    fulfillment_deliver(fulfillment=second, actor=other_coop_staff, cash_collected=90_000)
    _fresh(order)
    assert (order.charge_status, order.status) == (ChargeStatus.FULL, OrderStatus.FULFILLED)


def test_cod_shipping_waived_when_no_part_can_still_carry_it(cod_order, coop_staff, other_coop_staff):
    order, first, second, _ = cod_order
    fulfillment_ship(fulfillment=second, actor=other_coop_staff, tracking_number="VTP2")
    fulfillment_cancel(fulfillment=first, actor=coop_staff, reason="Hết hàng")
    _fresh(order, second)
    # The vegetables' parcel left with a 60.000 ₫ label: the fee cannot be collected any more.
    assert (second.shipping_amount, order.total_amount) == (0, 60_000)
    fulfillment_deliver(fulfillment=second, actor=other_coop_staff, cash_collected=60_000)
    _fresh(order)
    assert order.charge_status == ChargeStatus.FULL


def test_cancel_after_shipping_is_refused_and_writes_nothing(cod_order, customer, coop_staff, variant):
    order, first, second, _ = cod_order
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    events = order.events.count()
    with pytest.raises(ValidationError) as exc:
        fulfillment_cancel(fulfillment=first, actor=coop_staff, reason="Muộn rồi")
    assert codes(exc.value) == {"status": ["cannot_cancel_fulfillment"]}
    with pytest.raises(ValidationError) as exc:
        order_cancel(order=order, actor=customer, reason="Đổi ý")
    assert codes(exc.value) == {"order": ["cannot_cancel_order"]}
    _fresh(order, first, second)
    assert (order.status, order.total_amount, first.status, second.status) == (
        OrderStatus.PARTIALLY_FULFILLED, 480_000, Fulfillment.Status.SHIPPED, Fulfillment.Status.UNFULFILLED)
    assert order.events.count() == events
    assert Stock.objects.get(product_variant=variant).quantity == 8


# --- history and e-mails -------------------------------------------------------------------------


def test_history_scoped_to_the_cooperative(cod_order, coop, other_coop, coop_staff, other_coop_staff, customer):
    order, first, second, _ = cod_order
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    fulfillment_deliver(fulfillment=first, actor=coop_staff, cash_collected=420_000)
    fulfillment_cancel(fulfillment=second, actor=other_coop_staff, reason="Mưa lớn")
    whole = order_history(order=order)
    assert [e.type for e in whole] == ["placed", "shipped", "payment_captured", "delivered",
                                       "fulfillment_canceled"]
    assert whole[0].who == "Khách hàng" and whole[1].who == coop.name and whole[-1].who == other_coop.name
    assert "420.000 ₫" in whole[2].detail and "Mưa lớn" in whole[-1].detail
    theirs = order_history(order=order, cooperative_ids={other_coop.pk})
    assert [e.type for e in theirs] == ["placed", "fulfillment_canceled"]
    assert theirs[0].detail == ""  # the order's total is not theirs to see
    assert all(coop.name not in f"{e.label} {e.who} {e.detail}" for e in theirs)


@pytest.mark.parametrize("language, subject, body", [
    ("vi", "HTX Market: đơn #{n} đã giao", "Đã thu tiền mặt: 420.000 ₫"),
    ("en", "HTX Market: order #{n} delivered", "Cash collected: 420.000 ₫"),
])
def test_delivery_mail_in_the_shoppers_language(channel, variant, other_coop, customer, shipping_method, coop_staff,
                                                django_capture_on_commit_callbacks, language, subject, body):
    order, first, _, _ = _order(channel, variant, other_coop, customer, language=language)
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_deliver(fulfillment=first, actor=coop_staff, cash_collected=420_000)
    assert [m.subject for m in mail.outbox] == [subject.format(n=order.number)]
    assert body in mail.outbox[0].body and mail.outbox[0].to == [order.user_email]


@pytest.mark.parametrize("language, subjects", [
    ("vi", ["HTX Market: khoản hoàn tiền cho đơn #{n}", "HTX Market: một phần đơn #{n} đã hủy"]),
    ("en", ["HTX Market: refund for order #{n}", "HTX Market: part of order #{n} cancelled"]),
])
def test_cancel_and_refund_mails_in_the_shoppers_language(channel, variant, other_coop, customer, shipping_method,
                                                          program_staff, other_coop_staff, language, subjects,
                                                          django_capture_on_commit_callbacks):
    order, _, second, _ = _order(channel, variant, other_coop, customer, gateway=VIETQR, language=language)
    order_mark_as_paid(order=order, actor=program_staff, amount=480_000)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_cancel(fulfillment=second, actor=other_coop_staff, reason="Mưa lớn")
    assert sorted(m.subject for m in mail.outbox) == sorted(s.format(n=order.number) for s in subjects)
    assert all("60.000 ₫" in m.body or "420.000 ₫" in m.body for m in mail.outbox)


def test_cancel_after_shipping_is_told_in_english_too(cod_order, coop_staff):
    from django.utils import translation

    _, first, _, _ = cod_order
    fulfillment_ship(fulfillment=first, actor=coop_staff, tracking_number="GHN1")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        fulfillment_cancel(fulfillment=first, actor=coop_staff, reason="Too late")
    assert exc.value.error_dict["status"][0].code == "cannot_cancel_fulfillment"
    assert exc.value.messages == ["A part that has been shipped or cancelled cannot be cancelled."]


def test_refund_paid_mail_in_english(channel, variant, other_coop, customer, shipping_method, program_staff,
                                     other_coop_staff, django_capture_on_commit_callbacks):
    from storefront.order.refunds import refund_mark_paid

    order, _, second, _ = _order(channel, variant, other_coop, customer, gateway=VIETQR, language="en")
    order_mark_as_paid(order=order, actor=program_staff, amount=480_000)
    fulfillment_cancel(fulfillment=second, actor=other_coop_staff, reason="Heavy rain")
    refund = OrderGrantedRefund.objects.get(order=order)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refund_mark_paid(refund=refund, actor=other_coop_staff, reference="FT-REFUND-1")
    assert [m.subject for m in mail.outbox] == [f"HTX Market: refund paid for order #{order.number}"]
    assert "60.000 ₫ has been refunded to you" in mail.outbox[0].body and "FT-REFUND-1" in mail.outbox[0].body
    history = order_history(order=order, cooperative_ids={other_coop.pk})
    assert [e.type for e in history][-2:] == ["refund_granted", "refunded"]
