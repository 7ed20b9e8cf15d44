"""The shop's template filters agree with the project's formatters they stand in for."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storefront.core.money import format_vnd
from storefront.web.templatetags.htx import vnd, vnd_text


@settings(max_examples=50)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_hand_formatted_vnd_equals_babel(amount):
    assert vnd_text(amount) == format_vnd(amount)


@pytest.mark.parametrize("amount", [0, 1, 999, 1000, 195_000, 1_200_000, -5000, 10**12])
def test_hand_formatted_vnd_equals_babel_at_group_edges(amount):
    assert vnd_text(amount) == format_vnd(amount)


def test_vnd_filter_is_empty_for_a_missing_price_and_refuses_floats():
    assert vnd(None) == "" and vnd("") == ""
    assert vnd("1200000") == "1.200.000 ₫"
    with pytest.raises(TypeError):
        vnd_text(1.5)


def test_number_and_phone_filters_share_the_shop_format():
    from decimal import Decimal

    from storefront.web.templatetags.htx import number, phone, vnd

    assert number(Decimal("2000.000")) == "2.000" and number(Decimal("0.5")) == "0,5" and number(None) == ""
    assert number(Decimal("26350.5"), 2) == "26.350,5"
    assert vnd(75000) == "75.000 ₫" and phone("+84912345678") == "0912 345 678"
