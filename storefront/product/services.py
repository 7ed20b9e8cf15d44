"""Writes of the catalog: products, variants, prices, stock, publication, media, combos, collections.

Every function takes the acting user and checks, before anything else, that the actor may act on
the cooperative concerned (program staff act on all; collections are theirs alone). Bad input
raises `ValidationError({field: ValidationError(message, code=ProductErrorCode.X.value)})` and
writes nothing.
"""
from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.cooperative.services import cooperative_update_profile
from storefront.core.geo import find_province
from storefront.core.audit import audit_record, changed_fields
from storefront.core.models import AuditEntry, Province
from storefront.core.permissions import (can_manage_cooperative, require_cooperative_access,
                                         require_program_staff)
from storefront.core.text import fold, vn_slugify
from storefront.warehouse.models import Allocation, Stock, Warehouse
from storefront.warehouse.services import stock_quantity_set

from .catalog_cache import bump_catalog_version
from .error_codes import CollectionErrorCode, ProductErrorCode
from .media import media_store_image
from .models import (Attribute, AttributeValue, Category, Collection, CollectionChannelListing, CollectionProduct,
                     ComboComponent, Product, ProductChannelListing, ProductMedia, ProductType, ProductVariant,
                     ProductVariantChannelListing)
from .selectors import OCOP_ATTRIBUTE, STANDARD_ATTRIBUTE
from .standards import OCOP, OCOP_STARS, STANDARDS, parse_standard, standard_slug
from .weighing import MAX_TOLERANCE_PERCENT

MAX_PRICE_VND = 10_000_000_000  # ten billion dong: far above any retail item, far below BigInteger
MAX_WEIGHT_G = 1_000_000
UNSET = object()
MAX_STOCK = 100_000_000
MAX_COMBO_QUANTITY = 1_000
DEFAULT_PRODUCT_TYPE = ("nong-san", "Nông sản")
COMBO_PRODUCT_TYPE = ("combo", "Combo")
_SLUG = re.compile(r"^[-a-z0-9_]+$")

PRODUCT_TEXT_FIELDS = {
    "description": None, "name_en": 250, "description_en": None, "seo_title": 70, "seo_description": 300,
    "unit_label": 64, "net_unit": 16,
}


def _error(field: str, message: str, code: ProductErrorCode | CollectionErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _clean_int(value, *, field: str, minimum: int, maximum: int, code=ProductErrorCode.INVALID,
               allow_none: bool = False) -> int | None:
    """An integer from an int or a string of digits; floats, bools and out-of-range numbers refused."""
    if value is None or value == "":
        if allow_none:
            return None
        raise _error(field, _("Trường này là bắt buộc."), ProductErrorCode.REQUIRED)
    if isinstance(value, bool) or isinstance(value, float):
        raise _error(field, _("Giá trị phải là số nguyên."), code)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise _error(field, _("Giá trị phải là số nguyên."), code)
        value = int(value)
    if isinstance(value, str):
        if not re.fullmatch(r"\s*-?\d{1,15}\s*", value):
            raise _error(field, _("Giá trị phải là số nguyên."), code)
        value = int(value)
    if not isinstance(value, int):
        raise _error(field, _("Giá trị phải là số nguyên."), code)
    if value < minimum or value > maximum:
        raise _error(
            field,
            _("Giá trị phải nằm trong khoảng %(min)s–%(max)s.") % {"min": minimum, "max": maximum},
            code,
        )
    return value


def _clean_price(value, *, field: str, allow_none: bool = False) -> int | None:
    return _clean_int(value, field=field, minimum=0, maximum=MAX_PRICE_VND, code=ProductErrorCode.INVALID_PRICE,
                      allow_none=allow_none)


def _clean_text(data: Mapping, field: str, max_length: int | None) -> str:
    value = data.get(field)
    value = "" if value is None else str(value).strip()
    if max_length and len(value) > max_length:
        raise _error(field, _("Tối đa %(n)s ký tự.") % {"n": max_length}, ProductErrorCode.INVALID)
    return value


def _unique_slug(model, base: str, *, exclude_pk=None) -> str:
    base = (base or "san-pham")[:240]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_slug(model, value, *, field: str = "slug", exclude_pk=None, code=ProductErrorCode.UNIQUE) -> str:
    slug = str(value).strip().lower()
    if not _SLUG.match(slug) or len(slug) > 255:
        raise _error(field, _("Slug chỉ gồm chữ thường không dấu, số và dấu gạch ngang."), ProductErrorCode.INVALID)
    if model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        raise _error(field, _("Slug này đã được dùng."), code)
    return slug


def _resolve(model, value, *, field: str, lookup: str = "slug"):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(**{lookup if isinstance(value, str) and not value.isdigit() else "pk": value}).first()
    if found is None:
        raise _error(field, _("Không tìm thấy: %(value)s") % {"value": value}, ProductErrorCode.NOT_FOUND)
    return found


def _default_product_type(kind: str = ProductType.Kind.NORMAL) -> ProductType:
    slug, name = COMBO_PRODUCT_TYPE if kind == ProductType.Kind.COMBO else DEFAULT_PRODUCT_TYPE
    product_type, _created = ProductType.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "has_variants": False}
    )
    return product_type


