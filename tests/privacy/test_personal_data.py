"""Personal-data rights (Law 91/2025): download, erasure request, erasure carried out by program staff."""
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from storefront.account.models import Address, ConsentRecord, PersonalDataRequest, User
from storefront.privacy.services import (ERASED, personal_data_erase, personal_data_erasure_request,
                                              personal_data_export, personal_data_request_reject,
                                              personal_data_requests)
from storefront.account.services import address_book_add
from storefront.checkout.models import Checkout
from storefront.checkout.services import checkout_create
from storefront.core.models import AuditEntry
from storefront.order.models import Order, OrderEvent
from storefront.order.services import order_cancel
from tests.checkout.helpers import ADDRESS, codes, place_order
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(channel, product, shipping_method):
    """A customer with an address book entry, a cart, a consent, and an order delivered... or cancelled."""
    user = make_user("lan@example.com", first_name="Lan", last_name="Trần Thị", phone="+84912000111")
    address_book_add(actor=user, address_data={**ADDRESS, "first_name": "Lan", "phone": "0912000111"},
                     set_default_shipping=True)
    ConsentRecord.objects.create(user=user, email=user.email, purpose=ConsentRecord.Purpose.MARKETING,
                                 granted=True, source="registration")
    order = place_order(channel, [(product.variants.get(), 1)], actor=user, email=user.email,
                        address={**ADDRESS, "first_name": "Lan", "phone": "0912000111"})
    order_cancel(order=order, actor=user, reason="đổi ý")
    checkout_create(channel=channel, actor=user, email=user.email, lines=[(product.variants.get(), 2)])
    return user


@pytest.fixture
def neighbour(channel, product, shipping_method):
    """Another customer, who must never show up in the shopper's download or lose anything to their erasure."""
    user = make_user("quyen@example.com", first_name="Quyên")
    address_book_add(actor=user, address_data={**ADDRESS, "first_name": "Quyên", "phone": "0987654321"})
    order = place_order(channel, [(product.variants.get(), 1)], actor=user, email=user.email,
                        address={**ADDRESS, "first_name": "Quyên", "phone": "0987654321"})
    return user, order


def test_download_holds_the_shoppers_data_and_nobody_elses(shopper, neighbour):
    data = personal_data_export(actor=shopper)
    text = json.dumps(data, ensure_ascii=False)
    assert data["account"]["email"] == "lan@example.com" and data["account"]["phone"] == "+84912000111"
    assert [a["first_name"] for a in data["addresses"]] == ["Lan"]
    assert len(data["orders"]) == 1 and data["orders"][0]["total"] == Order.objects.get(user=shopper).total_amount
    assert data["orders"][0]["lines"][0]["quantity"] == 1
    assert data["orders"][0]["shipping_address"]["phone"] == "+84912000111"
    assert {c["purpose"] for c in data["consents"]} >= {"marketing", "data_processing"}
    assert data["carts"][0]["lines"][0]["quantity"] == 2
    other, other_order = neighbour
    assert "quyen@example.com" not in text and "Quyên" not in text and "987654321" not in text
    assert other_order.number not in [o["number"] for o in data["orders"]]
    done = PersonalDataRequest.objects.get(user=shopper)
    assert (done.kind, done.status) == ("export", "done")


def test_download_page_gives_json_to_the_signed_in_shopper_only(client, shopper, neighbour):
    url = reverse("web:personal_data_download")
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(shopper)
    response = client.post(url)
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "lan@example.com"
    assert "quyen@example.com" not in response.content.decode()
    assert client.get(url).status_code == 405


def test_erasure_request_from_the_account_page_once(client, shopper):
    client.force_login(shopper)
    page = client.get(reverse("web:personal_data"))
    assert page.status_code == 200 and reverse("web:personal_data_download") in page.content.decode()
    unconfirmed = client.post(reverse("web:personal_data"), {"reason": "không dùng nữa"})
    assert unconfirmed.status_code == 200 and not PersonalDataRequest.objects.exists()
    sent = client.post(reverse("web:personal_data"), {"reason": "không dùng nữa", "confirm": "on"})
    assert sent.status_code == 302
    request = PersonalDataRequest.objects.get()
    assert (request.kind, request.status, request.reason) == ("erasure", "pending", "không dùng nữa")
    with pytest.raises(ValidationError) as exc:
        personal_data_erasure_request(actor=shopper)
    assert codes(exc.value) == {"request": ["duplicated_input_item"]}
    assert PersonalDataRequest.objects.count() == 1


