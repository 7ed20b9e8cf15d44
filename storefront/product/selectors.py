"""Reads of the catalog: what a shopper may see in a channel, search, filters, prices, thumbnails.

Listing querysets come with their joins and prefetches so a page of products costs a fixed number
of queries, whatever its length.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (Exists, F, FilteredRelation, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum,
                              Value)
from django.db.models.functions import Coalesce
from django.utils import timezone

from storefront.cooperative.models import Cooperative
from storefront.core.permissions import cooperative_ids_of, is_program_staff, require_cooperative_access
from storefront.core.text import search_terms
from storefront.warehouse.models import Stock
from storefront.warehouse.selectors import stock_available_expression

from .catalog_cache import cached
from .models import (Category, Collection, CollectionChannelListing, ComboComponent, Product,
                     ProductChannelListing, ProductMedia, ProductMediaThumbnail, ProductType, ProductVariant,
                     ProductVariantChannelListing)
from .search import listing_search
from .standards import parse_standard, standard_slug

STANDARD_ATTRIBUTE = "standard"
OCOP_ATTRIBUTE = "ocop-stars"

SORT_FIELDS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "price": (F("price_amount").asc(nulls_last=True), "name", "pk"),
    "-price": (F("price_amount").desc(nulls_last=True), "name", "pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "slug": ("slug",),  # Product's own order (unique, indexed): the API's order when none is asked for
}


@dataclass(frozen=True)
class VariantPrice:
    price: int
    compare_at: int | None
    currency: str

    @property
    def is_discounted(self) -> bool:
        return self.compare_at is not None and self.compare_at > self.price


def _published(prefix: str, *, in_listings: bool) -> Q:
    """A channel listing a shopper may see, as conditions on the listing's fields under `prefix`
    (written once for the EXISTS form and the joined form)."""
    now = timezone.now()
    condition = Q(**{f"{prefix}is_published": True}) & (
        Q(**{f"{prefix}published_at__isnull": True}) | Q(**{f"{prefix}published_at__lte": now}))
    if in_listings:
        condition &= Q(**{f"{prefix}visible_in_listings": True})
    return condition


def _published_listing(channel, *, in_listings: bool):
    return ProductChannelListing.objects.filter(product=OuterRef("pk"), channel=channel).filter(
        _published("", in_listings=in_listings))


def products_visible(*, channel, actor=None, in_listings: bool = False) -> QuerySet[Product]:
    """Products a shopper sees in `channel`: published (and, for listings, visible in listings)
    and sold by an approved cooperative. Program staff also see unpublished products with a
    listing in the channel; a cooperative's staff also see their own cooperative's."""
    listed = Exists(ProductChannelListing.objects.filter(product=OuterRef("pk"), channel=channel))
    if is_program_staff(actor):
        return Product.objects.filter(listed)
    public = Q(Exists(_published_listing(channel, in_listings=in_listings))) & Q(
        cooperative__status=Cooperative.Status.APPROVED
    )
    own_ids = cooperative_ids_of(actor)
    if own_ids:
        return Product.objects.filter(public | (Q(cooperative_id__in=own_ids) & Q(listed)))
    return Product.objects.filter(public)


CHANNEL_LISTING = "channel_listing"  # alias of the product's listing in the page's channel


def _with_channel_listing(queryset: QuerySet[Product], *, channel) -> QuerySet[Product]:
    """Joins the product's listing in `channel` (at most one: unique per product and channel)."""
    if CHANNEL_LISTING in queryset.query._filtered_relations:
        return queryset
    return queryset.annotate(**{CHANNEL_LISTING: FilteredRelation(
        "channel_listings", condition=Q(channel_listings__channel=channel))})


def _products_visible_joined(*, channel, actor=None, in_listings: bool = False) -> QuerySet[Product]:
    """`products_visible` as conditions on a join of the channel listing instead of EXISTS
    subqueries: listings read the same row for the price, so one join serves both."""
    queryset = _with_channel_listing(Product.objects.all(), channel=channel)
    listed = Q(**{f"{CHANNEL_LISTING}__isnull": False})
    if is_program_staff(actor):
        return queryset.filter(listed)
    public = _published(f"{CHANNEL_LISTING}__", in_listings=in_listings) & Q(
        cooperative__status=Cooperative.Status.APPROVED)
    own_ids = cooperative_ids_of(actor)
    if own_ids:
        return queryset.filter(public | (Q(cooperative_id__in=own_ids) & listed))
    return queryset.filter(public)


def products_for_cooperative(*, actor, cooperative) -> QuerySet[Product]:
    """Every product of a cooperative, for its staff's pages (any publication state)."""
    require_cooperative_access(actor, cooperative.pk)
    return (
        Product.objects.filter(cooperative=cooperative)
        .select_related("category", "product_type", "origin_province")
        .prefetch_related("variants", "channel_listings")
        .order_by("-updated_at", "pk")
    )


