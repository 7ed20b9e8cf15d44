"""The shop's template filters are the project's formatters, reached from templates."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storefront.core.money import format_vnd
from storefront.web.templatetags.htx import vnd


@settings(max_examples=50)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_vnd_filter_is_the_vnd_formatter(amount):
    assert vnd(amount) == vnd(str(amount)) == format_vnd(amount)


@pytest.mark.parametrize("amount,text", [(0, "0 ₫"), (999, "999 ₫"), (1000, "1.000 ₫"), (195_000, "195.000 ₫"),
                                         (1_200_000, "1.200.000 ₫"), (-5000, "-5.000 ₫"),
                                         (10**12, "1.000.000.000.000 ₫")])
def test_vnd_groups_thousands_with_dots(amount, text):
    assert format_vnd(amount) == text


def test_vnd_filter_is_empty_for_a_missing_price_and_refuses_floats():
    assert vnd(None) == "" and vnd("") == ""
    assert vnd("1200000") == "1.200.000 ₫"
    with pytest.raises(TypeError):
        vnd(1.5)


def test_number_and_phone_filters_share_the_shop_format():
    from decimal import Decimal

    from storefront.web.templatetags.htx import number, phone, vnd

    assert number(Decimal("2000.000")) == "2.000" and number(Decimal("0.5")) == "0,5" and number(None) == ""
    assert number(Decimal("26350.5"), 2) == "26.350,5"
    assert vnd(75000) == "75.000 ₫" and phone("+84912345678") == "0912 345 678"
