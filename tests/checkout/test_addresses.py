import pytest
from django.core.exceptions import ValidationError

from storefront.account.addresses import address_create, address_validate
from storefront.account.models import Address
from tests.checkout.helpers import codes

pytestmark = pytest.mark.django_db


def test_valid_address_is_normalised(vn_address_data):
    address = address_validate(data={**vn_address_data, "country_area": "can tho", "city": "ninh kieu",
                                     "phone": "091 234 5678"})
    assert address.pk is None
    assert address.country_area == "Thành phố Cần Thơ"
    assert address.province_id == "92"
    assert address.city == "Phường Ninh Kiều" and address.commune.province_id == "92"
    assert address.phone == "+84912345678"
    assert address.country == "VN"


@pytest.mark.parametrize("area", ["92", "Thành phố Cần Thơ", "Cần Thơ", "CAN THO"])
def test_province_by_any_name_or_code(vn_address_data, area):
    assert address_validate(data={**vn_address_data, "country_area": area}).province_id == "92"


@pytest.mark.parametrize("field,value,code", [
    ("phone", "12345", "invalid_phone"),
    ("phone", "+14155550123", "invalid_phone"),
    ("phone", "", "required"),
    ("country_area", "Atlantis", "invalid"),
    ("country_area", "", "required"),
    ("city", "Phường Ba Đình", "invalid"),  # a Hà Nội ward, not in Cần Thơ
    ("city", "", "required"),
    ("country", "US", "invalid"),
    ("street_address_1", "  ", "required"),
    ("street_address_1", "x" * 300, "invalid"),
    ("street_address_1", ["not", "text"], "invalid"),
])
def test_bad_fields_get_specific_codes_and_nothing_is_written(vn_address_data, field, value, code):
    before = Address.objects.count()
    with pytest.raises(ValidationError) as exc:
        address_create(data={**vn_address_data, field: value})
    assert code in codes(exc.value)[field]
    assert Address.objects.count() == before


def test_every_error_reported_at_once_with_prefix(vn_address_data):
    with pytest.raises(ValidationError) as exc:
        address_validate(data={**vn_address_data, "phone": "1", "country_area": "nowhere"}, field_prefix="shipping_")
    assert set(codes(exc.value)) == {"shipping_phone", "shipping_country_area"}


def test_recipient_name_required(vn_address_data):
    with pytest.raises(ValidationError) as exc:
        address_validate(data={**vn_address_data, "first_name": "", "last_name": ""})
    assert codes(exc.value) == {"first_name": ["required"]}


def test_create_saves(vn_address_data):
    address = address_create(data=vn_address_data)
    assert Address.objects.get(pk=address.pk).commune_id == address.commune_id
