"""Vietnamese text folding for slugs and accent-free search.

`đ`/`Đ` are letters of their own, not d + a mark, so NFD alone leaves them; anyascii folds them
(and every other precomposed vowel) the way a Vietnamese reader expects: `Đắk Lắk` -> `Dak Lak`.
"""
from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case ASCII form of `text` used as a search key (`Gạo ST25` -> `gao st25`)."""
    if not text:
        return ""
    ascii_text = anyascii(unicodedata.normalize("NFC", str(text)))
    return _SPACES.sub(" ", ascii_text.lower()).strip()


def vn_slugify(text: str, *, max_length: int = 200) -> str:
    return slugify(fold(text))[:max_length].strip("-")


def search_terms(query: str | None) -> list[str]:
    """Words of a user's query, folded; empty words dropped."""
    return [word for word in fold(query).split(" ") if word]