def _clean_standards(raw_standards, raw_stars) -> tuple[list[str], int | None]:
    standards: list[str] = []
    stars = _clean_int(raw_stars, field="ocop_stars", minimum=min(OCOP_STARS), maximum=max(OCOP_STARS),
                       allow_none=True)
    if isinstance(raw_standards, str):
        raw_standards = [raw_standards]
    for raw in raw_standards or ():
        name, parsed_stars = parse_standard(str(raw))
        if name is None:
            raise _error(
                "standards",
                _("Tiêu chuẩn không hợp lệ: %(value)s (dùng một trong: %(known)s)")
                % {"value": raw, "known": ", ".join(STANDARDS)},
                ProductErrorCode.INVALID,
            )
        if parsed_stars is not None:
            if parsed_stars not in OCOP_STARS:
                raise _error("ocop_stars", _("OCOP xếp hạng từ 3 đến 5 sao."), ProductErrorCode.INVALID)
            if stars is not None and stars != parsed_stars:
                raise _error("ocop_stars", _("Số sao OCOP không khớp."), ProductErrorCode.INVALID)
            stars = parsed_stars
        if name not in standards:
            standards.append(name)
    if stars is not None and OCOP not in standards:
        standards.append(OCOP)
    if OCOP in standards and stars is None:
        raise _error("ocop_stars", _("Sản phẩm OCOP cần số sao (3–5)."), ProductErrorCode.REQUIRED)
    return standards, stars


def _clean_product_data(data: Mapping, *, product: Product | None) -> dict:
    """Validated field values for a product; on update only the keys present in `data`."""
    creating = product is None
    cleaned: dict = {}
    if creating or "name" in data:
        name = _clean_text(data, "name", 250)
        if not name:
            raise _error("name", _("Tên sản phẩm là bắt buộc."), ProductErrorCode.REQUIRED)
        cleaned["name"] = name
    if data.get("slug"):
        cleaned["slug"] = _clean_slug(Product, data["slug"], exclude_pk=getattr(product, "pk", None))
    elif creating:
        cleaned["slug"] = _unique_slug(Product, vn_slugify(cleaned["name"]))
    for field, max_length in PRODUCT_TEXT_FIELDS.items():
        if field in data:
            cleaned[field] = _clean_text(data, field, max_length)
    if "product_type" in data and data["product_type"] is not None:
        product_type = _resolve(ProductType, data["product_type"], field="product_type")
        if product_type.kind == ProductType.Kind.COMBO and (creating or not product.is_combo):
            raise _error("product_type", _("Combo được tạo bằng chức năng tạo combo."), ProductErrorCode.INVALID)
        if not creating and product.is_combo and product_type.kind != ProductType.Kind.COMBO:
            raise _error("product_type", _("Không thể đổi combo thành sản phẩm thường."), ProductErrorCode.INVALID)
        cleaned["product_type"] = product_type
    elif creating:
        cleaned["product_type"] = _default_product_type()
    if "category" in data:
        cleaned["category"] = _resolve(Category, data["category"], field="category")
    if "origin_province" in data:
        raw = data["origin_province"]
        if raw in (None, ""):
            cleaned["origin_province"] = None
        elif isinstance(raw, Province):
            cleaned["origin_province"] = raw
        else:
            province = find_province(str(raw))
            if province is None:
                raise _error("origin_province", _("Tỉnh/thành không hợp lệ: %(value)s") % {"value": raw},
                             ProductErrorCode.INVALID)
            cleaned["origin_province"] = province
    if "standards" in data or "ocop_stars" in data:
        standards, stars = _clean_standards(
            data.get("standards", product.standards if product else []),
            data.get("ocop_stars", product.ocop_stars if product and "standards" not in data else None),
        )
        cleaned["standards"], cleaned["ocop_stars"] = standards, stars
    if "weight_g" in data:
        cleaned["weight_g"] = _clean_int(data["weight_g"], field="weight_g", minimum=0, maximum=MAX_WEIGHT_G,
                                         allow_none=True)
    if "shelf_life_days" in data:
        cleaned["shelf_life_days"] = _clean_int(data["shelf_life_days"], field="shelf_life_days", minimum=0,
                                                maximum=36_500, allow_none=True)
    if "perishable" in data:
        cleaned["perishable"] = bool(data["perishable"])
    if "show_lot_dates" in data:
        cleaned["show_lot_dates"] = bool(data["show_lot_dates"])
    if "markdown_percent" in data or "markdown_days" in data:
        cleaned.update(_clean_markdown(data, product))
    if any(key in data for key in ("sold_by_weight", "nominal_weight_g", "weight_tolerance_percent")):
        cleaned.update(_clean_weighed_sale(data, product))
    if "net_quantity" in data:
        raw = data["net_quantity"]
        if raw in (None, ""):
            cleaned["net_quantity"] = None
        else:
            try:
                quantity = Decimal(str(raw))
            except InvalidOperation:
                raise _error("net_quantity", _("Giá trị phải là số."), ProductErrorCode.INVALID) from None
            if not quantity.is_finite() or quantity < 0 or quantity >= 10_000_000:
                raise _error("net_quantity", _("Giá trị không hợp lệ."), ProductErrorCode.INVALID)
            cleaned["net_quantity"] = quantity.quantize(Decimal("0.001"))
    return cleaned


