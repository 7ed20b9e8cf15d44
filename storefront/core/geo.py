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


def find_commune(province: Province, text: str | None) -> Commune | None:
    """A commune/ward of `province` by code, full name (`Xã Kế Sách`) or bare name (`Ke Sach`)."""
    if not text:
        return None
    raw = str(text).strip()
    if raw.isdigit():
        return Commune.objects.filter(province=province, code=raw.zfill(5)).first()
    key = _key(raw)
    candidates = list(Commune.objects.filter(province=province))
    for commune in candidates:
        if _key(commune.name) == key:
            return commune
    for commune in candidates:
        bare = _key(commune.name).split(" ", 1)[-1]
        if bare == key or (commune.kind == "dac_khu" and _key(commune.name)[len("dac khu "):] == key):
            return commune
    return None


def clear_caches() -> None:
    _province_index.cache_clear()
