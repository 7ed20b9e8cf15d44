"""Shop pages that show the catalog: home, category, collection, search, product, cooperative store."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from storefront.cooperative.selectors import cooperative_by_slug, cooperatives_selling
from storefront.product.catalog_cache import cached, is_shopper_view
from storefront.product.models import ProductMedia, ProductType
from storefront.product.selectors import (VariantPrice, category_by_slug, collection_by_slug, collections_featured,
                                          combo_components, product_by_slug, products_filter, root_categories)
from storefront.warehouse.markdown import has_rule, line_prices
from storefront.warehouse.selectors import next_lots, variants_quantity_available

from ..channel import current_channel
from ..listing import card_products, cards_for, first_products, listing_page

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
        card_products(combo_ids + new_ids, channel=channel, actor=request.user))}
    return render(request, "web/home.html", {
        "combo_cards": [cards[pk] for pk in combo_ids if pk in cards],
        "new_cards": [cards[pk] for pk in new_ids if pk in cards],
        "categories": root_categories(),
        # Names and provinces only: the selector's profile prefetches are for the store pages.
        "cooperatives": cooperatives_selling().select_related("province").prefetch_related(None)[:HOME_SECTION_SIZE],
        "featured_collections": collections_featured(channel=channel).order_by("sort_order", "pk")[:6],
    })


def _category_with_children(slug):
    node = category_by_slug(slug)
    if node is not None:
        node.subcategories = list(node.children.all())
    return node


@require_GET
def category(request, slug):
    node = cached("category-page", slug, lambda: _category_with_children(slug))  # same for every visitor
    if node is None:
        raise Http404
    form, page, cards = _listing(request, category=node)
    return render(request, "web/listing.html", {
        "heading_object": node, "form": form, "page": page, "cards": cards,
        "subcategories": node.subcategories, "breadcrumb_parent": node.parent,
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
    query = (request.GET.get("q") or "").strip()[:100]
    form, page, cards = _listing(request, query=query)
    return render(request, "web/search.html", {"query": query, "form": form, "page": page, "cards": cards})


@require_GET
def search_suggest(request):
    """Suggestions as the shopper types (htmx swaps this fragment under the search box)."""
    query = (request.GET.get("q") or "").strip()[:100]
    products = []
    if len(query) >= 2:
        products = first_products(products_filter(channel=current_channel(request), actor=request.user,
                                                  query=query), SUGGESTION_COUNT)
    return render(request, "web/_suggestions.html", {"query": query, "products": products})


def _product_page(*, slug, channel, actor):
    """The product with everything its page shows but stock, or None when `actor` may not see it."""
    product = product_by_slug(slug=slug, channel=channel, actor=actor)
    if product is not None:
        coop = product.cooperative
        product.page_certifications = (list(product.certifications.all())
                                       + list(coop.certifications.filter(product=None)))
        product.page_attributes = [a for a in product.attributes.all() if a.attribute.visible_in_storefront]
    return product


@require_GET
def product_detail(request, slug):
    channel = current_channel(request)
    if is_shopper_view(request.user):  # stock is read below, live
        product = cached("product-page", (channel.pk, slug),
                         lambda: _product_page(slug=slug, channel=channel, actor=request.user))
    else:
        product = _product_page(slug=slug, channel=channel, actor=request.user)
    if product is None:
        raise Http404
    variants = list(product.variants.all())
    variant_ids = [v.pk for v in variants]
    # The selector prefetched each variant's listing in this channel: no second price query.
    prices = {v.pk: VariantPrice(price=listing.price_amount, compare_at=listing.compare_at_amount,
                                 currency=channel.currency_code)
              for v in variants for listing in v.channel_listings.all()}
    available = variants_quantity_available(variant_ids=variant_ids)
    # The lot each variant's next unit comes from, when the cooperative shows its dates (one query).
    upcoming = next_lots(variant_ids=variant_ids) if product.show_lot_dates and variant_ids else {}
    for variant in variants:
        variant.next_lot = upcoming.get(variant.pk)
        price = prices.get(variant.pk)
        variant.price = price.price if price else None
        variant.compare_at = price.compare_at if price and price.is_discounted else None
        variant.available = available.get(variant.pk, 0)
    # A unit from a lot in its last days costs less: shown with the day the lower price lasts until.
    if has_rule(product):
        markdown = line_prices(lines=[(v.pk, v, 1, v.price) for v in variants if v.price is not None])
        for variant in variants:
            plan = markdown.get(variant.pk)
            variant.markdown = plan if plan and plan.marked_units else None
    selected = _selected_variant(variants, request.GET.get("variant"))
    media = [m for m in product.media.all() if m.type == ProductMedia.Type.IMAGE and m.image]
    coop = product.cooperative
    return render(request, "web/product.html", {
        "product": product,
        "variants": variants,
        "selected": selected,
        "media": media,
        "cooperative": coop,
        "certifications": product.page_certifications,
        "combo_components": (combo_components(variant_ids=[selected.pk]).get(selected.pk, [])
                             if selected and product.is_combo else []),
        "attributes": product.page_attributes,
    })


def _selected_variant(variants, wanted):
    for variant in variants:
        if str(variant.pk) == str(wanted):
            return variant
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
