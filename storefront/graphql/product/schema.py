"""Catalog root fields: products, product, productVariant(s), categories, collections, product
types and attributes. Products, their lists and what a node reads of them come from the catalog
read model (storefront.product.listing); the rest from storefront.product.selectors."""
from __future__ import annotations

from decimal import Decimal

from graphql import GraphQLError

from storefront.product import selectors as product_selectors
from storefront.product.listing import product_cards, product_listing, product_page
from storefront.product.models import Attribute, Category, Collection, Product, ProductType, ProductVariant

from ..core.connection import paginate
from ..core.context import actor, channel_by_slug, current_channel
from ..core.dataloaders import loader
from ..core.ids import try_decode
from . import types  # noqa: F401  (registers the catalog types)
from .dataloaders import AttributeValuesByProductIdLoader, prime_product_cards

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


def _listing_filters(*, search=None, filter=None, where=None, sort_by=None) -> dict:
    """Saleor's `search`, `filter`, `where` and `sortBy` of a product list as the catalog read
    model's filters (`selectors.products_filter`)."""
    filters: dict = {"query": search or ""}
    for node in (filter, where):
        if not node:
            continue
        low, high = _price_bounds(_get(node, "price") or _get(node, "minimal_price"))
        if low is not None:
            filters["price_min"] = low
        if high is not None:
            filters["price_max"] = high
        availability = _get(node, "stock_availability")
        if availability:
            filters["in_stock"] = str(availability).endswith("IN_STOCK") and not str(availability).endswith(
                "OUT_OF_STOCK")
        if _get(node, "is_available") is not None:
            filters["in_stock"] = bool(_get(node, "is_available"))
        filters["query"] = filters["query"] or _get(node, "search") or ""
        if _get(node, "ids"):
            filters["ids"] = _decoded(_get(node, "ids"), "Product")
        slugs = _get(node, "slugs") or _strings_filter(_get(node, "slug"))
        if slugs:
            filters["slugs"] = list(slugs)
        names = _strings_filter(_get(node, "name"))
        if names:
            filters["names"] = list(names)
        category_ids = _decoded(_get(node, "categories"), "Category") or _ids_filter(_get(node, "category"), "Category")
        if category_ids:
            filters["category_ids"] = category_ids
        collection_ids = (_decoded(_get(node, "collections"), "Collection")
                          or _ids_filter(_get(node, "collection"), "Collection"))
        if collection_ids:
            filters["collection_ids"] = collection_ids
        product_type_ids = (_decoded(_get(node, "product_types"), "ProductType")
                            or _ids_filter(_get(node, "product_type"), "ProductType"))
        if product_type_ids:
            filters["product_type_ids"] = product_type_ids
        if _get(node, "has_category") is not None:
            filters["has_category"] = bool(_get(node, "has_category"))
    sort = None
    if sort_by:
        field = SORT_FIELDS.get(str(_get(sort_by, "field", "NAME")).split(".")[-1])
        if field:
            sort = field if str(_get(sort_by, "direction", "ASC")).endswith("ASC") else f"-{field}"
    # No sortBy and no search: Product's own order (by slug, unique-indexed), so the first page is
    # read from the index instead of sorting the whole catalog by name.
    filters["sort"] = sort or (None if filters["query"] else "slug")
    return filters


def products_connection(info, *, channel=None, name="products", search=None, filter=None, where=None,
                        sort_by=None, category=None, collection=None, product_type=None, cooperative=None,
                        **page):
    channel_slug = channel or _get(filter, "channel") or _get(sort_by, "channel")
    channel_obj = channel_by_slug(info, channel_slug) if channel_slug else current_channel(info)
    if channel_obj is None:
        channel_obj = channel_by_slug(info, None)
    who = actor(info)
    first = page.get("first")
    ids = product_listing(channel=channel_obj, actor=who, first_page_size=(first or 0) + 1,  # + 1: hasNextPage
                          category=category, collection=collection, product_type=product_type,
                          cooperative=cooperative,
                          **_listing_filters(search=search, filter=filter, where=where, sort_by=sort_by))

    def nodes(page_ids):
        cards = product_cards(page_ids, channel=channel_obj, actor=who)
        prime_product_cards(info.context, cards, channel=channel_obj)
        return [card.product for card in cards]

    return paginate(ids, name=name, nodes=nodes, **page)


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
        if id:
            pk = try_decode(id, "Product")
            if not pk or not pk.isdigit():
                raise GraphQLError(f"Couldn't resolve id: {id}.")
            found = product_page(channel=channel_obj, actor=actor(info), pk=int(pk))
        else:
            found = product_page(channel=channel_obj, actor=actor(info), slug=slug)
        if found is None:
            return None
        prime_product_cards(info.context, [found.card], channel=channel_obj)
        loader(info, AttributeValuesByProductIdLoader).prime(found.product.pk, found.attributes)
        return found.product

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
