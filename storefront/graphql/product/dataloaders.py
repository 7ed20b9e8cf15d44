from __future__ import annotations

from storefront.cooperative.models import Cooperative
from storefront.product import selectors as product_selectors
from storefront.product.models import (Attribute, AttributeValue, Category, Collection, CollectionProduct, Product,
                                       ProductChannelListing, ProductMedia, ProductMediaThumbnail, ProductType,
                                       ProductVariant, ProductVariantChannelListing)
from storefront.warehouse import selectors as warehouse_selectors

from ..core.dataloaders import BaseLoader, by_key, grouped, loader, model_loader

ProductByIdLoader = model_loader(Product)
ProductVariantByIdLoader = model_loader(ProductVariant)
CategoryByIdLoader = model_loader(Category)
ProductTypeByIdLoader = model_loader(ProductType)
CooperativeByIdLoader = model_loader(Cooperative, select_related=("province", "commune"))
AttributeByIdLoader = model_loader(Attribute)
CollectionByIdLoader = model_loader(Collection)


class VariantsByProductIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = ProductVariant.objects.filter(product_id__in=keys).order_by("sort_order", "sku")
        return grouped(keys, rows, lambda v: v.product_id)


class MediaByProductIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = ProductMedia.objects.filter(product_id__in=keys).order_by("sort_order", "pk")
        return grouped(keys, rows, lambda m: m.product_id)


class ThumbnailsByMediaIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, ProductMediaThumbnail.objects.filter(media_id__in=keys), lambda t: t.media_id)


class CollectionsByProductIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = CollectionProduct.objects.filter(product_id__in=keys).select_related("collection")
        return [[row.collection for row in group] for group in grouped(keys, rows, lambda r: r.product_id)]


class ProductChannelListingByProductIdAndChannelIdLoader(BaseLoader):
    """Keys are (product_id, channel_id)."""

    def batch_load(self, keys):
        product_ids = {k[0] for k in keys}
        channel_ids = {k[1] for k in keys}
        rows = ProductChannelListing.objects.filter(product_id__in=product_ids, channel_id__in=channel_ids)
        return by_key(keys, rows, lambda r: (r.product_id, r.channel_id))


class ProductChannelListingsByProductIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = ProductChannelListing.objects.filter(product_id__in=keys).select_related("channel")
        return grouped(keys, rows, lambda r: r.product_id)


class VariantChannelListingByVariantIdAndChannelIdLoader(BaseLoader):
    """Keys are (variant_id, channel_id)."""

    def batch_load(self, keys):
        variant_ids = {k[0] for k in keys}
        channel_ids = {k[1] for k in keys}
        rows = ProductVariantChannelListing.objects.filter(variant_id__in=variant_ids, channel_id__in=channel_ids)
        return by_key(keys, rows, lambda r: (r.variant_id, r.channel_id))


class VariantChannelListingsByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = ProductVariantChannelListing.objects.filter(variant_id__in=keys).select_related("channel")
        return grouped(keys, rows, lambda r: r.variant_id)


class QuantityAvailableByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        available = warehouse_selectors.variants_quantity_available(variant_ids=keys)
        return [available.get(int(k), 0) for k in keys]


class ComboComponentsByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        components = product_selectors.combo_components(variant_ids=keys)
        return [components.get(k, []) for k in keys]


class AttributeValuesByProductIdLoader(BaseLoader):
    def batch_load(self, keys):
        through = Product.attributes.through.objects.filter(product_id__in=keys).select_related(
            "attributevalue", "attributevalue__attribute")
        return [[row.attributevalue for row in group]
                for group in grouped(keys, through, lambda r: r.product_id)]


class AttributeValuesByVariantIdLoader(BaseLoader):
    def batch_load(self, keys):
        through = ProductVariant.attributes.through.objects.filter(productvariant_id__in=keys).select_related(
            "attributevalue", "attributevalue__attribute")
        return [[row.attributevalue for row in group]
                for group in grouped(keys, through, lambda r: r.productvariant_id)]


class AttributeValuesByAttributeIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, AttributeValue.objects.filter(attribute_id__in=keys), lambda r: r.attribute_id)


class ProductAttributesByProductTypeIdLoader(BaseLoader):
    def batch_load(self, keys):
        through = ProductType.product_attributes.through.objects.filter(producttype_id__in=keys).select_related(
            "attribute")
        return [[row.attribute for row in group] for group in grouped(keys, through, lambda r: r.producttype_id)]


class ChildrenByCategoryIdLoader(BaseLoader):
    def batch_load(self, keys):
        return grouped(keys, Category.objects.filter(parent_id__in=keys), lambda c: c.parent_id)


def prime_product_cards(context, cards, *, channel) -> None:
    """Feed the loaders what the catalog read model loaded for a page of products (`ProductCard`s),
    so their nodes resolve without a query or a promise."""
    products, variants_of, media_of = (loader(context, cls) for cls in (
        ProductByIdLoader, VariantsByProductIdLoader, MediaByProductIdLoader))
    thumbnails_of = loader(context, ThumbnailsByMediaIdLoader)
    listing_of = loader(context, VariantChannelListingByVariantIdAndChannelIdLoader)
    categories, cooperatives = loader(context, CategoryByIdLoader), loader(context, CooperativeByIdLoader)
    for card in cards:
        product = card.product
        products.prime(product.pk, product)
        variants_of.prime(product.pk, card.variants)
        media_of.prime(product.pk, card.media)
        for media in card.media:
            thumbnails_of.prime(media.pk, card.thumbnails.get(media.pk, []))
        if channel is not None:
            for variant in card.variants:
                listing_of.prime((variant.pk, channel.pk), card.variant_listings.get(variant.pk))
        # CARD_JOINS: these are loaded with the product, no query.
        if product.category_id is not None:
            categories.prime(product.category_id, product.category)
        cooperatives.prime(product.cooperative_id, product.cooperative)
