"""Catalog types: Product, ProductVariant, ProductMedia, ProductType, Category, Collection —
Saleor's fields, resolved through DataLoaders (primed by the catalog read model for listed
products). Attribute types: `attributes.py`."""
from __future__ import annotations

import graphene
from promise import Promise

from storefront.core.permissions import can_manage_cooperative
from storefront.product import selectors as product_selectors
from storefront.product import models as m

from ..core.context import actor, current_channel
from ..core.dataloaders import loader
from ..core.ids import global_id, try_decode
from ..core.money import money, taxed_money, taxed_money_range
from ..core.saleor import SaleorObjectType, named
from ..core.values import (absolute_url, editorjs, enum_value, image, is_english, language_display, seo_description,
                           weight)
from . import dataloaders as dl
from .attributes import assigned_attributes, selected_attributes

THUMBNAIL_DEFAULT_SIZE = 4096


def _manages(info, cooperative_id) -> bool:
    return can_manage_cooperative(actor(info), cooperative_id)


def _translation(type_name: str, obj, language_code, **fields) -> dict | None:
    if not is_english(language_code):
        return None
    if not any(fields.values()):
        return None
    return {"__typename": type_name, "id": obj.pk, "language": language_display(language_code), **fields}


def media_url(info, media: m.ProductMedia, size=None, format=None):
    """The media's absolute URL at `size` px in `format`, or the original: the URL, or a promise of
    it while the media's thumbnails are being loaded (batched)."""
    fmt = str(enum_value(format) or "ORIGINAL").upper()
    if fmt == "ORIGINAL" or not size:
        return absolute_url(info, media.image.url if media.image else media.external_url)
    return then(loader(info, dl.ThumbnailsByMediaIdLoader).value_or_promise(media.pk), lambda thumbnails: absolute_url(
        info, product_selectors.thumbnail_url(media=media, size=int(size), format=fmt, thumbnails=thumbnails)))


def then(value, fn):
    """`fn(value)`, now if the value is at hand, else when the promise resolves: what the catalog
    read model primed into the loaders is used directly, without a promise per field."""
    if isinstance(value, Promise):
        return value.then(fn)
    return fn(value)


def variant_listing(info, variant):
    """The variant's listing in the current channel (None: not sold there)."""
    channel = current_channel(info)
    if channel is None:
        return None
    return loader(info, dl.VariantChannelListingByVariantIdAndChannelIdLoader).value_or_promise((variant.pk, channel.pk))


def visible_variants(info, product):
    """The product's variants sold in the current channel."""
    channel = current_channel(info)
    if channel is None:
        return []

    def with_listings(variants):
        listings = [variant_listing(info, v) for v in variants]
        if any(isinstance(li, Promise) for li in listings):
            return Promise.all(listings).then(
                lambda resolved: [v for v, li in zip(variants, resolved) if li is not None])
        return [v for v, li in zip(variants, listings) if li is not None]

    return then(loader(info, dl.VariantsByProductIdLoader).value_or_promise(product.pk), with_listings)


def product_media(info, product):
    return loader(info, dl.MediaByProductIdLoader).value_or_promise(product.pk)


def related_object(info, obj, field: str, loader_class):
    """A foreign-key object through its loader (primed by the read model for listed products)."""
    value = getattr(obj, f"{field}_id")
    return loader(info, loader_class).value_or_promise(value) if value is not None else None


