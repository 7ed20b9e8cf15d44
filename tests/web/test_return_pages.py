"""Return pages: the shopper asks from the order page (photo and bank account), the cooperative decides
and records the refund on its dashboard; the photo is shown only to those concerned."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from storefront.order.models import OrderGrantedRefund, OrderReturn
from storefront.order.services import fulfillment_deliver, order_fulfill, order_mark_as_paid
from storefront.payment.gateways import VIETQR
from storefront.settlement.models import LedgerEntry
from tests.checkout.helpers import place_order

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 10)).save(buffer, format="JPEG")
    return SimpleUploadedFile("rau.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def delivered(variant, product, channel, shipping_method, customer, coop_staff, program_staff):
    product.perishable = True
    product.save()
    order = place_order(channel, [(variant, 3)], actor=customer, gateway=VIETQR)
    order_mark_as_paid(order=order, actor=program_staff, amount=order.total_amount, reference="FT1")
    order_fulfill(order=order, lines={str(line.pk): line.quantity for line in order.lines.all()},
                  tracking_number="VN1", actor=coop_staff)
    fulfillment_deliver(fulfillment=order.fulfillments.get(), actor=coop_staff)
    order.refresh_from_db()
    return order


def _request_url(order):
    return reverse("web:return_request", args=[order.pk, order.fulfillments.get().pk])


def _form(order, **extra):
    line = order.lines.get()
    data = {f"line_{line.pk}": "1", "reason": "Rau bị dập", "refund_method": "bank_transfer", "bank_bin": "970418",
            "bank_account_no": "21410000123456", "bank_account_name": "Le Van Binh"}
    data.update(extra)
    return data


def test_the_shopper_asks_and_the_cooperative_accepts_and_pays(client, delivered, customer, coop_staff, coop):
    client.force_login(customer)
    page = client.get(reverse("web:order", args=[delivered.token]))
    assert _request_url(delivered) in page.content.decode()
    response = client.post(_request_url(delivered), _form(delivered))  # fresh goods: no photo, refused
    assert response.status_code == 400 and not OrderReturn.objects.exists()
    assert "ảnh" in response.content.decode()
    response = client.post(_request_url(delivered), {**_form(delivered), "photo": jpeg()})
    assert response.status_code == 302
    order_return = OrderReturn.objects.get()
    assert order_return.photo and order_return.bank_bin == "970418"
    assert f"R{order_return.pk}" in client.get(reverse("web:order", args=[delivered.token])).content.decode()

    client.force_login(coop_staff)
    page = client.get(reverse("dashboard:returns", args=[coop.pk])).content.decode()
    assert "Rau bị dập" in page and reverse("web:return_photo", args=[order_return.pk]) in page
    accept = reverse("dashboard:return_action", args=[coop.pk, order_return.pk, "accept"])
    assert client.post(accept).status_code == 302
    order_return.refresh_from_db()
    assert order_return.status == "accepted" and order_return.amount == 195_000
    page = client.get(reverse("dashboard:returns", args=[coop.pk])).content.decode()
    assert "data:image/png;base64," in page and "21410000123456" in page  # the VietQR to the shopper's account
    paid = reverse("dashboard:return_action", args=[coop.pk, order_return.pk, "paid"])
    assert client.post(paid, {"reference": "FT26123"}).status_code == 302
    assert OrderGrantedRefund.objects.get().status == "success"
    assert sum(LedgerEntry.objects.filter(kind="adjustment").values_list("amount", flat=True)) == 0


def test_another_cooperative_cannot_decide_or_see_the_photo(client, delivered, customer, other_coop_staff,
                                                            other_coop, coop, program_staff):
    client.force_login(customer)
    client.post(_request_url(delivered), {**_form(delivered), "photo": jpeg()})
    order_return = OrderReturn.objects.get()
    photo = reverse("web:return_photo", args=[order_return.pk])
    response = client.get(photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(other_coop_staff)
    assert client.get(photo).status_code == 404
    for coop_id in (other_coop.pk, coop.pk):
        url = reverse("dashboard:return_action", args=[coop_id, order_return.pk, "accept"])
        assert client.post(url).status_code in (403, 404)
    assert reverse("web:return_photo", args=[order_return.pk]) not in client.get(
        reverse("dashboard:returns", args=[other_coop.pk])).content.decode()
    order_return.refresh_from_db()
    assert order_return.status == "requested"
    client.force_login(program_staff)
    assert client.get(photo).status_code == 200
    client.logout()
    assert client.get(photo).status_code == 302  # to the login page
    assert not str(order_return.photo.name).startswith("/media/")


def test_a_non_image_photo_is_refused_on_the_page(client, delivered, customer):
    client.force_login(customer)
    fake = SimpleUploadedFile("rau.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(_request_url(delivered), {**_form(delivered), "photo": fake})
    assert response.status_code == 400 and not OrderReturn.objects.exists()


def test_only_the_orders_account_sees_the_return_page(client, delivered, other_coop_staff):
    client.force_login(other_coop_staff)
    assert client.get(_request_url(delivered)).status_code == 404


def test_the_cooperative_sets_its_return_windows(client, coop_staff, coop):
    client.force_login(coop_staff)
    url = reverse("dashboard:profile", args=[coop.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    assert (data["return_window_days"], data["fresh_return_window_hours"]) == (7, 24)
    data.update(return_window_days=14, fresh_return_window_hours=12, phone="0918 427 315")
    assert client.post(url, data).status_code == 302
    coop.refresh_from_db()
    assert (coop.return_window_days, coop.fresh_return_window_hours) == (14, 12)
    data.update(return_window_days=400)
    assert client.post(url, data).status_code == 200  # refused by the form, unchanged
    coop.refresh_from_db()
    assert coop.return_window_days == 14
