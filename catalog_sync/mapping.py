"""Shop product + export terms -> B2B listing (pure: no database, no network).

The platform rules checked here are those of the protocol notes (§4.1, §4.3, §8.4); readiness
reports every problem at once, per field, so staff can fix them in one pass.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from anyascii import anyascii
from django.utils.translation import gettext as _

from .ports import ProductSnapshot

CENT = Decimal("0.01")
MIN_IMAGE_PX = 640
MAX_IMAGES = 6
MAX_SUBJECT = 128
MAX_KEYWORDS = 3
MAX_KEYWORD_LEN = 64
MAX_DESCRIPTION = 60000
MAX_TIERS = 4
MAX_PACKAGING = 512
MAX_PORT = 64
MAX_ATTR_VALUE = 70
MIN_PRICE = Decimal("0.01")
MAX_PRICE = Decimal("9999999.00")
HS_CODE_RE = re.compile(r"^\d{6,10}$")
ASCII_PRINTABLE_RE = re.compile(r"^[\x20-\x7e]*$")

# Enumerations of the platform (protocol notes §4.4; the sandbox's lists until the FAQ is obtained).
UNITS = ("Piece", "Kilogram", "Gram", "Metric Ton", "Ton", "Pound", "Bag", "Box", "Carton", "Pack", "Set",
         "Liter", "Dozen", "Twenty-Foot Container", "Forty-Foot Container")
PERIODS = ("Day", "Week", "Month", "Quarter", "Year")
PAYMENT_METHODS = ("L/C", "D/A", "D/P", "T/T", "Western Union", "MoneyGram", "Other")
MARKETS = ("Russia", "United Kingdom", "Netherlands", "China", "Australia", "Germany", "Japan", "South Korea",
           "United States", "France", "Singapore", "United Arab Emirates")


def round_cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def suggest_price_usd(*, price_vnd: int, vnd_per_usd: Decimal, margin_percent: Decimal) -> Decimal:
    """VND ÷ rate × (1 + margin), rounded half-up to the cent only at the end."""
    if isinstance(price_vnd, float) or isinstance(vnd_per_usd, float) or isinstance(margin_percent, float):
        raise TypeError("money is never a float")
    if Decimal(vnd_per_usd) <= 0:
        raise ValueError("exchange rate must be positive")
    raw = Decimal(int(price_vnd)) / Decimal(vnd_per_usd) * (1 + Decimal(margin_percent) / 100)
    return round_cents(raw)


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    price_usd: Decimal


@dataclass(frozen=True)
class CategoryRules:
    id: int
    name: str
    is_leaf: bool = True
    required_attributes: tuple[str, ...] = ()
    # attribute name -> allowed values (select attributes only)
    allowed_values: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportTerms:
    """The export profile as plain data."""

    selected: bool
    title_en: str = ""
    description_en: str = ""
    keywords: tuple[str, ...] = ()
    category: CategoryRules | None = None
    hs_code: str = ""
    place_of_origin: str = "Vietnam"
    brand_name: str = ""
    variety: str = ""
    grade: str = ""
    moq: int | None = None
    moq_unit: str = ""
    supply_quantity: int | None = None
    supply_unit: str = ""
    supply_period: str = "Month"
    packaging: str = ""
    port: str = ""
    lead_time_days: int | None = None
    payment_methods: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    target_markets: tuple[str, ...] = ()
    tiers: tuple[Tier, ...] = ()
    prices_confirmed: bool = False


BLOCK, WARN = "block", "warn"


@dataclass(frozen=True)
class Diagnostic:
    field: str
    code: str
    message: str
    severity: str = BLOCK  # WARN: shown to staff, does not stop the publish

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK


def exported_certifications(terms: ExportTerms, snapshot: ProductSnapshot) -> tuple[str, ...]:
    """The profile's certifications less those whose vault certificates have all ended (withdrawn)."""
    ended = snapshot.expired_certifications
    return tuple(c for c in terms.certifications if c not in ended) if ended else tuple(terms.certifications)


def certificate_diagnostics(terms: ExportTerms, snapshot: ProductSnapshot, *, today: date,
                            warn_days: int) -> list[Diagnostic]:
    """Warnings about the certificates a listing relies on: ended (withdrawn from the listing; if its category
    requires a certification, readiness blocks on the missing attribute) or ending within `warn_days`, that is
    before the next syncs would notice."""
    out = []
    for kind in terms.certifications:
        if kind in snapshot.expired_certifications:
            out.append(Diagnostic("certifications", "certificate_expired", _(
                "Chứng nhận %(kind)s của sản phẩm đã hết hạn: đồng bộ sẽ gỡ chứng nhận này khỏi sản phẩm trên sàn "
                "cho đến khi hợp tác xã tải lên bản gia hạn.") % {"kind": kind}, WARN))
    for ref in snapshot.certificates:
        if ref.kind in terms.certifications and ref.valid_until and (ref.valid_until - today).days <= warn_days:
            out.append(Diagnostic("certifications", "certificate_expiring", _(
                "Chứng nhận %(kind)s số %(number)s hết hạn ngày %(date)s (còn %(days)d ngày): sau ngày đó đồng bộ "
                "sẽ gỡ nó khỏi sản phẩm trên sàn.") % {"kind": ref.label or ref.kind, "number": ref.number,
                                                       "date": ref.valid_until.strftime("%d/%m/%Y"),
                                                       "days": (ref.valid_until - today).days}, WARN))
    return out