def _clean_markdown(data: Mapping, product: Product | None) -> dict:
    """The near-expiry markdown rule: a percent off in a lot's last days of sale, both or neither."""
    percent = data.get("markdown_percent", product.markdown_percent if product else None)
    days = data.get("markdown_days", product.markdown_days if product else None)
    percent = _clean_int(percent, field="markdown_percent", minimum=1, maximum=90, allow_none=True)
    days = _clean_int(days, field="markdown_days", minimum=1, maximum=60, allow_none=True)
    if (percent is None) != (days is None):
        raise _error("markdown_days" if days is None else "markdown_percent",
                     _("Cần nhập cả phần trăm giảm giá và số ngày cuối trước hạn."), ProductErrorCode.REQUIRED)
    return {"markdown_percent": percent, "markdown_days": days}


def _clean_weighed_sale(data: Mapping, product: Product | None) -> dict:
    """Selling by actual weight: the flag, a nominal weight per unit (grams; a variant may state its
    own) and a tolerance of 1–50 %, both required while the flag is on."""
    def current(field, default=None):
        return data.get(field, getattr(product, field) if product else default)

    sold_by_weight = bool(current("sold_by_weight", False))
    nominal = _clean_int(current("nominal_weight_g"), field="nominal_weight_g", minimum=1, maximum=MAX_WEIGHT_G,
                         allow_none=True)
    tolerance = _clean_int(current("weight_tolerance_percent"), field="weight_tolerance_percent", minimum=1,
                           maximum=MAX_TOLERANCE_PERCENT, allow_none=True)
    if sold_by_weight:
        if product is not None and product.is_combo:
            raise _error("sold_by_weight", _("Combo không bán theo cân."), ProductErrorCode.INVALID)
        if nominal is None:
            raise _error("nominal_weight_g", _("Hàng bán theo cân cần khối lượng danh nghĩa mỗi đơn vị (gam)."),
                         ProductErrorCode.REQUIRED)
        if tolerance is None:
            raise _error("weight_tolerance_percent", _("Hàng bán theo cân cần nêu sai số cân cho phép (%)."),
                         ProductErrorCode.REQUIRED)
    return {"sold_by_weight": sold_by_weight, "nominal_weight_g": nominal, "weight_tolerance_percent": tolerance}


def _product_search_text(product: Product) -> str:
    province = product.origin_province or product.cooperative.province
    category = product.category
    parts = [
        product.name,
        product.name_en,
        product.cooperative.name,
        province.name if province else "",
        category.name if category else "",
        category.name_en if category else "",
        " ".join(product.standards or []),
        f"OCOP {product.ocop_stars} sao" if product.ocop_stars else "",
    ]
    return fold(" ".join(p for p in parts if p))


def _attribute(slug: str, name: str, name_en: str) -> Attribute:
    attribute, _created = Attribute.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "input_type": Attribute.InputType.MULTISELECT}
    )
    return attribute


def _sync_standard_attributes(product: Product) -> None:
    """Mirror `standards`/`ocop_stars` as attribute values, so filters and facets are plain joins."""
    standard = _attribute(STANDARD_ATTRIBUTE, "Tiêu chuẩn", "Standard")
    ocop = _attribute(OCOP_ATTRIBUTE, "Hạng OCOP", "OCOP rating")
    wanted = []
    for order, name in enumerate(product.standards or []):
        value, _created = AttributeValue.objects.get_or_create(
            attribute=standard, slug=standard_slug(name), defaults={"name": name, "name_en": name, "sort_order": order}
        )
        wanted.append(value)
    if product.ocop_stars:
        value, _created = AttributeValue.objects.get_or_create(
            attribute=ocop, slug=f"{product.ocop_stars}-sao",
            defaults={"name": f"{product.ocop_stars} sao", "name_en": f"{product.ocop_stars} stars",
                      "sort_order": product.ocop_stars},
        )
        wanted.append(value)
    current = set(product.attributes.filter(attribute__in=(standard, ocop)).values_list("pk", flat=True))
    keep = {v.pk for v in wanted}
    if current - keep:
        product.attributes.remove(*(current - keep))
    if keep - current:
        product.attributes.add(*(keep - current))


def _save_product(product: Product) -> Product:
    product.search_text = _product_search_text(product)
    product.save()
    _sync_standard_attributes(product)
    return product


def product_create(*, actor, cooperative, data: Mapping, first_variant: Mapping | None = None) -> Product:
    """A product of `cooperative`; with `first_variant` (variant_create's data) its first variant is
    made with it, both or neither."""
    require_cooperative_access(actor, cooperative.pk)
    cleaned = _clean_product_data(data, product=None)
    with transaction.atomic():
        product = _save_product(Product(cooperative=cooperative, **cleaned))
        if first_variant is not None:
            variant_create(actor=actor, product=product, data=first_variant)
    return product


def product_update(*, actor, product: Product, data: Mapping) -> Product:
    require_cooperative_access(actor, product.cooperative_id)
    cleaned = _clean_product_data(data, product=product)
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(product, field, value)
        return _save_product(product)


def product_denormalised_refresh(*, product: Product) -> Product:
    """Recompute what the services keep in step (search text, standard attributes, cheapest price)
    after an edit made outside them, such as the Django admin's forms."""
    with transaction.atomic():
        _save_product(product)
        _refresh_product_prices(product)
    return product


