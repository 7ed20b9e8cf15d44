"""Catalog root fields: products, product, productVariant(s), categories, collections, product
types and attributes. Listing and visibility come from storefront.product.selectors."""
from __future__ import annotations

from decimal import Decimal

from graphql import GraphQLError

from storefront.product import selectors as product_selectors
from storefront.product.catalog_cache import cached, is_shopper_view
from storefront.product.models import Attribute, Category, Collection, Product, ProductType, ProductVariant

from ..core.connection import paginate
from ..core.context import actor, channel_by_slug, current_channel
from ..core.ids import try_decode
from . import types  # noqa: F401  (registers the catalog types)
from .dataloaders import page_relations
from .types import prime_product_page

PRODUCT_PAGE_JOINS = ("category", "cooperative__province", "product_type")

SORT_FIELDS = {
    "NAME": "name", "PRICE": "price", "MINIMAL_PRICE": "price", "CREATED_AT": "created", "DATE": "created",
    "LAST_MODIFIED": "created", "LAST_MODIFIED_AT": "created", "PUBLISHED_AT": "created",
    "PUBLICATION_DATE": "created", "PUBLISHED": "created",
}


def _get(data, key, default=None):
    if data is None:
        return default
    value = data.get(key) if hasattr(data, "get") else getattr(data, key, default)
    return default if value is None else value


def _decoded(ids, type_name: str) -> list[int]:
    result = []
    for value in ids or ():
        pk = try_decode(value, type_name)
        if pk and pk.isdigit():
            result.append(int(pk))
    return result


def _ids_filter(node, type_name: str) -> list[int] | None:
    """A GlobalIDFilterInput {eq, oneOf} as a list of pks (None when absent)."""
    if not node:
        return None
    values = [_get(node, "eq")] if _get(node, "eq") else list(_get(node, "one_of", []))
    return _decoded(values, type_name)


def _strings_filter(node) -> list[str] | None:
    if not node:
        return None
    return [_get(node, "eq")] if _get(node, "eq") else list(_get(node, "one_of", []))


def _price_bounds(node) -> tuple[int | None, int | None]:
    if not node:
        return None, None
    if _get(node, "range") is not None:
        node = _get(node, "range")
    if _get(node, "eq") is not None:
        value = int(Decimal(str(_get(node, "eq"))))
        return value, value
    low, high = _get(node, "gte"), _get(node, "lte")
    return (int(Decimal(str(low))) if low is not None else None, int(Decimal(str(high))) if high is not None else None)


def _narrow(queryset, filter=None, where=None):
    """Filters Saleor has that the selector has no parameter for: ids, slugs, several categories."""
    for node in (filter, where):
        if not node:
            continue
        ids = _get(node, "ids")
        if ids:
            queryset = queryset.filter(pk__in=_decoded(ids, "Product"))
        slugs = _get(node, "slugs") or _strings_filter(_get(node, "slug"))
        if slugs:
            queryset = queryset.filter(slug__in=slugs)
        names = _strings_filter(_get(node, "name"))
        if names:
            queryset = queryset.filter(name__in=names)
        category_ids = _decoded(_get(node, "categories"), "Category") or _ids_filter(_get(node, "category"), "Category")
        if category_ids:
            descendant_ids = set()
            for category in Category.objects.filter(pk__in=category_ids):
                descendant_ids.update(product_selectors.category_descendant_ids(category))
            queryset = queryset.filter(category_id__in=descendant_ids)
        collection_ids = (_decoded(_get(node, "collections"), "Collection")
                          or _ids_filter(_get(node, "collection"), "Collection"))
        if collection_ids:
            queryset = queryset.filter(collection_products__collection_id__in=collection_ids).distinct()
        product_type_ids = (_decoded(_get(node, "product_types"), "ProductType")
                            or _ids_filter(_get(node, "product_type"), "ProductType"))
        if product_type_ids:
            queryset = queryset.filter(product_type_id__in=product_type_ids)
        if _get(node, "has_category") is not None:
            queryset = queryset.filter(category__isnull=not _get(node, "has_category"))
    return queryset


def products_queryset(info, *, channel, search=None, filter=None, where=None, sort_by=None, category=None,
                      collection=None, product_type=None, cooperative=None):
    price_min, price_max = None, None
    in_stock = None
    for node in (filter, where):
        if not node:
            continue
        low, high = _price_bounds(_get(node, "price") or _get(node, "minimal_price"))
        price_min = low if low is not None else price_min
        price_max = high if high is not None else price_max
        availability = _get(node, "stock_availability")
        if availability:
            in_stock = str(availability).endswith("IN_STOCK") and not str(availability).endswith("OUT_OF_STOCK")
        if _get(node, "is_available") is not None:
            in_stock = bool(_get(node, "is_available"))
        search = search or _get(node, "search")
    sort = None
    if sort_by:
        field = SORT_FIELDS.get(str(_get(sort_by, "field", "NAME")).split(".")[-1])
        if field:
            sort = field if str(_get(sort_by, "direction", "ASC")).endswith("ASC") else f"-{field}"
    queryset = product_selectors.products_filter(
        channel=channel, actor=actor(info), query=search or "", category=category, collection=collection,
        price_min=price_min, price_max=price_max, cooperative=cooperative, in_stock=in_stock, sort=sort,
    )
    if sort is None and not search:
        # No sortBy: the stable order of Product (by slug, unique-indexed), so the first page
        # is read from the index instead of sorting the whole catalog by name.
        queryset = queryset.order_by("slug")
    if product_type is not None:
        queryset = queryset.filter(product_type=product_type)
    return _narrow(queryset, filter, where)


