import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.order.models import Fulfillment, OrderEvent, OrderStatus
from storefront.order.selectors import (fulfillment_for_actor, fulfillments_for_cooperative, order_for_actor,
                                        orders_for_customer, orders_for_staff)
from storefront.order.services import (fulfillment_cancel, fulfillment_deliver, fulfillment_pack, fulfillment_ship,
                                       order_cancel, order_fulfill)
from storefront.payment.gateways import VIETQR
from storefront.settlement.selectors import ledger_balance
from storefront.warehouse.models import Allocation, Stock
from tests.checkout.helpers import codes, place_order
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_coop_order(channel, coop, other_coop, variant, customer, shipping_method):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    order = place_order(channel, [(variant, 2), (veg, 3)], actor=customer)
    return order, order.fulfillments.get(cooperative=coop), order.fulfillments.get(cooperative=other_coop), veg


def test_pack_ship_deliver_flow(two_coop_order, coop_staff, other_coop_staff, variant, coop,
                                django_capture_on_commit_callbacks, settings):
    settings.SETTLEMENT_FEE_PERCENT = "5"
    order, mine, theirs, veg = two_coop_order
    fulfillment_pack(fulfillment=mine, actor=coop_staff)
    assert mine.status == Fulfillment.Status.PACKED and mine.packed_at
    with django_capture_on_commit_callbacks(execute=True):
        fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number=" GHN123 ")
    assert mine.tracking_number == "GHN123"
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (8, 0)
    assert not Allocation.objects.filter(order_line__fulfillment=mine).exists()
    assert mine.lines.get().quantity_fulfilled == 2
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    assert "GHN123" in mail.outbox[-1].body
    fulfillment_deliver(fulfillment=mine, actor=coop_staff, cash_collected=420_000)  # its goods and the shipping
    assert ledger_balance(cooperative=coop) == 390_000 - 19_500 - 420_000
    fulfillment_ship(fulfillment=theirs, actor=other_coop_staff, tracking_number="VTP9")
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED
    types = list(order.events.values_list("type", flat=True))
    assert types.count(OrderEvent.Type.SHIPPED) == 2 and OrderEvent.Type.PACKED in types
    assert OrderEvent.Type.DELIVERED in types


def _whole(fulfillment) -> dict[str, int]:
    return {str(line.pk): line.quantity for line in fulfillment.lines.all()}


def test_order_fulfill_ships_a_cooperatives_whole_part(two_coop_order, coop_staff, variant,
                                                        django_capture_on_commit_callbacks):
    order, mine, theirs, _ = two_coop_order
    with django_capture_on_commit_callbacks(execute=True):
        shipped = order_fulfill(order=order, lines=_whole(mine), tracking_number=" GHN 77 ", actor=coop_staff)
    assert [(f.pk, f.status, f.tracking_number) for f in shipped] == [(mine.pk, Fulfillment.Status.SHIPPED, "GHN 77")]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.packed_at is not None) == (Fulfillment.Status.SHIPPED, True)
    assert theirs.status == Fulfillment.Status.UNFULFILLED
    assert mine.lines.get().quantity_fulfilled == 2
    assert Stock.objects.get(product_variant=variant).quantity == 8
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    assert list(order.events.filter(type__in=[OrderEvent.Type.PACKED, OrderEvent.Type.SHIPPED])
                .order_by("pk").values_list("type", flat=True)) == [OrderEvent.Type.PACKED, OrderEvent.Type.SHIPPED]
    assert "GHN 77" in mail.outbox[-1].body


def _unchanged(*fulfillments):
    for fulfillment in fulfillments:
        assert Fulfillment.objects.get(pk=fulfillment.pk).status == Fulfillment.Status.UNFULFILLED
    assert not OrderEvent.objects.filter(type__in=[OrderEvent.Type.PACKED, OrderEvent.Type.SHIPPED]).exists()


