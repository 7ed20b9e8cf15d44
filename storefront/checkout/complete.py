"""Turning a checkout into an order, once.

The checkout row is locked first (a double submit waits here), everything is re-validated, the
order service writes the order (its lines, one fulfilment per cooperative, its event), the payment
is started, the checkout is deleted and stock is allocated under row locks; all in one transaction. A second
call, concurrent or later, finds the order by `Order.checkout_token` and returns it.
"""
from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.account.models import ConsentRecord
from storefront.account.services import consent_record
from storefront.checkout.discounts import checkout_discount_plan, priced_line
from storefront.checkout.error_codes import CheckoutErrorCode
from storefront.checkout.models import Checkout, CheckoutLine
from storefront.checkout.services import checkout_delete
from storefront.checkout.validation import LineErrors, load_variant_contexts, validate_lines
from storefront.order.models import Order
from storefront.discount.services import VoucherUnavailable, voucher_use
from storefront.order.services import OrderDiscountDraft, OrderLineDraft, order_place
from storefront.payment.gateways import gateway_for
from storefront.product.models import ComboComponent, ProductChannelListing
from storefront.shipping.selectors import shipping_methods_for
from storefront.warehouse.management import InsufficientStock, allocate_stock
from storefront.warehouse.markdown import has_rule, line_prices, marked_units_taken
from storefront.warehouse.selectors import combo_components_of


def _owned_by(actor, user_id) -> bool:
    return user_id is None or (actor is not None and actor.is_authenticated and actor.pk == user_id)


def _existing_order(token, actor) -> Order | None:
    order = Order.objects.filter(checkout_token=token).first()
    if order is not None and not _owned_by(actor, order.user_id):
        raise PermissionDenied(_("Bạn không có quyền xem đơn hàng này."))
    return order


def checkout_complete(*, checkout: Checkout, actor=None, payment_gateway: str | None = None,
                      require_privacy_consent: bool = True) -> Order:
    """Place the order of `checkout` (idempotent: a second call returns the same order).

    Our pages ask for consent to personal-data processing and pass `require_privacy_consent`;
    a Saleor storefront on the API shows its own consent and may report it (privacyConsent),
    so the API does not require it: Saleor's checkoutComplete has no such field.
    """
    token = checkout.pk
    try:
        with transaction.atomic():
            locked = (Checkout.objects.select_for_update(of=("self",))
                      .select_related("channel", "user", "shipping_address__province")
                      .filter(pk=token).first())
            if locked is None:  # already completed (or by a concurrent call that committed while we waited)
                order = None
            else:
                if not _owned_by(actor, locked.user_id):
                    raise PermissionDenied(_("Bạn không có quyền đặt hàng từ giỏ hàng này."))
                order = _place_order(locked, actor=actor, gateway_id=payment_gateway or locked.payment_gateway,
                                     require_privacy_consent=require_privacy_consent)
    except IntegrityError:
        # SQLite has no row locks: the loser of a double submit trips Order.checkout_token's unique index.
        order = None
    if order is None:
        order = _existing_order(token, actor)
        if order is None:
            raise ValidationError({"token": ValidationError(_("Không tìm thấy giỏ hàng."),
                                                            code=CheckoutErrorCode.NOT_FOUND.value)})
    return order


def _user_consented(user) -> bool:
    if user is None:
        return False
    latest = ConsentRecord.objects.filter(user=user, purpose=ConsentRecord.Purpose.DATA_PROCESSING).order_by(
        "-created_at").first()
    return bool(latest and latest.granted)


