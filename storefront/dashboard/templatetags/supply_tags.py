from decimal import Decimal

from django import template
from storefront.core.numbers import format_number

from storefront.supply.reports import plain

from ..supply_charts import bar_chart_svg

register = template.Library()


@register.filter
def qty(value):
    """A quantity without trailing zeros, grouped as everywhere in the shop (`2.000`, `12,5`)."""
    return format_number(value)


@register.filter
def thousands(value):
    """A whole-dong price shown in thousand dong, as the program's forms do."""
    if value in (None, ""):
        return ""
    return qty(Decimal(value) / 1000)


@register.simple_tag
def bar_chart(chart):
    return bar_chart_svg(chart)


@register.filter
def cell(row, channel):
    return row.cells[channel]