def products_refresh_search_text(*, cooperative=None, category=None) -> int:
    """Re-fold `search_text` after a cooperative or category is renamed. Returns the rows touched."""
    products = Product.objects.select_related("cooperative__province", "origin_province", "category")
    if cooperative is not None:
        products = products.filter(cooperative=cooperative)
    if category is not None:
        products = products.filter(category=category)
    changed = []
    for product in products:
        text = _product_search_text(product)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    Product.objects.bulk_update(changed, ["search_text"], batch_size=500)
    if changed:
        bump_catalog_version()  # bulk_update sends no signal; search results change
    return len(changed)


def cooperative_update_profile_and_products(*, actor, cooperative, data: Mapping):
    """A cooperative's profile edit as the shop runs it: the cooperative service writes it and, when
    the name or province changed, its products' search text (which folds them in) follows in the
    same transaction. Here, not in the cooperative app, because the catalog owns that copy and
    cooperatives sit below the catalog."""
    before = (cooperative.name, cooperative.province_id)
    with transaction.atomic():
        cooperative = cooperative_update_profile(actor=actor, cooperative=cooperative, data=data)
        if (cooperative.name, cooperative.province_id) != before:
            products_refresh_search_text(cooperative=cooperative)
    return cooperative


def product_delete(*, actor, product: Product) -> None:
    require_cooperative_access(actor, product.cooperative_id)
    if ComboComponent.objects.filter(component__product=product).exists():
        raise _error("id", _("Sản phẩm đang nằm trong một combo; hãy gỡ khỏi combo trước."),
                     ProductErrorCode.PRODUCT_IN_USE)
    if Allocation.objects.filter(stock__product_variant__product=product, quantity_allocated__gt=0).exists():
        raise _error("id", _("Sản phẩm đang được giữ hàng cho đơn chưa giao; hãy ngừng bán thay vì xoá."),
                     ProductErrorCode.PRODUCT_IN_USE)
    with transaction.atomic():
        product.delete()


# --- variants, prices and stock -------------------------------------------------------------------


def _clean_variant_data(data: Mapping, *, variant: ProductVariant | None) -> dict:
    cleaned: dict = {}
    if variant is None or "sku" in data:
        sku = str(data.get("sku") or "").strip()
        if not sku:
            raise _error("sku", _("Mã SKU là bắt buộc."), ProductErrorCode.REQUIRED)
        if len(sku) > 255 or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", sku):
            raise _error("sku", _("Mã SKU chỉ gồm chữ không dấu, số và . _ / -"), ProductErrorCode.INVALID)
        if ProductVariant.objects.filter(sku__iexact=sku).exclude(pk=getattr(variant, "pk", None)).exists():
            raise _error("sku", _("Mã SKU đã tồn tại: %(sku)s") % {"sku": sku}, ProductErrorCode.UNIQUE)
        cleaned["sku"] = sku
    if "name" in data:
        cleaned["name"] = _clean_text(data, "name", 255)
    if "track_inventory" in data:
        cleaned["track_inventory"] = bool(data["track_inventory"])
    if "weight_g" in data:
        cleaned["weight_g"] = _clean_int(data["weight_g"], field="weight_g", minimum=0, maximum=MAX_WEIGHT_G,
                                         allow_none=True)
    if "nominal_weight_g" in data:
        cleaned["nominal_weight_g"] = _clean_int(data["nominal_weight_g"], field="nominal_weight_g", minimum=1,
                                                 maximum=MAX_WEIGHT_G, allow_none=True)
    if "quantity_limit_per_customer" in data:
        cleaned["quantity_limit_per_customer"] = _clean_int(
            data["quantity_limit_per_customer"], field="quantity_limit_per_customer", minimum=1, maximum=MAX_STOCK,
            allow_none=True,
        )
    if "sort_order" in data:
        cleaned["sort_order"] = _clean_int(data["sort_order"], field="sort_order", minimum=-10_000, maximum=10_000)
    return cleaned


def _clean_price_listing(channel, price, compare_at_price, cost_price) -> dict:
    if channel.currency_code != "VND":
        raise _error("channel", _("Kênh bán phải dùng VND."), ProductErrorCode.INVALID)
    price = _clean_price(price, field="price")
    if price < 1:
        raise _error("price", _("Giá bán phải lớn hơn 0."), ProductErrorCode.INVALID_PRICE)
    compare_at = _clean_price(compare_at_price, field="compare_at_price", allow_none=True)
    if compare_at is not None and compare_at <= price:
        raise _error("compare_at_price", _("Giá gốc phải cao hơn giá bán."), ProductErrorCode.INVALID_PRICE)
    cost = _clean_price(cost_price, field="cost_price", allow_none=True)
    return {"price_amount": price, "compare_at_amount": compare_at, "cost_price_amount": cost}


def _refresh_product_prices(product: Product, channels: Iterable | None = None) -> None:
    """Keep `ProductChannelListing.discounted_price_amount` = the cheapest variant price."""
    listings = ProductChannelListing.objects.filter(product=product)
    if channels is not None:
        listings = listings.filter(channel__in=list(channels))
    cheapest = dict(
        ProductVariantChannelListing.objects.filter(variant__product=product)
        .values("channel_id")
        .annotate(cheapest=Min("price_amount"))
        .values_list("channel_id", "cheapest")
    )
    for listing in listings:
        amount = cheapest.get(listing.channel_id)
        if listing.discounted_price_amount != amount:
            listing.discounted_price_amount = amount
            listing.save(update_fields=["discounted_price_amount"])