def readiness(terms: ExportTerms, snapshot: ProductSnapshot, *, min_image_px: int = MIN_IMAGE_PX,
              today: date | None = None, cert_warn_days: int = 7) -> list[Diagnostic]:
    """Every reason this listing cannot be published as it stands (none that `blocks` = ready), and warnings."""
    out: list[Diagnostic] = certificate_diagnostics(terms, snapshot, today=today or date.today(),
                                                    warn_days=cert_warn_days)

    def add(field_name: str, code: str, message: str) -> None:
        out.append(Diagnostic(field_name, code, message))

    title = terms.title_en.strip()
    if not title:
        add("title_en", "required", _("Thiếu tên sản phẩm tiếng Anh."))
    else:
        if len(title) > MAX_SUBJECT:
            add("title_en", "max_length",
                _("Tên tiếng Anh dài %(n)d ký tự, quá giới hạn %(max)d của sàn.") % {"n": len(title),
                                                                                       "max": MAX_SUBJECT})
        if not ASCII_PRINTABLE_RE.match(title):
            add("title_en", "ascii", _("Tên tiếng Anh chỉ được dùng ký tự ASCII (không dấu)."))
    keywords = [k.strip() for k in terms.keywords if k.strip()]
    if not keywords:
        add("keywords", "required", _("Cần ít nhất 1 từ khóa tiếng Anh."))
    elif len(keywords) > MAX_KEYWORDS:
        add("keywords", "max_items", _("Sàn nhận tối đa %(max)d từ khóa.") % {"max": MAX_KEYWORDS})
    for keyword in keywords:
        if len(keyword) > MAX_KEYWORD_LEN or "," in keyword or ";" in keyword or not ASCII_PRINTABLE_RE.match(keyword):
            add("keywords", "invalid",
                _("Từ khóa \"%(k)s\" không hợp lệ (ASCII, tối đa 64 ký tự, không có dấu phẩy/chấm phẩy).")
                % {"k": keyword[:40]})
    if len(terms.description_en) > MAX_DESCRIPTION:
        add("description_en", "max_length", _("Mô tả tiếng Anh vượt 60.000 ký tự."))
    if terms.category is None:
        add("remote_category", "required", _("Chưa chọn danh mục B2B."))
    elif not terms.category.is_leaf:
        add("remote_category", "not_leaf", _("Danh mục B2B phải là danh mục cuối (lá)."))
    if not terms.hs_code:
        add("hs_code", "required", _("Thiếu mã HS."))
    elif not HS_CODE_RE.match(terms.hs_code):
        add("hs_code", "invalid", _("Mã HS phải gồm 6 đến 10 chữ số."))
    attributes = {name: value for name, value in listing_attributes(terms, snapshot)}
    if terms.category is not None:
        for name in terms.category.required_attributes:
            if not attributes.get(name):
                add(_attribute_field(name), "required",
                    _("Danh mục này bắt buộc thuộc tính \"%(name)s\".") % {"name": name})
        for name, allowed in terms.category.allowed_values.items():
            value = attributes.get(name)
            if not value:
                continue
            values = [v.strip() for v in value.split(",")] if name == "Certification" else [value]
            lowered = {a.lower() for a in allowed}
            for v in values:
                if v.lower() not in lowered:
                    add(_attribute_field(name), "not_allowed",
                        _("\"%(value)s\" không thuộc các giá trị sàn chấp nhận cho \"%(name)s\": %(allowed)s.")
                        % {"value": v, "name": name, "allowed": ", ".join(allowed)})
    for name, value in attributes.items():
        if len(value) > MAX_ATTR_VALUE or not ASCII_PRINTABLE_RE.match(value):
            add(_attribute_field(name), "invalid",
                _("Giá trị \"%(name)s\" phải là ASCII, tối đa 70 ký tự.") % {"name": name})
    if not terms.moq or terms.moq < 1:
        add("moq", "required", _("Thiếu số lượng đặt tối thiểu (MOQ)."))
    if terms.moq_unit not in UNITS:
        add("moq_unit", "invalid", _("Đơn vị MOQ không thuộc danh sách của sàn."))
    if not terms.supply_quantity:
        add("supply_quantity", "required", _("Thiếu năng lực cung ứng."))
    if terms.supply_unit not in UNITS:
        add("supply_unit", "invalid", _("Đơn vị năng lực cung ứng không thuộc danh sách của sàn."))
    if terms.supply_period not in PERIODS:
        add("supply_period", "invalid", _("Chu kỳ cung ứng không hợp lệ."))
    if len(terms.packaging) > MAX_PACKAGING or not ASCII_PRINTABLE_RE.match(terms.packaging):
        add("packaging", "invalid", _("Quy cách đóng gói phải là ASCII, tối đa 512 ký tự."))
    if not terms.port:
        add("port", "required", _("Thiếu cảng xuất hàng."))
    elif len(terms.port) > MAX_PORT or not ASCII_PRINTABLE_RE.match(terms.port):
        add("port", "invalid", _("Tên cảng phải là ASCII, tối đa 64 ký tự."))
    if not terms.lead_time_days:
        add("lead_time_days", "required", _("Thiếu thời gian giao hàng (ngày)."))
    for method in terms.payment_methods:
        if method not in PAYMENT_METHODS:
            add("payment_methods", "invalid", _("Phương thức thanh toán \"%(m)s\" không hợp lệ.") % {"m": method})
    out.extend(tier_diagnostics(terms.tiers, moq=terms.moq))
    if terms.tiers and not terms.prices_confirmed:
        add("price_tiers", "unconfirmed", _("Giá USD gợi ý chưa được xác nhận."))
    if not snapshot.images:
        add("images", "required", _("Sản phẩm chưa có ảnh."))
    for index, image in enumerate(snapshot.images[:MAX_IMAGES]):
        if max(image.width, image.height) < min_image_px:
            add("images", "too_small",
                _("Ảnh %(i)d (%(w)d×%(h)d px) nhỏ hơn mức tối thiểu %(min)d px của sàn.")
                % {"i": index + 1, "w": image.width, "h": image.height, "min": min_image_px})
    return out


