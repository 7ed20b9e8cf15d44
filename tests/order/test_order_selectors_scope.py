"""Which part of an order an actor sees: the whole of it, or only their cooperative's lines."""
import pytest

from storefront.order.selectors import order_seller_scope
from tests.checkout.helpers import place_order

pytestmark = pytest.mark.django_db


def test_seller_scope(channel, variant, coop, customer, coop_staff, other_coop_staff, program_staff, shipping_method):
    order = place_order(channel, [(variant, 1)], actor=customer)
    assert order_seller_scope(actor=customer, order=order) is None
    assert order_seller_scope(actor=program_staff, order=order) is None
    assert order_seller_scope(actor=None, order=order) is None  # a holder of the order's link
    assert order_seller_scope(actor=coop_staff, order=order) == {coop.pk}
    assert order_seller_scope(actor=other_coop_staff, order=order) == {other_coop_staff.cooperative_memberships.get().cooperative_id}


def test_staff_order_list_narrows_to_transfers_awaiting_money(channel, variant, customer, coop_staff, program_staff,
                                                              shipping_method):
    from storefront.order.models import OrderStatus
    from storefront.order.selectors import order_events, order_payments, orders_for_staff
    from storefront.order.services import order_cancel
    from storefront.payment.gateways import VIETQR

    cod = place_order(channel, [(variant, 1)], actor=customer)
    waiting = place_order(channel, [(variant, 1)], actor=customer, gateway=VIETQR)
    canceled = place_order(channel, [(variant, 1)], actor=customer, gateway=VIETQR)
    order_cancel(order=canceled, actor=customer)
    assert list(orders_for_staff(actor=program_staff)) == [canceled, waiting, cod]
    assert list(orders_for_staff(actor=program_staff, awaiting_transfer=True)) == [waiting]
    assert list(orders_for_staff(actor=coop_staff, status=OrderStatus.CANCELED)) == [canceled]
    assert list(orders_for_staff(actor=customer)) == []
    assert [p.gateway for p in order_payments(order=waiting)] == [VIETQR]
    assert [e.type for e in order_events(order=canceled)] == ["placed", "canceled"]
