"""Saleor's discount inputs to the plain values the discount services take."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from storefront.discount.error_codes import DiscountErrorCode

from ..checkout.inputs import enum_value
from ..core.ids import decode_int_id


def lower(value):
    value = enum_value(value)
    return str(value).lower() if value is not None else None


def one_id(ids, *, expected: str, field: str):
    """The pk of the one object a list of IDs names (ours limit a discount to one product or category)."""
    ids = list(ids or [])
    if not ids:
        return None
    if len(ids) > 1:
        raise ValidationError({field: ValidationError(
            _("Chỉ chọn được một mục."), code=DiscountErrorCode.DUPLICATED_INPUT_ITEM.value)})
    return decode_int_id(ids[0], expected=expected, field=field, code=DiscountErrorCode.NOT_FOUND.value)


def optional_id(value, *, expected: str, field: str):
    if value in (None, ""):
        return None
    return decode_int_id(value, expected=expected, field=field, code=DiscountErrorCode.NOT_FOUND.value)
