"""Which listings should be online, and why the others should not (pure)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .ports import ProductSnapshot

DESELECTED = "deselected"
PRODUCT_GONE = "product_gone"
UNPUBLISHED = "unpublished"
OUT_OF_STOCK = "out_of_stock"
COOPERATIVE_SUSPENDED = "cooperative_suspended"
COMBO = "combo"

REASON_LABELS = {
    DESELECTED: _("Không còn được chọn"),
    PRODUCT_GONE: _("Sản phẩm đã bị xóa"),
    UNPUBLISHED: _("Sản phẩm ngừng đăng bán"),
    OUT_OF_STOCK: _("Hết hàng"),
    COOPERATIVE_SUSPENDED: _("HTX bị tạm ngừng"),
    COMBO: _("Combo không xuất khẩu"),
}


def offline_reason(*, selected: bool, snapshot: ProductSnapshot | None) -> str:
    """Empty when the listing should be online; otherwise the first reason it must not be."""
    if not selected:
        return DESELECTED
    if snapshot is None:
        return PRODUCT_GONE
    if snapshot.is_combo:
        return COMBO
    if not snapshot.cooperative_selling:
        return COOPERATIVE_SUSPENDED
    if not snapshot.is_published:
        return UNPUBLISHED
    if snapshot.quantity_available <= 0:
        return OUT_OF_STOCK
    return ""
