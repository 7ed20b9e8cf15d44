"""The shopper's order page after the order: sent is not delivered (#15), each part's total, the
history with who and when, and a prepaid order cancelled with its refunds due."""
import pytest
from django.urls import reverse

from storefront.order.models import OrderGrantedRefund, OrderStatus
from storefront.order.services import fulfillment_cancel, fulfillment_deliver, fulfillment_ship, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def _order(channel, variant, other_coop, customer, **kwargs):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    return place_order(channel, [(variant, 2), (veg, 3)], actor=customer, **kwargs)


def _page(client, order) -> str:
    return client.get(reverse("web:order", args=[order.token])).content.decode()


def test_one_of_two_shipped_reads_partly_sent_not_delivered(client, channel, variant, coop, other_coop, customer,
                                                            shipping_method, coop_staff, other_coop_staff):
    order = _order(channel, variant, other_coop, customer)
    fulfillment_ship(fulfillment=order.fulfillments.get(cooperative=coop), actor=coop_staff, tracking_number="GHN1")
    html = _page(client, order)
    assert '<span class="status" id="order-status">Đã gửi một phần</span>' in html
    assert "Đã giao một phần" not in html
    assert 'data-type="shipped"' in html and coop.name in html
    fulfillment_deliver(fulfillment=order.fulfillments.get(cooperative=coop), actor=coop_staff,
                        cash_collected=420_000)
    html = _page(client, order)
    assert '<span class="status" id="order-status">Đã giao một phần</span>' in html
    assert "Đã thanh toán một phần" in html and "420.000 ₫" in html
    fulfillment_cancel(fulfillment=order.fulfillments.get(cooperative=other_coop), actor=other_coop_staff,
                       reason="Mưa lớn")
    html = _page(client, order)
    assert '<span class="status" id="order-status">Đã giao hàng</span>' in html
    assert 'id="order-total">420.000 ₫' in html and "Mưa lớn" in html


def test_shopper_cancels_a_prepaid_order_on_the_page(client, channel, variant, other_coop, customer, shipping_method,
                                                     program_staff):
    order = _order(channel, variant, other_coop, customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=480_000)
    client.force_login(customer)
    html = _page(client, order)
    assert reverse("web:order_cancel", args=[order.pk]) in html
    response = client.post(reverse("web:order_cancel", args=[order.pk]), {"reason": "Đặt nhầm"}, follow=True)
    html = response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    assert sorted(OrderGrantedRefund.objects.filter(order=order).values_list("amount", flat=True)) == [90_000,
                                                                                                       390_000]
    assert 'id="refunds"' in html and "390.000 ₫" in html and "Chờ hoàn tiền" in html
    assert 'data-type="refund_granted"' in html


def test_the_cash_to_pay_on_delivery_is_what_the_parts_not_yet_delivered_owe(client, channel, variant, coop,
                                                                             other_coop, customer, shipping_method,
                                                                             coop_staff):
    order = _order(channel, variant, other_coop, customer)  # rice 2 × 195,000 + 30,000 delivery; 3 × 20,000 veg
    assert '<dd class="num" id="order-cod-amount">480.000 ₫</dd>' in _page(client, order)
    rice = order.fulfillments.get(cooperative=coop)
    fulfillment_ship(fulfillment=rice, actor=coop_staff, tracking_number="GHN1")
    fulfillment_deliver(fulfillment=rice, actor=coop_staff, cash_collected=420_000)
    assert '<dd class="num" id="order-cod-amount">60.000 ₫</dd>' in _page(client, order)
