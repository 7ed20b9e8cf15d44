"""Product lists for the shop pages: the filter form read from the query string, pagination, and
the data each product card needs, in a fixed number of queries whatever the page size.

What a shopper may see and how filters match is `storefront.product.selectors.products_filter`;
this module turns the query string into its arguments and batches the stock state of a page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from storefront.core.models import Province
from storefront.product.catalog_cache import cached, is_shopper_view
from storefront.product.models import Product, ProductMedia, ProductVariant
from storefront.product.selectors import products_filter, thumbnail_url, with_listing_data
from storefront.product.standards import OCOP, STANDARDS
from storefront.warehouse.selectors import variants_quantity_available

PAGE_SIZES = (12, 24, 48)
DEFAULT_PAGE_SIZE = 24
CARD_IMAGE_SIZE = 256

SORTS = [
    ("-created", _("Mới nhất")),
    ("price", _("Giá thấp đến cao")),
    ("-price", _("Giá cao đến thấp")),
    ("name", _("Tên A–Z")),
]


class ListingFilterForm(forms.Form):
    min_price = forms.IntegerField(label=_("Giá từ (₫)"), required=False, min_value=0)
    max_price = forms.IntegerField(label=_("Giá đến (₫)"), required=False, min_value=0)
    standard = forms.ChoiceField(label=_("Tiêu chuẩn"), required=False,
                                 choices=[("", _("Tất cả"))] + [(s, s) for s in STANDARDS])
    province = forms.ModelChoiceField(label=_("Tỉnh/thành xuất xứ"), required=False,
                                      queryset=Province.objects.all(), empty_label=_("Tất cả"))
    in_stock = forms.BooleanField(label=_("Chỉ hàng còn"), required=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORTS)
    per_page = forms.TypedChoiceField(label=_("Mỗi trang"), required=False, coerce=int,
                                      choices=[(n, n) for n in PAGE_SIZES], empty_value=DEFAULT_PAGE_SIZE)

    def controls(self) -> list["FilterControl"]:
        return filter_controls(self)


@dataclass(frozen=True)
class FilterControl:
    """One filter field as plain data for `includes/filters.html`: Django's widget rendering runs a
    template per <option>, which cost more than the rest of a listing page."""
    name: str
    id: str
    label: str
    kind: str  # "number", "select" or "check"
    value: str
    options: tuple = ()  # (value, label, selected)
    invalid: bool = False


_province_options: tuple | None = None


def _province_choices() -> tuple:
    """(code, name) of every province: reference data that changes only with a migration."""
    global _province_options
    if _province_options is None:
        _province_options = tuple((p.pk, str(p)) for p in Province.objects.all())
    return _province_options


def filter_controls(form: ListingFilterForm) -> list[FilterControl]:
    controls = []
    for bound in form:
        raw = bound.value()
        value = "" if raw is None else str(raw)
        if bound.name == "in_stock":
            controls.append(FilterControl(bound.name, bound.id_for_label, bound.label, "check",
                                          "on" if bound.field.widget.check_test(raw) else ""))
        elif bound.name == "province":
            options = ((("", bound.field.empty_label, value == ""),)
                       + tuple((code, name, code == value) for code, name in _province_choices()))
            controls.append(FilterControl(bound.name, bound.id_for_label, bound.label, "select", value, options))
        elif isinstance(bound.field, forms.ChoiceField):
            options = tuple((str(v), label, str(v) == value) for v, label in bound.field.choices)
            controls.append(FilterControl(bound.name, bound.id_for_label, bound.label, "select", value, options))
        else:
            controls.append(FilterControl(bound.name, bound.id_for_label, bound.label, "number", value,
                                          invalid=bool(bound.errors)))
    return controls


def filter_arguments(data: dict) -> dict:
    """`products_filter` keyword arguments for the cleaned form data."""
    arguments: dict = {
        "price_min": data.get("min_price"),
        "price_max": data.get("max_price"),
        "province": data.get("province"),
        "in_stock": True if data.get("in_stock") else None,
        "sort": data.get("sort") or None,
    }
    standard = data.get("standard")
    if standard == OCOP:
        arguments["ocop_stars_min"] = 1
    elif standard:
        arguments["standards"] = [standard]
    return arguments


@dataclass
class Card:
    product: object
    price: int | None
    variant: object | None
    available: int
    image_url: str
    image_alt: str
    url: str

    @property
    def in_stock(self) -> bool:
        return self.available > 0


_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_MARK = "slug-mark"


def product_urls(slugs) -> dict[str, str]:
    """Product page URL per slug. One `reverse` for the whole page: the URL is a fixed pattern around
    the slug, and a plain slug needs no quoting, so reversing each card's link is wasted work."""
    pattern = reverse("web:product", args=[_SLUG_MARK])
    return {slug: pattern.replace(_SLUG_MARK, slug) if _PLAIN_SLUG.fullmatch(slug)
            else reverse("web:product", args=[slug]) for slug in slugs}


