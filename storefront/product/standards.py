"""The production and quality standards a product can show, and how people spell them.

Products store the canonical names (`Certification.Type` values plus two export marks); anything
typed or imported (`ISO22000`, `ORGANIC`, `globalg.a.p.`, `OCOP 4 sao`) is mapped onto them.
"""
from __future__ import annotations

import re

from storefront.core.text import fold

OCOP = "OCOP"
STANDARDS: tuple[str, ...] = (
    "VietGAP", "VietGAHP", "GlobalGAP", OCOP, "HACCP", "ISO 22000", "Organic", "ATTP", "GI", "4C", "MVT",
)
OCOP_STARS = (3, 4, 5)

_KEYS = {re.sub(r"[^a-z0-9]", "", fold(name)): name for name in STANDARDS}
_KEYS.update({"huuco": "Organic", "chidandialy": "GI", "iso22000": "ISO 22000"})
_OCOP_WITH_STARS = re.compile(r"^ocop\s*(\d)\s*(sao|stars?)?$")


def parse_standard(text: str) -> tuple[str | None, int | None]:
    """(canonical name, OCOP stars) for one spelling; (None, None) when unknown."""
    folded = fold(text)
    match = _OCOP_WITH_STARS.match(folded)
    if match:
        return OCOP, int(match.group(1))
    return _KEYS.get(re.sub(r"[^a-z0-9]", "", folded)), None


def standard_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
