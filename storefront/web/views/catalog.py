"""Shop pages that show the catalog: home, category, collection, search, product, cooperative store."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from storefront.cooperative.selectors import cooperative_by_slug, cooperatives_selling
from storefront.product.catalog_cache import cached, is_shopper_view
from storefront.product.listing import category_page, product_cards, product_listing, product_page
from storefront.product.models import ProductMedia, ProductType
from storefront.product.weighing import weighed_sale_of
from storefront.product.selectors import (OCOP_ATTRIBUTE, STANDARD_ATTRIBUTE, collection_by_slug, collections_featured, combo_components, products_filter,
                                          root_categories)
from storefront.warehouse.markdown import has_rule, line_prices
from storefront.warehouse.selectors import next_lots, variants_quantity_available

from ..channel import current_channel
from ..forms import SearchForm
from ..listing import ListingFilterForm, cards_for, listing_page

HOME_SECTION_SIZE = 8
SUGGESTION_COUNT = 8


def _listing(request, **scope):
    return listing_page(channel=current_channel(request), actor=request.user, params=request.GET,
                        page_number=request.GET.get("page"), **scope)


@require_GET
def home(request):
    channel = current_channel(request)
    latest = products_filter(channel=channel, actor=request.user, sort="-created")
    combo = ProductType.Kind.COMBO

    def section_ids():
        combo_types = list(ProductType.objects.filter(kind=combo).values_list("pk", flat=True))
        combos = (list(latest.filter(product_type_id__in=combo_types).values_list("pk", flat=True)[:HOME_SECTION_SIZE])
                  if combo_types else [])
        return combos, list(latest.exclude(product_type_id__in=combo_types).values_list("pk", flat=True)
                            [:HOME_SECTION_SIZE])

    # The combo section scans the newest products for the few combos: worth caching per catalog version.
    combo_ids, new_ids = (cached("home-sections", channel.pk, section_ids) if is_shopper_view(request.user)
                          else section_ids())
    # Both sections' cards in one load: one set of joins, prefetches and stock lookups.
    cards = {card.product.pk: card for card in cards_for(
        product_cards(combo_ids + new_ids, channel=channel, actor=request.user))}
    return render(request, "web/home.html", {
        "combo_cards": [cards[pk] for pk in combo_ids if pk in cards],
        "new_cards": [cards[pk] for pk in new_ids if pk in cards],
        "categories": root_categories(),
        # Names and provinces only: the selector's profile prefetches are for the store pages.
        "cooperatives": cooperatives_selling().select_related("province").prefetch_related(None)[:HOME_SECTION_SIZE],
        "featured_collections": collections_featured(channel=channel).order_by("sort_order", "pk")[:6],
    })


@require_GET
def category(request, slug):
    found = category_page(slug)
    if found is None:
        raise Http404
    node = found.category
    form, page, cards = _listing(request, category=node)
    return render(request, "web/listing.html", {
        "heading_object": node, "form": form, "page": page, "cards": cards,
        "subcategories": found.subcategories, "breadcrumb_parent": node.parent,
    })


@require_GET
def collection(request, slug):
    node = collection_by_slug(slug=slug, channel=current_channel(request), actor=request.user)
    if node is None:
        raise Http404
    form, page, cards = _listing(request, collection=node)
    return render(request, "web/listing.html", {"heading_object": node, "form": form, "page": page, "cards": cards})


@require_GET
def search(request):
    search_form = SearchForm(request.GET)
    if not search_form.is_valid():
        return render(request, "web/search.html", {"query": "", "search_errors": search_form.errors["q"],
                                                   "form": ListingFilterForm()}, status=400)
    query = search_form.query()
    form, page, cards = _listing(request, query=query)
    return render(request, "web/search.html", {"query": query, "form": form, "page": page, "cards": cards})


@require_GET
def search_suggest(request):
    """Suggestions as the shopper types (htmx swaps this fragment under the search box)."""
    search_form = SearchForm(request.GET)
    if not search_form.is_valid():
        return render(request, "web/_suggestions.html", {"query": "", "products": []}, status=400)
    query = search_form.query()
    cards = []
    if len(query) >= 2:
        channel = current_channel(request)
        ids = product_listing(channel=channel, actor=request.user, query=query, first_page_size=SUGGESTION_COUNT)
        cards = product_cards(ids[:SUGGESTION_COUNT], channel=channel, actor=request.user)
    return render(request, "web/_suggestions.html", {"query": query, "products": [c.product for c in cards]})


@dataclass(frozen=True)
class VariantOffer:
    """A variant as the product page offers it: its price in the channel and its stock, read live."""
    variant: object
    price: int | None
    compare_at: int | None  # only when above the price
    available: int
    next_lot: object = None  # the lot the next unit comes from, when the cooperative shows its dates
    markdown: object = None  # the near-expiry price plan, when a lot in its last days lowers the price
    weighed: object = None  # how it is sold by weight (WeighedSale), when it is

    @property
    def pk(self):
        return self.variant.pk

    @property
    def name(self):
        return self.variant.name

    @property
    def sku(self):
        return self.variant.sku


@require_GET
def product_detail(request, slug):
    channel = current_channel(request)
    found = product_page(channel=channel, actor=request.user, slug=slug, with_certifications=True)  # stock: below, live
    if found is None:
        raise Http404
    card, product = found.card, found.product
    variant_ids = [v.pk for v in card.variants]
    available = variants_quantity_available(variant_ids=variant_ids)
    # The lot each variant's next unit comes from, when the cooperative shows its dates (one query).
    upcoming = next_lots(variant_ids=variant_ids) if product.show_lot_dates and variant_ids else {}
    listings = {v.pk: card.variant_listings.get(v.pk) for v in card.variants}
    # A unit from a lot in its last days costs less: shown with the day the lower price lasts until.
    markdown = (line_prices(lines=[(v.pk, v, 1, listings[v.pk].price_amount) for v in card.variants
                                   if listings[v.pk] is not None])
                if has_rule(product) else {})
    variants = []
    for variant in card.variants:
        listing = listings[variant.pk]
        compare_at = listing.compare_at_amount if listing else None
        plan = markdown.get(variant.pk)
        variants.append(VariantOffer(
            variant=variant, price=listing.price_amount if listing else None,
            compare_at=compare_at if listing and compare_at and compare_at > listing.price_amount else None,
            available=available.get(variant.pk, 0), next_lot=upcoming.get(variant.pk),
            markdown=plan if plan and plan.marked_units else None,
            weighed=weighed_sale_of(variant, product)))
    selected = _selected_variant(variants, request.GET.get("variant"))
    media = [m for m in card.media if m.type == ProductMedia.Type.IMAGE and m.image]
    return render(request, "web/product.html", {
        "product": product,
        "variants": variants,
        "selected": selected,
        "media": media,
        "cooperative": product.cooperative,
        "certifications": found.certifications,
        "combo_components": (combo_components(variant_ids=[selected.pk]).get(selected.pk, [])
                             if selected and product.is_combo else []),
        # The standard and OCOP attributes mirror `standards`/`ocop_stars` for the filters; the page states them once.
        "attributes": [a for a in found.attributes if a.attribute.slug not in (STANDARD_ATTRIBUTE, OCOP_ATTRIBUTE)],
    })


def _selected_variant(variants, wanted):
    for offer in variants:
        if str(offer.pk) == str(wanted):
            return offer
    in_stock = [v for v in variants if v.available > 0]
    return (in_stock or variants or [None])[0]


@require_GET
def cooperatives(request):
    return render(request, "web/cooperatives.html", {
        "cooperatives": cooperatives_selling().select_related("province", "commune"),
    })


@require_GET
def cooperative_store(request, slug):
    coop = cooperative_by_slug(slug, actor=request.user)
    if coop is None:
        raise Http404
    form, page, cards = _listing(request, cooperative=coop)
    return render(request, "web/cooperative.html", {
        "cooperative": coop,
        "certifications": coop.certifications.all(),  # the selector prefetches the cooperative's own
        "form": form, "page": page, "cards": cards,
    })
