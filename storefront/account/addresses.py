"""Vietnamese addresses from Saleor's AddressInput: validated, normalised, then stored.

Vietnam has two tiers since July 2025: `country_area` is the province (any name a person types,
stored as its full official name) and `city` is the commune/ward of that province (stored as its
official name). The phone becomes E.164. Every problem is reported at once, keyed by field, so a
form can show them in place; nothing is written until the whole address is valid.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from storefront.account.error_codes import AccountErrorCode
from storefront.account.models import Address
from storefront.core.geo import find_commune, find_province
from storefront.core.phone import normalize_vn_phone

ADDRESS_FIELDS = (
    "first_name", "last_name", "company_name", "street_address_1", "street_address_2", "city", "city_area",
    "postal_code", "country", "country_area", "phone",
)
_MAX_LENGTHS = {name: Address._meta.get_field(name).max_length for name in ADDRESS_FIELDS}


def _clean_text(value) -> str | None:
    """Strip a text value; None for values that are not text at all (lists, dicts, numbers…)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return " ".join(str(value).split())


def address_validate(*, data: dict, field_prefix: str = "") -> Address:
    """An unsaved `Address` built from `data`, or `ValidationError` listing every bad field."""
    if not isinstance(data, dict):
        raise ValidationError({f"{field_prefix}address": ValidationError(
            _("Địa chỉ không hợp lệ."), code=AccountErrorCode.INVALID.value)})
    errors: dict[str, list[ValidationError]] = {}

    def fail(field: str, message: str, code: AccountErrorCode) -> None:
        errors.setdefault(f"{field_prefix}{field}", []).append(ValidationError(message, code=code.value))

    cleaned: dict[str, str] = {}
    for name in ADDRESS_FIELDS:
        value = _clean_text(data.get(name))
        if value is None:
            fail(name, _("Giá trị không hợp lệ."), AccountErrorCode.INVALID)
            continue
        if len(value) > _MAX_LENGTHS[name]:
            fail(name, _("Tối đa %(n)d ký tự.") % {"n": _MAX_LENGTHS[name]}, AccountErrorCode.INVALID)
            continue
        cleaned[name] = value
    unknown = set(data) - set(ADDRESS_FIELDS) - {"id"}
    if unknown:
        fail("address", _("Trường không được hỗ trợ: %(names)s") % {"names": ", ".join(sorted(unknown))},
             AccountErrorCode.INVALID)

    if "first_name" in cleaned and "last_name" in cleaned and not (cleaned["first_name"] or cleaned["last_name"]):
        fail("first_name", _("Vui lòng nhập tên người nhận."), AccountErrorCode.REQUIRED)
    if "street_address_1" in cleaned and not cleaned["street_address_1"]:
        fail("street_address_1", _("Vui lòng nhập số nhà, đường hoặc thôn/ấp."), AccountErrorCode.REQUIRED)

    country = (cleaned.get("country") or "VN").upper()
    if "country" in cleaned and country != "VN":
        fail("country", _("Chỉ giao hàng trong Việt Nam."), AccountErrorCode.INVALID)

    province = commune = None
    if "country_area" in cleaned:
        if not cleaned["country_area"]:
            fail("country_area", _("Vui lòng chọn tỉnh/thành phố."), AccountErrorCode.REQUIRED)
        else:
            province = find_province(cleaned["country_area"])
            if province is None:
                fail("country_area", _("Không tìm thấy tỉnh/thành phố: %(value)s") % {"value": cleaned["country_area"]},
                     AccountErrorCode.INVALID)
    if "city" in cleaned:
        if not cleaned["city"]:
            fail("city", _("Vui lòng chọn xã/phường."), AccountErrorCode.REQUIRED)
        elif province is not None:
            commune = find_commune(province, cleaned["city"])
            if commune is None:
                fail("city", _("%(commune)s không thuộc %(province)s.") % {
                    "commune": cleaned["city"], "province": province.full_name}, AccountErrorCode.INVALID)

    phone = ""
    if "phone" in cleaned:
        if not cleaned["phone"]:
            fail("phone", _("Vui lòng nhập số điện thoại."), AccountErrorCode.REQUIRED)
        else:
            try:
                phone = normalize_vn_phone(cleaned["phone"], field="phone", code=AccountErrorCode.INVALID_PHONE.value)
            except ValidationError as exc:
                for error in exc.error_dict["phone"]:
                    errors.setdefault(f"{field_prefix}phone", []).append(error)

    if errors:
        raise ValidationError(errors)
    return Address(
        first_name=cleaned["first_name"],
        last_name=cleaned["last_name"],
        company_name=cleaned["company_name"],
        street_address_1=cleaned["street_address_1"],
        street_address_2=cleaned["street_address_2"],
        city=commune.name,
        city_area=cleaned["city_area"],
        postal_code=cleaned["postal_code"],
        country="VN",
        country_area=province.full_name,
        phone=phone,
        province=province,
        commune=commune,
    )


def address_create(*, data: dict, field_prefix: str = "") -> Address:
    address = address_validate(data=data, field_prefix=field_prefix)
    address.save()
    return address


def address_as_data(address: Address) -> dict:
    """The AddressInput dict of a stored address (to copy it into a checkout or a form)."""
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}