def test_erasure_anonymises_orders_deletes_the_rest_and_is_logged(shopper, neighbour, program_staff):
    order = Order.objects.get(user=shopper)
    total, lines = order.total_amount, list(order.lines.values_list("product_sku", "quantity", "total_price_amount"))
    book_address_id = shopper.addresses.get().pk
    request = personal_data_erasure_request(actor=shopper, reason="")
    done = personal_data_erase(actor=program_staff, request=request)

    assert not User.objects.filter(email="lan@example.com").exists()
    order.refresh_from_db()
    assert order.user is None and order.user_email.endswith("@erased.invalid") and order.customer_note == ""
    assert order.total_amount == total
    assert list(order.lines.values_list("product_sku", "quantity", "total_price_amount")) == lines
    assert order.shipping_address.first_name == ERASED and order.shipping_address.phone == ""
    assert order.shipping_address.street_address_1 == ERASED
    assert order.billing_address.phone == ""
    assert not Address.objects.filter(pk=book_address_id).exists()
    assert not ConsentRecord.objects.filter(email="lan@example.com").exists()
    assert not Checkout.objects.filter(email="lan@example.com").exists()
    assert not OrderEvent.objects.filter(order=order, parameters__email="lan@example.com").exists()
    assert not PersonalDataRequest.objects.filter(email="lan@example.com").exists()

    assert (done.status, done.handled_by, done.outcome["orders_anonymised"]) == ("done", program_staff, 1)
    assert done.outcome["addresses_deleted"] >= 1 and done.outcome["consents_deleted"] >= 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERSONAL_DATA_ERASE)
    assert entry.actor == program_staff and entry.target_id == str(done.pk)

    other, other_order = neighbour
    other.refresh_from_db()
    other_order.refresh_from_db()
    assert other_order.user == other and other_order.shipping_address.phone == "+84987654321"
    assert other.addresses.get().first_name == "Quyên"


def test_erasure_waits_for_open_orders_and_refuses_staff_accounts(channel, product, shipping_method, program_staff,
                                                                  coop_staff):
    buyer = make_user("mai@example.com")
    place_order(channel, [(product.variants.get(), 1)], actor=buyer, email=buyer.email)
    request = personal_data_erasure_request(actor=buyer)
    with pytest.raises(ValidationError) as exc:
        personal_data_erase(actor=program_staff, request=request)
    assert codes(exc.value) == {"request": ["invalid"]}
    assert User.objects.filter(pk=buyer.pk).exists() and Order.objects.get(user=buyer).user_email == buyer.email

    staff_request = personal_data_erasure_request(actor=coop_staff)
    with pytest.raises(ValidationError):
        personal_data_erase(actor=program_staff, request=staff_request)
    assert User.objects.filter(pk=coop_staff.pk).exists()


def test_only_program_staff_see_and_act_on_requests(shopper, customer, program_staff):
    request = personal_data_erasure_request(actor=shopper)
    for actor in (shopper, customer):
        with pytest.raises(PermissionDenied):
            personal_data_requests(actor=actor)
        with pytest.raises(PermissionDenied):
            personal_data_erase(actor=actor, request=request)
    assert list(personal_data_requests(actor=program_staff)) == [request]
    with pytest.raises(ValidationError) as exc:
        personal_data_request_reject(actor=program_staff, request=request, note=" ")
    assert codes(exc.value) == {"staff_note": ["required"]}
    rejected = personal_data_request_reject(actor=program_staff, request=request, note="Đang có tranh chấp")
    assert rejected.status == "rejected" and User.objects.filter(pk=shopper.pk).exists()
    with pytest.raises(ValidationError):
        personal_data_erase(actor=program_staff, request=request)  # already handled


def test_program_page_lists_requests_and_carries_out_an_erasure(client, shopper, program_staff):
    request = personal_data_erasure_request(actor=shopper, reason="chuyển đi nước ngoài")
    client.force_login(shopper)
    assert client.get(reverse("dashboard:program_data_requests")).status_code == 403
    client.force_login(program_staff)
    page = client.get(reverse("dashboard:program_data_requests"), {"status": "pending"})
    assert page.status_code == 200 and "chuyển đi nước ngoài" in page.content.decode()
    response = client.post(reverse("dashboard:program_data_request_action", args=[request.pk, "erase"]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "done" and not User.objects.filter(pk=shopper.pk).exists()
    page = client.get(reverse("dashboard:program_data_requests"))
    assert "lan@example.com" not in page.content.decode()


def test_the_shopper_sees_a_refusal_and_may_ask_again(client, shopper, program_staff):
    request = personal_data_erasure_request(actor=shopper)
    personal_data_request_reject(actor=program_staff, request=request, note="Đơn đang khiếu nại")
    client.force_login(shopper)
    page = client.get(reverse("web:personal_data")).content.decode()
    assert "Đơn đang khiếu nại" in page and 'name="confirm"' in page
    assert personal_data_erasure_request(actor=shopper).status == "pending"
