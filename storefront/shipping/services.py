"""Delivery zones and methods, set up by program staff."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from storefront.core.models import Region
from storefront.core.permissions import require_program_staff
from storefront.shipping.error_codes import ShippingErrorCode
from storefront.shipping.models import ShippingMethod, ShippingZone

# Weight bands (upper bound in grams, price VND) and delivery days per region, from the program's
# agreement with its carrier; free above 500,000 ₫. Used for a fresh shop and the demo.
DEFAULT_BANDS = ((2_000, 25_000), (5_000, 35_000), (10_000, 55_000), (20_000, 90_000), (30_000, 130_000))
DEFAULT_REGION_DAYS = {Region.NORTH: (2, 4), Region.CENTRAL: (3, 5), Region.SOUTH: (2, 4)}
DEFAULT_FREE_ABOVE = 500_000


def shipping_method_create(*, actor, zone, data: dict) -> ShippingMethod:
    require_program_staff(actor)
    errors = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = ValidationError(_("Vui lòng nhập tên."), code=ShippingErrorCode.REQUIRED.value)
    ints = {}
    for field in ("price_amount", "min_weight_g", "max_weight_g", "free_above_amount",
                  "minimum_delivery_days", "maximum_delivery_days"):
        value = data.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[field] = ValidationError(_("Phải là số nguyên không âm."), code=ShippingErrorCode.INVALID.value)
        else:
            ints[field] = value
    if "price_amount" not in ints and "price_amount" not in errors:
        errors["price_amount"] = ValidationError(_("Vui lòng nhập giá."), code=ShippingErrorCode.REQUIRED.value)
    if ints.get("max_weight_g") is not None and ints["max_weight_g"] < ints.get("min_weight_g", 0):
        errors["max_weight_g"] = ValidationError(_("Khối lượng tối đa nhỏ hơn tối thiểu."),
                                                 code=ShippingErrorCode.MAX_LESS_THAN_MIN.value)
    if ints.get("maximum_delivery_days", 3) < ints.get("minimum_delivery_days", 1):
        errors["maximum_delivery_days"] = ValidationError(_("Số ngày tối đa nhỏ hơn tối thiểu."),
                                                          code=ShippingErrorCode.MAX_LESS_THAN_MIN.value)
    method_type = data.get("type", ShippingMethod.Type.WEIGHT)
    if method_type not in ShippingMethod.Type.values:
        errors["type"] = ValidationError(_("Loại không hợp lệ."), code=ShippingErrorCode.INVALID.value)
    if errors:
        raise ValidationError(errors)
    return ShippingMethod.objects.create(zone=zone, name=name, name_en=str(data.get("name_en") or ""),
                                         type=method_type, **ints)


@transaction.atomic
def shipping_defaults_ensure(*, channel) -> list[ShippingZone]:
    """One zone per region with the default weight bands (idempotent; for seeding a shop)."""
    zones = []
    for region, (min_days, max_days) in DEFAULT_REGION_DAYS.items():
        zone, created = ShippingZone.objects.get_or_create(
            region=region.value, name=str(region.label), defaults={"description": ""}
        )
        zone.channels.add(channel)
        if created:
            lower = 0
            for upper, price in DEFAULT_BANDS:
                ShippingMethod.objects.create(
                    zone=zone, name=f"Giao tiêu chuẩn ≤ {upper // 1000} kg", name_en=f"Standard ≤ {upper // 1000} kg",
                    type=ShippingMethod.Type.WEIGHT, min_weight_g=lower, max_weight_g=upper, price_amount=price,
                    free_above_amount=DEFAULT_FREE_ABOVE, minimum_delivery_days=min_days,
                    maximum_delivery_days=max_days,
                )
                lower = upper + 1
        zones.append(zone)
    return zones
