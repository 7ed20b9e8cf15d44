"""Horizontal bar charts drawn as inline SVG on the server: no script, readable without CSS, and
the numbers are in the markup (each bar has a <title> and a text label) for screen readers."""
from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from storefront.core.numbers import format_number, format_tonnes

LABEL_WIDTH = 260
BAR_AREA = 300
VALUE_WIDTH = 110
ROW_HEIGHT = 26
BAR_HEIGHT = 16


# At font-size 12 a Vietnamese label averages about 6.6 px a character: longer ones are shortened (the full
# label stays in the bar's <title>) so that none runs off the left edge of the drawing.
LABEL_CHARS = int((LABEL_WIDTH - 16) / 6.6)


def _number(value: Decimal, unit: str) -> str:
    return format_tonnes(value) if unit == "tấn" else format_number(value)


def _fit(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def bar_chart_svg(chart, *, css_class: str = "supply-chart") -> SafeString:
    """`chart` is a reports.Chart: a title, a unit and labelled values."""
    bars = chart.bars
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = ROW_HEIGHT * max(len(bars), 1) + 8
    top = max((bar.value for bar in bars), default=Decimal(0))
    rows = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        length = int(BAR_AREA * bar.value / top) if top > 0 else 0
        value_text = f"{_number(bar.value, chart.unit)} {chart.unit}"
        rows.append((
            LABEL_WIDTH - 8, y + BAR_HEIGHT - 3, _fit(bar.label),
            LABEL_WIDTH, y, max(length, 1 if bar.value > 0 else 0), BAR_HEIGHT, bar.label, value_text,
            LABEL_WIDTH + length + 6, y + BAR_HEIGHT - 3, value_text,
        ))
    body = format_html_join(
        "\n",
        '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#2f7d32"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text>',
        rows,
    )
    if not bars:
        body = format_html('<text x="8" y="18" font-size="12">{}</text>', _("Chưa có số liệu."))
    return format_html(
        '<figure class="{}"><figcaption>{} ({})</figcaption>'
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" style="max-width:100%;height:auto">{}</svg></figure>',
        css_class, chart.title, chart.unit, chart.title, width, height, width, height, body,
    )
