"""Vouchers and promotions end to end through the services: who may create them, the cart, the
order, the uses, cancellation and settlement."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from storefront.checkout.models import Checkout
from storefront.checkout.selectors import checkout_totals
from storefront.checkout.services import checkout_add_promo_code, checkout_remove_promo_code
from storefront.discount.models import FundedBy, Promotion, Voucher, VoucherCustomer
from storefront.discount.services import promotion_create, voucher_create
from storefront.order.models import Order, OrderDiscount
from storefront.order.selectors import fulfillment_cash_due
from storefront.order.services import fulfillment_deliver, fulfillment_pack, fulfillment_ship, order_cancel
from storefront.settlement.models import LedgerEntry
from tests.checkout.helpers import codes, ready_checkout
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def veg(other_coop, channel):
    return make_product(other_coop, channel, name="Cải ngọt", price=18_000, stock=10).variants.get()


def _voucher(actor, **kwargs):
    data = {"code": "GIAM10", "discount_value": 10, "discount_value_type": "percentage"} | kwargs
    return voucher_create(actor=actor, **data)


# Creating vouchers and promotions


def test_a_cooperative_creates_vouchers_for_its_own_products_only(coop, other_coop, coop_staff, product, veg):
    voucher = _voucher(coop_staff)
    assert (voucher.cooperative, voucher.funded_by, voucher.created_by) == (coop, FundedBy.COOPERATIVE, coop_staff)
    with pytest.raises(PermissionDenied):
        _voucher(coop_staff, code="KHAC", cooperative=other_coop)
    with pytest.raises(PermissionDenied):
        _voucher(coop_staff, code="KHAC2", product=veg.product)
    with pytest.raises(ValidationError) as exc:
        _voucher(coop_staff, code="KHAC3", funded_by="program")
    assert codes(exc.value) == {"funded_by": ["invalid"]}
    assert Voucher.objects.count() == 1


def test_shoppers_create_nothing(customer):
    with pytest.raises(PermissionDenied):
        _voucher(customer)
    with pytest.raises(PermissionDenied):
        promotion_create(actor=customer, name="X", discount_value=10)


def test_codes_are_unique_whatever_the_case_and_bad_input_is_refused(program_staff):
    _voucher(program_staff)
    with pytest.raises(ValidationError) as exc:
        _voucher(program_staff, code="giam10")
    assert codes(exc.value) == {"code": ["already_exists"]}
    with pytest.raises(ValidationError) as exc:
        _voucher(program_staff, code="MÃ GIẢM", discount_value=101, usage_limit=0,
                 end_date=timezone.now() - timedelta(days=1))
    assert codes(exc.value) == {"code": ["invalid"], "discount_value": ["invalid"], "usage_limit": ["invalid"],
                                "end_date": ["invalid"]}
    assert Voucher.objects.count() == 1


def test_program_staff_create_anywhere_paid_by_whom_they_say(program_staff, coop, other_coop, veg):
    voucher = _voucher(program_staff, cooperative=other_coop, funded_by="cooperative")
    assert (voucher.cooperative, voucher.funded_by) == (other_coop, FundedBy.COOPERATIVE)
    with pytest.raises(ValidationError) as exc:
        _voucher(program_staff, code="SAI", cooperative=coop, product=veg.product)
    assert codes(exc.value) == {"product": ["invalid"]}


# The cart


def test_apply_show_and_remove_a_code_case_insensitively(channel, product, veg, shipping_method, program_staff):
    _voucher(program_staff, code="Tet2027", discount_value=10)
    checkout = ready_checkout(channel, [(product.variants.get(), 1), (veg, 1)])
    checkout_add_promo_code(checkout=checkout, promo_code="  tet2027 ")
    assert checkout.voucher_code == "Tet2027"
    totals = checkout_totals(checkout=checkout)
    # 10 % of 213,000 = 21,300: 19,500 on the rice, 1,800 on the vegetables.
    assert totals.voucher_discount == 21_300 and totals.discount_name == "Tet2027"
    assert [(row.undiscounted_total_price, row.total_price) for row in totals.lines] == [
        (195_000, 175_500), (18_000, 16_200)]
    assert totals.subtotal == 191_700 and totals.total == 191_700 + 30_000
    checkout_remove_promo_code(checkout=checkout)
    assert checkout.voucher_code == "" and checkout_totals(checkout=checkout).subtotal == 213_000


@pytest.mark.parametrize("case, expected", [
    ("unknown", "invalid"), ("expired", "voucher_not_applicable"), ("not_started", "voucher_not_applicable"),
    ("used_up", "voucher_not_applicable"), ("other_cooperative", "voucher_not_applicable"),
    ("below_minimum", "voucher_not_applicable"),
])
def test_a_code_that_does_not_apply_is_refused_and_nothing_is_written(case, expected, channel, product, veg,
                                                                       shipping_method, program_staff, other_coop):
    now = timezone.now()
    settings = {
        "expired": {"start_date": now - timedelta(days=10), "end_date": now - timedelta(days=1)},
        "not_started": {"start_date": now + timedelta(days=1)},
        "used_up": {"usage_limit": 1},
        "other_cooperative": {"cooperative": other_coop},
        "below_minimum": {"min_spent_amount": 500_000},
    }
    if case != "unknown":
        voucher = _voucher(program_staff, **settings[case])
        if case == "used_up":
            Voucher.objects.filter(pk=voucher.pk).update(used=1)
    checkout = ready_checkout(channel, [(product.variants.get(), 1)])
    with pytest.raises(ValidationError) as exc:
        checkout_add_promo_code(checkout=checkout, promo_code="GIAM10")
    assert codes(exc.value) == {"promo_code": [expected]}
    assert str(exc.value.error_dict["promo_code"][0].message)
    assert Checkout.objects.get(pk=checkout.pk).voucher_code == ""


# The order


def test_the_order_stores_the_discount_who_pays_and_the_use(channel, product, veg, shipping_method, program_staff,
                                                            customer):
    from storefront.checkout.complete import checkout_complete

    voucher = _voucher(program_staff, code="CHUONGTRINH", discount_value=20_000, discount_value_type="fixed",
                       usage_limit=5, usage_limit_per_customer=1)
    checkout = ready_checkout(channel, [(product.variants.get(), 1), (veg, 2)], actor=customer)
    checkout_add_promo_code(checkout=checkout, promo_code="chuongtrinh")
    order = checkout_complete(checkout=checkout, actor=customer)
    # 20,000 over 195,000 + 36,000 = 231,000: 16,883.1… and 3,116.8… -> 16,883 + 3,117.
    rice, greens = order.lines.order_by("-unit_price_amount")
    assert (rice.undiscounted_total_price_amount, rice.discount_amount, rice.total_price_amount) == (
        195_000, 16_883, 178_117)
    assert (greens.undiscounted_total_price_amount, greens.total_price_amount) == (36_000, 32_883)
    assert rice.program_discount_amount == 16_883
    assert (order.undiscounted_subtotal_amount, order.subtotal_amount) == (231_000, 211_000)
    assert order.total_amount == 211_000 + 30_000 and order.discount_amount == 20_000
    assert (order.voucher, order.voucher_code, order.discount_name) == (voucher, "CHUONGTRINH", "CHUONGTRINH")
    discount = OrderDiscount.objects.get(order=order)
    assert (discount.amount, discount.funded_by, discount.type) == (20_000, "program", "voucher")
    voucher.refresh_from_db()
    assert voucher.used == 1 and VoucherCustomer.objects.get().user == customer
    # once per customer: a second cart of the same customer is refused the code
    again = ready_checkout(channel, [(product.variants.get(), 1)], actor=customer)
    with pytest.raises(ValidationError) as exc:
        checkout_add_promo_code(checkout=again, promo_code="CHUONGTRINH")
    assert codes(exc.value) == {"promo_code": ["voucher_not_applicable"]}
    # cancelling the order gives the use back
    order_cancel(order=order, actor=customer)
    voucher.refresh_from_db()
    assert voucher.used == 0 and not VoucherCustomer.objects.exists()
    checkout_add_promo_code(checkout=again, promo_code="CHUONGTRINH")


def test_a_guest_is_counted_by_email(channel, product, shipping_method, program_staff):
    from storefront.checkout.complete import checkout_complete

    _voucher(program_staff, usage_limit_per_customer=1)
    first = ready_checkout(channel, [(product.variants.get(), 1)], email="khach@example.com")
    checkout_add_promo_code(checkout=first, promo_code="GIAM10")
    checkout_complete(checkout=first)
    second = ready_checkout(channel, [(product.variants.get(), 1)], email="KHACH@example.com")
    with pytest.raises(ValidationError):
        checkout_add_promo_code(checkout=second, promo_code="GIAM10")


def test_a_voucher_that_stopped_applying_places_nothing(channel, product, shipping_method, program_staff):
    from storefront.checkout.complete import checkout_complete

    voucher = _voucher(program_staff, usage_limit=1)
    checkout = ready_checkout(channel, [(product.variants.get(), 1)])
    checkout_add_promo_code(checkout=checkout, promo_code="GIAM10")
    Voucher.objects.filter(pk=voucher.pk).update(used=1)  # someone else's order took the last use
    assert checkout_totals(checkout=checkout).voucher_problem
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"promo_code": ["voucher_not_applicable"]}
    assert not Order.objects.exists() and Checkout.objects.filter(pk=checkout.pk).exists()


# Promotions and settlement


def _deliver(order, actor):
    for fulfillment in order.fulfillments.all():
        fulfillment_pack(fulfillment=fulfillment, actor=actor)
        fulfillment_ship(fulfillment=fulfillment, actor=actor, tracking_number="VN1")
        fulfillment.refresh_from_db()
        # Cash on delivery: the carrier collects exactly what the part owes.
        fulfillment_deliver(fulfillment=fulfillment, actor=actor,
                            cash_collected=fulfillment_cash_due(order=order, fulfillment=fulfillment) or None)


def _sale(order, coop):
    return LedgerEntry.objects.get(fulfillment__order=order, cooperative=coop, kind=LedgerEntry.Kind.SALE).amount


def test_settlement_cooperative_pays_its_discount_program_absorbs_its_own(channel, coop, product, veg, other_coop,
                                                                         shipping_method, coop_staff, program_staff):
    from storefront.checkout.complete import checkout_complete

    now = timezone.now()
    promotion_create(actor=coop_staff, name="Tuần lễ gạo Vĩnh Bình", discount_value=10,
                     start_date=now - timedelta(hours=1), end_date=now + timedelta(days=7))
    _voucher(program_staff, code="MUNGXUAN", discount_value=10_000, discount_value_type="fixed")
    checkout = ready_checkout(channel, [(product.variants.get(), 1), (veg, 1)])
    checkout_add_promo_code(checkout=checkout, promo_code="MUNGXUAN")
    order = checkout_complete(checkout=checkout)
    # Rice 195,000 less 10 % (19,500, the cooperative pays) = 175,500; then the program's 10,000 over
    # 175,500 + 18,000 = 193,500: 9,069.7… and 930.2… -> 9,070 + 930.
    rice = order.lines.get(cooperative=coop)
    assert (rice.discount_amount, rice.program_discount_amount, rice.total_price_amount) == (
        28_570, 9_070, 166_430)
    assert order.lines.get(cooperative=other_coop).total_price_amount == 17_070
    assert order.subtotal_amount == 183_500 and order.discount_amount == 29_500
    assert set(OrderDiscount.objects.filter(order=order).values_list("funded_by", "amount")) == {
        ("cooperative", 19_500), ("program", 10_000)}
    _deliver(order, program_staff)
    # The rice cooperative's sale: what the shopper paid (166,430) + the program's part (9,070) =
    # 175,500 = 195,000 less its own 10 %. The other cooperative: 17,070 + 930 = 18,000, undiscounted.
    assert _sale(order, coop) == 175_500 and _sale(order, other_coop) == 18_000
    fee = LedgerEntry.objects.get(fulfillment__order=order, cooperative=coop, kind=LedgerEntry.Kind.FEE)
    assert fee.amount == -8_775  # 5 % of 175,500


def test_a_return_gives_the_program_its_share_of_the_discount_back(channel, coop, product, shipping_method,
                                                                    coop_staff, program_staff):
    from storefront.checkout.complete import checkout_complete
    from storefront.order.returns import return_record
    from storefront.settlement.selectors import ledger_balance

    _voucher(program_staff, code="MUNGXUAN", discount_value=10_000, discount_value_type="fixed")
    checkout = ready_checkout(channel, [(product.variants.get(), 2)])
    checkout_add_promo_code(checkout=checkout, promo_code="MUNGXUAN")
    order = checkout_complete(checkout=checkout)
    rice = order.lines.get()
    # 2 × 195,000 = 390,000, less the program's 10,000: the shopper pays 380,000 for the rice.
    assert (rice.total_price_amount, rice.program_discount_amount) == (380_000, 10_000)
    _deliver(order, coop_staff)
    assert _sale(order, coop) == 390_000  # the program pays the cooperative its discount
    balance = ledger_balance(cooperative=coop)
    return_record(order=order, actor=coop_staff, lines={rice.pk: 1}, refund=True)
    adjustments = sorted(LedgerEntry.objects.filter(cooperative=coop, kind=LedgerEntry.Kind.ADJUSTMENT)
                         .values_list("amount", flat=True))
    # One unit back: the shopper gets the 190,000 she paid for it, the program its 5,000.
    assert adjustments == [-190_000, -5_000]
    assert ledger_balance(cooperative=coop) == balance - 195_000  # one undiscounted unit fewer sold


def test_free_delivery_over_a_threshold(channel, product, shipping_method, program_staff, coop_staff, coop):
    from storefront.checkout.complete import checkout_complete

    promotion_create(actor=coop_staff, name="Miễn phí giao hàng từ 300.000 ₫", type="order",
                     reward_type="shipping", discount_value=100, min_subtotal_amount=300_000)
    small = ready_checkout(channel, [(product.variants.get(), 1)])
    assert checkout_totals(checkout=small).shipping_price == 30_000
    big = ready_checkout(channel, [(product.variants.get(), 2)])
    totals = checkout_totals(checkout=big)
    assert (totals.undiscounted_shipping_price, totals.shipping_price, totals.total) == (30_000, 0, 390_000)
    order = checkout_complete(checkout=big)
    assert (order.shipping_price_amount, order.undiscounted_shipping_price_amount) == (0, 30_000)
    assert order.total_amount == 390_000
    _deliver(order, coop_staff)
    # the cooperative pays the delivery it gave away: 390,000 - 30,000
    assert _sale(order, coop) == 360_000


def test_a_promotion_outside_its_dates_does_nothing(channel, product, shipping_method, coop_staff):
    now = timezone.now()
    promotion_create(actor=coop_staff, name="Tuần sau", discount_value=10, start_date=now + timedelta(days=1))
    promotion_create(actor=coop_staff, name="Tuần trước", discount_value=10, start_date=now - timedelta(days=8),
                     end_date=now - timedelta(days=1))
    assert Promotion.objects.count() == 2
    checkout = ready_checkout(channel, [(product.variants.get(), 1)])
    assert checkout_totals(checkout=checkout).discount == 0


def test_refusals_are_translated(channel, product, shipping_method, program_staff):
    from django.utils import translation

    _voucher(program_staff, min_spent_amount=500_000)
    checkout = ready_checkout(channel, [(product.variants.get(), 1)])
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            checkout_add_promo_code(checkout=checkout, promo_code="GIAM10")
        assert exc.value.error_dict["promo_code"][0].message == (
            "Code GIAM10 applies to orders from 500.000 ₫ (your cart: 195.000 ₫).")
        with pytest.raises(ValidationError) as exc:
            checkout_add_promo_code(checkout=checkout, promo_code="NOPE")
        assert exc.value.error_dict["promo_code"][0].message == "The voucher code NOPE does not exist."


def test_the_emails_show_the_discount(channel, product, shipping_method, program_staff, coop_staff,
                                      django_capture_on_commit_callbacks):
    from django.core import mail

    from storefront.checkout.complete import checkout_complete

    _voucher(program_staff, name="Tết")
    checkout = ready_checkout(channel, [(product.variants.get(), 1)])
    checkout_add_promo_code(checkout=checkout, promo_code="GIAM10")
    with django_capture_on_commit_callbacks(execute=True):
        checkout_complete(checkout=checkout)
    shopper = next(m for m in mail.outbox if m.to == ["khach@example.com"])
    assert "Giảm giá (Tết): −19.500 ₫" in shopper.body and "Tổng cộng: 205.500 ₫" in shopper.body
    cooperative = next(m for m in mail.outbox if m.to != ["khach@example.com"])
    assert "Đã giảm cho khách: 19.500 ₫, trong đó chương trình chi trả 19.500 ₫." in cooperative.body


def test_a_cooperatives_delivery_voucher_needs_its_products_in_the_cart(channel, product, veg, shipping_method,
                                                                       coop_staff):
    from storefront.checkout.complete import checkout_complete

    _voucher(coop_staff, code="FREESHIP", type="shipping", discount_value=100)
    only_greens = ready_checkout(channel, [(veg, 1)])
    with pytest.raises(ValidationError) as exc:
        checkout_add_promo_code(checkout=only_greens, promo_code="FREESHIP")
    assert codes(exc.value) == {"promo_code": ["voucher_not_applicable"]}
    checkout = ready_checkout(channel, [(product.variants.get(), 1), (veg, 1)])
    checkout_add_promo_code(checkout=checkout, promo_code="FREESHIP")
    order = checkout_complete(checkout=checkout)
    assert (order.shipping_price_amount, order.total_amount) == (0, 213_000)
    part = order.fulfillments.get(cooperative=product.cooperative)
    assert part.cooperative_shipping_discount_amount == 30_000 and part.subtotal_amount == 195_000
