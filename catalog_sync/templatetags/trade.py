from django import template

from ..labels import unit_label

register = template.Library()


@register.filter
def unit_vi(unit: str) -> str:
    """The platform's unit in Vietnamese (`Bag` -> `bao`), for staff pages."""
    return unit_label(unit) if unit else ""
