"""One number format for every page, e-mail and XLSX: Vietnamese grouping (`2.000`, `12,5`), no spurious
decimals (`2000.000` is `2.000`). Django's Vietnamese format does not group thousands; Babel does."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal


def format_number(value, *, decimals: int = 3) -> str:
    """`Decimal("2000.000")` -> `2.000`; `12.5` -> `12,5`; at most `decimals` places, rounded half-up."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale="vi_VN")


def format_tonnes(value) -> str:
    """Tonnes to what a report reader needs: kilograms below one tonne, then 10 kg, then 100 kg."""
    if value is None or value == "":
        return ""
    size = abs(Decimal(value))
    return format_number(value, decimals=3 if size < 1 else 2 if size < 100 else 1)
