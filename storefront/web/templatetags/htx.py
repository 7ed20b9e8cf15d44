"""Template helpers shared by the shop and the dashboard: money, localized fields, phone numbers."""
from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.translation import get_language

from storefront.core.money import format_vnd
from storefront.core.numbers import format_number
from storefront.core.phone import format_vn_phone

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """`1200000|vnd` -> `1.200.000 ₫`; empty for a missing price; a float is refused, not rounded."""
    if amount is None or amount == "":
        return ""
    return format_vnd(amount if isinstance(amount, float) else int(amount))


@register.filter
def number(value, decimals=3) -> str:
    """`2000.000|number` -> `2.000`, `12.5|number` -> `12,5` (storefront.core.numbers)."""
    return format_number(value, decimals=int(decimals))


@register.filter
def localized(obj, field: str) -> str:
    """The English twin (`name_en`) on English pages when it is filled, else the Vietnamese field."""
    if obj is None:
        return ""
    if (get_language() or "vi").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


@register.filter
def phone(value: str) -> str:
    return format_vn_phone(value) if value else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some keys replaced (None or "" drops a key); for pagers and sorts."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(list(params.lists()), doseq=True) if params else "?"


@register.simple_tag
def operator(key: str) -> str:
    return settings.OPERATOR.get(key, "")


@register.filter
def uses_dashboard(user) -> bool:
    from storefront.core.permissions import is_cooperative_staff, is_program_staff, is_trade_staff

    return is_program_staff(user) or is_cooperative_staff(user) or is_trade_staff(user)


@register.filter
def get_item(mapping, key):
    """`dict|get_item:key` (keys compared as strings, as form posts give them)."""
    if not mapping:
        return ()
    return mapping.get(str(key), ())


@register.filter
def is_trade_staff(user) -> bool:
    from storefront.core.permissions import is_trade_staff as trade_staff

    return trade_staff(user)


@register.filter
def standard_names(product) -> list[str]:
    """A product's standards as shoppers read them, OCOP written one way: `OCOP 4 sao` (or `OCOP` unrated)."""
    from django.utils.translation import gettext

    names = [s for s in (product.standards or []) if s != "OCOP" or not product.ocop_stars]
    if product.ocop_stars:
        names.append(gettext("OCOP %(n)s sao") % {"n": product.ocop_stars})
    return names


@register.filter
def weight(grams) -> str:
    """Grams as people read them: "750 g", "1,2 kg" (the active language's decimal mark)."""
    from storefront.product.weighing import format_weight

    return "" if grams in (None, "") else format_weight(grams)


@register.filter
def weighed_terms(line) -> str:
    """The by-weight terms of a unit of an order line (or of a variant): "khoảng 1 kg, giá tạm tính; cân
    thực tế ±10 %"; empty when sold by the unit."""
    from storefront.product.weighing import weighed_label

    if hasattr(line, "weighed_sale"):
        terms = line.weighed_sale
        return terms.label() if terms else ""
    if not getattr(line, "sold_by_weight", False):
        return ""
    return weighed_label(line.nominal_weight_g, line.weight_tolerance_percent)
