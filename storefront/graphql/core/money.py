"""Saleor's Money, TaxedMoney and ranges as plain dicts (VND amounts are whole dong).

Prices here include VAT as sold; Saleor's `net`/`gross` are both the selling price and `tax` zero,
which is how Saleor itself answers when a channel charges no separate tax.
"""
from __future__ import annotations

from decimal import Decimal

_FRACTION_DIGITS = {"VND": 0, "USD": 2}


def money(amount, currency: str = "VND") -> dict:
    digits = _FRACTION_DIGITS.get(currency, 2)
    exact = Decimal(amount)
    return {
        "currency": currency,
        "amount": float(exact),
        "fractionalAmount": int(exact * (10 ** digits)),
        "fractionDigits": digits,
    }


def taxed_money(amount, currency: str = "VND") -> dict:
    gross = money(amount, currency)
    return {"currency": currency, "gross": gross, "net": gross, "tax": money(0, currency)}


def taxed_money_range(start, stop, currency: str = "VND") -> dict | None:
    if start is None:
        return None
    return {"start": taxed_money(start, currency), "stop": taxed_money(stop, currency)}
