"""Money helpers. VND is a whole number of dong (int); USD is a Decimal with 2 places."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency

VND = "VND"
USD = "USD"
CENT = Decimal("0.01")

_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def format_vnd(amount: int, language: str = "vi") -> str:
    """`1200000` -> `1.200.000 ₫` (Vietnamese grouping even on the English pages: prices are VND)."""
    if isinstance(amount, float):
        raise TypeError("VND amounts are integers, never floats")
    return format_currency(int(amount), VND, locale="vi_VN", format="#,##0 ¤").replace("\xa0", " ")


def format_usd(amount: Decimal, language: str = "en") -> str:
    return format_currency(Decimal(amount), USD, locale=_LOCALES.get(language, "en_US"))


def round_usd(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: int, percent: Decimal | str) -> int:
    """`percent`% of a VND amount, rounded half-up to the dong."""
    return int((Decimal(amount) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
