"""Which delivery methods reach a province, and what they cost for a given weight and subtotal.

A zone lists provinces or names a region (north, central, south). A zone that lists the province
itself is more specific than one covering its region, so when any zone lists the province only
those zones' methods are offered. Weight-band methods apply when the parcel falls in their band;
price-type methods ignore weight. A method is free when the subtotal reaches its threshold.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from storefront.shipping.models import ShippingMethod, ShippingZone


@dataclass(frozen=True)
class ShippingMethodQuote:
    method: ShippingMethod
    price: int  # VND after the free-shipping threshold
    minimum_delivery_days: int
    maximum_delivery_days: int

    @property
    def id(self) -> int:
        return self.method.pk

    @property
    def name(self) -> str:
        return self.method.name


def _methods_for(*, channel, province) -> list[ShippingMethod]:
    """Methods of the zones reaching `province`, in one query; province-listing zones win."""
    listed = ShippingZone.provinces.through.objects.filter(shippingzone_id=OuterRef("zone_id"), province_id=province.pk)
    methods = list(
        ShippingMethod.objects.filter(zone__channels=channel)
        .filter(Q(zone__region=province.region) | Exists(listed))
        .annotate(province_listed=Exists(listed))
        .order_by("pk")
    )
    specific = [m for m in methods if m.province_listed]
    return specific or methods


def quote(method: ShippingMethod, *, weight_g: int, subtotal: int) -> ShippingMethodQuote | None:
    """The price of `method` for this parcel, or None when the parcel is outside its weight band."""
    if method.type == ShippingMethod.Type.WEIGHT:
        if weight_g < method.min_weight_g or (method.max_weight_g is not None and weight_g > method.max_weight_g):
            return None
    free = method.free_above_amount is not None and subtotal >= method.free_above_amount
    return ShippingMethodQuote(
        method=method,
        price=0 if free else int(method.price_amount),
        minimum_delivery_days=method.minimum_delivery_days,
        maximum_delivery_days=method.maximum_delivery_days,
    )


def shipping_methods_for(*, channel, province, weight_g: int, subtotal: int) -> list[ShippingMethodQuote]:
    """Applicable methods, cheapest first (then fastest)."""
    if province is None:
        return []
    methods = _methods_for(channel=channel, province=province)
    quotes = [q for q in (quote(m, weight_g=weight_g, subtotal=subtotal) for m in methods) if q is not None]
    return sorted(quotes, key=lambda q: (q.price, q.maximum_delivery_days, q.method.pk))
