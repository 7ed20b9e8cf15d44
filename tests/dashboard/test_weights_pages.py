"""Selling by actual weight on the pages: the cooperative's product form and variant row, the ship
form with a weight per line, the packing slip, the shopper's product, cart and order pages, the mails."""
import pytest
from django.core import mail
from django.urls import reverse

from storefront.order.models import Fulfillment, OrderGrantedRefund
from storefront.order.services import order_mark_as_paid
from storefront.payment.gateways import COD, VIETQR
from tests.checkout.helpers import place_order
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def fish_product(coop, channel):
    return make_product(coop, channel, name="Cá lóc đồng", price=120_000, stock=10, sold_by_weight=True,
                        nominal_weight_g=1000, weight_tolerance_percent=10)


@pytest.fixture
def fish(fish_product):
    return fish_product.variants.get()


def _product_post(product, **changes):
    data = {"name": product.name, "category": product.category_id, "weight_g": 1000}
    data.update(changes)
    return data


def test_cooperative_sets_a_product_to_be_sold_by_weight(client, coop_staff, coop, product):
    client.force_login(coop_staff)
    url = reverse("dashboard:product_edit", args=[coop.pk, product.pk])
    assert "Bán theo cân" in client.get(url).content.decode()
    missing = client.post(url, _product_post(product, sold_by_weight="on", nominal_weight_g="1000"))
    assert missing.status_code == 200
    assert "Hàng bán theo cân cần nêu sai số cân cho phép (%)." in missing.content.decode()
    product.refresh_from_db()
    assert not product.sold_by_weight
    too_loose = client.post(url, _product_post(product, sold_by_weight="on", nominal_weight_g="1000",
                                               weight_tolerance_percent="60"))
    assert "1–50" in too_loose.content.decode()
    saved = client.post(url, _product_post(product, sold_by_weight="on", nominal_weight_g="5000",
                                           weight_tolerance_percent="5"))
    assert saved.status_code == 302
    product.refresh_from_db()
    assert (product.sold_by_weight, product.nominal_weight_g, product.weight_tolerance_percent) == (True, 5000, 5)
    variant = product.variants.get()
    assert variant.weighed_sale.label() == "khoảng 5 kg, giá tạm tính; cân thực tế ±5 %"
    # A variant states its own nominal weight in its row of the product page.
    assert f'id="vnominal-{variant.pk}"' in client.get(url).content.decode()
    client.post(reverse("dashboard:variant_save", args=[coop.pk, variant.pk]), {"nominal_weight_g": "2000"})
    variant.refresh_from_db()
    assert variant.nominal_weight_g == 2000 and variant.weighed_sale.nominal_weight_g == 2000


def test_another_cooperative_cannot_edit_the_terms(client, other_coop_staff, coop, product):
    client.force_login(other_coop_staff)
    url = reverse("dashboard:product_edit", args=[coop.pk, product.pk])
    assert client.post(url, _product_post(product, sold_by_weight="on", nominal_weight_g="1000",
                                          weight_tolerance_percent="10")).status_code == 403
    product.refresh_from_db()
    assert not product.sold_by_weight


def test_shopper_sees_the_terms_on_the_product_page_cart_and_checkout(client, fish_product, fish, shipping_method):
    html = client.get(reverse("web:product", args=[fish_product.slug])).content.decode()
    assert "khoảng 1 kg, giá tạm tính; cân thực tế ±10 %" in html
    english = client.get(reverse("web:product", args=[fish_product.slug]), HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("web:cart_add"), {"variant": fish.pk, "quantity": 2})
    cart = client.get(reverse("web:cart")).content.decode()
    assert "khoảng 1 kg, giá tạm tính; cân thực tế ±10 %" in cart
    assert english.status_code == 200


def test_ship_form_asks_for_each_weighed_line_and_refuses_a_far_weight(client, coop_staff, coop, channel, fish,
                                                                       shipping_method):
    order = place_order(channel, [(fish, 2)], gateway=COD)
    part = order.fulfillments.get()
    line = order.lines.get()
    client.force_login(coop_staff)
    page = client.get(reverse("dashboard:orders", args=[coop.pk])).content.decode()
    assert f'name="weight-{line.pk}"' in page and "Đặt 2 đơn vị, khoảng 2 kg, sai số ±10 %." in page
    url = reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, "ship"])
    refused = client.post(url, {"tracking_number": "GHN1", f"weight-{line.pk}": "3000"}, follow=True)
    assert "quá xa khối lượng đặt 2 kg" in refused.content.decode()
    part.refresh_from_db()
    assert part.status == Fulfillment.Status.UNFULFILLED
    missing = client.post(url, {"tracking_number": "GHN1"}, follow=True)
    assert "Vui lòng nhập khối lượng thực tế (gam) của Cá lóc đồng." in missing.content.decode()
    done = client.post(url, {"tracking_number": "GHN1", f"weight-{line.pk}": "1850"}, follow=True)
    html = done.content.decode()
    part.refresh_from_db()
    line.refresh_from_db()
    assert part.status == Fulfillment.Status.SHIPPED and line.actual_weight_g == 1850
    assert "cân thực tế 1,85 kg (đặt 2 kg)" in html
    assert "222.000 ₫" in html
    assert f"{222_000 + order.shipping_price_amount:,} ₫".replace(",", ".") in html  # cash to collect
    slip = client.get(reverse("dashboard:packing_slip", args=[coop.pk, part.pk])).content.decode()
    assert "Đặt khoảng 2 kg (±10 %)" in slip and "Cân thực tế: 1,85 kg" in slip