def _ensure_product_listing(product: Product, channel) -> ProductChannelListing:
    listing, _created = ProductChannelListing.objects.get_or_create(product=product, channel=channel)
    return listing


def variant_create(*, actor, product: Product, data: Mapping) -> ProductVariant:
    """`data`: sku, name, track_inventory, weight_g, quantity_limit_per_customer, and optionally
    `channel_listings`: [{"channel", "price", "compare_at_price", "cost_price"}] and
    `stocks`: [(warehouse, quantity)]."""
    require_cooperative_access(actor, product.cooperative_id)
    if product.is_combo:
        raise _error("product", _("Combo chỉ có một biến thể, tạo cùng combo."), ProductErrorCode.INVALID)
    cleaned = _clean_variant_data(data, variant=None)
    listings = [
        (item["channel"], _clean_price_listing(item["channel"], item.get("price"), item.get("compare_at_price"),
                                               item.get("cost_price")))
        for item in data.get("channel_listings") or ()
    ]
    with transaction.atomic():
        variant = ProductVariant.objects.create(product=product, **cleaned)
        for channel, values in listings:
            ProductVariantChannelListing.objects.create(variant=variant, channel=channel, **values)
            _ensure_product_listing(product, channel)
            audit_record(actor=actor, action=AuditEntry.Action.PRICE_CHANGE, target=variant,
                         changes={f"{name} ({channel.slug})": [None, value]
                                  for name, value in values.items() if value is not None})
        if listings:
            _refresh_product_prices(product)
        if data.get("stocks"):
            _stocks_write(variant, data["stocks"], actor=actor)
    return variant


def variant_update(*, actor, variant: ProductVariant, data: Mapping) -> ProductVariant:
    require_cooperative_access(actor, variant.product.cooperative_id)
    cleaned = _clean_variant_data(data, variant=variant)
    if variant.product.is_combo and cleaned.get("track_inventory"):
        raise _error("track_inventory", _("Tồn kho của combo tính từ các thành phần."), ProductErrorCode.INVALID)
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(variant, field, value)
        variant.save()
    return variant


def variant_delete(*, actor, variant: ProductVariant) -> None:
    product = variant.product
    require_cooperative_access(actor, product.cooperative_id)
    if ComboComponent.objects.filter(component=variant).exists():
        raise _error("id", _("Biến thể đang nằm trong một combo."), ProductErrorCode.PRODUCT_IN_USE)
    if Allocation.objects.filter(stock__product_variant=variant, quantity_allocated__gt=0).exists():
        raise _error("id", _("Biến thể đang được giữ hàng cho đơn chưa giao."), ProductErrorCode.PRODUCT_IN_USE)
    with transaction.atomic():
        variant.delete()
        _refresh_product_prices(product)


def variant_channel_listing_update(*, actor, variant: ProductVariant, channel, price, compare_at_price=None,
                                   cost_price=None) -> ProductVariantChannelListing:
    """Set the variant's price in `channel` (VND) and keep the product's cheapest price in step."""
    product = variant.product
    require_cooperative_access(actor, product.cooperative_id)
    values = _clean_price_listing(channel, price, compare_at_price, cost_price)
    with transaction.atomic():
        current = (ProductVariantChannelListing.objects.select_for_update()
                   .filter(variant=variant, channel=channel).values(*values).first()) or {}
        listing, _created = ProductVariantChannelListing.objects.update_or_create(
            variant=variant, channel=channel, defaults=values
        )
        _ensure_product_listing(product, channel)
        _refresh_product_prices(product, [channel])
        changes = changed_fields(current, values)
        if changes:
            audit_record(actor=actor, action=AuditEntry.Action.PRICE_CHANGE, target=variant,
                         changes={f"{name} ({channel.slug})": pair for name, pair in changes.items()})
    return listing


def variant_price_and_stock_update(*, actor, variant: ProductVariant, channel, name: str | None = None,
                                   price=None, compare_at_price=None,
                                   stocks: Iterable[tuple[Warehouse, int]] = (),
                                   nominal_weight_g=UNSET) -> ProductVariant:
    """One row of a cooperative's variant table, saved whole or not at all: the name (when given),
    the nominal weight of a unit sold by weight (when given; blank: the product's), the price in
    `channel` (when given) and the quantity in stock per warehouse given."""
    stocks = list(stocks)
    with transaction.atomic():
        data = {} if name is None else {"name": name}
        if nominal_weight_g is not UNSET:
            data["nominal_weight_g"] = nominal_weight_g
        if data:
            variant_update(actor=actor, variant=variant, data=data)
        if price not in (None, ""):
            variant_channel_listing_update(actor=actor, variant=variant, channel=channel, price=price,
                                           compare_at_price=compare_at_price or None)
        if stocks:
            variant_stocks_update(actor=actor, variant=variant, stocks=stocks)
    return variant