def _place_order(checkout: Checkout, *, actor, gateway_id: str, require_privacy_consent: bool) -> Order:
    errors: dict[str, ValidationError] = {}

    def fail(field, message, code):
        errors.setdefault(field, ValidationError(message, code=code.value))

    user = checkout.user if checkout.user_id else (actor if actor is not None and actor.is_authenticated else None)
    lines = _load_lines(checkout)
    if not lines:
        fail("lines", _("Giỏ hàng trống."), CheckoutErrorCode.NO_LINES)
    if not checkout.channel.is_active:
        fail("channel", _("Kênh bán hàng không hoạt động."), CheckoutErrorCode.CHANNEL_INACTIVE)
    email = checkout.email or (user.email if user else "")
    if not email:
        fail("email", _("Vui lòng nhập e-mail."), CheckoutErrorCode.EMAIL_NOT_SET)
    shipping_address = checkout.shipping_address
    if shipping_address is None:
        fail("shipping_address", _("Vui lòng nhập địa chỉ giao hàng."), CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET)
    if checkout.billing_address_id is None:
        fail("billing_address", _("Vui lòng nhập địa chỉ thanh toán."), CheckoutErrorCode.BILLING_ADDRESS_NOT_SET)
    gateway = None
    if not gateway_id:
        fail("payment_gateway", _("Vui lòng chọn phương thức thanh toán."), CheckoutErrorCode.REQUIRED)
    else:
        gateway = gateway_for(gateway_id, checkout.channel)
        if gateway is None:
            fail("payment_gateway", _("Phương thức thanh toán không được hỗ trợ."), CheckoutErrorCode.PAYMENT_ERROR)
    if require_privacy_consent and checkout.privacy_consent_at is None and not _user_consented(user):
        fail("privacy_consent", _("Vui lòng đồng ý cho xử lý dữ liệu cá nhân để giao hàng."),
             CheckoutErrorCode.REQUIRED)
    if errors:
        raise ValidationError(errors)

    line_errors = LineErrors()
    contexts = load_variant_contexts(
        variant_ids={line.variant_id for line in lines}, channel=checkout.channel,
        variants=[line.variant for line in lines],
        listings={line.variant.product_id: ProductChannelListing(
            pk=line.listing_id, product_id=line.variant.product_id, channel_id=checkout.channel_id,
            is_published=line.listing_is_published, published_at=line.listing_published_at,
            available_for_purchase_at=line.listing_available_at) for line in lines if line.listing_id is not None},
        prices={line.variant_id: line.channel_price for line in lines if line.channel_price is not None})
    # Stock is checked by allocate_stock under row locks, not here (a check before locking races).
    validate_lines(channel=checkout.channel, quantities={line.variant_id: line.quantity for line in lines},
                   contexts=contexts, errors=line_errors, check_stock=False)
    line_errors.raise_if_any()

    prices = {line.pk: int(contexts[line.variant_id].price) for line in lines}
    # Units from lots in their last days are marked down (one query, only for products with a rule).
    plan = line_prices(lines=[(line.pk, line.variant, line.quantity, prices[line.pk]) for line in lines])
    subtotal = sum(plan[line.pk].total for line in lines)
    weight = sum((line.variant.weight_g or line.variant.product.weight_g or 0) * line.quantity for line in lines)
    if checkout.shipping_method_id is None:
        raise ValidationError({"shipping_method": ValidationError(
            _("Vui lòng chọn phương thức giao hàng."), code=CheckoutErrorCode.SHIPPING_METHOD_NOT_SET.value)})
    shipping = next((q for q in shipping_methods_for(channel=checkout.channel, province=shipping_address.province,
                                                      weight_g=weight, subtotal=subtotal)
                     if q.method.pk == checkout.shipping_method_id), None)
    if shipping is None:
        raise ValidationError({"shipping_method": ValidationError(
            _("Phương thức giao hàng không còn áp dụng cho đơn này."),
            code=CheckoutErrorCode.INVALID_SHIPPING_METHOD.value)})

    # Vouchers and promotions, as the cart showed them; the voucher's use is counted under its row
    # lock (taken after the checkout's, before the stock's), so a used-up voucher places nothing.
    found = checkout_discount_plan(
        code=checkout.voucher_code, shipping_price=shipping.price, user=user, email=email,
        lines=[priced_line(line.pk, line.variant, line.quantity, plan[line.pk].total) for line in lines])
    if found.problem is not None:
        raise ValidationError({"promo_code": ValidationError(found.problem[1], code=found.problem[0])})
    voucher = found.voucher
    if voucher is not None:
        try:
            voucher_use(voucher_id=voucher.pk, user=user, email=email, checkout_token=checkout.pk)
        except VoucherUnavailable as exc:
            raise ValidationError({"promo_code": ValidationError(
                exc.message, code=CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value)}) from None
    discounts = found.plan
    cooperative_ids = {line.variant.product.cooperative_id for line in lines}

    placed = order_place(
        channel=checkout.channel, customer=user, email=email,
        lines=[OrderLineDraft(variant=line.variant, quantity=line.quantity, unit_price=prices[line.pk],
                              total_price=plan[line.pk].total, discount=discounts.line_discount(line.pk),
                              program_discount=discounts.line_program_discount(line.pk)) for line in lines],
        shipping_address=shipping_address, billing_address_id=checkout.billing_address_id, shipping=shipping,
        gateway=gateway, checkout_token=checkout.pk, language_code=checkout.language_code,
        customer_note=checkout.customer_note, placed_at=timezone.now(),
        discounts=[_discount_draft(application) for application in discounts.applications], voucher=voucher,
        shipping_discount=discounts.shipping_discount,
        cooperative_shipping_discounts={pk: discounts.cooperative_shipping_discount(pk) for pk in cooperative_ids})
    order = placed.order
    combo_ids = {line.variant_id for line in lines if line.has_components}
    combo_components = combo_components_of(variant_ids=combo_ids) if combo_ids else {}
    gateway.start(order=order)
    if checkout.privacy_consent_at is not None:
        _record_checkout_consent(checkout, user, email)
    checkout_delete(checkout=checkout)

    # Last, so the stock rows stay locked only until the commit that follows.
    try:
        allocate_stock(order_lines=placed.lines, combo_components=combo_components,
                       province=shipping_address.province)
    except InsufficientStock as exc:
        labels = ", ".join(contexts[item.variant_id].label for item in exc.items)
        raise ValidationError({"lines": ValidationError(
            _("Không đủ hàng: %(items)s.") % {"items": labels},
            code=CheckoutErrorCode.INSUFFICIENT_STOCK.value,
            params={"variants": [item.variant_id for item in exc.items]})})
    _check_markdown_plan(placed.lines, lines, plan)
    return order


