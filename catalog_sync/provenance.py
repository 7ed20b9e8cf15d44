"""Where each export-profile field's value came from, and whether the shop has changed since.

Services record provenance as they write (`record_*`); the console and the dry-run diff read it
(`field_origins`, `why_text`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ExportProfile, FieldProvenance
from .ports import ProductSnapshot

Source = FieldProvenance.Source

# Profile fields copied from a shop field when the profile is created: (snapshot attribute, what staff call it).
SHOP_FIELDS = {
    "title_en": ("name_en", gettext_lazy("tên tiếng Anh của sản phẩm")),
    "description_en": ("description_en", gettext_lazy("mô tả tiếng Anh của sản phẩm")),
    "certifications": ("certifications", gettext_lazy("chứng nhận còn hiệu lực của sản phẩm và HTX")),
}
DEFAULTS = {"place_of_origin": "Vietnam", "supply_period": "Month"}
# The sandbox's certification values (what a profile may list).
PLATFORM_CERTIFICATIONS = ("VietGAP", "GlobalGAP", "OCOP", "HACCP", "ISO 22000", "Organic", "Halal", "BRC")

FIELD_LABELS = {
    "title_en": gettext_lazy("Tên tiếng Anh"), "description_en": gettext_lazy("Mô tả tiếng Anh"),
    "keywords": gettext_lazy("Từ khóa"), "remote_category": gettext_lazy("Danh mục B2B"),
    "hs_code": gettext_lazy("Mã HS"), "place_of_origin": gettext_lazy("Xuất xứ"),
    "brand_name": gettext_lazy("Thương hiệu"), "variety": gettext_lazy("Giống"), "grade": gettext_lazy("Hạng"),
    "moq": gettext_lazy("Số lượng đặt tối thiểu"), "moq_unit": gettext_lazy("Đơn vị MOQ"),
    "supply_quantity": gettext_lazy("Năng lực cung ứng"), "supply_unit": gettext_lazy("Đơn vị cung ứng"),
    "supply_period": gettext_lazy("Chu kỳ cung ứng"), "packaging": gettext_lazy("Quy cách đóng gói"),
    "port": gettext_lazy("Cảng xuất hàng"), "lead_time_days": gettext_lazy("Thời gian giao hàng (ngày)"),
    "payment_methods": gettext_lazy("Phương thức thanh toán"), "certifications": gettext_lazy("Chứng nhận"),
    "target_markets": gettext_lazy("Thị trường đã xuất khẩu"), "price_tiers": gettext_lazy("Bậc giá USD"),
}


def shop_value(field: str, snapshot: ProductSnapshot) -> str:
    """The shop's current value for a copied field, as stored text (lists as JSON)."""
    if field == "title_en":
        return snapshot.name_en[:128]
    if field == "description_en":
        return snapshot.description_en
    if field == "certifications":
        return json.dumps([c for c in snapshot.certifications if c in PLATFORM_CERTIFICATIONS])
    raise KeyError(field)


def shop_field_value(field: str, snapshot: ProductSnapshot):
    """The same, as the profile field stores it."""
    text = shop_value(field, snapshot)
    return json.loads(text) if field == "certifications" else text


def record_created(profile: ExportProfile, snapshot: ProductSnapshot, *, category_rule: str) -> None:
    rows = [FieldProvenance(profile=profile, field=name, source=Source.SHOP, shop_field=attr,
                            shop_value=shop_value(name, snapshot)) for name, (attr, _label) in SHOP_FIELDS.items()]
    rows += [FieldProvenance(profile=profile, field=name, source=Source.DEFAULT) for name in DEFAULTS]
    if category_rule:
        rows.append(FieldProvenance(profile=profile, field="remote_category", source=Source.COMPUTED,
                                    rule=category_rule[:255]))
    FieldProvenance.objects.bulk_create(rows, ignore_conflicts=True)


def record_set_by_staff(profile: ExportProfile, fields, *, actor, snapshot: ProductSnapshot | None) -> None:
    now = timezone.now()
    for name in fields:
        shop = SHOP_FIELDS.get(name)
        FieldProvenance.objects.update_or_create(profile=profile, field=name, defaults={
            "source": Source.STAFF, "set_by": actor, "set_at": now, "rule": "",
            "shop_field": shop[0] if shop else "",
            "shop_value": shop_value(name, snapshot) if shop and snapshot is not None else ""})


def record_taken_from_shop(profile: ExportProfile, field: str, snapshot: ProductSnapshot, *, actor) -> None:
    FieldProvenance.objects.update_or_create(profile=profile, field=field, defaults={
        "source": Source.SHOP, "set_by": actor, "set_at": timezone.now(), "rule": "",
        "shop_field": SHOP_FIELDS[field][0], "shop_value": shop_value(field, snapshot)})


def record_computed(profile: ExportProfile, field: str, *, rule: str, actor=None) -> None:
    FieldProvenance.objects.update_or_create(profile=profile, field=field, defaults={
        "source": Source.COMPUTED, "set_by": actor, "set_at": timezone.now(), "rule": rule[:255],
        "shop_field": "", "shop_value": ""})


@dataclass(frozen=True)
class FieldOrigin:
    field: str
    label: str
    source: str  # a FieldProvenance.Source value, or "" when never set
    why: str  # plain text for staff
    shop_changed: bool = False  # the shop's value differs from the one copied or overridden
    shop_now: str = ""  # the shop's value now (display text), when it changed


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")


def why_text(row: FieldProvenance | None) -> str:
    if row is None:
        return _("Chưa đặt (để trống)")
    if row.source == Source.STAFF:
        who = row.set_by.email if row.set_by_id and row.set_by else _("một cán bộ")
        return _("Do %(who)s đặt lúc %(when)s") % {"who": who, "when": _when(row.set_at)}
    if row.source == Source.SHOP:
        label = dict((attr, label) for attr, label in SHOP_FIELDS.values()).get(row.shop_field, row.shop_field)
        text = _("Sao chép từ %(field)s trên cửa hàng") % {"field": label}
        if row.set_by_id and row.set_by:
            text += " " + _("(%(who)s lấy lại lúc %(when)s)") % {"who": row.set_by.email, "when": _when(row.set_at)}
        return text
    if row.source == Source.COMPUTED:
        return _("Tính tự động: %(rule)s") % {"rule": row.rule}
    return _("Giá trị mặc định")


def _display(field: str, text: str) -> str:
    if field == "certifications":
        return ", ".join(json.loads(text or "[]")) or "—"
    return text or "—"


def field_origins(profile: ExportProfile, snapshot: ProductSnapshot | None) -> dict[str, FieldOrigin]:
    """Every profile field's origin for the console; shop-derived fields say whether the shop changed since."""
    rows = {r.field: r for r in profile.provenance.select_related("set_by")}
    out = {}
    for name, label in FIELD_LABELS.items():
        row = rows.get(name)
        changed, now = False, ""
        if row is not None and name in SHOP_FIELDS and snapshot is not None and row.source in (Source.SHOP,
                                                                                                Source.STAFF):
            current = shop_value(name, snapshot)
            changed = current != row.shop_value
            now = _display(name, current) if changed else ""
        out[name] = FieldOrigin(field=name, label=str(label), source=row.source if row else "", why=why_text(row),
                                shop_changed=changed, shop_now=now)
    return out