def _stocks_write(variant: ProductVariant, stocks, *, actor) -> list[Stock]:
    """Set absolute quantities; rows locked by pk, checks made after the locks; logged."""
    wanted: dict[int, tuple[Warehouse, int]] = {}
    for warehouse, quantity in stocks:
        if warehouse.cooperative_id != variant.product.cooperative_id:
            raise _error("stocks", _("Kho %(name)s không thuộc hợp tác xã của sản phẩm.") % {"name": warehouse.name},
                         ProductErrorCode.INVALID)
        if warehouse.pk in wanted:
            raise _error("stocks", _("Một kho xuất hiện hai lần."), ProductErrorCode.DUPLICATED_INPUT_ITEM)
        wanted[warehouse.pk] = (
            warehouse, _clean_int(quantity, field="quantity", minimum=0, maximum=MAX_STOCK),
        )
    for warehouse, _quantity in wanted.values():
        Stock.objects.get_or_create(warehouse=warehouse, product_variant=variant)
    locked = {
        s.warehouse_id: s
        for s in Stock.objects.select_for_update(of=("self",)).select_related("warehouse")
        .filter(product_variant=variant, warehouse_id__in=list(wanted))
        .order_by("pk")
    }
    changes = {}
    for warehouse_id, (warehouse, quantity) in wanted.items():
        stock = locked[warehouse_id]
        if quantity < stock.quantity_allocated:
            raise _error(
                "quantity",
                _("Kho %(name)s đang giữ %(n)s cho đơn hàng; số lượng không được nhỏ hơn.")
                % {"name": warehouse.name, "n": stock.quantity_allocated},
                ProductErrorCode.INVALID,
            )
        if stock.quantity != quantity:
            changes[f"quantity ({warehouse.name})"] = [stock.quantity, quantity]
        stock_quantity_set(stock=stock, quantity=quantity)  # keeps the stock's lots in step
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.STOCK_CHANGE, target=variant, changes=changes)
    return list(locked.values())


def variant_stocks_update(*, actor, variant: ProductVariant, stocks: Iterable[tuple[Warehouse, int]]) -> list[Stock]:
    """Set the quantity in stock of `variant` in each given warehouse of its cooperative."""
    require_cooperative_access(actor, variant.product.cooperative_id)
    if variant.product.is_combo:
        raise _error("stocks", _("Tồn kho của combo tính từ các thành phần."), ProductErrorCode.INVALID)
    with transaction.atomic():
        return _stocks_write(variant, list(stocks), actor=actor)


# --- publication ---------------------------------------------------------------------------------


def product_channel_listing_update(
    *,
    actor,
    product: Product,
    channel,
    is_published: bool,
    visible_in_listings: bool | None = None,
    is_available_for_purchase: bool | None = None,
    available_for_purchase_at=None,
    published_at=None,
) -> ProductChannelListing:
    """Publish or hide `product` in `channel`. Publishing needs a category and a priced variant
    in the channel (a combo: its components too)."""
    require_cooperative_access(actor, product.cooperative_id)
    if is_published:
        if product.category_id is None:
            raise _error("is_published", _("Cần chọn danh mục trước khi đăng bán."),
                         ProductErrorCode.PRODUCT_WITHOUT_CATEGORY)
        if not ProductVariantChannelListing.objects.filter(variant__product=product, channel=channel).exists():
            raise _error("is_published", _("Cần có ít nhất một biến thể có giá trong kênh bán."),
                         ProductErrorCode.CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT)
        if product.is_combo and not ComboComponent.objects.filter(combo__product=product).exists():
            raise _error("is_published", _("Combo chưa có thành phần."), ProductErrorCode.INVALID_COMBO_COMPONENT)
    now = timezone.now()
    logged = ("is_published", "published_at", "visible_in_listings", "available_for_purchase_at")
    with transaction.atomic():
        listing = _ensure_product_listing(product, channel)
        before = {name: getattr(listing, name) for name in logged}
        listing.is_published = bool(is_published)
        if is_published:
            listing.published_at = published_at or listing.published_at or now
        if visible_in_listings is not None:
            listing.visible_in_listings = bool(visible_in_listings)
        if available_for_purchase_at is not None:
            listing.available_for_purchase_at = available_for_purchase_at
        elif is_available_for_purchase is True:
            listing.available_for_purchase_at = listing.available_for_purchase_at or now
        elif is_available_for_purchase is False:
            listing.available_for_purchase_at = None
        listing.save()
        _refresh_product_prices(product, [channel])
        changes = changed_fields(before, {name: getattr(listing, name) for name in logged})
        if changes:
            audit_record(actor=actor, action=AuditEntry.Action.PRODUCT_PUBLICATION, target=product,
                         changes={f"{name} ({channel.slug})": pair for name, pair in changes.items()})
    return listing


# --- media ---------------------------------------------------------------------------------------


def product_media_create(*, actor, product: Product, uploaded_file, alt: str = "") -> ProductMedia:
    """Check and store an uploaded image (see `media.media_store_image`); thumbnails follow in a task."""
    require_cooperative_access(actor, product.cooperative_id)
    alt = (alt or "").strip()[:250]
    with transaction.atomic():
        last = product.media.aggregate(m=Max("sort_order"))["m"]
        next_order = 0 if last is None else last + 1
        media = ProductMedia(product=product, alt=alt, sort_order=next_order, type=ProductMedia.Type.IMAGE)
        media_store_image(media, uploaded_file, name_hint=product.slug)
        media.save()
        transaction.on_commit(lambda: _queue_thumbnails(media.pk))
    return media


def _queue_thumbnails(media_id: int) -> None:
    from .tasks import create_thumbnails_task

    create_thumbnails_task.delay(media_id)