class Product(SaleorObjectType):
    class Meta:
        model = m.Product
        fields = {"name": "name", "slug": "slug", "created": "created_at", "updatedAt": "updated_at",
            "rating": "rating"}
        unsupported = ("taxType", "imageById", "images", "taxClass", "externalReference")

    cooperative = graphene.Field(lambda: named("Cooperative"),
                                 description="Extension: the cooperative that sells the product.")

    @staticmethod
    def resolve_cooperative(root, info):
        return related_object(info, root, "cooperative", dl.CooperativeByIdLoader)

    @staticmethod
    def resolve_seo_title(root, info):
        return root.seo_title or root.name

    @staticmethod
    def resolve_seo_description(root, info):
        return seo_description(root.seo_description, root.description)

    @staticmethod
    def resolve_description(root, info):
        return editorjs(root.description)

    resolve_description_json = resolve_description

    @staticmethod
    def resolve_product_type(root, info):
        return related_object(info, root, "product_type", dl.ProductTypeByIdLoader)

    @staticmethod
    def resolve_category(root, info):
        return related_object(info, root, "category", dl.CategoryByIdLoader)

    @staticmethod
    def resolve_charge_taxes(root, info):
        return False

    @staticmethod
    def resolve_weight(root, info):
        return weight(root.weight_g)

    @staticmethod
    def resolve_channel(root, info):
        channel = current_channel(info)
        return channel.slug if channel else None

    @staticmethod
    def resolve_default_variant(root, info):
        return then(visible_variants(info, root), lambda variants: variants[0] if variants else None)

    @staticmethod
    def resolve_variants(root, info):
        return visible_variants(info, root)

    @staticmethod
    def resolve_product_variants(root, info, **kwargs):
        from ..core.connection import paginate

        return then(visible_variants(info, root), lambda variants: paginate(variants, name="productVariants", **kwargs))

    @staticmethod
    def resolve_variant(root, info, id=None, sku=None):
        def pick(variants):
            for variant in variants:
                if (id and str(variant.pk) == try_decode(id, "ProductVariant")) or (sku and variant.sku == sku):
                    return variant
            return None

        return then(visible_variants(info, root), pick)

    @staticmethod
    def resolve_media(root, info, sort_by=None):
        return product_media(info, root)

    @staticmethod
    def resolve_media_by_id(root, info, id=None):
        pk = try_decode(id, "ProductMedia") if id else None
        return then(product_media(info, root), lambda media: next((item for item in media if str(item.pk) == pk), None))

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        def first(media):
            if not media:
                return None
            return then(media_url(info, media[0], size or THUMBNAIL_DEFAULT_SIZE, format),
                        lambda url: image(url, media[0].alt or root.name))

        return then(product_media(info, root), first)

    @staticmethod
    def resolve_collections(root, info):
        return loader(info, dl.CollectionsByProductIdLoader).load(root.pk)

    @staticmethod
    def resolve_attributes(root, info):
        return loader(info, dl.AttributeValuesByProductIdLoader).load(root.pk).then(
            lambda values: selected_attributes(info, values))

    @staticmethod
    def resolve_attribute(root, info, slug):
        return loader(info, dl.AttributeValuesByProductIdLoader).load(root.pk).then(
            lambda values: next((a for a in selected_attributes(info, values) if a["attribute"].slug == slug), None))

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=None):
        return loader(info, dl.AttributeValuesByProductIdLoader).load(root.pk).then(
            lambda values: assigned_attributes(values)[: limit or None])

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        return loader(info, dl.AttributeValuesByProductIdLoader).load(root.pk).then(
            lambda values: next((a for a in assigned_attributes(values) if a["attribute"].slug == slug), None))

    @staticmethod
    def resolve_pricing(root, info, address=None):
        channel = current_channel(info)
        if channel is None:
            return None

        def compute(listings):
            listings = [li for li in listings if li is not None]
            if not listings:
                return None
            prices = [li.price_amount for li in listings]
            undiscounted = [max(li.compare_at_amount or 0, li.price_amount) for li in listings]
            on_sale = any(u > p for u, p in zip(undiscounted, prices))
            currency = channel.currency_code
            discount = min(u - p for u, p in zip(undiscounted, prices)) if on_sale else None
            return {
                "onSale": on_sale,
                "discount": taxed_money(discount, currency) if on_sale else None,
                "discountPrior": None,
                "discountLocalCurrency": None,
                "displayGrossPrices": True,
                "priceRange": taxed_money_range(min(prices), max(prices), currency),
                "priceRangeUndiscounted": taxed_money_range(min(undiscounted), max(undiscounted), currency),
                "priceRangePrior": None,
                "priceRangeLocalCurrency": None,
            }

        def listings_of(variants):
            listings = [variant_listing(info, v) for v in variants]
            if any(isinstance(li, Promise) for li in listings):
                return Promise.all(listings).then(compute)
            return compute(listings)

        return then(visible_variants(info, root), listings_of)

    @staticmethod
    def resolve_is_available(root, info, address=None):
        def check(args):
            listing, variants = args
            if listing is None or not listing.is_published:
                return False
            if not variants:
                return False
            return loader(info, dl.QuantityAvailableByVariantIdLoader).load_many([v.pk for v in variants]).then(
                lambda quantities: any(q > 0 for q in quantities))

        return Promise.all([_product_listing(info, root), visible_variants(info, root)]).then(check)

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        from django.utils import timezone

        def check(listing):
            if listing is None or not listing.is_published:
                return False
            return listing.available_for_purchase_at is None or listing.available_for_purchase_at <= timezone.now()

        return _product_listing(info, root).then(check)

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        return _product_listing(info, root).then(
            lambda listing: (listing.available_for_purchase_at or listing.published_at) if listing else None)

    @staticmethod
    def resolve_available_for_purchase(root, info):
        return _product_listing(info, root).then(
            lambda listing: (listing.available_for_purchase_at or listing.published_at).date()
            if listing and (listing.available_for_purchase_at or listing.published_at) else None)

    @staticmethod
    def resolve_channel_listings(root, info):
        if not _manages(info, root.cooperative_id):
            return None
        return loader(info, dl.ProductChannelListingsByProductIdLoader).load(root.pk).then(
            lambda listings: [_product_listing_dict(li) for li in listings])

    @staticmethod
    def resolve_translation(root, info, language_code):
        return _translation("ProductTranslation", root, language_code, name=root.name_en or None,
                            description=editorjs(root.description_en), descriptionJson=editorjs(root.description_en))


