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