def tier_diagnostics(tiers: tuple[Tier, ...] | list[Tier], *, moq: int | None) -> list[Diagnostic]:
    out = []
    if not tiers:
        return [Diagnostic("price_tiers", "required", _("Chưa có bậc giá USD."))]
    if len(tiers) > MAX_TIERS:
        out.append(Diagnostic("price_tiers", "max_items", _("Sàn nhận tối đa 4 bậc giá khi đăng mới.")))
    previous: Tier | None = None
    for tier in tiers:
        if not 1 <= tier.min_quantity <= 99999:
            out.append(Diagnostic("price_tiers", "quantity_range", _("Số lượng của bậc giá phải từ 1 đến 99.999.")))
        if not MIN_PRICE <= tier.price_usd <= MAX_PRICE or tier.price_usd != round_cents(tier.price_usd):
            out.append(Diagnostic("price_tiers", "price_range",
                                  _("Giá USD phải từ 0,01 đến 9.999.999,00 với tối đa 2 chữ số thập phân.")))
        if previous is not None:
            if tier.min_quantity <= previous.min_quantity:
                out.append(Diagnostic("price_tiers", "not_ascending", _("Số lượng các bậc giá phải tăng dần.")))
            if tier.price_usd > previous.price_usd:
                out.append(Diagnostic("price_tiers", "price_increases",
                                      _("Giá của bậc số lượng lớn hơn không được cao hơn bậc trước.")))
        previous = tier
    if moq and tiers[0].min_quantity != moq:
        out.append(Diagnostic("price_tiers", "first_tier_moq", _("Bậc giá đầu tiên phải bắt đầu từ MOQ.")))
    return out


def _attribute_field(name: str) -> str:
    return {"HS Code": "hs_code", "Certification": "certifications", "Place of Origin": "place_of_origin",
            "Brand Name": "brand_name", "Variety": "variety", "Grade": "grade"}.get(name, "attributes")


def listing_attributes(terms: ExportTerms, snapshot: ProductSnapshot) -> list[tuple[str, str]]:
    attrs = [("Place of Origin", terms.place_of_origin), ("Model Number", snapshot.model_number)]
    if terms.hs_code:
        attrs.append(("HS Code", terms.hs_code))
    certifications = exported_certifications(terms, snapshot)
    if certifications:
        attrs.append(("Certification", ", ".join(certifications)))
    if terms.brand_name:
        attrs.append(("Brand Name", terms.brand_name))
    if terms.variety:
        attrs.append(("Variety", terms.variety))
    if terms.grade:
        attrs.append(("Grade", terms.grade))
    if snapshot.shelf_life_days:
        attrs.append(("Shelf Life", f"{snapshot.shelf_life_days} days"))
    return [(n, v) for n, v in attrs if v]


