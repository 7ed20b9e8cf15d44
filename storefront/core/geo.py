"""Selectors over the 2025 divisions: find a province by any name or code a person might type."""
from __future__ import annotations

from functools import lru_cache

from .models import Commune, Province
from .text import fold

_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")


def _key(text: str) -> str:
    key = fold(text).replace("-", " ")
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
    return " ".join(key.split())


@lru_cache(maxsize=1)
def _province_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for p in Province.objects.all():
        for name in (p.code, p.name, p.full_name, p.name_ascii, p.name_en):
            index[_key(name)] = p.code
        index[_key(p.name_en.replace(" City", ""))] = p.code
    index.update({"hcm": "79", "tp hcm": "79", "tphcm": "79", "sai gon": "79", "ho chi minh": "79", "hn": "01"})
    return index


def find_province(text: str | None) -> Province | None:
    """By full name, short name, ASCII name, English name or two-digit code."""
    if not text:
        return None
    raw = str(text).strip()
    if raw.isdigit() and len(raw) <= 2:
        raw = raw.zfill(2)
    code = _province_index().get(_key(raw))
    return Province.objects.filter(code=code).first() if code else None


@lru_cache(maxsize=64)
def _commune_index(province_code: str) -> dict[str, str]:
    """Folded full name and bare name (without "Xã"/"Phường"/"Đặc khu") -> commune code.

    The full name wins over a bare name that two communes of the province share."""
    full: dict[str, str] = {}
    bare: dict[str, str] = {}
    for code, name in Commune.objects.filter(province_id=province_code).order_by("code").values_list("code", "name"):
        key = _key(name)
        full[key] = code
        for prefix in ("xa ", "phuong ", "dac khu "):
            if key.startswith(prefix):
                bare.setdefault(key[len(prefix):], code)
    return {**bare, **full}


def find_commune(province: Province, text: str | None) -> Commune | None:
    """A commune/ward of `province` by code, full name (`Xã Kế Sách`) or bare name (`Ke Sach`)."""
    if not text:
        return None
    raw = str(text).strip()
    if raw.isdigit():
        return Commune.objects.filter(province=province, code=raw.zfill(5)).first()
    code = _commune_index(province.code).get(_key(raw))
    return Commune.objects.filter(code=code).first() if code else None