def test_another_cooperative_cannot_ship_with_weights(client, other_coop_staff, coop, other_coop, channel, fish,
                                                      shipping_method):
    order = place_order(channel, [(fish, 1)])
    part = order.fulfillments.get()
    line = order.lines.get()
    client.force_login(other_coop_staff)
    for coop_id in (coop.pk, other_coop.pk):
        url = reverse("dashboard:fulfillment_action", args=[coop_id, part.pk, "ship"])
        assert client.post(url, {"tracking_number": "X", f"weight-{line.pk}": "1000"}).status_code == 403
    line.refresh_from_db()
    assert line.actual_weight_g is None


def test_shopper_order_page_and_mails_after_weighing(client, coop_staff, program_staff, channel, fish,
                                                     shipping_method, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(channel, [(fish, 2)], gateway=VIETQR)
    confirmation = mail.outbox[-1].body
    assert "khoảng 1 kg, giá tạm tính; cân thực tế ±10 %" in confirmation
    assert "nếu hàng cân nhẹ hơn, phần chênh lệch được hoàn lại" in confirmation
    page = client.get(reverse("web:order", args=[order.token])).content.decode()
    assert "khoảng 1 kg, giá tạm tính; cân thực tế ±10 %" in page and "weighed-note" in page
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    line = order.lines.get()
    client.force_login(coop_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboard:fulfillment_action", args=[order.fulfillments.get().cooperative_id,
                                                                  order.fulfillments.get().pk, "ship"]),
                    {"tracking_number": "GHN2", f"weight-{line.pk}": "1800"})
    shipped = mail.outbox[-1].body
    assert "cân thực tế 1,8 kg (đặt khoảng 2 kg), giá cuối 216.000 ₫ (tạm tính 240.000 ₫)" in shipped
    assert "bạn được hoàn 24.000 ₫" in shipped
    assert OrderGrantedRefund.objects.get(order=order).amount == 24_000
    client.logout()
    page = client.get(reverse("web:order", args=[order.token])).content.decode()
    assert "Cân thực tế 1,8 kg (đặt khoảng 2 kg)" in page and "giá tạm tính 240.000 ₫" in page
    assert "Hoàn tiền cho bạn (chờ chuyển)" in page and "24.000 ₫" in page
    assert "weighed-note" not in page


def test_mails_in_english(coop_staff, channel, fish, shipping_method, django_capture_on_commit_callbacks):
    from storefront.order.models import Order
    from storefront.order.services import order_fulfill

    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(channel, [(fish, 1)], gateway=COD)
    Order.objects.filter(pk=order.pk).update(language_code="en")
    order.refresh_from_db()
    from storefront.order.tasks import order_confirmation_text, send_fulfillment_shipped
    from django.utils import translation

    with translation.override("en"):
        text = order_confirmation_text(order)
    assert "about 1 kg, estimated price; actual weight ±10 %" in text
    assert "you pay for the actual weight on delivery" in text
    line = order.lines.get()
    order_fulfill(order=order, lines={str(line.pk): 1}, tracking_number="T1", actor=coop_staff,
                  weights={str(line.pk): 1050})
    send_fulfillment_shipped(order.fulfillments.get().pk)
    body = mail.outbox[-1].body
    assert "weighed 1.05 kg (ordered about 1 kg), final price 126.000 ₫ (estimated 120.000 ₫)" in body
    assert f"To pay when you receive this part: {126_000 + order.shipping_price_amount:,} ₫".replace(",", ".") in body


def test_an_overlong_weight_is_a_clear_error(client, coop_staff, coop, channel, fish, shipping_method):
    order = place_order(channel, [(fish, 1)])
    part, line = order.fulfillments.get(), order.lines.get()
    client.force_login(coop_staff)
    response = client.post(reverse("dashboard:fulfillment_action", args=[coop.pk, part.pk, "ship"]),
                           {"tracking_number": "GHN1", f"weight-{line.pk}": "9" * 30}, follow=True)
    assert "Giá trị này chỉ có tối đa 20 kí tự" in response.content.decode()
    part.refresh_from_db()
    assert part.status == Fulfillment.Status.UNFULFILLED
