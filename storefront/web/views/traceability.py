"""The public page of a harvest lot, reached from the QR code on a packing slip: what the product is,
who grew it where, when, and to which standard. Nothing about any buyer is read or shown."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from storefront.warehouse.selectors import stock_lot_public

PAGE_LANGUAGES = ("vi", "en")


@require_GET
def lot_page(request, public_id):
    lot = stock_lot_public(public_id=public_id)
    if lot is None:
        raise Http404
    # A QR code is scanned by people who may not read Vietnamese: `?lang=en` opens the page in English.
    language = request.GET.get("lang")
    with translation.override(language if language in PAGE_LANGUAGES else translation.get_language()):
        response = render(request, "web/lot.html", {
            "lot": lot, "product": lot.stock.product_variant.product, "variant": lot.stock.product_variant,
            "cooperative": lot.cooperative, "warehouse": lot.stock.warehouse,
        })
    return response
