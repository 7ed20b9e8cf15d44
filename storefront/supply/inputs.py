"""Reading the fields of a supply form or API input into typed values, collecting every error.

Values may arrive as Python values (from a service caller) or as strings (from a form or an imported
sheet). Each reader records a specific error under its field and returns None, so one submission
reports all of its mistakes at once and nothing is written.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .error_codes import SupplyErrorCode
from .models import ProductGroup
from .units import UNITS, normalize_unit

MAX_QUANTITY = Decimal("99999999999")  # fits DecimalField(max_digits=14, decimal_places=3)
_MISSING = object()


class FieldErrors:
    def __init__(self) -> None:
        self.errors: dict[str, ValidationError] = {}

    def add(self, field: str, message: str, code: SupplyErrorCode) -> None:
        self.errors.setdefault(field, ValidationError(message, code=code.value))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(data: dict, field: str, errors: FieldErrors, *, required: bool = False, max_length: int = 255,
         default: str = "") -> str | None:
    value = data.get(field, default)
    if _blank(value):
        if required:
            errors.add(field, _("Trường này là bắt buộc."), SupplyErrorCode.REQUIRED)
            return None
        return ""
    value = " ".join(str(value).split()) if max_length <= 255 else str(value).strip()
    if len(value) > max_length:
        errors.add(field, _("Tối đa %(n)d ký tự.") % {"n": max_length}, SupplyErrorCode.INVALID)
        return None
    return value


def decimal(data: dict, field: str, errors: FieldErrors, *, required: bool = True, default=_MISSING,
            places: int = 3, positive: bool = False, expected: str = "") -> Decimal | None:
    """A non-negative number (strictly positive with `positive`) with at most `places` decimals; `expected` says
    what the field wants when its value is not a number.

    Accepts `12.5` and the Vietnamese `12,5`; a thousands-grouped `1.200` is ambiguous and refused."""
    not_a_number = expected or _("Giá trị phải là một số, ví dụ 12,5 hoặc 1200.")
    value = data.get(field, _MISSING)
    if value is _MISSING or _blank(value):
        if required and default is _MISSING:
            errors.add(field, _("Trường này là bắt buộc."), SupplyErrorCode.REQUIRED)
            return None
        return None if default is _MISSING else default
    if isinstance(value, bool) or isinstance(value, float) and value != value:
        errors.add(field, not_a_number, SupplyErrorCode.INVALID)
        return None
    try:
        if isinstance(value, str):
            raw = value.strip().replace(" ", "")
            if raw.count(",") == 1 and "." not in raw:
                raw = raw.replace(",", ".")
            number = Decimal(raw)
        else:
            number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, not_a_number, SupplyErrorCode.INVALID)
        return None
    if not number.is_finite():
        errors.add(field, not_a_number, SupplyErrorCode.INVALID)
        return None
    if number < 0:
        errors.add(field, _("Số lượng không được âm."), SupplyErrorCode.INVALID_QUANTITY)
        return None
    if positive and number == 0:
        errors.add(field, _("Số lượng phải lớn hơn 0."), SupplyErrorCode.INVALID_QUANTITY)
        return None
    if number > MAX_QUANTITY:
        errors.add(field, _("Số quá lớn."), SupplyErrorCode.INVALID_QUANTITY)
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        errors.add(field, _("Tối đa %(n)d chữ số thập phân.") % {"n": places}, SupplyErrorCode.INVALID)
        return None
    return number.quantize(Decimal(1).scaleb(-places)) if places else number


def unit(data: dict, field: str, errors: FieldErrors) -> str | None:
    value = data.get(field)
    if _blank(value):
        errors.add(field, _("Hãy chọn đơn vị tính."), SupplyErrorCode.REQUIRED)
        return None
    canonical = normalize_unit(value)
    if canonical is None:
        errors.add(field, _("Đơn vị tính “%(unit)s” không được hỗ trợ. Dùng một trong: %(units)s.")
                   % {"unit": value, "units": ", ".join(UNITS)}, SupplyErrorCode.INVALID_UNIT)
    return canonical


def date(data: dict, field: str, errors: FieldErrors, *, required: bool = True,
         default: datetime.date | None = None) -> datetime.date | None:
    value = data.get(field)
    if _blank(value):
        if required and default is None:
            errors.add(field, _("Hãy nhập ngày."), SupplyErrorCode.REQUIRED)
        return default
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = None
    raw = str(value).strip()
    try:
        parsed = parse_date(raw)
        if parsed is None:
            parsed = datetime.datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        parsed = None
    if parsed is None:
        errors.add(field, _("Ngày không hợp lệ (dùng dạng 2026-11-20 hoặc 20/11/2026)."), SupplyErrorCode.INVALID)
    return parsed


def choice(data: dict, field: str, errors: FieldErrors, choices, *, required: bool = True) -> str | None:
    value = data.get(field)
    if _blank(value):
        if required:
            errors.add(field, _("Trường này là bắt buộc."), SupplyErrorCode.REQUIRED)
        return None
    value = getattr(value, "value", value)
    if value not in {c.value for c in choices}:
        errors.add(field, _("Giá trị “%(value)s” không hợp lệ.") % {"value": value}, SupplyErrorCode.INVALID)
        return None
    return value


def product_group(data: dict, field: str, errors: FieldErrors, *, fallback: str | None = None) -> str | None:
    if _blank(data.get(field)) and fallback:
        return fallback
    return choice(data, field, errors, ProductGroup)


def date_range(start, end, errors: FieldErrors, *, max_days: int = 366):
    """Both ends of an inclusive period, the right way round and at most `max_days` long."""
    data = {"date_from": start, "date_to": end}
    date_from = date(data, "date_from", errors)
    date_to = date(data, "date_to", errors)
    if date_from and date_to:
        if date_from > date_to:
            errors.add("date_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."),
                       SupplyErrorCode.INVALID_DATE_RANGE)
        elif (date_to - date_from).days >= max_days:
            errors.add("date_to", _("Khoảng thời gian tối đa %(n)d ngày.") % {"n": max_days},
                       SupplyErrorCode.INVALID_DATE_RANGE)
    return date_from, date_to