def _product_listing(info, product):
    channel = current_channel(info)
    if channel is None:
        return Promise.resolve(None)
    return loader(info, dl.ProductChannelListingByProductIdAndChannelIdLoader).load((product.pk, channel.pk))


def _product_listing_dict(listing) -> dict:
    return {
        "__typename": "ProductChannelListing",
        "id": listing.pk,
        "publishedAt": listing.published_at,
        "publicationDate": listing.published_at.date() if listing.published_at else None,
        "isPublished": listing.is_published,
        "channel": listing.channel,
        "visibleInListings": listing.visible_in_listings,
        "availableForPurchaseAt": listing.available_for_purchase_at,
        "availableForPurchase": listing.available_for_purchase_at.date() if listing.available_for_purchase_at else None,
        "isAvailableForPurchase": listing.is_published,
    }


from ..warehouse.lots import StockLot  # noqa: E402  (the lots' type, for ProductVariant.lots)


class ComboComponentType(graphene.ObjectType):
    """Extension: one component of a combo variant."""

    class Meta:
        name = "ComboComponent"

    variant = graphene.Field(lambda: named("ProductVariant"), required=True)
    quantity = graphene.Int(required=True, description="Units of the component in one combo.")

    @staticmethod
    def resolve_variant(root: m.ComboComponent, info):
        return root.component

    @staticmethod
    def resolve_quantity(root: m.ComboComponent, info):
        return root.quantity