def product_media_reorder(*, actor, product: Product, media_ids: list[int]) -> list[ProductMedia]:
    require_cooperative_access(actor, product.cooperative_id)
    ids = [int(i) for i in media_ids]
    if len(set(ids)) != len(ids):
        raise _error("media_ids", _("Ảnh bị lặp."), ProductErrorCode.DUPLICATED_INPUT_ITEM)
    with transaction.atomic():
        media = {m.pk: m for m in ProductMedia.objects.select_for_update().filter(product=product).order_by("pk")}
        if set(ids) != set(media):
            raise _error("media_ids", _("Danh sách ảnh không khớp với ảnh của sản phẩm."),
                         ProductErrorCode.NOT_PRODUCTS_IMAGE)
        for order, pk in enumerate(ids):
            media[pk].sort_order = order
        ProductMedia.objects.bulk_update(media.values(), ["sort_order"])
        bump_catalog_version()  # bulk_update sends no signal
    return [media[pk] for pk in ids]


def product_media_delete(*, actor, media: ProductMedia) -> None:
    require_cooperative_access(actor, media.product.cooperative_id)
    files = [media.image.name] + [t.image.name for t in media.thumbnails.all()]
    storage = media.image.storage
    with transaction.atomic():
        media.delete()
        transaction.on_commit(lambda: [storage.delete(name) for name in files if name])


# --- combos --------------------------------------------------------------------------------------


def _variants_by_sku(components) -> dict[str, ProductVariant]:
    """The variants the components name by SKU (any case), all of them or an error naming the missing."""
    skus = [variant.strip() for variant, _quantity in components or () if isinstance(variant, str)]
    if not skus:
        return {}
    found = {variant.sku.lower(): variant for variant in ProductVariant.objects.select_related(
        "product__product_type").filter(reduce(operator.or_, (Q(sku__iexact=sku) for sku in skus)))}
    missing = [sku for sku in skus if sku.lower() not in found]
    if missing:
        raise _error("components", _("Không tìm thấy SKU: %(skus)s") % {"skus": ", ".join(missing)},
                     ProductErrorCode.NOT_FOUND)
    return found


def _clean_components(components, *, actor) -> list[tuple[ProductVariant, int]]:
    """`components`: [(variant, its pk or its SKU, quantity)]."""
    cleaned: list[tuple[ProductVariant, int]] = []
    seen: set[int] = set()
    by_sku = _variants_by_sku(components)
    for variant, quantity in components or ():
        if isinstance(variant, str):
            variant = by_sku[variant.strip().lower()]
        elif not isinstance(variant, ProductVariant):
            variant = ProductVariant.objects.select_related("product__product_type").filter(pk=variant).first()
            if variant is None:
                raise _error("components", _("Không tìm thấy biến thể thành phần."), ProductErrorCode.NOT_FOUND)
        quantity = _clean_int(quantity, field="components", minimum=1, maximum=MAX_COMBO_QUANTITY,
                              code=ProductErrorCode.INVALID_COMBO_COMPONENT)
        if variant.product.is_combo:
            raise _error("components", _("Thành phần của combo không được là một combo: %(sku)s")
                         % {"sku": variant.sku}, ProductErrorCode.INVALID_COMBO_COMPONENT)
        if variant.pk in seen:
            raise _error("components", _("Thành phần bị lặp: %(sku)s") % {"sku": variant.sku},
                         ProductErrorCode.DUPLICATED_INPUT_ITEM)
        if not can_manage_cooperative(actor, variant.product.cooperative_id):
            raise _error("components", _("Hợp tác xã chỉ ghép combo từ sản phẩm của mình: %(sku)s")
                         % {"sku": variant.sku}, ProductErrorCode.INVALID_COMBO_COMPONENT)
        seen.add(variant.pk)
        cleaned.append((variant, quantity))
    if not cleaned:
        raise _error("components", _("Combo cần ít nhất một thành phần."), ProductErrorCode.REQUIRED)
    return cleaned


def combo_create(*, actor, cooperative, data: Mapping, components) -> Product:
    """A combo product owned by `cooperative`, whose single variant is made of `components`
    [(variant or its SKU, quantity)]. Program staff may combine any cooperatives' variants; a
    cooperative's staff only their own. `data`: product fields plus `sku`, and `channel_listings`
    [{"channel", "price", "compare_at_price", "is_published"}]: with `is_published` the combo is
    also published and on sale there. Its weight defaults to the components' weight."""
    require_cooperative_access(actor, cooperative.pk)
    cleaned = _clean_product_data({k: v for k, v in data.items() if k != "product_type"}, product=None)
    cleaned["product_type"] = _default_product_type(ProductType.Kind.COMBO)
    parts = _clean_components(components, actor=actor)
    variant_data = _clean_variant_data({"sku": data.get("sku") or f"COMBO-{cleaned['slug']}".upper()[:255]},
                                       variant=None)
    listings = [
        (item["channel"], _clean_price_listing(item["channel"], item.get("price"), item.get("compare_at_price"),
                                               item.get("cost_price")))
        for item in data.get("channel_listings") or ()
    ]
    if cleaned.get("weight_g") is None:
        cleaned["weight_g"] = sum(v.effective_weight_g * q for v, q in parts)
    with transaction.atomic():
        product = _save_product(Product(cooperative=cooperative, **cleaned))
        variant = ProductVariant.objects.create(product=product, track_inventory=False,
                                                weight_g=cleaned["weight_g"], **variant_data)
        ComboComponent.objects.bulk_create(
            [ComboComponent(combo=variant, component=v, quantity=q) for v, q in parts]
        )
        bump_catalog_version()  # bulk_create sends no signal
        for channel, values in listings:
            ProductVariantChannelListing.objects.create(variant=variant, channel=channel, **values)
            _ensure_product_listing(product, channel)
            audit_record(actor=actor, action=AuditEntry.Action.PRICE_CHANGE, target=variant,
                         changes={f"{name} ({channel.slug})": [None, value]
                                  for name, value in values.items() if value is not None})
        _refresh_product_prices(product)
        for item in data.get("channel_listings") or ():
            if item.get("is_published"):
                product_channel_listing_update(actor=actor, product=product, channel=item["channel"],
                                               is_published=True, is_available_for_purchase=True)
    return product


