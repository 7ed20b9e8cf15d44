"""Typed request and response objects of the Alibaba client (protocol doc §3, §4, §8.5).

Money is Decimal (USD), never float. Requests serialise themselves to the wire form (``to_params``);
responses parse both the simplified and the unwrapped TOP shapes (``from_api``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, Iterable, TypeVar

GMT8 = timezone(timedelta(hours=8))
MODEL_NUMBER = "Model Number"
T = TypeVar("T")


class ProductStatus(StrEnum):
    SKETCH = "sketch"
    NEW = "new"  # under review (first publication)
    MODIFIED = "modified"  # under review (after an update)
    APPROVED = "approved"
    TBD = "tbd"  # failed review


# -- helpers ---------------------------------------------------------------------------------------
def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _money(value: Decimal | str | int, name: str) -> str:
    if isinstance(value, float):
        raise TypeError(f"{name}: use Decimal or str for money, not float")
    amount = Decimal(str(value))
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{name}: {value!r} must be a finite amount with at most 2 decimals")
    return format(amount, "f")


def _dec(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _int(value: Any, default: int = 0) -> int:
    if value in (None, ""):
        return default
    return int(str(value))


def _list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), list):
        return next(iter(value.values()))
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]


def parse_time(text: Any) -> datetime | None:
    """Platform dates are `yyyy-MM-dd HH:mm:ss` in GMT+8."""
    if not text:
        return None
    try:
        return datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S").replace(tzinfo=GMT8)
    except ValueError:
        return None


def format_time(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(GMT8).strftime("%Y-%m-%d %H:%M:%S")


# -- categories ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    category_id: int
    name: str
    level: int
    leaf: bool
    parent_ids: tuple[int, ...] = ()
    child_ids: tuple[int, ...] = ()

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "Category":
        return cls(category_id=_int(d.get("category_id")), name=str(d.get("name") or ""),
                   level=_int(d.get("level")), leaf=bool(d.get("leaf_category")),
                   parent_ids=tuple(_int(v) for v in _list(d.get("parent_ids"))),
                   child_ids=tuple(_int(v) for v in _list(d.get("child_ids"))))


@dataclass(frozen=True)
class CategoryNode:
    category: Category
    children: tuple["CategoryNode", ...] = ()

    def walk(self) -> Iterable[Category]:
        yield self.category
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[Category]:
        return [c for c in self.walk() if c.leaf]


@dataclass(frozen=True)
class AttributeValue:
    attr_value_id: int
    en_name: str


@dataclass(frozen=True)
class CategoryAttribute:
    attr_id: int
    en_name: str
    required: bool
    input_type: str
    show_type: str
    value_type: str
    customize_value: bool
    values: tuple[AttributeValue, ...] = ()
    units: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "CategoryAttribute":
        return cls(attr_id=_int(d.get("attr_id")), en_name=str(d.get("en_name") or ""),
                   required=bool(d.get("required")), input_type=str(d.get("input_type") or ""),
                   show_type=str(d.get("show_type") or ""), value_type=str(d.get("value_type") or ""),
                   customize_value=bool(d.get("customize_value")),
                   values=tuple(AttributeValue(_int(v.get("attr_value_id")), str(v.get("en_name") or ""))
                                for v in _list(d.get("attribute_values"))),
                   units=tuple(str(u) for u in _list(d.get("units"))))


# -- photo bank --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadedImage:
    file_id: int
    file_name: str
    url: str

    @classmethod
    def from_api(cls, result: dict[str, Any]) -> "UploadedImage":
        d = result.get("upload_image_response") or result.get("response_object") or result
        return cls(file_id=_int(d.get("file_id")), file_name=str(d.get("file_name") or ""),
                   url=str(d.get("photobank_url") or ""))


@dataclass(frozen=True)
class UploadedFile:
    """An attachment (document) stored by the platform, linked from listings by ``url``."""

    file_id: int
    file_name: str
    url: str

    @classmethod
    def from_api(cls, result: dict[str, Any]) -> "UploadedFile":
        d = result.get("result") or result.get("response_object") or result
        return cls(file_id=_int(d.get("file_id")), file_name=str(d.get("file_name") or ""),
                   url=str(d.get("file_url") or d.get("url") or ""))


@dataclass(frozen=True)
class PhotobankImage:
    id: int
    url: str
    file_name: str
    file_size: int
    gmt_modified: datetime | None

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "PhotobankImage":
        return cls(id=_int(d.get("id")), url=str(d.get("url") or ""), file_name=str(d.get("file_name") or ""),
                   file_size=_int(d.get("file_size")), gmt_modified=parse_time(d.get("gmt_modified")))


# -- products: request side ----------------------------------------------------------------------
@dataclass(frozen=True)
class ProductAttribute:
    """A category attribute (by id and/or name) or a custom name/value pair."""

    attribute_name: str | None = None
    value_name: str | None = None
    attribute_id: int | None = None
    value_id: int | None = None

    def to_api(self) -> dict[str, Any]:
        return {k: v for k, v in (("attribute_id", self.attribute_id), ("attribute_name", self.attribute_name),
                                  ("value_id", self.value_id), ("value_name", self.value_name)) if v is not None}

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "ProductAttribute":
        return cls(attribute_name=d.get("attribute_name"),
                   value_name=None if d.get("value_name") is None else str(d.get("value_name")),
                   attribute_id=None if d.get("attribute_id") is None else _int(d.get("attribute_id")),
                   value_id=None if d.get("value_id") is None else _int(d.get("value_id")))


@dataclass(frozen=True)
class PriceTier:
    """Buyers ordering at least ``start_quantity`` units pay ``price`` (USD) per unit."""

    start_quantity: int
    price: Decimal

    def to_api(self) -> dict[str, Any]:
        return {"start_quantity": self.start_quantity, "price": _money(self.price, "price")}

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "PriceTier":
        return cls(start_quantity=_int(d.get("start_quantity")), price=Decimal(str(d.get("price"))))


@dataclass(frozen=True)
class DeliverPeriod:
    """Up to ``quantity`` units ship within ``process_period`` days."""

    quantity: int
    process_period: int


@dataclass(frozen=True)
class SourcingTrade:
    min_order_quantity: int
    min_order_unit_type: str
    fob_min_price: Decimal | None = None
    fob_max_price: Decimal | None = None
    fob_unit_type: str | None = None
    fob_currency: str = "USD"
    supply_quantity: int | None = None
    supply_unit_type: str | None = None
    supply_period_type: str | None = None
    payment_methods: tuple[str, ...] = ()
    delivery_port: str | None = None
    packaging_desc: str | None = None
    deliver_periods: tuple[DeliverPeriod, ...] = ()
    delivery_time: str | None = None

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fob_currency": self.fob_currency}
        if self.fob_min_price is not None:
            out["fob_min_price"] = _money(self.fob_min_price, "fob_min_price")
        if self.fob_max_price is not None:
            out["fob_max_price"] = _money(self.fob_max_price, "fob_max_price")
        for key in ("fob_unit_type",):
            if getattr(self, key):
                out[key] = getattr(self, key)
        out["min_order_quantity"] = str(self.min_order_quantity)
        out["min_order_unit_type"] = self.min_order_unit_type
        if self.supply_quantity is not None:
            out["supply_quantity"] = str(self.supply_quantity)
        for key in ("supply_unit_type", "supply_period_type", "delivery_port", "packaging_desc", "delivery_time"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.payment_methods:
            out["payment_methods"] = list(self.payment_methods)
        if self.deliver_periods:
            out["deliver_periods"] = [{"quantity": p.quantity, "process_period": p.process_period}
                                      for p in self.deliver_periods]
        return out

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "SourcingTrade":
        return cls(
            min_order_quantity=_int(d.get("min_order_quantity")), min_order_unit_type=str(d.get("min_order_unit_type")
                                                                                          or ""),
            fob_min_price=_dec(d.get("fob_min_price")), fob_max_price=_dec(d.get("fob_max_price")),
            fob_unit_type=d.get("fob_unit_type"), fob_currency=str(d.get("fob_currency") or "USD"),
            supply_quantity=None if d.get("supply_quantity") in (None, "") else _int(d.get("supply_quantity")),
            supply_unit_type=d.get("supply_unit_type"), supply_period_type=d.get("supply_period_type"),
            payment_methods=tuple(str(p) for p in _list(d.get("payment_methods"))),
            delivery_port=d.get("delivery_port"), packaging_desc=d.get("packaging_desc"),
            deliver_periods=tuple(DeliverPeriod(_int(p.get("quantity")), _int(p.get("process_period")))
                                  for p in _list(d.get("deliver_periods"))),
            delivery_time=d.get("delivery_time"))


@dataclass(frozen=True)
class ProductDraft:
    """The listing content sent by product.add / product.update (sourcing products, field API).

    ``model_number`` is the seller's own stable reference: it is sent as the "Model Number" attribute,
    which the platform reports back as ``red_model`` in product.list (doc §4.6).
    """

    category_id: int
    subject: str
    keywords: tuple[str, ...]
    images: tuple[str, ...]
    sourcing_trade: SourcingTrade | None = None
    price_tiers: tuple[PriceTier, ...] = ()
    attributes: tuple[ProductAttribute, ...] = ()
    description: str | None = None
    model_number: str | None = None
    product_type: str = "sourcing"
    group_id: int | None = None
    watermark: bool = False
    language: str = "ENGLISH"

    def all_attributes(self) -> list[ProductAttribute]:
        attrs = list(self.attributes)
        if self.model_number and not any((a.attribute_name or "").lower() == MODEL_NUMBER.lower() for a in attrs):
            attrs.append(ProductAttribute(attribute_name=MODEL_NUMBER, value_name=self.model_number))
        return attrs

    def to_params(self) -> dict[str, str]:
        for keyword in self.keywords:
            if "," in keyword or ";" in keyword:
                raise ValueError(f"keyword {keyword!r} must not contain ',' or ';'")
        params = {
            "category_id": str(self.category_id), "subject": self.subject, "keywords": ",".join(self.keywords),
            "language": self.language, "product_type": self.product_type,
            "main_image": _json({"images": list(self.images), "watermark": self.watermark}),
        }
        if self.description:
            params["description"] = self.description
        attrs = self.all_attributes()
        if attrs:
            params["attributes"] = _json([a.to_api() for a in attrs])
        if self.sourcing_trade is not None:
            params["sourcing_trade"] = _json(self.sourcing_trade.to_api())
        if self.price_tiers:
            params["bulk_discount_prices"] = _json([t.to_api() for t in self.price_tiers])
        if self.group_id is not None:
            params["group_id"] = str(self.group_id)
        return params


# -- products: response side -------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditFailReason:
    code: str
    message: str
    field: str = ""


def _attr_value(attrs: Iterable[ProductAttribute], name: str) -> str | None:
    for a in attrs:
        if (a.attribute_name or "").lower() == name.lower():
            return a.value_name
    return None


@dataclass(frozen=True)
class Product:
    product_id: str
    id: int
    subject: str
    category_id: int
    product_type: str
    status: str
    display: str
    keywords: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    description: str | None = None
    attributes: tuple[ProductAttribute, ...] = ()
    sourcing_trade: SourcingTrade | None = None
    price_tiers: tuple[PriceTier, ...] = ()
    price_type: str = ""
    pc_detail_url: str = ""
    gmt_modified: datetime | None = None
    audit_fail_reasons: tuple[AuditFailReason, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def model_number(self) -> str | None:
        return _attr_value(self.attributes, MODEL_NUMBER)

    @property
    def is_online(self) -> bool:
        return self.display == "Y"

    @property
    def under_review(self) -> bool:
        return self.status in (ProductStatus.NEW, ProductStatus.MODIFIED)

    @property
    def approved(self) -> bool:
        return self.status == ProductStatus.APPROVED

    @property
    def rejected(self) -> bool:
        return self.status == ProductStatus.TBD

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "Product":
        tiers = _list(d.get("bulk_discount_prices"))
        if not tiers:
            skus = _list((d.get("product_sku") or {}).get("skus"))
            tiers = _list(skus[0].get("bulk_discount_prices")) if skus else []
        st = d.get("sourcing_trade")
        return cls(
            product_id=str(d.get("product_id") or ""), id=_int(d.get("id")), subject=str(d.get("subject") or ""),
            category_id=_int(d.get("category_id")), product_type=str(d.get("product_type") or ""),
            status=str(d.get("status") or ""), display=str(d.get("display") or ""),
            keywords=tuple(str(k) for k in _list(d.get("keywords"))),
            images=tuple(str(i) for i in _list((d.get("main_image") or {}).get("images"))),
            description=d.get("description"),
            attributes=tuple(ProductAttribute.from_api(a) for a in _list(d.get("attributes"))),
            sourcing_trade=SourcingTrade.from_api(st) if isinstance(st, dict) else None,
            price_tiers=tuple(PriceTier.from_api(t) for t in tiers),
            price_type=str(d.get("price_type") or ""), pc_detail_url=str(d.get("pc_detail_url") or ""),
            gmt_modified=parse_time(d.get("gmt_modified")),
            audit_fail_reasons=tuple(AuditFailReason(str(r.get("code") or ""), str(r.get("message") or ""),
                                                     str(r.get("field") or ""))
                                     for r in _list(d.get("audit_fail_reasons"))),
            raw=d)


@dataclass(frozen=True)
class ProductBrief:
    id: int
    product_id: str
    subject: str
    category_id: int
    status: str
    display: str
    red_model: str = ""
    keywords: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    pc_detail_url: str = ""
    gmt_create: datetime | None = None
    gmt_modified: datetime | None = None

    @property
    def model_number(self) -> str:
        return self.red_model

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "ProductBrief":
        return cls(id=_int(d.get("id")), product_id=str(d.get("product_id") or ""),
                   subject=str(d.get("subject") or ""), category_id=_int(d.get("category_id")),
                   status=str(d.get("status") or ""), display=str(d.get("display") or ""),
                   red_model=str(d.get("red_model") or ""),
                   keywords=tuple(str(k) for k in _list(d.get("keywords"))),
                   images=tuple(str(i) for i in _list((d.get("main_image") or {}).get("images"))),
                   pc_detail_url=str(d.get("pc_detail_url") or ""), gmt_create=parse_time(d.get("gmt_create")),
                   gmt_modified=parse_time(d.get("gmt_modified")))


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    current_page: int
    page_size: int
    total_item: int

    @property
    def has_next(self) -> bool:
        return self.current_page * self.page_size < self.total_item

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class DisplayResult:
    """Outcome of a batch call: ``failed`` maps each failed product id to its error code."""

    success: bool
    failed: dict[str, str] = field(default_factory=dict)
    error_code: str = ""
    error_message: str = ""

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "DisplayResult":
        failed: dict[str, str] = {}
        fail_map = d.get("fail_id_map") or {}
        if isinstance(fail_map, dict):
            for code, ids in fail_map.items():
                for product_id in str(ids).split(","):
                    if product_id:
                        failed[product_id] = str(code)
        success = d.get("sub_success")
        success = (str(success).lower() == "true") if not isinstance(success, bool) else success
        return cls(success=bool(success) and not failed, failed=failed, error_code=str(d.get("sub_error_code") or ""),
                   error_message=str(d.get("sub_error_msg") or ""))


# -- inquiries (sandbox extension) ------------------------------------------------------------------
@dataclass(frozen=True)
class InquiryReply:
    content: str
    gmt_create: datetime | None


@dataclass(frozen=True)
class Inquiry:
    inquiry_id: int
    product_id: str
    subject: str
    quantity: Decimal
    quantity_unit: str
    buyer_name: str
    company_name: str
    country: str
    email: str
    status: str
    gmt_create: datetime | None
    gmt_modified: datetime | None
    description: str | None = None  # the buyer's message (only from get_inquiry / update_inquiry)
    replies: tuple[InquiryReply, ...] = ()

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "Inquiry":
        return cls(inquiry_id=_int(d.get("inquiry_id")), product_id=str(d.get("product_id") or ""),
                   subject=str(d.get("subject") or ""), quantity=_dec(d.get("quantity")) or Decimal(0),
                   quantity_unit=str(d.get("quantity_unit") or ""), buyer_name=str(d.get("buyer_name") or ""),
                   company_name=str(d.get("company_name") or ""), country=str(d.get("country_simple") or ""),
                   email=str(d.get("email") or ""), status=str(d.get("status") or ""),
                   gmt_create=parse_time(d.get("gmt_create")), gmt_modified=parse_time(d.get("gmt_modified")),
                   description=d.get("description"),
                   replies=tuple(InquiryReply(str(r.get("content") or ""), parse_time(r.get("gmt_create")))
                                 for r in _list(d.get("replies"))))
