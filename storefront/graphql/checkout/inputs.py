"""Saleor inputs to the plain values the checkout services take."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.checkout import selectors as checkout_selectors

from ..core.context import actor, set_current_channel
from ..core.ids import decode_id, decode_int_id

# Saleor's AddressInput fields (graphene's snake case) -> the address service's keys.
ADDRESS_KEYS = {
    "first_name": "first_name", "last_name": "last_name", "company_name": "company_name",
    "street_address1": "street_address_1", "street_address2": "street_address_2", "city": "city",
    "city_area": "city_area", "postal_code": "postal_code", "country": "country", "country_area": "country_area",
    "phone": "phone",
}


def enum_value(value):
    return getattr(value, "value", getattr(value, "name", value))


def address_data(address_input) -> dict:
    data = {}
    for key, target in ADDRESS_KEYS.items():
        value = address_input.get(key) if address_input is not None else None
        if value is not None:
            data[target] = str(enum_value(value))
    return data


def lines_data(lines, *, field: str = "variantId") -> list[tuple[int, int]]:
    result = []
    for line in lines or ():
        variant_id = decode_int_id(line.get("variant_id"), expected="ProductVariant", field=field)
        result.append((variant_id, line.get("quantity")))
    return result


def checkout_token_from_args(*, id=None, token=None, checkout_id=None) -> tuple[str, str]:
    """(token, field it came from) out of Saleor's three ways of naming a checkout."""
    if token is not None:
        return str(token), "token"
    if id is not None or checkout_id is not None:
        field = "id" if id is not None else "checkoutId"
        return decode_id(id if id is not None else checkout_id, expected="Checkout", field=field), field
    raise ValidationError({"id": ValidationError("Provide one of: id, token.", code="graphql_error")})


def checkout_from_args(info, *, id=None, token=None, checkout_id=None):
    """The checkout named by any of Saleor's three ways, if the actor may use it; else NOT_FOUND."""
    raw, field = checkout_token_from_args(id=id, token=token, checkout_id=checkout_id)
    checkout = checkout_selectors.checkout_for_actor(token=raw, actor=actor(info))
    if checkout is None:
        raise ValidationError({field: ValidationError(f"Couldn't resolve to a node: {raw}", code="not_found")})
    set_current_channel(info, checkout.channel)
    return checkout


def with_address_type(exc: ValidationError, address_type: str) -> ValidationError:
    """Tag address errors the way Saleor does (`addressType: SHIPPING|BILLING`)."""
    if not hasattr(exc, "error_dict"):
        return exc
    tagged = {}
    for field, errors in exc.error_dict.items():
        tagged[field] = [ValidationError(e.message, code=e.code, params={**(e.params or {}), "addressType": address_type})
                         for e in errors]
    return ValidationError(tagged)
