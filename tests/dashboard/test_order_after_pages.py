"""A cooperative's part of an order on its pages: delivered with the cash collected, refused by the
shopper, its own history only; another cooperative's part refused (403) for every action and page."""
import pytest
from django.urls import reverse

from storefront.order.models import ChargeStatus, Fulfillment
from storefront.order.services import fulfillment_cancel, fulfillment_ship
from storefront.payment.models import Payment
from storefront.warehouse.models import Stock
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(channel, variant, other_coop, customer, shipping_method):
    veg = make_product(other_coop, channel, name="Cải ngọt", price=20_000, stock=5).variants.get()
    return place_order(channel, [(variant, 2), (veg, 3)], actor=customer)


def _action(coop, part, action):
    return reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, action])


def test_delivered_with_cash_on_the_dashboard(client, coop_staff, coop, order):
    part = order.fulfillments.get(cooperative=coop)
    fulfillment_ship(fulfillment=part, actor=coop_staff, tracking_number="GHN1")
    client.force_login(coop_staff)
    html = client.get(reverse("dashboard:orders", args=[coop.pk])).content.decode()
    assert 'data-cash-due="420000"' in html and "420.000 ₫" in html
    assert _action(coop, part, "deliver") in html  # a delivered action after shipping
    response = client.post(_action(coop, part, "deliver"), {"cash_collected": "400000"}, follow=True)
    assert "khác số tiền phải thu" in response.content.decode()
    part.refresh_from_db()
    assert part.status == Fulfillment.Status.SHIPPED
    response = client.post(_action(coop, part, "deliver"), {"cash_collected": "abc"}, follow=True)
    assert "số nguyên không âm" in response.content.decode()
    client.post(_action(coop, part, "deliver"), {"cash_collected": "420000", "back": "part"})
    part.refresh_from_db()
    order.refresh_from_db()
    assert (part.status, part.cash_collected_amount, order.charge_status) == (
        Fulfillment.Status.DELIVERED, 420_000, ChargeStatus.PARTIAL)
    assert Payment.objects.get(fulfillment=part).captured_by == coop_staff


def test_refused_on_the_dashboard_restocks(client, coop_staff, coop, order, variant):
    part = order.fulfillments.get(cooperative=coop)
    fulfillment_ship(fulfillment=part, actor=coop_staff, tracking_number="GHN1")
    client.force_login(coop_staff)
    response = client.post(_action(coop, part, "refuse"), {"reason": ""}, follow=True)
    assert "lý do" in response.content.decode().lower()
    client.post(_action(coop, part, "refuse"), {"reason": "Khách đi vắng"})
    part.refresh_from_db()
    assert part.status == Fulfillment.Status.REFUSED
    assert Stock.objects.get(product_variant=variant).quantity == 10


def test_part_page_shows_its_history_only(client, coop_staff, other_coop_staff, coop, other_coop, order):
    mine = order.fulfillments.get(cooperative=coop)
    theirs = order.fulfillments.get(cooperative=other_coop)
    fulfillment_ship(fulfillment=mine, actor=coop_staff, tracking_number="GHN-MINE")
    fulfillment_cancel(fulfillment=theirs, actor=other_coop_staff, reason="Lý do riêng của HTX khác")
    client.force_login(coop_staff)
    html = client.get(reverse("dashboard:order_part", args=[coop.pk, mine.pk])).content.decode()
    assert 'id="order-history"' in html and "GHN-MINE" in html and "Đặt hàng" in html
    assert "Lý do riêng của HTX khác" not in html and other_coop.name not in html and "Cải ngọt" not in html
    client.force_login(other_coop_staff)
    html = client.get(reverse("dashboard:order_part", args=[other_coop.pk, theirs.pk])).content.decode()
    assert "Lý do riêng của HTX khác" in html and "GHN-MINE" not in html and coop.name not in html


def test_another_cooperatives_part_is_refused_everywhere(client, coop_staff, coop, other_coop, order,
                                                         other_coop_staff):
    theirs = order.fulfillments.get(cooperative=other_coop)
    fulfillment_ship(fulfillment=theirs, actor=other_coop_staff, tracking_number="VTP1")
    client.force_login(coop_staff)
    assert client.get(reverse("dashboard:order_part", args=[coop.pk, theirs.pk])).status_code == 403
    assert client.get(reverse("dashboard:order_part", args=[other_coop.pk, theirs.pk])).status_code == 403
    for action, data in (("deliver", {"cash_collected": "90000"}), ("refuse", {"reason": "x"}),
                         ("cancel", {"reason": "x"})):
        assert client.post(_action(coop, theirs, action), data).status_code == 403
        assert client.post(_action(other_coop, theirs, action), data).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Fulfillment.Status.SHIPPED
    assert not Payment.objects.filter(fulfillment=theirs).exists()


def test_program_staff_mark_a_part_delivered_for_its_cooperative(client, program_staff, coop, coop_staff, order):
    part = order.fulfillments.get(cooperative=coop)
    fulfillment_ship(fulfillment=part, actor=coop_staff, tracking_number="GHN1")
    client.force_login(program_staff)
    html = client.get(reverse("dashboard:program_order", args=[order.pk])).content.decode()
    assert reverse("dashboard:order_part", args=[coop.pk, part.pk]) in html
    client.post(_action(coop, part, "deliver"), {"cash_collected": "420000", "back": "part"})
    assert Payment.objects.get(fulfillment=part).captured_by == program_staff
    html = client.get(reverse("dashboard:program_order", args=[order.pk])).content.decode()
    assert "Chương trình HTX Market" in html and "Tiền mặt đã thu" in html
