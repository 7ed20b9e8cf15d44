"""Reads of the catalog for staff pages. They always read the database: the shoppers' read model
(selectors.py and its cache) shows what is on sale, staff must see what is stored."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from storefront.core.permissions import require_cooperative_access, require_program_staff
from storefront.warehouse.models import Stock, Warehouse

from .models import (Collection, Product, ProductChannelListing, ProductMedia, ProductType, ProductVariant,
                     ProductVariantChannelListing)
from .selectors import products_for_cooperative, thumbnail_url


def combos_for_program(*, actor) -> QuerySet[Product]:
    """Every combo with its cooperative, newest first."""
    require_program_staff(actor)
    return (Product.objects.filter(product_type__kind=ProductType.Kind.COMBO).select_related("cooperative")
            .order_by("-created_at"))


def collections_for_program(*, actor) -> QuerySet[Collection]:
    """Every collection with its products, in the home page's order."""
    require_program_staff(actor)
    return Collection.objects.prefetch_related("products").order_by("sort_order", "pk")


def collection_for_program(*, actor, collection_id) -> Collection | None:
    require_program_staff(actor)
    return Collection.objects.filter(pk=collection_id).first()


def product_of_cooperative(*, actor, cooperative, product_id) -> Product | None:
    """One of `cooperative`'s products for its staff (PermissionDenied for another cooperative's)."""
    require_cooperative_access(actor, cooperative.pk)
    product = Product.objects.select_related("product_type", "category").filter(pk=product_id).first()
    if product is not None and product.cooperative_id != cooperative.pk:
        raise PermissionDenied
    return product


def variant_of_cooperative(*, actor, cooperative, variant_id) -> ProductVariant | None:
    require_cooperative_access(actor, cooperative.pk)
    variant = ProductVariant.objects.select_related("product__product_type").filter(pk=variant_id).first()
    if variant is not None and variant.product.cooperative_id != cooperative.pk:
        raise PermissionDenied
    return variant


def media_of_product(*, product, media_id) -> ProductMedia | None:
    """A photo of a product the caller has already been allowed to edit (`product_of_cooperative`)."""
    return ProductMedia.objects.filter(pk=media_id, product=product).first()


def media_ids_in_order(*, product) -> list[int]:
    return list(product.media.order_by("sort_order", "pk").values_list("pk", flat=True))


@dataclass(frozen=True)
class VariantRow:
    variant: ProductVariant
    listing: ProductVariantChannelListing | None  # its price in the page's channel
    stock_rows: list[tuple[Warehouse, Stock | None]]  # one per warehouse of the cooperative


@dataclass(frozen=True)
class MediaRow:
    media: ProductMedia
    preview_url: str


@dataclass(frozen=True)
class ProductEditor:
    variants: list[VariantRow]
    media: list[MediaRow]
    listing: ProductChannelListing | None


def product_editor(*, actor, product: Product, channel) -> ProductEditor:
    """What a cooperative's product page shows under the product form: each variant with its price
    in `channel` and its stock in each of the cooperative's warehouses, the photos with previews,
    and the product's publication in `channel`."""
    require_cooperative_access(actor, product.cooperative_id)
    warehouses = list(Warehouse.objects.filter(cooperative_id=product.cooperative_id).order_by("pk"))
    variants = []
    for variant in product.variants.order_by("sort_order", "pk").prefetch_related("stocks", "channel_listings"):
        by_warehouse = {stock.warehouse_id: stock for stock in variant.stocks.all()}
        variants.append(VariantRow(
            variant=variant,
            listing=next((item for item in variant.channel_listings.all() if item.channel_id == channel.pk), None),
            stock_rows=[(warehouse, by_warehouse.get(warehouse.pk)) for warehouse in warehouses]))
    media = [MediaRow(media=item, preview_url=thumbnail_url(media=item, size=128)
                      if (item.image or item.external_url) else "")
             for item in product.media.order_by("sort_order", "pk").prefetch_related("thumbnails")]
    return ProductEditor(variants=variants, media=media,
                         listing=product.channel_listings.filter(channel=channel).first())


@dataclass(frozen=True)
class ProductRow:
    product: Product
    listing: ProductChannelListing | None  # its publication and price in the page's channel


def product_rows_of_cooperative(*, actor, cooperative, channel) -> list[ProductRow]:
    """Every product of a cooperative with its listing in `channel`, for its staff's product list."""
    return [ProductRow(product=product, listing=next(
        (item for item in product.channel_listings.all() if item.channel_id == channel.pk), None))
        for product in products_for_cooperative(actor=actor, cooperative=cooperative)]