class ProductVariant(SaleorObjectType):
    class Meta:
        model = m.ProductVariant
        fields = {"sku": "sku", "trackInventory": "track_inventory",
            "quantityLimitPerCustomer": "quantity_limit_per_customer", "created": "created_at",
            "updatedAt": "updated_at"}
        unsupported = ("margin", "quantityOrdered", "revenue", "images", "preorder")

    combo_components = graphene.List(
        graphene.NonNull(ComboComponentType), required=True,
        description="Extension: what one unit of a combo contains (empty for other variants).")

    lots = graphene.List(graphene.NonNull(lambda: StockLot),
                         description="Extension: the variant's harvest lots (its cooperative's staff only).")
    best_before = named("Date")(description="Extension: best-before date of the lot the next unit comes from, "
                                            "where the cooperative shows it.")
    harvest_date = named("Date")(description="Extension: harvest date of that lot, where shown.")
    sold_by_weight = graphene.Boolean(required=True, description="Extension: sold by actual weight; the price "
                                                                 "is for the nominal weight.")
    nominal_weight = graphene.Field(lambda: named("Weight"),
                                    description="Extension: nominal weight of a unit sold by weight.")
    weight_tolerance_percent = graphene.Int(description="Extension: stated tolerance (±%) of a unit sold by weight.")

    @staticmethod
    def _weighed(root, info):
        from storefront.product.weighing import weighed_sale_of

        return loader(info, dl.ProductByIdLoader).load(root.product_id).then(
            lambda product: weighed_sale_of(root, product))

    @staticmethod
    def resolve_sold_by_weight(root, info):
        return ProductVariant._weighed(root, info).then(lambda terms: terms is not None)

    @staticmethod
    def resolve_nominal_weight(root, info):
        return ProductVariant._weighed(root, info).then(lambda terms: weight(terms.nominal_weight_g) if terms else None)

    @staticmethod
    def resolve_weight_tolerance_percent(root, info):
        return ProductVariant._weighed(root, info).then(lambda terms: terms.tolerance_percent if terms else None)

    @staticmethod
    def resolve_combo_components(root, info):
        return loader(info, dl.ComboComponentsByVariantIdLoader).load(root.pk)

    @staticmethod
    def resolve_lots(root, info):
        from ..warehouse.dataloaders import LotsByVariantIdLoader

        def check(product):
            if not _manages(info, product.cooperative_id):
                return None
            return loader(info, LotsByVariantIdLoader).load(root.pk)

        return loader(info, dl.ProductByIdLoader).load(root.product_id).then(check)

    @staticmethod
    def _shown_lot(root, info):
        from ..warehouse.dataloaders import NextLotByVariantIdLoader

        def check(product):
            if not (product.show_lot_dates or _manages(info, product.cooperative_id)):
                return None
            return loader(info, NextLotByVariantIdLoader).load(root.pk)

        return loader(info, dl.ProductByIdLoader).load(root.product_id).then(check)

    @staticmethod
    def resolve_best_before(root, info):
        return ProductVariant._shown_lot(root, info).then(lambda lot: lot.best_before if lot else None)

    @staticmethod
    def resolve_harvest_date(root, info):
        return ProductVariant._shown_lot(root, info).then(lambda lot: lot.harvest_date if lot else None)

    @staticmethod
    def resolve_name(root, info):
        return root.name or ""

    @staticmethod
    def resolve_product(root, info):
        return loader(info, dl.ProductByIdLoader).load(root.product_id)

    @staticmethod
    def resolve_weight(root, info):
        return weight(root.weight_g)

    @staticmethod
    def resolve_channel(root, info):
        channel = current_channel(info)
        return channel.slug if channel else None

    @staticmethod
    def resolve_external_reference(root, info):
        return root.external_reference or None

    @staticmethod
    def resolve_pricing(root, info, address=None):
        channel = current_channel(info)

        def compute(listing):
            if listing is None:
                return None
            currency = channel.currency_code
            undiscounted = max(listing.compare_at_amount or 0, listing.price_amount)
            on_sale = undiscounted > listing.price_amount
            return {
                "onSale": on_sale,
                "discount": taxed_money(undiscounted - listing.price_amount, currency) if on_sale else None,
                "discountPrior": None,
                "discountLocalCurrency": None,
                "price": taxed_money(listing.price_amount, currency),
                "priceUndiscounted": taxed_money(undiscounted, currency),
                "pricePrior": taxed_money(listing.compare_at_amount, currency) if listing.compare_at_amount else None,
                "priceLocalCurrency": None,
            }

        return then(variant_listing(info, root), compute)

    @staticmethod
    def resolve_channel_listings(root, info):
        def build(args):
            product, listings = args
            if not _manages(info, product.cooperative_id):
                return None
            return [{
                "__typename": "ProductVariantChannelListing",
                "id": li.pk,
                "channel": li.channel,
                "price": money(li.price_amount, li.channel.currency_code),
                "costPrice": money(li.cost_price_amount, li.channel.currency_code)
                if li.cost_price_amount is not None else None,
                "priorPrice": money(li.compare_at_amount, li.channel.currency_code)
                if li.compare_at_amount is not None else None,
                "margin": None,
                "preorderThreshold": None,
            } for li in listings]

        return Promise.all([loader(info, dl.ProductByIdLoader).load(root.product_id),
                            loader(info, dl.VariantChannelListingsByVariantIdLoader).load(root.pk)]).then(build)

    @staticmethod
    def resolve_attributes(root, info, variant_selection=None):
        return loader(info, dl.AttributeValuesByVariantIdLoader).load(root.pk).then(
            lambda values: selected_attributes(info, values))

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=None):
        return loader(info, dl.AttributeValuesByVariantIdLoader).load(root.pk).then(
            lambda values: assigned_attributes(values)[: limit or None])

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        return loader(info, dl.AttributeValuesByVariantIdLoader).load(root.pk).then(
            lambda values: next((a for a in assigned_attributes(values) if a["attribute"].slug == slug), None))

    @staticmethod
    def resolve_media(root, info):
        return loader(info, dl.MediaByProductIdLoader).load(root.product_id)

    @staticmethod
    def resolve_quantity_available(root, info, address=None, country_code=None):
        return loader(info, dl.QuantityAvailableByVariantIdLoader).load(root.pk)

    @staticmethod
    def resolve_stocks(root, info, address=None, country_code=None):
        from ..warehouse.dataloaders import StocksByVariantIdLoader

        def check(product):
            if not _manages(info, product.cooperative_id):
                return None
            return loader(info, StocksByVariantIdLoader).load(root.pk)

        return loader(info, dl.ProductByIdLoader).load(root.product_id).then(check)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class ProductMedia(SaleorObjectType):
    class Meta:
        model = m.ProductMedia
        fields = {"sortOrder": "sort_order", "alt": "alt"}

    @staticmethod
    def resolve_type(root, info):
        return str(root.type)  # a fresh instance holds the TextChoices member, not its value

    @staticmethod
    def resolve_oembed_data(root, info):
        return {}

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        return then(media_url(info, root, size, format), lambda url: url or "")

    @staticmethod
    def resolve_product_id(root, info):
        return global_id("Product", root.product_id)