def products_connection(info, *, channel=None, name="products", search=None, filter=None, where=None,
                        sort_by=None, category=None, collection=None, product_type=None, cooperative=None,
                        **page):
    channel_slug = channel or _get(filter, "channel") or _get(sort_by, "channel")
    channel_obj = channel_by_slug(info, channel_slug) if channel_slug else current_channel(info)
    if channel_obj is None:
        channel_obj = channel_by_slug(info, None)
    queryset = products_queryset(info, channel=channel_obj, search=search, filter=filter, where=where,
                                 sort_by=sort_by, category=category, collection=collection,
                                 product_type=product_type, cooperative=cooperative)
    # Only the joins a card reads (the cooperative is joined by the visibility filter anyway): each
    # further join costs PostgreSQL milliseconds of planning on every page; the rest is batched.
    queryset = queryset.select_related(None).select_related("category", "cooperative").prefetch_related(None)
    items = queryset
    if is_shopper_view(actor(info)) and not _filters_stock(filter, where):
        key = (channel_obj.pk, search, repr(filter), repr(where), repr(sort_by),
               *(getattr(scope, "pk", None) for scope in (category, collection, product_type, cooperative)))
        items = CachedProductPages(queryset, key=key, channel=channel_obj)

    def on_page(page_items):
        if not hasattr(page_items[0], "_htx_page"):  # a cached page comes with its relations loaded
            page_relations(page_items, channel=channel_obj)
        prime_product_page(info, page_items)

    return paginate(items, name=name, on_page=on_page, **page)


def _filters_stock(*nodes) -> bool:
    return any(_get(node, "stock_availability") is not None or _get(node, "is_available") is not None
               for node in nodes if node)


class CachedProductPages:
    """A shopper's product list as `paginate` reads it (count, one slice), from the catalog cache:
    the count of a large catalog and a page's rows with media, thumbnails, variants and prices are
    the dearest part of `products`, and change only when the catalog does. Stock is not in them
    (quantityAvailable is loaded live)."""

    def __init__(self, queryset, *, key, channel):
        self.queryset, self.key, self.channel = queryset, key, channel

    def count(self) -> int:
        return cached("graphql-products-count", self.key, self.queryset.count)

    def __getitem__(self, window: slice) -> list[Product]:
        return cached("graphql-products-page", (self.key, window.start, window.stop), lambda: self._load(window))

    def _load(self, window: slice) -> list[Product]:
        products = list(self.queryset[window])
        relations = page_relations(products, channel=self.channel)
        if relations is not None:
            relations.load("media")
            relations.load("variants")
        return products


