"""Granted refunds: capped at what was charged less what is already granted, scoped to who acts."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.order.models import OrderEvent, OrderGrantedRefund
from storefront.order.refunds import (order_refundable_amount, order_total_granted_refund, refund_grant,
                                      refund_mark_paid)
from storefront.order.services import order_mark_as_paid
from storefront.payment.gateways import VIETQR
from tests.checkout.helpers import codes, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(channel, variant, shipping_method, program_staff):
    order = place_order(channel, [(variant, 2)], gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order.refresh_from_db()
    return order


def test_refunds_never_exceed_what_was_charged(paid_order, coop_staff, coop):
    charged = paid_order.total_charged_amount
    line = paid_order.lines.get()
    first = refund_grant(order=paid_order, actor=coop_staff, amount=charged - 1000, cooperative=coop,
                         kind=OrderGrantedRefund.Kind.RETURN, lines={line: 1}, reason="dập")
    assert (first.status, first.amount, first.lines.get().quantity) == (OrderGrantedRefund.Status.NONE, charged - 1000, 1)
    assert order_refundable_amount(order=paid_order) == 1000
    with pytest.raises(ValidationError) as exc:
        refund_grant(order=paid_order, actor=coop_staff, amount=1001, cooperative=coop)
    assert codes(exc.value) == {"amount": ["invalid"]}
    refund_grant(order=paid_order, actor=coop_staff, amount=1000, cooperative=coop)
    assert order_total_granted_refund(order=paid_order) == charged
    assert order_refundable_amount(order=paid_order) == 0
    assert paid_order.events.filter(type=OrderEvent.Type.REFUND_GRANTED).count() == 2


def test_unpaid_order_has_nothing_to_refund(channel, variant, shipping_method, program_staff):
    order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    with pytest.raises(ValidationError):
        refund_grant(order=order, actor=program_staff, amount=1)
    assert not OrderGrantedRefund.objects.exists()


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "100"])
def test_bad_amounts_write_nothing(paid_order, program_staff, amount):
    with pytest.raises(ValidationError) as exc:
        refund_grant(order=paid_order, actor=program_staff, amount=amount)
    assert codes(exc.value) == {"amount": ["invalid"]}
    assert not OrderGrantedRefund.objects.exists()


def test_who_may_grant_and_mark_paid(paid_order, coop, coop_staff, other_coop_staff, customer, program_staff):
    for actor in (other_coop_staff, customer):
        with pytest.raises(PermissionDenied):
            refund_grant(order=paid_order, actor=actor, amount=1000, cooperative=coop)
    with pytest.raises(PermissionDenied):  # the order as a whole is the program's
        refund_grant(order=paid_order, actor=coop_staff, amount=1000)
    refund = refund_grant(order=paid_order, actor=coop_staff, amount=1000, cooperative=coop)
    with pytest.raises(PermissionDenied):
        refund_mark_paid(refund=refund, actor=other_coop_staff, reference="FT9")
    with pytest.raises(ValidationError) as exc:
        refund_mark_paid(refund=refund, actor=coop_staff, reference="  ")
    assert codes(exc.value) == {"reference": ["required"]}
    refund_mark_paid(refund=refund, actor=coop_staff, reference="FT 99")
    refund.refresh_from_db()
    assert (refund.status, refund.reference, refund.paid_by) == (OrderGrantedRefund.Status.SUCCESS, "FT 99", coop_staff)
    with pytest.raises(ValidationError):
        refund_mark_paid(refund=refund, actor=program_staff, reference="FT100")
    assert paid_order.events.filter(type=OrderEvent.Type.REFUNDED).count() == 1


def test_lines_must_be_the_cooperatives_own(paid_order, other_coop, other_coop_staff):
    line = paid_order.lines.get()
    with pytest.raises(ValidationError) as exc:
        refund_grant(order=paid_order, actor=other_coop_staff, amount=1000, cooperative=other_coop, lines={line: 1})
    assert codes(exc.value) == {"lines": ["not_found"]}
