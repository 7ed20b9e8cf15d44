from __future__ import annotations

from storefront.cooperative.models import Cooperative
from storefront.product import selectors as product_selectors
from storefront.product.models import (Attribute, AttributeValue, Category, Collection, CollectionProduct, Product,
                                       ProductChannelListing, ProductMedia, ProductMediaThumbnail, ProductType,
                                       ProductVariant, ProductVariantChannelListing)
from storefront.warehouse import selectors as warehouse_selectors

from ..core.dataloaders import BaseLoader, by_key, grouped, model_loader

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
        rows = ProductMedia.objects.filter(product_id__in=keys).order_by("sort_order", "pk").prefetch_related(
            "thumbnails")
        return grouped(keys, rows, lambda m: m.product_id)


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


def _store_prefetched(instance, name: str, rows: list) -> None:
    """Keep `rows` where Django's related manager (`instance.<name>.all()`) and our resolvers read
    prefetched objects."""
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if cache is None:
        cache = instance._prefetched_objects_cache = {}
    cache[name] = rows


class PageRelations:
    """Media (with thumbnails) and variants (with their listing in `channel`) of a page of
    products, each kind loaded for the whole page the first time a resolver asks for it of any
    product on the page, and stored as prefetched rows: every card then resolves synchronously,
    and a query that selects no images or variants runs no query for them.

    Why not `prefetch_related`: Django builds a related manager and a queryset per product and
    per level (≈ 0.1 ms a product) and loads every relation whatever the query selects.
    """

    def __init__(self, products, *, channel):
        self.by_id = {product.pk: product for product in products}
        self.channel = channel
        self.loaded: set[str] = set()
        for product in products:
            product._htx_page = self

    def load(self, name: str) -> bool:
        """Load relation `name` ("media" or "variants") for the page; False for any other."""
        if name in self.loaded:
            return True
        if name == "media":
            self._load_media()
        elif name == "variants":
            self._load_variants()
        else:
            return False
        self.loaded.add(name)
        return True

    def _load_media(self) -> None:
        by_id = self.by_id
        media = list(ProductMedia.objects.filter(product_id__in=by_id).order_by("sort_order", "pk"))
        thumbnails: dict[int, list] = {}
        if media:
            for thumbnail in ProductMediaThumbnail.objects.filter(media_id__in=[item.pk for item in media]):
                thumbnails.setdefault(thumbnail.media_id, []).append(thumbnail)
        media_of: dict[int, list] = {pk: [] for pk in by_id}
        for item in media:
            item._state.fields_cache["product"] = by_id[item.product_id]
            for thumbnail in thumbnails.get(item.pk, ()):
                thumbnail._state.fields_cache["media"] = item
            _store_prefetched(item, "thumbnails", thumbnails.get(item.pk, []))
            media_of[item.product_id].append(item)
        for pk, product in by_id.items():
            _store_prefetched(product, "media", media_of[pk])

    def _load_variants(self) -> None:
        by_id = self.by_id
        variants = list(ProductVariant.objects.filter(product_id__in=by_id).order_by("sort_order", "sku"))
        listings: dict[int, list] = {}
        if variants and self.channel is not None:
            rows = ProductVariantChannelListing.objects.filter(channel=self.channel,
                                                              variant_id__in=[v.pk for v in variants])
            for listing in rows:
                listings.setdefault(listing.variant_id, []).append(listing)
        variants_of: dict[int, list] = {pk: [] for pk in by_id}
        for variant in variants:
            variant._state.fields_cache["product"] = by_id[variant.product_id]
            for listing in listings.get(variant.pk, ()):
                listing._state.fields_cache["variant"] = variant
            _store_prefetched(variant, "channel_listings", listings.get(variant.pk, []))
            variants_of[variant.product_id].append(variant)
        for pk, product in by_id.items():
            _store_prefetched(product, "variants", variants_of[pk])


def page_relations(products, *, channel) -> PageRelations | None:
    return PageRelations(products, channel=channel) if products else None
