"""The dry-run diff as trade staff read it: per changed field, its Vietnamese name, old and new value as plain
text (no dicts, no HTML) and why it changed."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import provenance

ACTION_LABELS = {
    "add": gettext_lazy("Đăng mới"),
    "update": gettext_lazy("Cập nhật"),
    "online": gettext_lazy("Hiển thị lại"),
    "offline": gettext_lazy("Gỡ khỏi sàn"),
    "recover": gettext_lazy("Xác nhận lần đăng chưa rõ kết quả"),
    "blocked": gettext_lazy("Chưa sẵn sàng"),
    "wait": gettext_lazy("Chờ"),
    "none": gettext_lazy("Không đổi"),
    "rollback": gettext_lazy("Khôi phục phiên bản cũ"),
}

# Listing paths -> (label, the profile fields they are built from; "shop:<what>" for shop data).
PATHS = {
    "subject": (gettext_lazy("Tên tiếng Anh"), ("title_en",)),
    "keywords": (gettext_lazy("Từ khóa"), ("keywords",)),
    "category_id": (gettext_lazy("Danh mục B2B"), ("remote_category",)),
    "description": (gettext_lazy("Mô tả"), ("description_en", "certifications", "target_markets",
                                           "shop:certificates")),
    "main_image": (gettext_lazy("Ảnh"), ("shop:images",)),
    "sourcing_trade.fob_currency": (gettext_lazy("Tiền tệ"), ()),
    "sourcing_trade.fob_min_price": (gettext_lazy("Giá FOB thấp nhất (USD)"), ("price_tiers",)),
    "sourcing_trade.fob_max_price": (gettext_lazy("Giá FOB cao nhất (USD)"), ("price_tiers",)),
    "sourcing_trade.fob_unit_type": (gettext_lazy("Đơn vị tính giá"), ("moq_unit",)),
    "sourcing_trade.min_order_quantity": (gettext_lazy("Số lượng đặt tối thiểu"), ("moq",)),
    "sourcing_trade.min_order_unit_type": (gettext_lazy("Đơn vị MOQ"), ("moq_unit",)),
    "sourcing_trade.supply_quantity": (gettext_lazy("Năng lực cung ứng"), ("supply_quantity",)),
    "sourcing_trade.supply_unit_type": (gettext_lazy("Đơn vị cung ứng"), ("supply_unit",)),
    "sourcing_trade.supply_period_type": (gettext_lazy("Chu kỳ cung ứng"), ("supply_period",)),
    "sourcing_trade.payment_methods": (gettext_lazy("Phương thức thanh toán"), ("payment_methods",)),
    "sourcing_trade.delivery_port": (gettext_lazy("Cảng xuất hàng"), ("port",)),
    "sourcing_trade.packaging_desc": (gettext_lazy("Quy cách đóng gói"), ("packaging",)),
    "sourcing_trade.deliver_periods": (gettext_lazy("Thời gian giao hàng"), ("lead_time_days", "moq")),
    "bulk_discount_prices": (gettext_lazy("Bậc giá USD"), ("price_tiers",)),
}
ATTRIBUTES = {
    "Place of Origin": (gettext_lazy("Xuất xứ"), ("place_of_origin",)),
    "HS Code": (gettext_lazy("Mã HS"), ("hs_code",)),
    "Certification": (gettext_lazy("Chứng nhận"), ("certifications", "shop:certificates")),
    "Brand Name": (gettext_lazy("Thương hiệu"), ("brand_name",)),
    "Variety": (gettext_lazy("Giống"), ("variety",)),
    "Grade": (gettext_lazy("Hạng"), ("grade",)),
    "Shelf Life": (gettext_lazy("Hạn sử dụng"), ("shop:shelf_life",)),
    "Model Number": (gettext_lazy("Mã sản phẩm"), ("shop:model_number",)),
}
SHOP_REASONS = {
    "shop:images": gettext_lazy("Ảnh sản phẩm trên cửa hàng thay đổi"),
    "shop:certificates": gettext_lazy("Chứng nhận trong kho chứng nhận của HTX thay đổi (thêm, gia hạn hoặc hết "
                                      "hạn)"),
    "shop:shelf_life": gettext_lazy("Hạn sử dụng của sản phẩm trên cửa hàng thay đổi"),
    "shop:model_number": gettext_lazy("Mã sản phẩm do HTX Market đặt"),
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    why: str


def _html_text(value: str) -> str:
    text = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", value)
    text = re.sub(r"<li>", "• ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


def value_text(path: str, value, category_names: dict | None = None) -> str:
    """A listing value as plain text."""
    if value in (None, "", [], {}):
        return "—"
    if path == "category_id" and category_names:
        return category_names.get(value) or str(value)
    if path == "description":
        return _html_text(str(value))
    if path == "main_image":
        images = value.get("images", []) if isinstance(value, dict) else []
        names = [str(u).rsplit("/", 1)[-1] for u in images]
        return _("%(n)d ảnh: %(names)s") % {"n": len(names), "names": ", ".join(names)}
    if path == "bulk_discount_prices":
        return "; ".join(_("từ %(q)s: %(p)s USD") % {"q": t.get("start_quantity"), "p": t.get("price")}
                         for t in value)
    if path == "sourcing_trade.deliver_periods":
        return "; ".join(_("%(d)s ngày cho %(q)s") % {"d": p.get("process_period"), "q": p.get("quantity")}
                         for p in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(k, v)}" for k, v in sorted(value.items()))
    return str(value)


def _flatten(listing: dict) -> dict[str, object]:
    """Listing paths as PATHS and ATTRIBUTES name them; attributes keyed by name, not position."""
    out: dict[str, object] = {}
    for key, value in (listing or {}).items():
        if key == "attributes":
            for attr in value or ():
                out[f"attributes.{attr.get('attribute_name')}"] = attr.get("value_name")
        elif key == "sourcing_trade" and isinstance(value, dict):
            for sub, sub_value in value.items():
                out[f"sourcing_trade.{sub}"] = sub_value
        elif key not in ("language", "product_type"):
            out[key] = value
    return out


def _why(sources: tuple[str, ...], origins: dict, reason: str, restored_label: str) -> str:
    if reason == "rolled_back":
        return restored_label or _("Khôi phục phiên bản đã đăng trước đây")
    parts = []
    for source in sources:
        if source.startswith("shop:"):
            parts.append(str(SHOP_REASONS[source]))
            continue
        origin = origins.get(source)
        if origin is None or (not origin.source and len(sources) > 1):
            continue
        text = f"{origin.label}: {origin.why}"
        if origin.shop_changed:
            text += " — " + _("cửa hàng đã đổi sau đó")
        parts.append(text)
    return "; ".join(dict.fromkeys(parts)) or _("Nội dung do HTX Market dựng lại")


def readable_diff(old: dict, new: dict, *, origins: dict | None = None, reason: str = "",
                  restored_label: str = "", category_names: dict | None = None) -> list[FieldChange]:
    """Per changed field of two listings: label, old and new as plain text, and why (from `origins`, the
    profile's `provenance.field_origins`)."""
    origins = origins or {}
    before, after = _flatten(old), _flatten(new)
    out = []
    for path in sorted(set(before) | set(after), key=_order):
        a, b = before.get(path), after.get(path)
        if a == b:
            continue
        if path.startswith("attributes."):
            name = path.split(".", 1)[1]
            label, sources = ATTRIBUTES.get(name, (name, ()))
        else:
            label, sources = PATHS.get(path, (path, ()))
        out.append(FieldChange(label=str(label), old=value_text(path, a, category_names),
                               new=value_text(path, b, category_names),
                               why=_why(sources, origins, reason, restored_label)))
    return out


_ORDER = list(PATHS)


def _order(path: str) -> tuple:
    if path in _ORDER:
        return (0, _ORDER.index(path), path)
    return (1, 0, path)


def origins_for(profile, snapshot) -> dict:
    return provenance.field_origins(profile, snapshot)
