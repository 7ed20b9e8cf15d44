"""Register with consent, sign in with lock-out, password reset by e-mail, address book, orders."""
import pytest
from django.core import mail
from django.urls import reverse

from storefront.account.models import ConsentRecord, User

pytestmark = pytest.mark.django_db

PASSWORD = "Matkhau!2026"


def test_register_records_consents_with_time_and_signs_in(client):
    response = client.post(reverse("web:register"), {
        "email": "moi@example.com", "last_name": "Lê", "first_name": "Hoa", "phone": "0912345678",
        "password": "Hoa-sen-2026", "consent_data": "on",
    })
    assert response.status_code == 302
    user = User.objects.get(email="moi@example.com")
    assert user.phone == "+84912345678"
    consents = {c.purpose: c for c in ConsentRecord.objects.filter(user=user)}
    assert consents["data_processing"].granted and consents["data_processing"].source == "registration"
    assert consents["data_processing"].created_at is not None
    assert consents["marketing"].granted is False
    assert client.get(reverse("web:account")).status_code == 200


def test_register_without_consent_creates_nothing(client):
    response = client.post(reverse("web:register"), {"email": "x@example.com", "password": "Hoa-sen-2026"})
    assert response.status_code == 200
    assert "consent_data" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.com").exists()


def test_register_weak_password_error_is_on_the_field(client):
    response = client.post(reverse("web:register"), {"email": "y@example.com", "password": "12345678",
                                                     "consent_data": "on"})
    assert "password" in response.context["form"].errors


def test_login_locks_after_five_failures(client, customer):
    url = reverse("web:login")
    for _ in range(5):
        response = client.post(url, {"email": customer.email, "password": "sai-mat-khau"})
        assert response.status_code in (200, 429)
    response = client.post(url, {"email": customer.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    customer.refresh_from_db()
    assert customer.locked_until is not None


def test_login_and_logout(client, customer):
    response = client.post(reverse("web:login") + "?next=/tai-khoan/", {"email": customer.email,
                                                                        "password": PASSWORD,
                                                                        "next": "/tai-khoan/"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    assert client.post(reverse("web:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_refuses_an_outside_next(client, customer):
    response = client.post(reverse("web:login"), {"email": customer.email, "password": PASSWORD,
                                                  "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("web:home")


def test_password_reset_mail_leads_to_a_new_password(client, customer):
    client.post(reverse("web:password_reset"), {"email": customer.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/tai-khoan/dat-lai/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Moi-mat-khau-9", "new_password2": "Moi-mat-khau-9"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("Moi-mat-khau-9")


def test_address_book_add_and_delete(client, customer):
    from storefront.core.models import Commune

    client.force_login(customer)
    commune = Commune.objects.filter(province_id="92").order_by("code").first()
    response = client.post(reverse("web:address_book"), {
        "last_name": "Nguyễn", "first_name": "An", "phone": "0912345678", "province": "92",
        "commune": commune.code, "street_address_1": "1 Hòa Bình"})
    assert response.status_code == 302
    address = customer.addresses.get()
    assert address.city == commune.name and address.phone == "+84912345678"
    client.post(reverse("web:address_delete", args=[address.pk]))
    assert not customer.addresses.exists()


def test_account_pages_need_sign_in(client):
    response = client.get(reverse("web:order_history"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def _place_order(customer, variant, shipping_method, channel):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_privacy_consent)

    address = {"first_name": "An", "last_name": "Nguyễn", "street_address_1": "1 Hòa Bình", "city": "Phường Ninh Kiều",
               "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
    checkout = checkout_create(channel=channel, actor=customer, email=customer.email, lines=[(variant, 1)],
                               shipping_address=address, billing_address=address)
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    checkout_privacy_consent(checkout=checkout, granted=True)
    return checkout_complete(checkout=checkout, actor=customer, payment_gateway="htx.payments.cod")


def test_order_history_and_cancel_before_shipping(client, customer, variant, shipping_method, channel):
    order = _place_order(customer, variant, shipping_method, channel)
    client.force_login(customer)
    html = client.get(reverse("web:order_history")).content.decode()
    assert f"#{order.number}" in html
    response = client.post(reverse("web:order_cancel", args=[order.pk]), {"reason": "Đặt nhầm"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "canceled"


def test_a_customer_cannot_cancel_someone_elses_order(client, customer, variant, shipping_method, channel):
    from tests.factories import make_user

    order = _place_order(customer, variant, shipping_method, channel)
    client.force_login(make_user("khac@example.com"))
    assert client.post(reverse("web:order_cancel", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status != "canceled"
