"""The shopper's catalog read model: listings, product cards and the product page, for the web
pages and the GraphQL API alike.

* **Listings.** `product_listing(channel=, actor=, **filters)` is a listing's product ids as a
  paginator reads them (a count, then one slice). The queryset, its filters and sorts are
  `selectors.products_filter`; this module caches the answers under the catalog version.
* **Cards.** `product_cards(ids, channel=, actor=)` loads what a product card or an API listing
  node reads of those products (the product with its cooperative and category, media with
  thumbnails, variants with their price in the channel) in a fixed number of queries, as plain
  data: the relations are held by the `ProductCard`, never written into the model instances.
* **The product page.** `product_page(channel=, actor=, slug=|pk=)`: a card plus what only the
  page shows (certifications, attributes, the seller's address).

What a shopper sees is cached (`catalog_cache.cached`, one catalog version per request); staff,
who see unpublished products of their own, always read the database. Stock is never cached: the
callers read it live (`warehouse.selectors.variants_quantity_available`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, F, FilteredRelation, Q, Window

from .catalog_cache import cached, is_shopper_view
from .models import (Category, Product, ProductMedia, ProductMediaThumbnail, ProductVariant,
                     ProductVariantChannelListing)
from .selectors import (category_by_slug, products_filter, products_visible,
                        thumbnail_url, with_listing_price)

# The joins a card reads (the API's cooperative, with its address, and category of a listed product
# included); the product page adds what it shows of the type (combo) and the origin province.
CARD_JOINS = ("cooperative__province", "cooperative__commune", "category")
PAGE_JOINS = CARD_JOINS + ("product_type", "origin_province")


def _shopper_cached(actor, namespace: str, parts, compute):
    return cached(namespace, parts, compute) if is_shopper_view(actor) else compute()


def _key_part(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(_key_part(v) for v in value))
    return getattr(value, "pk", value)


class ProductListing:
    """A listing's product ids as a paginator reads them: `count()` (or `len`), then one slice.

    With `counted_with_first_page` (a text search), the count and the first page come from one
    query (`COUNT(*) OVER ()` beside the first page's ids): a search's matches are all found and
    ranked for its first page anyway, so counting them is then nearly free. Elsewhere the first page
    is read off an index in a sorted order (newest, name, slug), which a window over every row
    would defeat: the count is its own query. A shopper's answers are cached under the catalog
    version, keyed by the channel and every filter; a stock filter is never cached."""

    def __init__(self, make_queryset, *, key, first_page_size: int, counted_with_first_page: bool):
        # The queryset is built on a cache miss only: building a search's may itself run a query
        # (storefront/product/search.py), which a cached answer must not pay for.
        self._make_queryset, self.key, self.first_page_size = make_queryset, key, first_page_size
        self.counted_with_first_page = counted_with_first_page
        self._first = None

    @cached_property
    def queryset(self):
        return self._make_queryset()

    def _cached(self, namespace: str, parts, compute):
        return compute() if self.key is None else cached(namespace, (self.key, parts), compute)

    def _first_page_and_count(self) -> tuple[list[int], int]:
        def compute():
            rows = list(self.queryset.annotate(listing_total=Window(Count("pk")))
                        .values_list("pk", "listing_total")[:self.first_page_size])
            return [pk for pk, _ in rows], (rows[0][1] if rows else 0)

        if self._first is None:
            self._first = self._cached("listing-first-page", self.first_page_size, compute)
        return self._first

    def count(self) -> int:
        if self.counted_with_first_page:
            return self._first_page_and_count()[1]
        return self._cached("listing-count", None, self.queryset.count)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        start = window.start or 0
        if self.counted_with_first_page and start == 0 and window.stop <= self.first_page_size:
            return self._first_page_and_count()[0][:window.stop]
        return self._cached("listing-ids", (start, window.stop),
                            lambda: list(self.queryset.values_list("pk", flat=True)[start:window.stop]))


def product_listing(*, channel, actor, first_page_size: int = 24, **filters) -> ProductListing:
    """The ids of `selectors.products_filter(channel=, actor=, **filters)` for paging.
    `first_page_size`: the first slice a caller will take (a search counts its matches with it)."""
    key = None
    if is_shopper_view(actor) and filters.get("in_stock") is None:  # stock is never cached
        key = (channel.pk, tuple(sorted((name, _key_part(value)) for name, value in filters.items()
                                        if value not in (None, "", (), []))))
    # A collection filter makes the query DISTINCT, which a window count beside the page cannot serve.
    return ProductListing(lambda: products_filter(channel=channel, actor=actor, **filters), key=key,
                          first_page_size=first_page_size,
                          counted_with_first_page=bool(filters.get("query")) and not filters.get("collection_ids"))


@dataclass
class ProductCard:
    """One product as a card or an API listing node reads it. `product` carries its listing price
    as `price_amount` (the channel listing's denormalised cheapest price, VND)."""
    product: Product
    media: list[ProductMedia]
    thumbnails: dict[int, list[ProductMediaThumbnail]]  # by media id
    variants: list[ProductVariant]
    variant_listings: dict[int, ProductVariantChannelListing]  # by variant id, in the channel

    @property
    def price(self) -> int | None:
        return self.product.price_amount

    @property
    def first_variant(self) -> ProductVariant | None:
        return self.variants[0] if self.variants else None

    def image_url(self, size: int) -> str:
        """The first image's URL at `size` px (see `selectors.thumbnail_url`), "" without one."""
        if not self.media:
            return ""
        media = self.media[0]
        return thumbnail_url(media=media, size=size, thumbnails=self.thumbnails.get(media.pk, ()))

    @property
    def image_alt(self) -> str:
        return (self.media[0].alt or self.product.name) if self.media else self.product.name


def _grouped(rows, key) -> dict:
    groups: dict = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


# A variant's listing in the channel, read on the variants query through this join (at most one row:
# unique per variant and channel); its columns come back as `_listing_<attname>` annotations.
_VARIANT_LISTING = "channel_listing"
_LISTING_FIELDS = [f.attname for f in ProductVariantChannelListing._meta.concrete_fields]  # from_db's order
_LISTING_COLUMNS = [name for name in _LISTING_FIELDS if name not in ("variant_id", "channel_id")]


def _variants_with_listing(product_ids: list[int], *, channel) -> tuple[list[ProductVariant], dict]:
    """The variants of `product_ids` (in card order) and their listings in `channel` by variant id,
    in one query: the listing's columns are joined onto the variants' (LEFT JOIN, so a variant
    without a price in the channel is still listed)."""
    rows = list(ProductVariant.objects.filter(product_id__in=product_ids)
                .annotate(**{_VARIANT_LISTING: FilteredRelation(
                    "channel_listings", condition=Q(channel_listings__channel=channel))})
                .annotate(**{f"_listing_{name}": F(f"{_VARIANT_LISTING}__{name}") for name in _LISTING_COLUMNS})
                .order_by("sort_order", "sku"))
    listings = {}
    for variant in rows:
        columns = {name: variant.__dict__.pop(f"_listing_{name}") for name in _LISTING_COLUMNS}
        if columns["id"] is not None:
            columns.update(variant_id=variant.pk, channel_id=channel.pk)
            listings[variant.pk] = ProductVariantChannelListing.from_db(
                variant._state.db, _LISTING_FIELDS, [columns[name] for name in _LISTING_FIELDS])
    return rows, listings


def _cards_of(products: list[Product], *, channel) -> list[ProductCard]:
    """Cards of `products` (loaded with `CARD_JOINS` and their listing price), in that order: three
    queries whatever their number (media, their thumbnails, variants with their prices)."""
    ids = [p.pk for p in products]
    if not ids:
        return []
    media = _grouped(ProductMedia.objects.filter(product_id__in=ids).order_by("sort_order", "pk"),
                     lambda row: row.product_id)
    media_ids = [item.pk for items in media.values() for item in items]
    thumbnails = (_grouped(ProductMediaThumbnail.objects.filter(media_id__in=media_ids), lambda row: row.media_id)
                  if media_ids else {})
    variant_rows, listings = _variants_with_listing(ids, channel=channel)
    variants = _grouped(variant_rows, lambda row: row.product_id)
    cards = []
    for product in products:
        product_media, product_variants = media.get(product.pk, []), variants.get(product.pk, [])
        cards.append(ProductCard(
            product=product, media=product_media,
            thumbnails={item.pk: thumbnails.get(item.pk, []) for item in product_media},
            variants=product_variants,
            variant_listings={v.pk: listings[v.pk] for v in product_variants if v.pk in listings}))
    return cards


def _card_products(queryset, *, channel, joins=CARD_JOINS):
    return with_listing_price(queryset.select_related(*joins).defer("search_text"), channel=channel)


def product_cards(ids: Iterable[int], *, channel, actor) -> list[ProductCard]:
    """Cards of `ids`, which the caller took from a listing `actor` may see, in that order.

    By primary key alone, not through the listing's filters again (a search's text conditions cost
    PostgreSQL as much the second time). Cached per channel and ids for a shopper."""
    ids = list(ids)
    if not ids:
        return []

    def load():
        rows = {p.pk: p for p in _card_products(Product.objects.filter(pk__in=ids), channel=channel).order_by()}
        return _cards_of([rows[pk] for pk in ids if pk in rows], channel=channel)

    return _shopper_cached(actor, "product-cards", (channel.pk, tuple(ids)), load)


@dataclass
class ProductPage:
    """A product page's catalog data: the card, and what only the page shows."""
    card: ProductCard
    certifications: list = field(default_factory=list)  # the product's, then its cooperative's general ones
    attributes: list = field(default_factory=list)  # storefront-visible attribute values

    @property
    def product(self) -> Product:
        return self.card.product


def product_page(*, channel, actor, slug: str | None = None, pk: int | None = None,
                 with_certifications: bool = False) -> ProductPage | None:
    """The product `actor` may see in `channel` by slug or primary key, or None; its certifications
    only when asked (`with_certifications`: the shop's page shows them, the API reads its own)."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}

    def load():
        product = _card_products(products_visible(channel=channel, actor=actor), channel=channel,
                                 joins=PAGE_JOINS).filter(**lookup).first()
        if product is None:
            return None
        # OCOP stars are rated for one product: a cooperative-wide OCOP row belongs to another product's page.
        certifications = (list(product.certifications.all())
                          + list(product.cooperative.certifications.filter(product=None).exclude(type="OCOP"))
                          if with_certifications else [])
        attributes = sorted((value for value in product.attributes.select_related("attribute")
                             if value.attribute.visible_in_storefront),
                            key=lambda a: (a.attribute_id, a.sort_order, a.pk))
        return ProductPage(card=_cards_of([product], channel=channel)[0], certifications=certifications,
                           attributes=attributes)

    return _shopper_cached(actor, "product-page", (channel.pk, sorted(lookup.items()), with_certifications), load)


@dataclass
class CategoryPage:
    category: Category
    subcategories: list[Category]


def category_page(slug: str) -> CategoryPage | None:
    """A category with its parent and children (the same for every visitor)."""
    def load():
        node = category_by_slug(slug)
        return CategoryPage(category=node, subcategories=list(node.children.all())) if node else None

    return cached("category-page", slug, load)


# Cached (pickled) by this module: their fields are part of the cache keys' schema digest.
CACHED_CLASSES = (ProductCard, ProductPage, CategoryPage)
