"""What catalog_sync needs from the shop, as plain data, so mapping and sync never touch shop models.

`source.py` is the one implementation over the Django models; tests of the pure parts build
snapshots by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol


# Slots: a sync holds one snapshot and its images per selected product (tens of thousands of objects).
@dataclass(frozen=True, slots=True)
class ImageRef:
    media_id: int
    content_hash: str  # sha256 of the stored original: images are prepared/uploaded once per content
    width: int
    height: int
    alt: str = ""
    url: str = ""  # where the shop serves the original (for previews)


@dataclass(frozen=True, slots=True)
class CertificateRef:
    """A certificate in the cooperative's vault that covers the product and has not expired."""

    certification_id: int
    kind: str  # the platform's name for it (VietGAP, Organic, Halal …)
    number: str
    issuer: str
    valid_from: date | None
    valid_until: date | None
    file_hash: str  # sha256 of the stored scan: the platform copy is uploaded once per content
    file_type: str  # pdf | jpeg | png
    label: str = ""  # as the shop names it, e.g. "OCOP 4 sao", "Hữu cơ USDA"


@dataclass(frozen=True, slots=True)
class ProductSnapshot:
    product_id: int
    cooperative_id: int
    cooperative_name: str
    cooperative_selling: bool
    name: str
    name_en: str
    description: str
    description_en: str
    category_id: int | None
    category_name: str
    category_name_en: str
    is_published: bool
    is_combo: bool
    price_vnd: int | None  # cheapest variant price in the export channel, whole dong
    quantity_available: int
    unit_label: str = ""
    net_quantity: str = ""  # Decimal as text, e.g. "5.000"
    net_unit: str = ""
    weight_g: int | None = None
    shelf_life_days: int | None = None
    origin_province_en: str = ""
    standards: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()  # valid certificates of the product or its cooperative
    images: tuple[ImageRef, ...] = field(default_factory=tuple)
    updated_at: datetime | None = None
    certificates: tuple[CertificateRef, ...] = ()  # vault certificates in force, by end date
    # Platform names of kinds whose every vault certificate covering the product has ended: the sync withdraws
    # them from the listing.
    expired_certifications: tuple[str, ...] = ()

    @property
    def model_number(self) -> str:
        """Our stable reference stored on the platform (attribute "Model Number" = `red_model`)."""
        return model_number_for(self.product_id)


def model_number_for(product_id: int) -> str:
    return f"HTX-P-{product_id:06d}"


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


class CatalogSource(Protocol):
    def snapshots(self, product_ids: list[int]) -> dict[int, ProductSnapshot]: ...

    def candidate_ids(self, *, query: str = "", cooperative_id: int | None = None,
                      category_id: int | None = None, limit: int | None = None) -> list[int]: ...

    def cooperatives(self) -> list[Choice]: ...

    def categories(self) -> list[Choice]: ...

    def image_bytes(self, media_id: int) -> bytes: ...

    def certificate_bytes(self, certification_id: int) -> bytes: ...

    def require_trade_staff(self, user) -> None: ...

    def audit_record(self, *, actor, action: str, target, changes: dict) -> None:
        """Log a trade-staff action in the shop's audit log (actions: `AUDIT_*` in services)."""

    def is_trade_staff(self, user) -> bool: ...

    def cooperative_ids_of(self, user) -> set[int]: ...

    def product_edit_url(self, product_id: int) -> str: ...

    def product_ids_by_sku(self, skus: list[str]) -> dict[str, int]: ...

    def sample_catalog(self) -> dict: ...

    def a_trade_staff_user(self): ...

    def cooperative_email(self, cooperative_id: int) -> str: ...