def test_order_fulfill_refuses_a_part_of_a_part(channel, coop, variant, customer, coop_staff, shipping_method):
    second = make_product(coop, channel, name="Xoài cát", price=50_000, stock=5).variants.get()
    order = place_order(channel, [(variant, 2), (second, 1)], actor=customer)
    part = order.fulfillments.get()
    one_line = dict(list(_whole(part).items())[:1])
    short = {line_id: quantity - 1 for line_id, quantity in _whole(part).items()}
    for lines in (one_line, short):
        with pytest.raises(ValidationError) as exc:
            order_fulfill(order=order, lines=lines, tracking_number="GHN1", actor=coop_staff)
        assert codes(exc.value) == {"lines": ["fulfill_order_line"]}
    _unchanged(part)


def test_order_fulfill_checks_its_input_and_who_asks(two_coop_order, coop_staff, other_coop_staff):
    order, mine, theirs, _ = two_coop_order
    with pytest.raises(PermissionDenied):
        order_fulfill(order=order, lines=_whole(mine), tracking_number="GHN1", actor=other_coop_staff)
    with pytest.raises(PermissionDenied):  # one of the parts is another cooperative's
        order_fulfill(order=order, lines=_whole(mine) | _whole(theirs), tracking_number="GHN1", actor=coop_staff)
    cases = [({}, "GHN1", {"lines": ["required"]}),
             (_whole(mine) | {"00000000-0000-0000-0000-000000000000": 1}, "GHN1", {"order_line_id": ["not_found"]}),
             (_whole(mine), "  ", {"tracking_number": ["required"]})]
    for lines, tracking, expected in cases:
        with pytest.raises(ValidationError) as exc:
            order_fulfill(order=order, lines=lines, tracking_number=tracking, actor=coop_staff)
        assert codes(exc.value) == expected
    _unchanged(mine, theirs)


def test_order_fulfill_ships_several_parts_together_or_none(two_coop_order, program_staff, other_coop_staff):
    order, mine, theirs, _ = two_coop_order
    fulfillment_cancel(fulfillment=theirs, actor=other_coop_staff, reason="Mưa lớn")
    with pytest.raises(ValidationError) as exc:
        order_fulfill(order=order, lines=_whole(mine) | _whole(theirs), tracking_number="GHN1", actor=program_staff)
    assert codes(exc.value) == {"status": ["invalid"]}
    _unchanged(mine)  # packed, then rolled back with the part that could not ship
    theirs = Fulfillment.objects.get(pk=theirs.pk)
    assert theirs.status == Fulfillment.Status.CANCELED


def test_invalid_transitions(two_coop_order, coop_staff):
    order, mine, _, _ = two_coop_order
    with pytest.raises(ValidationError) as exc:
        fulfillment_deliver(fulfillment=mine, actor=coop_staff)
    assert codes(exc.value) == {"status": ["invalid"]}
    with pytest.raises(ValidationError) as exc:
        fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number="  ")
    assert codes(exc.value) == {"tracking_number": ["required"]}
    with pytest.raises(ValidationError) as exc:
        fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number="x" * 300)
    assert codes(exc.value) == {"tracking_number": ["invalid"]}
    fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number="A1")
    with pytest.raises(ValidationError) as exc:
        fulfillment_pack(fulfillment=mine, actor=coop_staff)
    assert codes(exc.value) == {"status": ["invalid"]}
    with pytest.raises(ValidationError) as exc:
        fulfillment_cancel(fulfillment=mine, actor=coop_staff, reason="hết hàng")
    assert codes(exc.value) == {"status": ["cannot_cancel_fulfillment"]}
    with pytest.raises(ValidationError) as exc:
        order_cancel(order=order, actor=order.user)
    assert codes(exc.value) == {"order": ["cannot_cancel_order"]}


def test_cancel_one_fulfillment_returns_its_stock(two_coop_order, other_coop_staff, coop_staff, variant):
    order, mine, theirs, veg = two_coop_order
    with pytest.raises(ValidationError) as exc:
        fulfillment_cancel(fulfillment=theirs, actor=other_coop_staff, reason="")
    assert codes(exc.value) == {"reason": ["required"]}
    fulfillment_cancel(fulfillment=theirs, actor=other_coop_staff, reason="Mưa lớn, không thu hoạch được")
    assert Stock.objects.get(product_variant=veg).quantity_allocated == 0
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED
    fulfillment_cancel(fulfillment=mine, actor=coop_staff, reason="Hết hàng")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    assert set(Stock.objects.values_list("quantity_allocated", flat=True)) == {0}


