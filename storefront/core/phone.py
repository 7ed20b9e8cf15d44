"""Vietnamese phone numbers, validated with `phonenumbers` and stored in E.164 (`+84…`)."""
from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_vn_phone(raw: str, *, field: str = "phone", code: str = "INVALID_PHONE") -> str:
    try:
        number = phonenumbers.parse(str(raw or "").strip(), "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number) or number.country_code != 84:
        raise ValidationError(
            {field: ValidationError(_("Số điện thoại Việt Nam không hợp lệ: %(value)s") % {"value": raw}, code=code)}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_vn_phone(e164: str) -> str:
    """`+84912345678` -> `0912 345 678`."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164
