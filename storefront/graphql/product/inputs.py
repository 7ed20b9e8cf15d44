"""Saleor product inputs to the catalog services' plain data."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError

from storefront.core.permissions import (cooperative_ids_of, is_cooperative_staff, is_program_staff,
                                         require_cooperative_access)
from storefront.cooperative.models import Cooperative
from storefront.product.error_codes import ProductErrorCode
from storefront.product.models import Category, Product, ProductType, ProductVariant
from storefront.warehouse.models import Warehouse

from ..core.context import actor
from ..core.ids import decode_int_id


def require_staff(info):
    """Cooperative or program staff, else Saleor's permission error (before anything is looked up)."""
    user = actor(info)
    if not (is_program_staff(user) or is_cooperative_staff(user)):
        raise PermissionDenied()
    return user


def editorjs_text(value) -> str:
    """Plain text of an EditorJS document (Saleor's rich text), paragraphs separated by blank lines."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    blocks = value.get("blocks", []) if isinstance(value, dict) else []
    texts = []
    for block in blocks:
        data = block.get("data", {}) if isinstance(block, dict) else {}
        text = data.get("text") if isinstance(data, dict) else None
        if isinstance(text, str) and text.strip():
            texts.append(text.replace("<br>", "\n").strip())
    return "\n\n".join(texts)


def weight_grams(value, field: str = "weight") -> int | None:
    if value is None:
        return None
    try:
        grams = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: ValidationError("Invalid weight.", code=ProductErrorCode.INVALID.value)})
    if not grams.is_finite() or grams < 0:
        raise ValidationError({field: ValidationError("Invalid weight.", code=ProductErrorCode.INVALID.value)})
    return int(grams)


def get_object(model, global_id, type_name: str, field: str):
    pk = decode_int_id(global_id, expected=type_name, field=field)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: ValidationError(f"Couldn't resolve to a node: {global_id}",
                                                      code=ProductErrorCode.NOT_FOUND.value)})
    return obj


def product_data(input) -> dict:
    data: dict = {}
    if input.get("name") is not None:
        data["name"] = input.get("name")
    if input.get("slug"):
        data["slug"] = input.get("slug")
    if input.get("description") is not None:
        data["description"] = editorjs_text(input.get("description"))
    if input.get("category") is not None:
        data["category"] = get_object(Category, input.get("category"), "Category", "category")
    if input.get("product_type") is not None:
        data["product_type"] = get_object(ProductType, input.get("product_type"), "ProductType", "productType")
    seo = input.get("seo")
    if seo is not None:
        if seo.get("title") is not None:
            data["seo_title"] = seo.get("title")
        if seo.get("description") is not None:
            data["seo_description"] = seo.get("description")
    if input.get("weight") is not None:
        data["weight_g"] = weight_grams(input.get("weight"))
    return data


def variant_data(input) -> dict:
    data: dict = {}
    for key in ("sku", "name", "track_inventory", "quantity_limit_per_customer"):
        if input.get(key) is not None:
            data[key] = input.get(key)
    if input.get("weight") is not None:
        data["weight_g"] = weight_grams(input.get("weight"))
    return data


def stocks_data(stocks) -> list[tuple[Warehouse, int]]:
    result = []
    for stock in stocks or ():
        warehouse = get_object(Warehouse, stock.get("warehouse"), "Warehouse", "warehouse")
        result.append((warehouse, stock.get("quantity")))
    return result


def cooperative_for_create(info, global_id=None) -> Cooperative:
    """The cooperative a new product belongs to: the one named, else the actor's only one."""
    user = actor(info)
    if global_id:
        cooperative = get_object(Cooperative, global_id, "Cooperative", "cooperative")
        require_cooperative_access(user, cooperative.pk)
        return cooperative
    ids = cooperative_ids_of(user)
    if len(ids) == 1:
        return Cooperative.objects.get(pk=next(iter(ids)))
    raise ValidationError({"cooperative": ValidationError("Choose the cooperative the product belongs to.",
                                                          code=ProductErrorCode.REQUIRED.value)})


def product_by_id(global_id, field: str = "id", *, user=None) -> Product:
    """The product, checked against `actor` first so nothing else about the request is revealed
    to someone who may not touch it (the service checks again when it acts)."""
    product = get_object(Product, global_id, "Product", field)
    require_cooperative_access(user, product.cooperative_id)
    return product


def variant_by_id(global_id, field: str = "id", *, user=None) -> ProductVariant:
    pk = decode_int_id(global_id, expected="ProductVariant", field=field)
    variant = ProductVariant.objects.select_related("product").filter(pk=pk).first()
    if variant is None:
        raise ValidationError({field: ValidationError(f"Couldn't resolve to a node: {global_id}",
                                                      code=ProductErrorCode.NOT_FOUND.value)})
    require_cooperative_access(user, variant.product.cooperative_id)
    return variant