def combo_components_update(*, actor, combo: Product, components) -> list[ComboComponent]:
    """Replace the components of a combo."""
    require_cooperative_access(actor, combo.cooperative_id)
    if not combo.is_combo:
        raise _error("combo", _("Sản phẩm này không phải combo."), ProductErrorCode.INVALID)
    parts = _clean_components(components, actor=actor)
    with transaction.atomic():
        variant = combo.variants.select_for_update().get()
        variant.combo_components.all().delete()
        components = ComboComponent.objects.bulk_create(
            [ComboComponent(combo=variant, component=v, quantity=q) for v, q in parts]
        )
        bump_catalog_version()  # bulk_create sends no signal
        return components


# --- collections (program staff) -----------------------------------------------------------------


def _clean_collection_data(data: Mapping, *, collection: Collection | None) -> dict:
    cleaned: dict = {}
    if collection is None or "name" in data:
        name = _clean_text(data, "name", 250)
        if not name:
            raise _error("name", _("Tên bộ sưu tập là bắt buộc."), CollectionErrorCode.REQUIRED)
        cleaned["name"] = name
    if data.get("slug"):
        cleaned["slug"] = _clean_slug(Collection, data["slug"], exclude_pk=getattr(collection, "pk", None),
                                      code=CollectionErrorCode.UNIQUE)
    elif collection is None:
        cleaned["slug"] = _unique_slug(Collection, vn_slugify(cleaned["name"]))
    for field, max_length in {"name_en": 250, "description": None, "description_en": None}.items():
        if field in data:
            cleaned[field] = _clean_text(data, field, max_length)
    if "is_featured" in data:
        cleaned["is_featured"] = bool(data["is_featured"])
    if "sort_order" in data:
        cleaned["sort_order"] = _clean_int(data["sort_order"], field="sort_order", minimum=-10_000, maximum=10_000)
    return cleaned


def _products(products: Iterable[Product | str]) -> list[Product]:
    """Products given as instances or slugs, in the order given; an error names the slugs not found."""
    products = list(products)
    slugs = [item.strip() for item in products if isinstance(item, str)]
    found = {product.slug: product for product in Product.objects.filter(slug__in=slugs)} if slugs else {}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise _error("products", _("Không tìm thấy sản phẩm: %(s)s") % {"s": ", ".join(missing)},
                     CollectionErrorCode.NOT_FOUND)
    return [found[item.strip()] if isinstance(item, str) else item for item in products]


def collection_create(*, actor, data: Mapping, products: Iterable[Product | str] = (),
                      published_in: Iterable = ()) -> Collection:
    """A collection of `products` (instances or slugs), published at once in the `published_in` channels."""
    require_program_staff(actor)
    cleaned = _clean_collection_data(data, collection=None)
    members = _products(products)
    with transaction.atomic():
        collection = Collection.objects.create(**cleaned)
        _collection_add(collection, members)
        for channel in published_in:
            collection_channel_listing_update(actor=actor, collection=collection, channel=channel, is_published=True)
    return collection


def collection_update(*, actor, collection: Collection, data: Mapping) -> Collection:
    require_program_staff(actor)
    cleaned = _clean_collection_data(data, collection=collection)
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(collection, field, value)
        collection.save()
    return collection


def _collection_add(collection: Collection, products: list[Product]) -> None:
    existing = set(collection.collection_products.values_list("product_id", flat=True))
    start = collection.collection_products.count()
    new = []
    for product in products:
        if product.pk not in existing:
            existing.add(product.pk)
            new.append(CollectionProduct(collection=collection, product=product, sort_order=start + len(new)))
    CollectionProduct.objects.bulk_create(new)
    bump_catalog_version()  # bulk_create sends no signal


def collection_add_products(*, actor, collection: Collection, products: Iterable[Product | str]) -> Collection:
    require_program_staff(actor)
    members = _products(products)
    with transaction.atomic():
        _collection_add(collection, members)
    return collection


def collection_remove_products(*, actor, collection: Collection, products: Iterable[Product | str]) -> Collection:
    require_program_staff(actor)
    members = _products(products)
    CollectionProduct.objects.filter(collection=collection, product__in=[p.pk for p in members]).delete()
    return collection


def collection_channel_listing_update(*, actor, collection: Collection, channel,
                                      is_published: bool) -> CollectionChannelListing:
    require_program_staff(actor)
    listing, _created = CollectionChannelListing.objects.update_or_create(
        collection=collection, channel=channel,
        defaults={"is_published": bool(is_published), "published_at": timezone.now() if is_published else None},
    )
    return listing