def cards_for(products, *, size: int = CARD_IMAGE_SIZE) -> list[Card]:
    """Card data for products fetched through `products_filter` (its prefetches), plus one
    batched availability lookup."""
    products = list(products)
    urls = product_urls(p.slug for p in products)
    first_variant = {p.pk: next(iter(p.variants.all()), None) for p in products}
    availability = variants_quantity_available(
        variant_ids=[v.pk for v in first_variant.values() if v is not None])
    cards = []
    for product in products:
        variant = first_variant[product.pk]
        media = next(iter(product.media.all()), None)
        cards.append(Card(
            product=product,
            price=getattr(product, "price_amount", None),
            variant=variant,
            available=availability.get(variant.pk, 0) if variant else 0,
            image_url=thumbnail_url(media=media, size=size) if media else "",
            image_alt=(media.alt or product.name) if media else product.name,
            url=urls[product.slug],
        ))
    return cards


def fetch_ordered(queryset, ids) -> list:
    """The full rows (with the selector's joins and prefetches) of `ids`, in that order."""
    rows = {p.pk: p for p in queryset.filter(pk__in=list(ids)).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


CARD_FIELDS = ("name", "name_en", "slug", "standards", "ocop_stars", "cooperative__name", "cooperative__slug",
               "cooperative__province__name")


def fetch_card_products(queryset, ids) -> list:
    """Like `fetch_ordered`, but only what a product card shows: no descriptions or search text,
    and no variant prices (the card's price is the listing's, already joined)."""
    card_rows = (queryset.select_related(None).select_related("cooperative__province").only(*CARD_FIELDS)
                 .prefetch_related(None)
                 .prefetch_related(Prefetch("media", queryset=ProductMedia.objects.order_by("sort_order", "pk")
                                            .prefetch_related("thumbnails")),
                                   Prefetch("variants", queryset=ProductVariant.objects.order_by("sort_order", "sku")
                                            .only("pk", "product_id", "sort_order", "sku"))))
    return fetch_ordered(card_rows, ids)


def card_products(ids, *, channel, actor) -> list:
    """The card rows of `ids`, which the caller took from a listing `actor` may see, in that order.

    By primary key alone, not through the listing's filters again (a search's text conditions cost
    PostgreSQL as much the second time); with the channel's price. Cached per channel and ids for a
    shopper; their stock is looked up afterwards, live, by `cards_for`."""
    ids = list(ids)

    def fetch():
        return fetch_card_products(with_listing_data(Product.objects.all(), channel=channel), ids)

    return cached("card-products", (channel.pk, tuple(ids)), fetch) if is_shopper_view(actor) else fetch()


def first_products(queryset, limit: int) -> list:
    """The first `limit` products of a sorted listing. The sort runs over ids alone, then only
    those rows are loaded whole: sorting thousands of joined, wide rows costs far more."""
    return fetch_ordered(queryset, list(queryset.values_list("pk", flat=True)[:limit]))


class ListingIds:
    """What a Paginator asks of a listing's ids: the count, then one slice.

    With `counted_with_first_page` (a text search), the count and the first page come from one query
    (`COUNT(*) OVER ()` beside the first page's ids): a search's matches are all found and ranked for
    its first page anyway, so counting them is then nearly free. Elsewhere the first page is read off
    an index in a sorted order (newest, name), which a window over every row would defeat: the count
    is its own query. With a `key` (a shopper's listing) every answer is cached under the catalog version."""

    def __init__(self, queryset, *, per_page: int, key=None, counted_with_first_page: bool = False):
        self.queryset, self.per_page, self.key = queryset, per_page, key
        self.counted_with_first_page = counted_with_first_page and not queryset.query.distinct

    def _cached(self, namespace: str, parts, compute):
        return compute() if self.key is None else cached(namespace, (self.key, parts), compute)

    def _first_page_and_count(self) -> tuple[list[int], int]:
        def compute():
            rows = list(self.queryset.annotate(listing_total=Window(Count("pk")))
                        .values_list("pk", "listing_total")[:self.per_page])
            return [pk for pk, _ in rows], (rows[0][1] if rows else 0)

        if not hasattr(self, "_first"):
            self._first = self._cached("listing-first-page", self.per_page, compute)
        return self._first

    def count(self) -> int:
        if self.counted_with_first_page:
            return self._first_page_and_count()[1]
        return self._cached("listing-count", None, self.queryset.count)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        if self.counted_with_first_page and window.start == 0 and window.stop <= self.per_page:
            return self._first_page_and_count()[0][:window.stop]
        return self._cached("listing-ids", (window.start, window.stop),
                            lambda: list(self.queryset.values_list("pk", flat=True)[window]))


def _key_part(value):
    return getattr(value, "pk", value)


def listing_page(*, channel, actor, params, page_number, **scope):
    """(form, page, cards) for a filtered, sorted, paginated product list; `scope` narrows it
    (category=, collection=, cooperative=, query=)."""
    form = ListingFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    arguments = filter_arguments(data)
    queryset = products_filter(channel=channel, actor=actor, **scope, **arguments)
    per_page = data.get("per_page") or DEFAULT_PAGE_SIZE
    key = None
    if is_shopper_view(actor) and not arguments["in_stock"]:  # stock is never cached
        key = (channel.pk, sorted((k, _key_part(v)) for k, v in {**scope, **arguments}.items()))
    ids = ListingIds(queryset, per_page=per_page, key=key, counted_with_first_page=bool(scope.get("query")))
    page = Paginator(ids, per_page).get_page(page_number)
    page.object_list = card_products(page.object_list, channel=channel, actor=actor)
    return form, page, cards_for(page.object_list)
