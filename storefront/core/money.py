"""Money helpers. VND is a whole number of dong (int); USD is a Decimal with 2 places."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

VND = "VND"
# Babel's format_currency parses its pattern on every call (~20 µs); a page formats dozens of
# prices, mostly the same few hundred amounts, so the pattern is parsed once and results are kept.
_VND_PATTERN = parse_pattern("#,##0 ¤")
_VIETNAMESE = Locale.parse("vi_VN")


@lru_cache(maxsize=8192)
def _vnd(amount: int) -> str:
    return _VND_PATTERN.apply(amount, _VIETNAMESE, currency=VND).replace("\xa0", " ")


def format_vnd(amount: int) -> str:
    """`1200000` -> `1.200.000 ₫`, the one VND formatter (pages, mails, descriptions), in
    Vietnamese grouping even on the English pages: prices are VND."""
    if isinstance(amount, float):
        raise TypeError("VND amounts are integers, never floats")
    return _vnd(int(amount))


def percent_of(amount: int, percent: Decimal | str) -> int:
    """`percent`% of a VND amount, rounded half-up to the dong."""
    return int((Decimal(amount) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
