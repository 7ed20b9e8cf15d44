from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from storefront.account.models import ConsentRecord, User
from storefront.account.services import (account_authenticate, account_register, address_book_add,
                                         address_book_delete, address_book_set_default, address_book_update,
                                         consent_record, login_attempt_failed, login_attempt_succeeded,
                                         user_is_locked)

pytestmark = pytest.mark.django_db

CONSENT = {"data_processing": True, "marketing": False}


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_register_records_consents_with_time():
    user = account_register(email=" Lan@Example.COM ", password="Rau-sach-2026", first_name="Lan",
                            phone="0903 123 456", consents=CONSENT)
    assert user.email == "lan@example.com" and user.phone == "+84903123456"
    assert user.check_password("Rau-sach-2026")
    rows = {c.purpose: c for c in ConsentRecord.objects.filter(user=user)}
    assert set(rows) == {"data_processing", "marketing"}
    assert rows["data_processing"].granted and not rows["marketing"].granted
    assert rows["data_processing"].source == "registration" and rows["data_processing"].created_at


@pytest.mark.parametrize("kwargs, field, code", [
    ({"email": "not-an-email"}, "email", "invalid"),
    ({"email": ""}, "email", "required"),
    ({"password": "short"}, "password", "password_too_short"),
    ({"password": "12345678901"}, "password", "password_too_common"),
    ({"password": "83749201938"}, "password", "password_entirely_numeric"),
    ({"phone": "123"}, "phone", "invalid_phone"),
    ({"consents": {"data_processing": False}}, "consents", "required"),
    ({"consents": {}}, "consents", "required"),
    ({"consents": {"data_processing": True, "sell_my_data": True}}, "consents", "invalid"),
])
def test_register_rejects_bad_input_and_writes_nothing(kwargs, field, code):
    args = {"email": "an@example.com", "password": "Rau-sach-2026", "consents": CONSENT, **kwargs}
    with pytest.raises(ValidationError) as exc:
        account_register(**args)
    assert codes(exc.value) == {field: [code]}
    assert not User.objects.exists() and not ConsentRecord.objects.exists()


def test_register_refuses_a_taken_email(customer):
    with pytest.raises(ValidationError) as exc:
        account_register(email="KHACH@example.com", password="Rau-sach-2026", consents=CONSENT)
    assert codes(exc.value) == {"email": ["unique"]}


def test_consent_record_from_checkout():
    import uuid

    token = uuid.uuid4()
    row = consent_record(email="khach@example.com", purpose="share_with_sellers", granted=True, source="checkout",
                         checkout_token=token)
    assert row.user is None and row.checkout_token == token
    with pytest.raises(ValidationError):
        consent_record(email="khach@example.com", purpose="nope", granted=True, source="checkout")


def test_five_failures_lock_for_fifteen_minutes(customer):
    for _ in range(4):
        login_attempt_failed(user=customer)
    assert not user_is_locked(user=customer)
    login_attempt_failed(user=customer)
    customer.refresh_from_db()
    assert user_is_locked(user=customer)
    assert timedelta(minutes=14) < customer.locked_until - timezone.now() <= timedelta(minutes=15)
    with pytest.raises(ValidationError) as exc:
        account_authenticate(email="khach@example.com", password="Matkhau!2026")  # right password, still locked
    assert codes(exc.value) == {"email": ["login_attempt_delayed"]}
    User.objects.filter(pk=customer.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    customer.refresh_from_db()
    assert not user_is_locked(user=customer)
    assert account_authenticate(email="khach@example.com", password="Matkhau!2026") == customer
    customer.refresh_from_db()
    assert customer.failed_login_count == 0 and customer.locked_until is None


def test_authenticate_counts_wrong_passwords(customer):
    with pytest.raises(ValidationError) as exc:
        account_authenticate(email="khach@example.com", password="sai")
    assert codes(exc.value) == {"email": ["invalid_credentials"]}
    customer.refresh_from_db()
    assert customer.failed_login_count == 1
    login_attempt_succeeded(user=customer)
    customer.refresh_from_db()
    assert customer.failed_login_count == 0
    with pytest.raises(ValidationError) as exc:
        account_authenticate(email="ai-do@example.com", password="x")
    assert codes(exc.value) == {"email": ["invalid_credentials"]}


def test_address_book(customer, vn_address_data, other_coop_staff):
    first = address_book_add(actor=customer, address_data=vn_address_data)
    customer.refresh_from_db()
    assert customer.default_shipping_address == first and customer.default_billing_address == first
    assert first.country_area == "Thành phố Cần Thơ" and first.phone == "+84912345678"
    second = address_book_add(actor=customer, address_data={**vn_address_data, "street_address_1": "9 Lý Tự Trọng"})
    address_book_set_default(actor=customer, address=second, address_type="shipping")
    customer.refresh_from_db()
    assert customer.default_shipping_address == second
    address_book_update(actor=customer, address=second, address_data={**vn_address_data, "phone": "0987654321"})
    second.refresh_from_db()
    assert second.phone == "+84987654321"
    with pytest.raises(ValidationError):
        address_book_update(actor=customer, address=second, address_data={**vn_address_data, "phone": "1"})
    with pytest.raises(PermissionDenied):
        address_book_delete(actor=other_coop_staff, address=second)
    with pytest.raises(PermissionDenied):
        address_book_update(actor=other_coop_staff, address=second, address_data=vn_address_data)
    address_book_delete(actor=customer, address=second)
    customer.refresh_from_db()
    assert customer.default_shipping_address is None and list(customer.addresses.all()) == [first]


def test_address_removed_from_the_book_stays_while_a_checkout_or_order_refers_to_it(customer, vn_address_data,
                                                                                      channel):
    from storefront.account.models import Address
    from storefront.checkout.models import Checkout

    kept = address_book_add(actor=customer, address_data=vn_address_data)
    Checkout.objects.create(channel=channel, user=customer, email=customer.email, billing_address=kept)
    gone = address_book_add(actor=customer, address_data={**vn_address_data, "street_address_1": "9 Lý Tự Trọng"})
    address_book_delete(actor=customer, address=kept)
    address_book_delete(actor=customer, address=gone)
    assert list(Address.objects.filter(pk__in=[kept.pk, gone.pk])) == [kept]
    assert not customer.addresses.exists()
