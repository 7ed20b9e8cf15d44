from decimal import Decimal

from django import template
from django.utils.formats import number_format

from storefront.supply.reports import plain

from ..supply_charts import bar_chart_svg

register = template.Library()


@register.filter
def qty(value):
    """A quantity without trailing zeros, in the reader's number format (`12,5` in Vietnamese)."""
    if value in (None, ""):
        return ""
    return number_format(plain(Decimal(value)), use_l10n=True)


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
