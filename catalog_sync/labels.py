"""Vietnamese names of the platform's English values, for the pages cooperatives read (their staff need
not read the B2B catalog's English to answer a buyer)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

UNIT_LABELS = {
    "Piece": _("cái"), "Kilogram": _("kg"), "Gram": _("g"), "Metric Ton": _("tấn"), "Ton": _("tấn"),
    "Pound": _("pound"), "Bag": _("bao"), "Box": _("hộp"), "Carton": _("thùng"), "Pack": _("gói"), "Set": _("bộ"),
    "Liter": _("lít"), "Dozen": _("tá"), "Twenty-Foot Container": _("container 20 feet"),
    "Forty-Foot Container": _("container 40 feet"),
}

COUNTRY_LABELS = {
    "Russia": _("Nga"), "United Kingdom": _("Anh"), "Netherlands": _("Hà Lan"), "China": _("Trung Quốc"),
    "Australia": _("Úc"), "Germany": _("Đức"), "Japan": _("Nhật Bản"), "South Korea": _("Hàn Quốc"),
    "United States": _("Hoa Kỳ"), "USA": _("Hoa Kỳ"), "France": _("Pháp"), "Singapore": _("Singapore"),
    "United Arab Emirates": _("Các Tiểu vương quốc Ả Rập Thống nhất"), "Vietnam": _("Việt Nam"),
}


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def country_label(country: str) -> str:
    return str(COUNTRY_LABELS.get(country, country))