class ProductQueries:
    @staticmethod
    def resolve_products(root, info, channel=None, **kwargs):
        return products_connection(info, channel=channel, **kwargs)

    @staticmethod
    def resolve_product(root, info, id=None, slug=None, channel=None, slug_language_code=None,
                        external_reference=None):
        if not (id or slug) or (id and slug):
            raise GraphQLError("Provide exactly one of: `id`, `slug` (or `externalReference`).")
        channel_obj = channel_by_slug(info, channel)
        queryset = product_selectors.with_listing_data(
            product_selectors.products_visible(channel=channel_obj, actor=actor(info)), channel=channel_obj)
        # As for a page of products: the joins the product page reads, its relations batched.
        queryset = queryset.select_related(None).select_related(*PRODUCT_PAGE_JOINS).prefetch_related(None)
        if id:
            pk = try_decode(id, "Product")
            if not pk or not pk.isdigit():
                raise GraphQLError(f"Couldn't resolve id: {id}.")
            lookup = {"pk": int(pk)}
        else:
            lookup = {"slug": slug}
        shopper = is_shopper_view(actor(info))

        def load():
            found = queryset.filter(**lookup).first()
            if found is not None:
                relations = page_relations([found], channel=channel_obj)
                if shopper:  # cached: everything a product page may ask for, loaded once
                    relations.load("media")
                    relations.load("variants")
            return found

        product = cached("graphql-product", (channel_obj.pk, sorted(lookup.items())), load) if shopper else load()
        if product is not None:
            prime_product_page(info, [product])
        return product

    @staticmethod
    def resolve_product_variant(root, info, id=None, sku=None, channel=None, external_reference=None):
        channel_obj = channel_by_slug(info, channel)
        visible = product_selectors.products_visible(channel=channel_obj, actor=actor(info))
        variants = ProductVariant.objects.filter(product__in=visible, channel_listings__channel=channel_obj)
        if id:
            pk = try_decode(id, "ProductVariant")
            if not pk or not pk.isdigit():
                raise GraphQLError(f"Couldn't resolve id: {id}.")
            return variants.filter(pk=int(pk)).first()
        if sku:
            return variants.filter(sku=sku).first()
        raise GraphQLError("At least one of arguments is required: 'id', 'sku'.")

    @staticmethod
    def resolve_product_variants(root, info, ids=None, channel=None, filter=None, where=None, search=None,
                                 sort_by=None, **page):
        channel_obj = channel_by_slug(info, channel)
        visible = product_selectors.products_visible(channel=channel_obj, actor=actor(info))
        variants = ProductVariant.objects.filter(product__in=visible, channel_listings__channel=channel_obj)
        if ids:
            variants = variants.filter(pk__in=_decoded(ids, "ProductVariant"))
        skus = _get(filter, "sku") or _strings_filter(_get(where, "sku"))
        if skus:
            variants = variants.filter(sku__in=skus)
        where_ids = _get(where, "ids")
        if where_ids:
            variants = variants.filter(pk__in=_decoded(where_ids, "ProductVariant"))
        return paginate(variants.order_by("pk"), name="productVariants", **page)

    @staticmethod
    def resolve_categories(root, info, filter=None, where=None, sort_by=None, level=None, **page):
        queryset = Category.objects.all()
        if level is not None:
            queryset = queryset.filter(level=level)
        ids = _get(filter, "ids") or _get(where, "ids")
        if ids:
            queryset = queryset.filter(pk__in=_decoded(ids, "Category"))
        if _get(filter, "slugs"):
            queryset = queryset.filter(slug__in=_get(filter, "slugs"))
        if _get(filter, "search"):
            queryset = queryset.filter(name__icontains=_get(filter, "search"))
        return paginate(queryset.order_by("sort_order", "name", "pk"), name="categories", **page)

    @staticmethod
    def resolve_category(root, info, id=None, slug=None, slug_language_code=None):
        if id:
            pk = try_decode(id, "Category")
            return Category.objects.filter(pk=int(pk)).first() if pk and pk.isdigit() else None
        if slug:
            return product_selectors.category_by_slug(slug)
        raise GraphQLError("At least one of arguments is required: 'id', 'slug'.")

    @staticmethod
    def resolve_collections(root, info, channel=None, filter=None, where=None, sort_by=None, **page):
        channel_obj = channel_by_slug(info, channel or _get(filter, "channel"))
        queryset = product_selectors.collections_visible(channel=channel_obj, actor=actor(info))
        ids = _get(filter, "ids") or _get(where, "ids")
        if ids:
            queryset = queryset.filter(pk__in=_decoded(ids, "Collection"))
        if _get(filter, "slugs"):
            queryset = queryset.filter(slug__in=_get(filter, "slugs"))
        if _get(filter, "search"):
            queryset = queryset.filter(name__icontains=_get(filter, "search"))
        return paginate(queryset.order_by("sort_order", "slug", "pk"), name="collections", **page)

    @staticmethod
    def resolve_collection(root, info, id=None, slug=None, channel=None, slug_language_code=None):
        channel_obj = channel_by_slug(info, channel)
        queryset = product_selectors.collections_visible(channel=channel_obj, actor=actor(info))
        if id:
            pk = try_decode(id, "Collection")
            return queryset.filter(pk=int(pk)).first() if pk and pk.isdigit() else None
        if slug:
            return queryset.filter(slug=slug).first()
        raise GraphQLError("At least one of arguments is required: 'id', 'slug'.")

    @staticmethod
    def resolve_product_type(root, info, id):
        pk = try_decode(id, "ProductType")
        return ProductType.objects.filter(pk=int(pk)).first() if pk and pk.isdigit() else None

    @staticmethod
    def resolve_product_types(root, info, filter=None, sort_by=None, **page):
        return paginate(ProductType.objects.order_by("slug"), name="productTypes", **page)

    @staticmethod
    def resolve_attributes(root, info, filter=None, where=None, search=None, sort_by=None, channel=None, **page):
        queryset = Attribute.objects.filter(visible_in_storefront=True)
        if search:
            queryset = queryset.filter(name__icontains=search)
        return paginate(queryset.order_by("sort_order", "slug"), name="attributes", **page)

    @staticmethod
    def resolve_attribute(root, info, id=None, slug=None, external_reference=None):
        queryset = Attribute.objects.filter(visible_in_storefront=True)
        if id:
            pk = try_decode(id, "Attribute")
            return queryset.filter(pk=int(pk)).first() if pk and pk.isdigit() else None
        if slug:
            return queryset.filter(slug=slug).first()
        return None


__all__ = ["ProductQueries", "products_connection", "Product", "Collection"]