def _discount_draft(application) -> OrderDiscountDraft:
    source = application.source
    return OrderDiscountDraft(
        name=application.name, value_type=source.discount_value_type, value=int(source.discount_value),
        amount=sum(application.lines.values()), shipping_amount=application.shipping, funded_by=source.funded_by,
        cooperative_id=source.cooperative_id, voucher=source if application.is_voucher else None,
        promotion=None if application.is_voucher else source)


def _check_markdown_plan(order_lines, checkout_lines, plan) -> None:
    """The marked-down prices assumed the lots in their last days would be taken first; a concurrent
    order may have taken them. Then nothing is placed and the buyer sees the new price."""
    if not any(has_rule(line.variant.product) for line in checkout_lines):
        return
    taken = marked_units_taken(order_lines=order_lines)
    planned_by_variant: dict[int, int] = defaultdict(int)
    for line in checkout_lines:
        planned_by_variant[line.variant_id] += plan[line.pk].marked_units
    taken_by_variant: dict[int, int] = defaultdict(int)
    for line in order_lines:
        taken_by_variant[line.variant_id] += taken.get(line.pk, 0)
    if any(taken_by_variant[vid] != units for vid, units in planned_by_variant.items()):
        raise ValidationError({"lines": ValidationError(
            _("Giá giảm cận hạn vừa thay đổi vì lô hàng đã được mua; vui lòng xem lại giỏ hàng."),
            code=CheckoutErrorCode.INVALID.value)})


def _load_lines(checkout: Checkout) -> list[CheckoutLine]:
    """The lines with all that placing them reads, in one query: variant, product, cooperative and
    product type, the product's listing and the variant's price in the checkout's channel
    (`listing_*`, `channel_price`; None without one), and whether the variant has combo components
    (`has_components`: its stock is then its components')."""
    channel_id = checkout.channel_id
    return list(
        CheckoutLine.objects.filter(checkout_id=checkout.pk)
        .select_related("variant__product__cooperative", "variant__product__product_type")
        .annotate(
            product_listing=FilteredRelation("variant__product__channel_listings", condition=Q(
                variant__product__channel_listings__channel_id=channel_id)),
            variant_listing=FilteredRelation("variant__channel_listings", condition=Q(
                variant__channel_listings__channel_id=channel_id)),
            listing_id=F("product_listing__id"),
            listing_is_published=F("product_listing__is_published"),
            listing_published_at=F("product_listing__published_at"),
            listing_available_at=F("product_listing__available_for_purchase_at"),
            channel_price=F("variant_listing__price_amount"),
            has_components=Exists(ComboComponent.objects.filter(combo_id=OuterRef("variant_id"))),
        )
        .order_by("created_at", "id")
    )


def _record_checkout_consent(checkout: Checkout, user, email: str) -> None:
    consent_record(user=user, email=email, purpose=ConsentRecord.Purpose.DATA_PROCESSING.value, granted=True,
                   source="checkout", checkout_token=checkout.pk)