def exported_certificates(terms: ExportTerms, snapshot: ProductSnapshot) -> list:
    """Vault certificates in force of the kinds the profile exports (what buyers are shown in detail)."""
    kinds = set(exported_certifications(terms, snapshot))
    return [ref for ref in snapshot.certificates if ref.kind in kinds]


def certificate_line(ref, file_url: str = "") -> str:
    """One certificate as the buyer reads it: kind, number, issuer, validity (ISO dates), and the document."""
    text = f"{ref.kind} No. {anyascii(ref.number)}"
    if ref.issuer:
        text += f", issued by {anyascii(ref.issuer)}"
    if ref.valid_from and ref.valid_until:
        text += f", valid {ref.valid_from.isoformat()} to {ref.valid_until.isoformat()}"
    elif ref.valid_until:
        text += f", valid until {ref.valid_until.isoformat()}"
    return text + (f" (document: {file_url})" if file_url else "")


def description_html(terms: ExportTerms, snapshot: ProductSnapshot,
                     certificate_urls: dict[str, str] | None = None) -> str:
    paragraphs = [p.strip() for p in terms.description_en.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    facts = [("Producer", anyascii(snapshot.cooperative_name))]
    if snapshot.origin_province_en:
        facts.append(("Origin", f"{snapshot.origin_province_en}, Vietnam"))
    certifications = exported_certifications(terms, snapshot)
    if certifications:
        facts.append(("Certifications", ", ".join(certifications)))
    if terms.target_markets:
        facts.append(("Exported to", ", ".join(terms.target_markets)))
    rows = "".join(f"<li><b>{html.escape(k)}:</b> {html.escape(v)}</li>" for k, v in facts if v)
    certificates = exported_certificates(terms, snapshot)
    urls = certificate_urls or {}
    certificate_rows = "".join(f"<li>{html.escape(certificate_line(ref, urls.get(ref.file_hash, '')))}</li>"
                               for ref in certificates)
    return (body + (f"<ul>{rows}</ul>" if rows else "")
            + (f"<h3>Certificates</h3><ul>{certificate_rows}</ul>" if certificate_rows else ""))


def build_listing(terms: ExportTerms, snapshot: ProductSnapshot, image_urls: list[str],
                  certificate_urls: dict[str, str] | None = None) -> dict:
    """Business parameters of `product.add` / `product.update` (objects as dicts; the client serialises).
    `certificate_urls`: platform file URL of each certificate scan, by content hash."""
    tiers = list(terms.tiers)
    prices = [t.price_usd for t in tiers]
    sourcing = {
        "fob_currency": "USD",
        "fob_min_price": f"{min(prices):.2f}" if prices else "",
        "fob_max_price": f"{max(prices):.2f}" if prices else "",
        "fob_unit_type": terms.moq_unit,
        "min_order_quantity": str(terms.moq or ""),
        "min_order_unit_type": terms.moq_unit,
        "supply_quantity": str(terms.supply_quantity or ""),
        "supply_unit_type": terms.supply_unit,
        "supply_period_type": terms.supply_period,
        "payment_methods": list(terms.payment_methods),
        "delivery_port": terms.port,
        "packaging_desc": terms.packaging,
    }
    if terms.lead_time_days:
        sourcing["deliver_periods"] = [{"quantity": terms.moq or 1, "process_period": terms.lead_time_days}]
    sourcing = {k: v for k, v in sourcing.items() if v not in ("", [], None)}
    listing = {
        "category_id": terms.category.id if terms.category else None,
        "language": "ENGLISH",
        "product_type": "sourcing",
        "subject": terms.title_en.strip(),
        "keywords": [k.strip() for k in terms.keywords if k.strip()],
        "main_image": {"images": list(image_urls[:MAX_IMAGES]), "watermark": False},
        "description": description_html(terms, snapshot, certificate_urls),
        "attributes": [{"attribute_name": n, "value_name": v} for n, v in listing_attributes(terms, snapshot)],
        "sourcing_trade": sourcing,
        "bulk_discount_prices": [{"start_quantity": t.min_quantity, "price": f"{t.price_usd:.2f}"} for t in tiers],
    }
    return listing


def content_hash(listing: dict) -> str:
    canonical = json.dumps(listing, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def listing_diff(old: dict, new: dict, prefix: str = "") -> list[tuple[str, object, object]]:
    """Field-level differences `(path, old, new)` between two listings, nested objects flattened."""
    out: list[tuple[str, object, object]] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        path = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            out.extend(listing_diff(a, b, prefix=path + "."))
        elif a != b:
            out.append((path, a, b))
    return out
