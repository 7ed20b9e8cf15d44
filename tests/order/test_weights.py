"""Selling by actual weight: the line's price follows what the goods weighed when the cooperative
ships them (every figure below is worked out by hand from the rule in storefront.order.weights)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from storefront.order.models import Fulfillment, OrderEvent, OrderGrantedRefund
from storefront.order.selectors import fulfillment_cash_due
from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
from storefront.order.weights import weighed_line_total
from storefront.payment.gateways import COD, VIETQR
from storefront.product.weighing import WeighedSale, format_weight, weighed_label
from storefront.settlement.models import LedgerEntry
from storefront.warehouse.models import Stock
from tests.checkout.helpers import codes, place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db

FISH_PRICE = 120_000  # ₫ a unit of "about 1 kg"


@pytest.fixture
def fish(coop, channel):
    """Snakehead fish sold by weight: about 1 kg a unit at 120,000 ₫, ±10 %."""
    product = make_product(coop, channel, name="Cá lóc đồng", price=FISH_PRICE, stock=10, sold_by_weight=True,
                           nominal_weight_g=1000, weight_tolerance_percent=10)
    return product.variants.get()


def _paid(order, program_staff):
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order.refresh_from_db()
    return order


def _ship(order, actor, grams):
    line = order.lines.get()
    order_fulfill(order=order, lines={str(line.pk): line.quantity}, tracking_number="VD1", actor=actor,
                  weights={str(line.pk): grams})
    order.refresh_from_db()
    line.refresh_from_db()
    return line


def test_the_line_snapshots_the_terms_it_was_placed_on(channel, fish, shipping_method):
    order = place_order(channel, [(fish, 2)])
    line = order.lines.get()
    assert (line.sold_by_weight, line.nominal_weight_g, line.weight_tolerance_percent) == (True, 1000, 10)
    assert (line.placed_total_price_amount, line.total_price_amount, line.actual_weight_g) == (240_000, 240_000, None)
    assert order.awaits_weighing


@pytest.mark.parametrize("grams, total, refund", [
    (1800, 216_000, 24_000),  # lighter: 240,000 × 1800 / 2000, the 24,000 difference is owed back
    (2000, 240_000, 0),       # as placed
    (2150, 240_000, 0),       # heavier, within the tolerance: paid is paid, nothing more is asked
    (2600, 240_000, 0),       # heavier, at the hard bound (3 × 10 %)
])
def test_prepaid_order_weighed(channel, fish, shipping_method, program_staff, coop, coop_staff, grams, total, refund):
    order = _paid(place_order(channel, [(fish, 2)], gateway=VIETQR), program_staff)
    shipping, charged = order.shipping_price_amount, order.total_charged_amount
    line = _ship(order, coop_staff, grams)
    part = order.fulfillments.get()
    assert (line.actual_weight_g, line.total_price_amount, line.placed_total_price_amount) == (grams, total, 240_000)
    assert part.subtotal_amount == total and part.status == Fulfillment.Status.SHIPPED
    assert (order.subtotal_amount, order.total_amount, order.total_charged_amount) == (total, total + shipping, charged)
    refunds = list(OrderGrantedRefund.objects.filter(order=order))
    if refund:
        [granted] = refunds
        assert (granted.kind, granted.amount, granted.cooperative_id, granted.status) == (
            OrderGrantedRefund.Kind.WEIGHT, refund, coop.pk, OrderGrantedRefund.Status.NONE)
        assert {(r.order_line_id, r.quantity) for r in granted.lines.all()} == {(line.pk, 2)}
    else:
        assert refunds == []
    assert order.events.filter(type=OrderEvent.Type.WEIGHED).get().parameters["lines"] == {str(line.pk): grams}
    assert not order.awaits_weighing


@pytest.mark.parametrize("grams, total", [
    (1850, 222_000),  # lighter: the shopper pays 240,000 × 1850 / 2000
    (2000, 240_000),
    (2150, 258_000),  # heavier within the tolerance: pays what it weighed
    (2500, 264_000),  # heavier than the tolerance: never more than 240,000 × 110 %
])
def test_cash_on_delivery_weighed(channel, fish, shipping_method, coop_staff, grams, total):
    order = place_order(channel, [(fish, 2)], gateway=COD)
    shipping = order.shipping_price_amount
    line = _ship(order, coop_staff, grams)
    part = order.fulfillments.get()
    assert line.total_price_amount == total
    assert (order.subtotal_amount, order.total_amount) == (total, total + shipping)
    assert fulfillment_cash_due(order=order, fulfillment=part) == total + shipping  # the cash the carrier collects
    assert not OrderGrantedRefund.objects.exists()


@pytest.mark.parametrize("grams", [0, -5, 1399, 2601, "1,8", "abc", 1.5, "", None])
def test_a_weight_far_outside_the_tolerance_is_refused_and_nothing_written(
        channel, fish, shipping_method, program_staff, coop_staff, grams):
    order = _paid(place_order(channel, [(fish, 2)], gateway=VIETQR), program_staff)
    line = order.lines.get()
    stock_before = Stock.objects.get(product_variant=fish).quantity
    with pytest.raises(ValidationError) as exc:
        order_fulfill(order=order, lines={str(line.pk): 2}, tracking_number="VD1", actor=coop_staff,
                      weights={str(line.pk): grams})
    assert list(codes(exc.value)) == ["actual_weight"]
    line.refresh_from_db()
    order.refresh_from_db()
    assert (line.actual_weight_g, line.total_price_amount, line.quantity_fulfilled) == (None, 240_000, 0)
    assert order.fulfillments.get().status == Fulfillment.Status.UNFULFILLED
    assert Stock.objects.get(product_variant=fish).quantity == stock_before
    assert not OrderGrantedRefund.objects.exists()
    assert not order.events.filter(type__in=[OrderEvent.Type.WEIGHED, OrderEvent.Type.SHIPPED]).exists()


def test_the_weight_is_required_and_only_for_lines_sold_by_weight(channel, fish, variant, shipping_method, coop_staff):
    order = place_order(channel, [(fish, 1), (variant, 1)])
    by_weight = order.lines.get(variant=fish)
    by_unit = order.lines.get(variant=variant)
    lines = {str(by_weight.pk): 1, str(by_unit.pk): 1}
    with pytest.raises(ValidationError) as exc:
        order_fulfill(order=order, lines=lines, tracking_number="VD1", actor=coop_staff)
    assert codes(exc.value) == {"actual_weight": ["required"]}
    with pytest.raises(ValidationError) as exc:
        order_fulfill(order=order, lines=lines, tracking_number="VD1", actor=coop_staff,
                      weights={str(by_weight.pk): 1000, str(by_unit.pk): 5000})
    assert codes(exc.value) == {"actual_weight": ["invalid"]}
    order_fulfill(order=order, lines=lines, tracking_number="VD1", actor=coop_staff,
                  weights={str(by_weight.pk): 950})
    by_weight.refresh_from_db()
    by_unit.refresh_from_db()
    assert (by_weight.total_price_amount, by_unit.total_price_amount) == (114_000, 195_000)
    assert order.fulfillments.get().subtotal_amount == 114_000 + 195_000


def test_error_message_is_translated(channel, fish, shipping_method, coop_staff):
    order = place_order(channel, [(fish, 1)])
    line = order.lines.get()
    for language, expected in (("vi", "quá xa khối lượng đặt 1 kg"), ("en", "too far from the 1 kg ordered")):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            order_fulfill(order=order, lines={str(line.pk): 1}, tracking_number="VD1", actor=coop_staff,
                          weights={str(line.pk): 2000})
        assert expected in exc.value.message_dict["actual_weight"][0]


def test_another_cooperative_cannot_enter_weights(channel, fish, shipping_method, other_coop_staff):
    order = place_order(channel, [(fish, 1)])
    line = order.lines.get()
    with pytest.raises(PermissionDenied):
        order_fulfill(order=order, lines={str(line.pk): 1}, tracking_number="VD1", actor=other_coop_staff,
                      weights={str(line.pk): 1000})
    line.refresh_from_db()
    assert line.actual_weight_g is None


def test_settlement_books_the_weighed_sale(channel, fish, shipping_method, coop_staff, settings):
    settings.SETTLEMENT_FEE_PERCENT = 5
    order = place_order(channel, [(fish, 2)], gateway=COD)
    _ship(order, coop_staff, 1850)
    part = order.fulfillments.get()
    cash = 222_000 + part.shipping_amount  # the weighed goods and the shipping fee this part carries
    fulfillment_deliver(fulfillment=part, actor=coop_staff, cash_collected=cash)
    entries = {e.kind: e.amount for e in LedgerEntry.objects.filter(fulfillment__order=order)}
    assert entries == {LedgerEntry.Kind.SALE: 222_000, LedgerEntry.Kind.FEE: -11_100,
                       LedgerEntry.Kind.CASH_COLLECTED: -cash}


def test_the_programs_discount_follows_the_weighed_goods(channel, fish, shipping_method, coop, coop_staff,
                                                        program_staff, settings):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import checkout_add_promo_code
    from storefront.discount.services import voucher_create
    from tests.checkout.helpers import ready_checkout

    settings.SETTLEMENT_FEE_PERCENT = 0
    voucher_create(actor=program_staff, code="CALOC", discount_value=24_000, discount_value_type="fixed")
    checkout = ready_checkout(channel, [(fish, 2)])
    checkout_add_promo_code(checkout=checkout, promo_code="CALOC")
    order = checkout_complete(checkout=checkout)
    # 2 kg at 120,000 = 240,000, less the program's 24,000: 216,000 to pay.
    assert (order.lines.get().total_price_amount, order.lines.get().program_discount_amount) == (216_000, 24_000)
    line = _ship(order, coop_staff, 1850)
    # 216,000 × 1.85 / 2 = 199,800 paid; the program's share 24,000 × 199,800 / 216,000 = 22,200.
    assert (line.total_price_amount, line.program_discount_amount) == (199_800, 22_200)
    part = order.fulfillments.get()
    assert part.program_discount_amount == 22_200
    fulfillment_deliver(fulfillment=part, actor=coop_staff, cash_collected=fulfillment_cash_due(order=order, fulfillment=part))
    sale = LedgerEntry.objects.get(fulfillment=part, kind=LedgerEntry.Kind.SALE).amount
    assert sale == 222_000  # 1.85 kg at 120,000 ₫/kg, undiscounted: what the cooperative delivered


def test_refund_due_is_capped_by_what_is_still_refundable(channel, fish, shipping_method, program_staff, coop,
                                                          coop_staff):
    from storefront.order.refunds import refund_grant

    order = _paid(place_order(channel, [(fish, 2)], gateway=VIETQR), program_staff)
    refund_grant(order=order, actor=program_staff, amount=order.total_charged_amount - 10_000, reason="khác")
    _ship(order, coop_staff, 1800)  # 24,000 lighter, but only 10,000 is left to refund
    weight_refund = OrderGrantedRefund.objects.get(kind=OrderGrantedRefund.Kind.WEIGHT)
    assert weight_refund.amount == 10_000


# --- the rule itself --------------------------------------------------------------------------


def test_half_up_rounding_and_markdown_totals_scale():
    # 10,005 ₫ for 1 kg weighed 900 g: 9,004.5 rounds up to 9,005 (not to the even 9,004).
    assert weighed_line_total(placed_total=10_005, nominal_total_g=1000, tolerance_percent=20, actual_g=900,
                              prepaid=False) == 9_005
    # 99,999 ₫ for 1 kg weighed 1,005 g: 100,498.995 → 100,499.
    assert weighed_line_total(placed_total=99_999, nominal_total_g=1000, tolerance_percent=10, actual_g=1005,
                              prepaid=False) == 100_499
    # Two units, one marked down 30 % near expiry: placed 120,000 + 84,000; weighed 1,900 g of 2,000.
    assert weighed_line_total(placed_total=204_000, nominal_total_g=2000, tolerance_percent=10, actual_g=1900,
                              prepaid=True) == 193_800
    # The COD ceiling rounds half-up too: 10,005 × 110 % = 11,005.5 → 11,006.
    assert weighed_line_total(placed_total=10_005, nominal_total_g=1000, tolerance_percent=10, actual_g=1300,
                              prepaid=False) == 11_006


def test_hard_bounds_and_labels():
    assert WeighedSale(1000, 10).bounds_g(2) == (1400, 2600)
    assert WeighedSale(500, 50).bounds_g(1) == (1, 1250)
    with translation.override("vi"):
        assert format_weight(1500) == "1,5 kg" and format_weight(750) == "750 g"
        assert weighed_label(1000, 10) == "khoảng 1 kg, giá tạm tính; cân thực tế ±10 %"
    with translation.override("en"):
        assert format_weight(1500) == "1.5 kg"
        assert weighed_label(1000, 10) == "about 1 kg, estimated price; actual weight ±10 %"


def test_weekly_reports_count_the_kilograms_weighed(channel, fish, shipping_method, program_staff, coop_staff):
    from datetime import timedelta

    from storefront.supply import reports
    from storefront.supply.access import report_scope
    from storefront.supply.online import online_sales
    from storefront.warehouse.lots import sales_date

    order = _paid(place_order(channel, [(fish, 2)], gateway=VIETQR), program_staff)
    today = sales_date()
    monday = today - timedelta(days=today.weekday())

    def sold():
        return [(s.unit, str(s.quantity)) for s in online_sales(date_from=today, date_to=today,
                                                                  scope=report_scope(program_staff))]

    assert sold() == [("kg", "2.000")]  # paid, not weighed yet: its nominal weight
    _ship(order, coop_staff, 1850)
    assert sold() == [("kg", "1.850")]
    (week,) = reports.sales_report(actor=program_staff, date_from=monday, date_to=today).waste
    assert (week.sold_units, str(week.sold_kg), week.sold_value) == (2, "1.850", 222_000)


def test_a_marked_down_line_is_scaled_as_placed(channel, coop, coop_staff, shipping_method):
    """Fish at 120,000 ₫ a unit, 30 % off in a lot's last 2 days: 1 unit from that lot (84,000 ₫) and
    1 at full price were placed at 204,000 ₫; weighed 1,900 g of 2,000, paid on delivery: 193,800 ₫."""
    from datetime import timedelta

    from storefront.warehouse.lots import sales_date
    from storefront.warehouse.services import stock_lot_create

    today = sales_date()
    product = make_product(coop, channel, name="Cá lóc đồng", price=FISH_PRICE, stock=0, sold_by_weight=True,
                           nominal_weight_g=1000, weight_tolerance_percent=10, markdown_percent=30, markdown_days=2)
    fish = product.variants.get()
    for code, days in (("SOON", 1), ("LATER", 7)):
        stock_lot_create(actor=coop_staff, variant=fish, warehouse=coop.warehouses.get(), quantity=1, code=code,
                         harvest_date=today - timedelta(days=1), best_before=today + timedelta(days=days))
    order = place_order(channel, [(fish, 2)], gateway=COD)
    assert order.lines.get().total_price_amount == 84_000 + 120_000
    line = _ship(order, coop_staff, 1900)
    assert (line.placed_total_price_amount, line.total_price_amount) == (204_000, 193_800)
    assert order.subtotal_amount == 193_800
