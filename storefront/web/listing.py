"""Product lists for the shop pages: the filter form read from the query string, pagination, and
the data each product card needs, in a fixed number of queries whatever the page size.

What a shopper may see, how filters match and the cards' data are the catalog read model
(`storefront.product.listing`); this module turns the query string into its arguments and adds the
page's links and the live stock state to the cards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from storefront.core.models import Province
from storefront.product.listing import product_cards, product_listing
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
    """A product card: the catalog's `ProductCard`, the page's link, and stock read live."""
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


def cards_for(product_cards, *, size: int = CARD_IMAGE_SIZE) -> list[Card]:
    """Page cards for the catalog's `ProductCard`s, with one batched availability lookup."""
    product_cards = list(product_cards)
    urls = product_urls(c.product.slug for c in product_cards)
    availability = variants_quantity_available(
        variant_ids=[c.first_variant.pk for c in product_cards if c.first_variant is not None])
    return [Card(product=c.product, price=c.price, variant=c.first_variant,
                 available=availability.get(c.first_variant.pk, 0) if c.first_variant else 0,
                 image_url=c.image_url(size), image_alt=c.image_alt, url=urls[c.product.slug])
            for c in product_cards]


def listing_page(*, channel, actor, params, page_number, **scope):
    """(form, page, cards) for a filtered, sorted, paginated product list; `scope` narrows it
    (category=, collection=, cooperative=, query=)."""
    form = ListingFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    per_page = data.get("per_page") or DEFAULT_PAGE_SIZE
    ids = product_listing(channel=channel, actor=actor, first_page_size=per_page, **scope, **filter_arguments(data))
    page = Paginator(ids, per_page).get_page(page_number)
    page.object_list = product_cards(page.object_list, channel=channel, actor=actor)
    return form, page, cards_for(page.object_list)
