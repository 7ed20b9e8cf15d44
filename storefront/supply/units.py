"""Units of sale people write in the program's forms (tấn, tạ, yến, kg, bao, thùng …).

A quantity keeps the unit it was given in; only the charts convert mass units to tonnes so that bars
of different rows can stand side by side. `chục` is not accepted: in southern fruit markets it means
12–14 pieces, not 10, so a quantity in chục cannot be read back reliably.
"""
from __future__ import annotations

from decimal import Decimal

from storefront.core.text import fold

UNITS: tuple[str, ...] = (
    "tấn", "tạ", "yến", "kg", "lạng", "g",
    "lít", "ml",
    "bao", "gói", "túi", "hộp", "thùng", "hũ", "lọ", "chai", "can", "vỉ",
    "quả", "trái", "bó", "nải", "buồng", "con", "cái",
)

# Mass units in tonnes, for the charts' common scale.
TONNES_PER_UNIT: dict[str, Decimal] = {
    "tấn": Decimal(1),
    "tạ": Decimal("0.1"),
    "yến": Decimal("0.01"),
    "kg": Decimal("0.001"),
    "lạng": Decimal("0.0001"),
    "g": Decimal("0.000001"),
}

# The folded spellings are all distinct, so `tan` can stand for `tấn` on a keyboard without marks.
_BY_KEY: dict[str, str] = {fold(unit): unit for unit in UNITS}
_BY_KEY.update({"tan": "tấn", "t": "tấn", "kilogam": "kg", "kilogram": "kg", "gam": "g", "gram": "g",
                "l": "lít", "lit": "lít", "litre": "lít"})
assert len({fold(unit) for unit in UNITS}) == len(UNITS)


def normalize_unit(text: str | None) -> str | None:
    """The canonical spelling of a unit (`Tấn`, ` tan ` -> `tấn`), or None when it is not a known unit."""
    if text is None:
        return None
    return _BY_KEY.get(fold(str(text)).strip().rstrip("."))


def to_tonnes(quantity: Decimal, unit: str) -> Decimal | None:
    """`quantity` of `unit` in tonnes; None for units that are not a mass (bao, thùng, quả …)."""
    factor = TONNES_PER_UNIT.get(unit)
    return None if factor is None else quantity * factor