class ProductType(SaleorObjectType):
    class Meta:
        model = m.ProductType
        fields = {"name": "name", "slug": "slug", "hasVariants": "has_variants",
            "isShippingRequired": "is_shipping_required"}
        unsupported = ("taxType", "taxClass", "availableAttributes")

    @staticmethod
    def resolve_is_digital(root, info):
        return False

    @staticmethod
    def resolve_weight(root, info):
        return weight(root.weight_g)

    @staticmethod
    def resolve_kind(root, info):
        return "NORMAL"

    @staticmethod
    def resolve_product_attributes(root, info):
        return loader(info, dl.ProductAttributesByProductTypeIdLoader).load(root.pk)

    @staticmethod
    def resolve_variant_attributes(root, info, variant_selection=None):
        return []

    @staticmethod
    def resolve_assigned_variant_attributes(root, info, variant_selection=None):
        return []

    @staticmethod
    def resolve_products(root, info, channel=None, **kwargs):
        from .schema import products_connection

        return products_connection(info, channel=channel, name="products", product_type=root, **kwargs)


class _NamedAndDescribed:
    """Resolvers Category and Collection share: SEO from the name and description."""

    @staticmethod
    def resolve_seo_title(root, info):
        return root.name

    @staticmethod
    def resolve_seo_description(root, info):
        return seo_description("", root.description)

    @staticmethod
    def resolve_description(root, info):
        return editorjs(root.description)

    resolve_description_json = resolve_description


class Category(_NamedAndDescribed, SaleorObjectType):
    class Meta:
        model = m.Category
        fields = {"name": "name", "slug": "slug", "level": "level", "updatedAt": "updated_at"}

    @staticmethod
    def resolve_parent(root, info):
        return loader(info, dl.CategoryByIdLoader).load(root.parent_id) if root.parent_id else None

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        return image(absolute_url(info, root.background_image.url), root.name) if root.background_image else None

    @staticmethod
    def resolve_children(root, info, **kwargs):
        from ..core.connection import paginate

        return loader(info, dl.ChildrenByCategoryIdLoader).load(root.pk).then(
            lambda children: paginate(children, name="children", **kwargs))

    @staticmethod
    def resolve_ancestors(root, info, **kwargs):
        from ..core.connection import paginate

        ancestors, node = [], root
        while node.parent_id:
            node = m.Category.objects.get(pk=node.parent_id)
            ancestors.append(node)
        return paginate(ancestors, name="ancestors", **kwargs)

    @staticmethod
    def resolve_products(root, info, channel=None, **kwargs):
        from .schema import products_connection

        return products_connection(info, channel=channel, name="products", category=root, **kwargs)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return _translation("CategoryTranslation", root, language_code, name=root.name_en or None,
                            description=editorjs(root.description_en), descriptionJson=editorjs(root.description_en))


class Collection(_NamedAndDescribed, SaleorObjectType):
    class Meta:
        model = m.Collection
        fields = {"name": "name", "slug": "slug"}

    @staticmethod
    def resolve_channel(root, info):
        channel = current_channel(info)
        return channel.slug if channel else None

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        return image(absolute_url(info, root.background_image.url), root.name) if root.background_image else None

    @staticmethod
    def resolve_products(root, info, **kwargs):
        from .schema import products_connection

        return products_connection(info, channel=None, name="products", collection=root, **kwargs)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return _translation("CollectionTranslation", root, language_code, name=root.name_en or None,
                            description=editorjs(root.description_en), descriptionJson=editorjs(root.description_en))

    @staticmethod
    def resolve_channel_listings(root, info):
        return None
