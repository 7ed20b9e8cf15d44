"""One number format everywhere: `75.000 ₫`, `2.000 bao`, no spurious decimals, phones `0912 345 678`."""
from __future__ import annotations

from decimal import Decimal

import pytest

from storefront.core.numbers import format_number, format_tonnes


@pytest.mark.parametrize("value, text", [(Decimal("2000.000"), "2.000"), (Decimal("12.500"), "12,5"), (75000, "75.000"),
                                         (Decimal("5"), "5"), (Decimal("1E+1"), "10"), (Decimal("0.1234"), "0,123"),
                                         (None, ""), ("", "")])
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value, text", [(Decimal("0.015"), "0,015"), (Decimal("12.34567"), "12,35"),
                                         (Decimal("1234.5678"), "1.234,6"), (Decimal("80"), "80")])
def test_report_tonnes_are_rounded_to_what_matters(value, text):
    assert format_tonnes(value) == text
