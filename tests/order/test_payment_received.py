from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from storefront.order.models import ChargeStatus, Order, OrderEvent, OrderStatus
from storefront.order.selectors import transfer_instructions
from storefront.order.services import fulfillment_pack, order_mark_as_paid, orders_expire_unpaid
from storefront.order.tasks import expire_unpaid_orders_task
from storefront.payment.gateways import VIETQR
from storefront.payment.models import Payment
from storefront.warehouse.models import Allocation, Stock
from tests.checkout.helpers import codes, place_order

pytestmark = pytest.mark.django_db


def test_mark_received_confirms_order(channel, variant, shipping_method, program_staff, coop_staff):
    order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    assert transfer_instructions(order=order).note == order.transfer_note
    payment = order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT123")
    assert payment.status == Payment.Status.CHARGED and payment.captured_by == program_staff
    order.refresh_from_db()
    assert (order.status, order.charge_status, order.payment_due_at) == (OrderStatus.UNFULFILLED, ChargeStatus.FULL, None)
    assert order.total_charged_amount == order.total_amount
    assert {OrderEvent.Type.PAYMENT_CAPTURED, OrderEvent.Type.CONFIRMED} <= set(order.events.values_list("type", flat=True))
    assert transfer_instructions(order=order) is None
    fulfillment_pack(fulfillment=order.fulfillments.get(), actor=coop_staff)  # now it can be worked on
    with pytest.raises(ValidationError) as exc:
        order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount)
    assert codes(exc.value) == {"order": ["invalid"]}


def test_only_program_staff_mark_payments(channel, variant, shipping_method, coop_staff, customer, trade_staff):
    order = place_order(channel, [(variant, 1)], gateway=VIETQR, actor=customer)
    for actor in (coop_staff, customer, trade_staff, None):
        with pytest.raises(PermissionDenied):
            order_mark_as_paid(order=order, actor=actor, amount=order.total_amount)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


@pytest.mark.parametrize("amount,code", [(0, "invalid"), (-5, "invalid"), (1.5, "invalid"), ("100", "invalid"),
                                         (1000, "partial_payment_not_allowed")])
def test_bad_amounts(channel, variant, shipping_method, program_staff, amount, code):
    order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    with pytest.raises(ValidationError) as exc:
        order_mark_as_paid(order=order, actor=program_staff, amount=amount)
    assert codes(exc.value) == {"amount": [code]}
    assert Order.objects.get(pk=order.pk).charge_status == ChargeStatus.NONE


def test_unpaid_transfer_expires_and_releases_stock(channel, variant, shipping_method, program_staff):
    cod = place_order(channel, [(variant, 1)])
    transfer = place_order(channel, [(variant, 3)], gateway=VIETQR)
    placed_total = transfer.total_amount
    paid = place_order(channel, [(variant, 2)], gateway=VIETQR)
    order_mark_as_paid(order=paid, actor=program_staff, amount=paid.total_amount)
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 6
    assert orders_expire_unpaid(now=timezone.now()) == 0  # not due yet
    later = timezone.now() + timedelta(hours=25)
    assert orders_expire_unpaid(now=later) == 1
    transfer.refresh_from_db()
    assert transfer.status == OrderStatus.CANCELED
    assert transfer.events.filter(type=OrderEvent.Type.EXPIRED).exists()
    assert not Allocation.objects.filter(order_line__order=transfer).exists()
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 3
    assert Order.objects.get(pk=cod.pk).status == OrderStatus.UNFULFILLED
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.UNFULFILLED
    assert orders_expire_unpaid(now=later) == 0
    with pytest.raises(ValidationError) as exc:  # money arriving after expiry is refused: refund by hand
        order_mark_as_paid(order=transfer, actor=program_staff, amount=placed_total)
    assert codes(exc.value) == {"order": ["invalid"]}
    transfer.refresh_from_db()
    assert transfer.total_amount == 0  # a cancelled order owes nothing
    assert (transfer.status, transfer.charge_status) == (OrderStatus.CANCELED, ChargeStatus.NONE)
    assert not Payment.objects.filter(order=transfer, status=Payment.Status.CHARGED).exists()


def test_expiry_task_runs_the_service(channel, variant, shipping_method, settings):
    settings.UNPAID_TRANSFER_EXPIRY_HOURS = 0
    order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(seconds=1))
    assert expire_unpaid_orders_task.delay().get() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELED


def test_cooperatives_hear_of_a_transfer_order_only_once_it_is_paid(channel, variant, coop, shipping_method,
                                                                     program_staff,
                                                                     django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    assert coop.email not in [m.to[0] for m in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount)
    notices = [m for m in mail.outbox if m.to == [coop.email]]
    assert len(notices) == 1 and f"#{order.number}" in notices[0].subject and variant.sku in notices[0].body