def test_customer_cancels_own_order_and_stock_returns(two_coop_order, customer, variant):
    order, *_ = two_coop_order
    stranger = make_user("stranger@example.com")
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=stranger)
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=None)
    order_cancel(order=order, actor=customer, reason="Đặt nhầm")
    assert order.status == OrderStatus.CANCELED and order.canceled_reason == "Đặt nhầm"
    assert not Allocation.objects.exists()
    assert set(Stock.objects.values_list("quantity_allocated", flat=True)) == {0}
    assert set(order.fulfillments.values_list("status", flat=True)) == {Fulfillment.Status.CANCELED}
    assert order.payments.get().status == "canceled"
    with pytest.raises(ValidationError) as exc:
        order_cancel(order=order, actor=customer)
    assert codes(exc.value) == {"order": ["cannot_cancel_order"]}


def test_unpaid_transfer_order_cannot_be_fulfilled(channel, variant, coop_staff, shipping_method):
    order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    with pytest.raises(ValidationError) as exc:
        fulfillment_pack(fulfillment=order.fulfillments.get(), actor=coop_staff)
    assert codes(exc.value) == {"order": ["cannot_fulfill_unpaid_order"]}


@pytest.mark.parametrize("action", ["pack", "ship", "deliver", "cancel"])
def test_permission_matrix(two_coop_order, action, other_coop_staff, customer, trade_staff, program_staff,
                           coop_staff):
    order, mine, _, _ = two_coop_order
    calls = {
        "pack": lambda f, a: fulfillment_pack(fulfillment=f, actor=a),
        "ship": lambda f, a: fulfillment_ship(fulfillment=f, actor=a, tracking_number="T1"),
        "deliver": lambda f, a: fulfillment_deliver(fulfillment=f, actor=a, cash_collected=f.amount_due),
        "cancel": lambda f, a: fulfillment_cancel(fulfillment=f, actor=a, reason="lý do"),
    }
    if action == "deliver":
        fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number="T0")
    before = Fulfillment.objects.get(pk=mine.pk).status
    for intruder in (other_coop_staff, customer, trade_staff, None):
        with pytest.raises(PermissionDenied):
            calls[action](Fulfillment.objects.get(pk=mine.pk), intruder)
    assert Fulfillment.objects.get(pk=mine.pk).status == before
    # program staff act on behalf of any cooperative
    calls[action](Fulfillment.objects.get(pk=mine.pk), program_staff)
    assert Fulfillment.objects.get(pk=mine.pk).status != before


def test_who_sees_what(two_coop_order, customer, coop_staff, other_coop_staff, program_staff, coop, other_coop):
    order, mine, theirs, _ = two_coop_order
    stranger = make_user("stranger@example.com")
    assert list(orders_for_customer(actor=customer)) == [order]
    assert list(orders_for_customer(actor=stranger)) == []
    assert order_for_actor(actor=customer, order_id=order.pk) == order
    assert order_for_actor(actor=coop_staff, order_id=order.pk) == order
    assert order_for_actor(actor=program_staff, order_id=order.pk) == order
    assert order_for_actor(actor=stranger, order_id=order.pk) is None
    assert order_for_actor(actor=None, order_id=order.pk) is None
    assert order_for_actor(actor=None, token=order.token) == order
    assert order_for_actor(actor=None, token="nope") is None
    assert list(fulfillments_for_cooperative(actor=coop_staff, cooperative=coop)) == [mine]
    for intruder in (coop_staff, customer, stranger):
        with pytest.raises(PermissionDenied):
            fulfillments_for_cooperative(actor=intruder, cooperative=other_coop)
    assert list(fulfillments_for_cooperative(actor=program_staff, cooperative=other_coop)) == [theirs]
    assert fulfillment_for_actor(actor=coop_staff, fulfillment_id=theirs.pk) is None
    assert fulfillment_for_actor(actor=other_coop_staff, fulfillment_id=theirs.pk) == theirs
    assert list(orders_for_staff(actor=other_coop_staff)) == [order]
    assert list(orders_for_staff(actor=customer)) == []