def category_descendant_ids(category: Category) -> list[int]:
    """`category` and every category under it (the tree is small: one query, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    tree = cached("category-tree", (), lambda: list(Category.objects.values_list("pk", "parent_id")))
    for pk, parent_id in tree:
        children.setdefault(parent_id, []).append(pk)
    found, todo = [], [category.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, ()))
    return found


def _in_stock_condition() -> Q:
    sellable_stock = Stock.objects.filter(product_variant__product=OuterRef("pk")).annotate(
        available=stock_available_expression()).filter(available__gt=0)
    untracked_variant = ProductVariant.objects.filter(product=OuterRef("pk"), track_inventory=False)
    component_available = (
        Stock.objects.filter(product_variant=OuterRef("component_id"))
        .values("product_variant")
        .annotate(available=Sum(stock_available_expression()))
        .values("available")
    )
    short_component = (
        ComboComponent.objects.filter(combo__product=OuterRef("pk"), component__track_inventory=True)
        .annotate(available=Coalesce(Subquery(component_available, output_field=IntegerField()), Value(0)))
        .filter(available__lt=F("quantity"))
    )
    has_components = ComboComponent.objects.filter(combo__product=OuterRef("pk"))
    is_combo = Q(product_type__kind=ProductType.Kind.COMBO)
    return (~is_combo & (Q(Exists(sellable_stock)) | Q(Exists(untracked_variant)))) | (
        is_combo & Q(Exists(has_components)) & ~Q(Exists(short_component))
    )


def with_listing_price(queryset: QuerySet[Product], *, channel) -> QuerySet[Product]:
    """`price_amount` on each product: the cheapest variant's price in `channel` (VND), the listing's
    denormalised price read through a join (a subquery per row made sorting slow)."""
    return _with_channel_listing(queryset, channel=channel).annotate(
        price_amount=F(f"{CHANNEL_LISTING}__discounted_price_amount"))


def with_listing_data(queryset: QuerySet[Product], *, channel) -> QuerySet[Product]:
    """Joins and prefetches a product card needs, and `price_amount` (cheapest variant, VND, the
    listing's denormalised price read through the join: a subquery per row made sorting slow)."""
    media = ProductMedia.objects.order_by("sort_order", "pk").prefetch_related("thumbnails")
    variants = ProductVariant.objects.order_by("sort_order", "sku").prefetch_related(
        Prefetch("channel_listings", queryset=ProductVariantChannelListing.objects.filter(channel=channel))
    )
    return (
        with_listing_price(queryset, channel=channel)
        .select_related("cooperative", "cooperative__province", "category", "product_type",
                        "origin_province")
        .prefetch_related(Prefetch("media", queryset=media), Prefetch("variants", queryset=variants))
    )


def products_filter(
    *,
    channel,
    actor=None,
    query: str = "",
    category: Category | None = None,
    collection: Collection | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    standards: Iterable[str] = (),
    ocop_stars_min: int | None = None,
    province=None,
    cooperative: Cooperative | None = None,
    in_stock: bool | None = None,
    sort: str | None = None,
    ids: Iterable[int] | None = None,
    slugs: Iterable[str] | None = None,
    names: Iterable[str] | None = None,
    category_ids: Iterable[int] | None = None,
    collection_ids: Iterable[int] | None = None,
    product_type=None,
    product_type_ids: Iterable[int] | None = None,
    has_category: bool | None = None,
) -> QuerySet[Product]:
    """The storefront's product list: visible products of `channel` narrowed by every filter given.

    `query` is matched accent-free by `storefront.product.search.listing_search`; with a query and
    no explicit `sort`, the best matches come first.
    `standards` match any of the given names; `province` is a Province or its code. `ids`, `slugs`,
    `names`, `category_ids` (each with its subtree), `collection_ids` and `product_type_ids` keep the
    products matching any of the values given (Saleor's list filters).
    """
    queryset = listing_search(_products_visible_joined(channel=channel, actor=actor, in_listings=True), query)
    if category is not None:
        queryset = queryset.filter(category_id__in=category_descendant_ids(category))
    if collection is not None:
        queryset = queryset.filter(collection_products__collection=collection)
    if standards:
        standard_slugs = [standard_slug(parse_standard(s)[0] or s) for s in standards]
        queryset = queryset.filter(
            Exists(
                Product.attributes.through.objects.filter(
                    product_id=OuterRef("pk"),
                    attributevalue__attribute__slug=STANDARD_ATTRIBUTE,
                    attributevalue__slug__in=standard_slugs,
                )
            )
        )
    if ocop_stars_min is not None:
        queryset = queryset.filter(ocop_stars__gte=ocop_stars_min)
    if province is not None:
        queryset = queryset.filter(origin_province_id=getattr(province, "pk", province))
    if cooperative is not None:
        queryset = queryset.filter(cooperative=cooperative)
    if in_stock is not None:
        queryset = queryset.filter(_in_stock_condition() if in_stock else ~_in_stock_condition())
    if ids:
        queryset = queryset.filter(pk__in=list(ids))
    if slugs:
        queryset = queryset.filter(slug__in=list(slugs))
    if names:
        queryset = queryset.filter(name__in=list(names))
    if category_ids:
        subtree = set()
        for node in Category.objects.filter(pk__in=list(category_ids)):
            subtree.update(category_descendant_ids(node))
        queryset = queryset.filter(category_id__in=subtree)
    if collection_ids:
        queryset = queryset.filter(collection_products__collection_id__in=list(collection_ids)).distinct()
    if product_type is not None:
        queryset = queryset.filter(product_type=product_type)
    if product_type_ids:
        queryset = queryset.filter(product_type_id__in=list(product_type_ids))
    if has_category is not None:
        queryset = queryset.filter(category__isnull=not has_category)
    queryset = with_listing_data(queryset, channel=channel)
    if price_min is not None:
        queryset = queryset.filter(price_amount__gte=int(price_min))
    if price_max is not None:
        queryset = queryset.filter(price_amount__lte=int(price_max))
    if sort in SORT_FIELDS:
        return queryset.order_by(*SORT_FIELDS[sort])
    if search_terms(query):
        return queryset  # best match first (`listing_search`)
    return queryset.order_by(*SORT_FIELDS["name"])


def product_search(*, channel, query: str, actor=None) -> QuerySet[Product]:
    """Accent-free search (`gao st25` finds `Gạo ST25`), exact-accent name matches first."""
    return products_filter(channel=channel, query=query, actor=actor)


def variant_prices(*, variant_ids: Iterable[int], channel) -> dict[int, VariantPrice]:
    """Price per variant id in `channel` (one query); variants without a price are absent."""
    rows = ProductVariantChannelListing.objects.filter(variant_id__in=list(variant_ids), channel=channel)
    return {
        variant_id: VariantPrice(price=price, compare_at=compare_at, currency=channel.currency_code)
        for variant_id, price, compare_at in rows.values_list("variant_id", "price_amount", "compare_at_amount")
    }


def combo_components(*, variant_ids: Iterable[int]) -> dict[int, list[ComboComponent]]:
    """Components of each combo variant, with their variants and products (one query)."""
    result: dict[int, list[ComboComponent]] = {}
    rows = ComboComponent.objects.filter(combo_id__in=list(variant_ids)).select_related(
        "component", "component__product", "component__product__cooperative"
    )
    for row in rows:
        result.setdefault(row.combo_id, []).append(row)
    return result


def thumbnail_url(*, media: ProductMedia, size: int, format: str = "WEBP", thumbnails=None) -> str:
    """URL of the smallest generated thumbnail at least `size` px on its longer side; the original
    when none is that large (or none is made yet). `thumbnails`: the media's, when the caller has
    them (else read through `media.thumbnails`)."""
    if thumbnails is None:
        thumbnails = media.thumbnails.all()
    fitting = [t for t in thumbnails if t.format == format.upper() and t.size >= size]
    if fitting:
        return min(fitting, key=lambda t: t.size).image.url
    return media.image.url if media.image else media.external_url


def categories_tree() -> list[Category]:
    """Root categories with their children prefetched two levels deep."""
    return list(
        Category.objects.filter(parent__isnull=True).prefetch_related("children", "children__children")
    )


def root_categories() -> QuerySet[Category]:
    """Top-level categories alone, for lists of their names (no subtree prefetch)."""
    return Category.objects.filter(parent__isnull=True)


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.select_related("parent").filter(slug=slug).first()


def collections_visible(*, channel, actor=None) -> QuerySet[Collection]:
    if is_program_staff(actor):
        return Collection.objects.all()
    now = timezone.now()
    published = CollectionChannelListing.objects.filter(collection=OuterRef("pk"), channel=channel,
                                                        is_published=True).filter(
        Q(published_at__isnull=True) | Q(published_at__lte=now)
    )
    return Collection.objects.filter(Exists(published))


def collection_by_slug(*, slug: str, channel, actor=None) -> Collection | None:
    return collections_visible(channel=channel, actor=actor).filter(slug=slug).first()


def collections_featured(*, channel) -> QuerySet[Collection]:
    return collections_visible(channel=channel).filter(is_featured=True)


def thumbnails_for(media_ids: Iterable[int]) -> dict[int, list[ProductMediaThumbnail]]:
    result: dict[int, list[ProductMediaThumbnail]] = {}
    for thumb in ProductMediaThumbnail.objects.filter(media_id__in=list(media_ids)):
        result.setdefault(thumb.media_id, []).append(thumb)
    return result
