"""Can these variants be bought in these quantities in this channel? One answer for adding to the
cart, for listing a cart's problems and for placing the order.

Quantities must be whole numbers from 1 to `MAX_LINE_QUANTITY`; the product must be published in
the channel with a price, available for purchase, and sold by an approved cooperative (for a
combo: every component's cooperative too); the quantity must be in stock.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.checkout.error_codes import CheckoutErrorCode
from storefront.cooperative.models import Cooperative
from storefront.product.models import (ComboComponent, ProductChannelListing, ProductType, ProductVariant,
                                       ProductVariantChannelListing)
from storefront.warehouse.selectors import variants_quantity_available

MAX_LINE_QUANTITY = getattr(settings, "CHECKOUT_MAX_LINE_QUANTITY", 1000)
MAX_LINES = getattr(settings, "CHECKOUT_MAX_LINES", 100)


class LineErrors:
    """Collects errors per field; raised as one ValidationError so nothing is written."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: CheckoutErrorCode, variants=()) -> None:
        params = {"variants": [int(v) for v in variants]} if variants else None
        self.errors.setdefault(field, []).append(ValidationError(message, code=code.value, params=params))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


@dataclass
class VariantContext:
    """Everything needed to sell a variant in a channel, loaded in a few queries."""

    variant: ProductVariant
    price: int | None
    published: bool
    available_for_purchase: bool
    sellers_approved: bool

    @property
    def label(self) -> str:
        name = self.variant.product.name
        return f"{name} ({self.variant.name})" if self.variant.name else f"{name} [{self.variant.sku}]"


def load_variant_contexts(*, variant_ids, channel, variants=None, listings=None,
                          prices=None) -> dict[int, VariantContext]:
    """`variants`: the same variants already loaded with product, cooperative and product type.
    `listings` ({product id: its ProductChannelListing in `channel`}) and `prices` ({variant id: price
    in `channel`}), when the caller read them with the variants; a product or variant missing from
    them has no listing or price in the channel."""
    ids = {int(v) for v in variant_ids}
    if not ids:
        return {}
    if variants is None:
        variants = ProductVariant.objects.filter(pk__in=ids).select_related("product__cooperative",
                                                                             "product__product_type")
    variants = {v.pk: v for v in variants if v.pk in ids}
    if listings is None:
        product_ids = {v.product_id for v in variants.values()}
        listings = {
            row.product_id: row
            for row in ProductChannelListing.objects.filter(product_id__in=product_ids, channel=channel)
        }
    if prices is None:
        prices = dict(
            ProductVariantChannelListing.objects.filter(variant_id__in=ids, channel=channel).values_list(
                "variant_id", "price_amount")
        )
    combo_ids = {pk for pk, v in variants.items() if v.product.product_type.kind == ProductType.Kind.COMBO}
    blocked_combos = set(
        ComboComponent.objects.filter(combo_id__in=combo_ids)
        .exclude(component__product__cooperative__status=Cooperative.Status.APPROVED)
        .values_list("combo_id", flat=True)
    ) if combo_ids else set()
    now = timezone.now()
    contexts = {}
    for pk, variant in variants.items():
        listing = listings.get(variant.product_id)
        published = bool(listing and listing.is_published and (listing.published_at is None or listing.published_at <= now))
        available = bool(listing and (listing.available_for_purchase_at is None
                                      or listing.available_for_purchase_at <= now))
        approved = variant.product.cooperative.status == Cooperative.Status.APPROVED and pk not in blocked_combos
        contexts[pk] = VariantContext(variant=variant, price=prices.get(pk), published=published,
                                      available_for_purchase=available, sellers_approved=approved)
    return contexts


def clean_quantity(raw, *, allow_zero: bool, errors: LineErrors, variant_id=None) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int):
        errors.add("quantity", _("Số lượng phải là số nguyên."), CheckoutErrorCode.INVALID,
                   [variant_id] if variant_id else ())
        return None
    if raw < 0 or (raw == 0 and not allow_zero):
        errors.add("quantity", _("Số lượng phải lớn hơn 0."), CheckoutErrorCode.ZERO_QUANTITY,
                   [variant_id] if variant_id else ())
        return None
    if raw > MAX_LINE_QUANTITY:
        errors.add("quantity", _("Mỗi dòng tối đa %(n)d sản phẩm.") % {"n": MAX_LINE_QUANTITY},
                   CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT, [variant_id] if variant_id else ())
        return None
    return raw


def purchase_problem(context: VariantContext) -> tuple[CheckoutErrorCode, str] | None:
    """Why this variant cannot be bought now, or None."""
    if not context.published:
        return CheckoutErrorCode.PRODUCT_NOT_PUBLISHED, _("%(item)s chưa được bán trên kênh này.")
    if context.price is None:
        return CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL, _("%(item)s không có giá trên kênh này.")
    if not context.sellers_approved:
        return CheckoutErrorCode.PRODUCT_UNAVAILABLE_FOR_PURCHASE, _("%(item)s tạm ngừng bán (hợp tác xã tạm ngừng).")
    if not context.available_for_purchase:
        return CheckoutErrorCode.PRODUCT_UNAVAILABLE_FOR_PURCHASE, _("%(item)s chưa mở bán.")
    return None


def validate_lines(*, channel, quantities: dict[int, int], contexts: dict[int, VariantContext],
                   errors: LineErrors, check_stock: bool = True) -> None:
    """Check the final quantity wanted per variant id (0 = line removed, not checked)."""
    wanted = {vid: qty for vid, qty in quantities.items() if qty > 0}
    for vid, qty in wanted.items():
        context = contexts[vid]
        problem = purchase_problem(context)
        if problem:
            code, message = problem
            errors.add("lines", message % {"item": context.label}, code, [vid])
            continue
        if qty > MAX_LINE_QUANTITY:
            errors.add("quantity", _("Mỗi dòng tối đa %(n)d sản phẩm.") % {"n": MAX_LINE_QUANTITY},
                       CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT, [vid])
            continue
        limit = context.variant.quantity_limit_per_customer
        if limit and qty > limit:
            errors.add("quantity", _("%(item)s: mỗi khách mua tối đa %(n)d.") % {"item": context.label, "n": limit},
                       CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT, [vid])
    if check_stock and wanted:
        available = variants_quantity_available(variant_ids=wanted)
        for vid, qty in wanted.items():
            if qty > available[vid] and purchase_problem(contexts[vid]) is None:
                errors.add("quantity", _("%(item)s chỉ còn %(n)d.") % {"item": contexts[vid].label, "n": available[vid]},
                           CheckoutErrorCode.INSUFFICIENT_STOCK, [vid])
