"""Writes on a checkout (Saleor's): create, change lines, contact, addresses, delivery, payment.

Every function validates all of its input before writing, inside one transaction, and raises
`ValidationError({field: ValidationError(message, code=CheckoutErrorCode.X.value)})`; a failed
call changes nothing. Access control happens when the caller fetches the checkout with
`selectors.checkout_for_actor` (owner or anonymous token holder); completion re-checks it.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.account.addresses import address_as_data, address_create
from storefront.account.models import Address
from storefront.checkout.error_codes import CheckoutErrorCode
from storefront.checkout.models import Checkout, CheckoutLine
from storefront.checkout.validation import (MAX_LINES, LineErrors, clean_quantity, load_variant_contexts,
                                            validate_lines)
from storefront.product.models import ProductVariant

MAX_NOTE_LENGTH = 1000


def _error(field: str, message: str, code: CheckoutErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _variant_id(variant, errors: LineErrors):
    if isinstance(variant, ProductVariant):
        return variant.pk
    try:
        return int(variant)
    except (TypeError, ValueError):
        errors.add("variant_id", _("Không tìm thấy sản phẩm."), CheckoutErrorCode.NOT_FOUND)
        return None


def _requested_quantities(lines, *, allow_zero: bool, errors: LineErrors) -> dict[int, int]:
    """{variant id: quantity} from [(variant or id, quantity)]; duplicates are summed like Saleor."""
    if isinstance(lines, (str, bytes)) or not isinstance(lines, Iterable):
        errors.add("lines", _("Danh sách sản phẩm không hợp lệ."), CheckoutErrorCode.INVALID)
        return {}
    requested: dict[int, int] = {}
    for item in lines:
        try:
            variant, raw_quantity = item
        except (TypeError, ValueError):
            errors.add("lines", _("Danh sách sản phẩm không hợp lệ."), CheckoutErrorCode.INVALID)
            continue
        vid = _variant_id(variant, errors)
        quantity = clean_quantity(raw_quantity, allow_zero=allow_zero, errors=errors, variant_id=vid)
        if vid is None or quantity is None:
            continue
        requested[vid] = requested.get(vid, 0) + quantity
    return requested


def _contexts_or_not_found(requested: dict[int, int], channel, errors: LineErrors):
    contexts = load_variant_contexts(variant_ids=requested, channel=channel)
    missing = [vid for vid in requested if vid not in contexts]
    if missing:
        errors.add("variant_id", _("Không tìm thấy sản phẩm."), CheckoutErrorCode.NOT_FOUND, missing)
    return contexts


def _save_quantities(checkout: Checkout, final: dict[int, int]) -> None:
    existing = {line.variant_id: line for line in checkout.lines.all()}
    for vid, quantity in final.items():
        line = existing.get(vid)
        if quantity == 0:
            if line is not None:
                line.delete()
        elif line is None:
            CheckoutLine.objects.create(checkout=checkout, variant_id=vid, quantity=quantity)
        elif line.quantity != quantity:
            CheckoutLine.objects.filter(pk=line.pk).update(quantity=quantity)
    Checkout.objects.filter(pk=checkout.pk).update(last_change=timezone.now())


def _apply_lines(checkout: Checkout, lines, *, replace: bool) -> Checkout:
    errors = LineErrors()
    requested = _requested_quantities(lines, allow_zero=replace, errors=errors)
    errors.raise_if_any()
    with transaction.atomic():
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        current = dict(locked.lines.values_list("variant_id", "quantity"))
        final = {vid: qty if replace else current.get(vid, 0) + qty for vid, qty in requested.items()}
        contexts = _contexts_or_not_found(requested, locked.channel, errors)
        errors.raise_if_any()
        validate_lines(channel=locked.channel, quantities=final, contexts=contexts, errors=errors)
        remaining = {v for v in current if v not in final} | {v for v, q in final.items() if q > 0}
        if len(remaining) > MAX_LINES:
            errors.add("lines", _("Giỏ hàng tối đa %(n)d dòng.") % {"n": MAX_LINES},
                       CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT)
        errors.raise_if_any()
        _save_quantities(locked, final)
    checkout.refresh_from_db()
    return checkout


def _clean_email(email) -> str:
    email = str(email or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise _error("email", _("Địa chỉ e-mail không hợp lệ."), CheckoutErrorCode.INVALID)
    return email


def _address_from(value) -> Address | None:
    """A new Address row for the checkout from AddressInput data or an existing address (copied)."""
    if value is None:
        return None
    if isinstance(value, Address):
        value = address_as_data(value)
    return address_create(data=value)


def checkout_create(*, channel, actor=None, email: str = "", lines=(), shipping_address=None,
                    billing_address=None, language_code: str = "vi") -> Checkout:
    if channel is None or not channel.is_active:
        raise _error("channel", _("Kênh bán hàng không hoạt động."), CheckoutErrorCode.CHANNEL_INACTIVE)
    if language_code not in dict(settings.LANGUAGES):
        raise _error("language_code", _("Ngôn ngữ không được hỗ trợ."), CheckoutErrorCode.INVALID)
    user = actor if actor is not None and actor.is_authenticated else None
    clean_email = _clean_email(email) or (user.email if user else "")
    errors = LineErrors()
    requested = _requested_quantities(lines, allow_zero=False, errors=errors)
    errors.raise_if_any()
    if len(requested) > MAX_LINES:
        raise _error("lines", _("Giỏ hàng tối đa %(n)d dòng.") % {"n": MAX_LINES},
                     CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT)
    contexts = _contexts_or_not_found(requested, channel, errors)
    errors.raise_if_any()
    validate_lines(channel=channel, quantities=requested, contexts=contexts, errors=errors)
    errors.raise_if_any()
    with transaction.atomic():
        shipping = _address_from(shipping_address)
        billing = _address_from(billing_address)
        checkout = Checkout.objects.create(
            channel=channel, user=user, email=clean_email, shipping_address=shipping, billing_address=billing,
            language_code=language_code,
        )
        CheckoutLine.objects.bulk_create(
            CheckoutLine(checkout=checkout, variant_id=vid, quantity=qty) for vid, qty in requested.items()
        )
    return checkout


def checkout_lines_add(*, checkout: Checkout, lines) -> Checkout:
    """Adds to the quantities already in the cart."""
    return _apply_lines(checkout, lines, replace=False)


def checkout_lines_update(*, checkout: Checkout, lines) -> Checkout:
    """Sets quantities; 0 removes the line."""
    return _apply_lines(checkout, lines, replace=True)


def checkout_lines_delete(*, checkout: Checkout, line_ids) -> Checkout:
    ids = [str(i) for i in (line_ids or [])]
    with transaction.atomic():
        Checkout.objects.select_for_update().get(pk=checkout.pk)
        existing = {str(pk) for pk in checkout.lines.values_list("pk", flat=True)}
        unknown = [i for i in ids if i not in existing]
        if unknown or not ids:
            raise _error("line_id", _("Không tìm thấy dòng trong giỏ hàng."), CheckoutErrorCode.NOT_FOUND)
        CheckoutLine.objects.filter(checkout=checkout, pk__in=ids).delete()
        Checkout.objects.filter(pk=checkout.pk).update(last_change=timezone.now())
    checkout.refresh_from_db()
    return checkout


def checkout_email_update(*, checkout: Checkout, email: str) -> Checkout:
    clean = _clean_email(email)
    if not clean:
        raise _error("email", _("Vui lòng nhập e-mail."), CheckoutErrorCode.REQUIRED)
    checkout.email = clean
    checkout.save(update_fields=["email", "last_change"])
    return checkout


@transaction.atomic
def checkout_shipping_address_update(*, checkout: Checkout, address_data) -> Checkout:
    address = _address_from(address_data)
    checkout.shipping_address = address
    checkout.save(update_fields=["shipping_address", "last_change"])
    return checkout


@transaction.atomic
def checkout_billing_address_update(*, checkout: Checkout, address_data) -> Checkout:
    address = _address_from(address_data)
    checkout.billing_address = address
    checkout.save(update_fields=["billing_address", "last_change"])
    return checkout


def checkout_delivery_method_update(*, checkout: Checkout, shipping_method_id) -> Checkout:
    """Choose a shipping method offered for the cart's address and weight (None clears it)."""
    from storefront.checkout.selectors import checkout_shipping_methods
    from storefront.shipping.models import ShippingMethod

    if shipping_method_id in (None, ""):
        checkout.shipping_method = None
        checkout.save(update_fields=["shipping_method", "last_change"])
        return checkout
    if checkout.shipping_address_id is None:
        raise _error("shipping_address", _("Vui lòng nhập địa chỉ giao hàng trước."),
                     CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET)
    if not ShippingMethod.objects.filter(pk=shipping_method_id if str(shipping_method_id).isdigit() else None).exists():
        raise _error("shipping_method_id", _("Không tìm thấy phương thức giao hàng."), CheckoutErrorCode.NOT_FOUND)
    offered = {q.method.pk: q for q in checkout_shipping_methods(checkout=checkout)}
    if int(shipping_method_id) not in offered:
        raise _error("shipping_method_id", _("Phương thức giao hàng không áp dụng cho đơn này."),
                     CheckoutErrorCode.SHIPPING_METHOD_NOT_APPLICABLE)
    checkout.shipping_method = offered[int(shipping_method_id)].method
    checkout.save(update_fields=["shipping_method", "last_change"])
    return checkout


def checkout_customer_note_update(*, checkout: Checkout, note: str) -> Checkout:
    note = str(note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise _error("customer_note", _("Ghi chú tối đa %(n)d ký tự.") % {"n": MAX_NOTE_LENGTH},
                     CheckoutErrorCode.INVALID)
    checkout.customer_note = note
    checkout.save(update_fields=["customer_note", "last_change"])
    return checkout


def checkout_payment_gateway_set(*, checkout: Checkout, gateway_id: str) -> Checkout:
    from storefront.payment.gateways import gateway_for

    if not gateway_id:
        raise _error("gateway", _("Vui lòng chọn phương thức thanh toán."), CheckoutErrorCode.REQUIRED)
    if gateway_for(gateway_id, checkout.channel) is None:
        raise _error("gateway", _("Phương thức thanh toán không được hỗ trợ."), CheckoutErrorCode.PAYMENT_ERROR)
    checkout.payment_gateway = gateway_id
    checkout.save(update_fields=["payment_gateway", "last_change"])
    return checkout


def checkout_privacy_consent(*, checkout: Checkout, granted: bool) -> Checkout:
    """The buyer's consent to processing their personal data for this order (PDPL 91/2025).

    The proof (a ConsentRecord with the time given here) is written when the order is placed,
    once the e-mail it belongs to is final.
    """
    if not isinstance(granted, bool):
        raise _error("granted", _("Giá trị không hợp lệ."), CheckoutErrorCode.INVALID)
    checkout.privacy_consent_at = timezone.now() if granted else None
    checkout.save(update_fields=["privacy_consent_at", "last_change"])
    return checkout


def checkout_delete(*, checkout: Checkout) -> None:
    """Delete a checkout and its lines, once its order is placed.

    Two plain DELETEs, no collector: it costs more than the statements and, once any post_delete
    receiver is connected for all models, reads the lines back to signal each. Nothing listens
    for a checkout's deletion and only its lines refer to it (a test keeps that true).
    """
    CheckoutLine.objects.filter(checkout_id=checkout.pk)._raw_delete(CheckoutLine.objects.db)
    Checkout.objects.filter(pk=checkout.pk)._raw_delete(Checkout.objects.db)


def checkout_add_promo_code(*, checkout: Checkout, promo_code) -> Checkout:
    """Apply a voucher code (Saleor's checkoutAddPromoCode): refused, and nothing written, when the code
    is unknown (INVALID) or does not apply to this cart now (VOUCHER_NOT_APPLICABLE: not started,
    expired, used up, for other products, below its minimum spend). One voucher at a time: a new
    code replaces the old."""
    from storefront.checkout.discounts import checkout_discount_plan, priced_line, unknown_code_problem
    from storefront.checkout.selectors import checkout_totals
    from storefront.discount.selectors import normalize_code, voucher_by_code

    code = normalize_code(promo_code)
    if not code:
        raise _error("promo_code", _("Vui lòng nhập mã giảm giá."), CheckoutErrorCode.REQUIRED)
    voucher = voucher_by_code(code) if len(code) <= 40 else None
    if voucher is None:
        problem_code, message = unknown_code_problem(code[:40])
        raise _error("promo_code", message, CheckoutErrorCode(problem_code))
    with transaction.atomic():
        locked = (Checkout.objects.select_for_update(of=("self",))
                  .select_related("channel", "user", "shipping_address").get(pk=checkout.pk))
        totals = checkout_totals(checkout=locked)
        if not totals.lines:
            raise _error("promo_code", _("Giỏ hàng đang trống."), CheckoutErrorCode.NO_LINES)
        user = locked.user if locked.user_id else None
        found = checkout_discount_plan(
            code=voucher.code, voucher=voucher, shipping_price=totals.undiscounted_shipping_price, user=user,
            email=locked.email or (user.email if user else ""),
            lines=[priced_line(row.line.pk, row.line.variant, row.quantity, row.undiscounted_total_price)
                   for row in totals.lines])
        if found.problem is not None:
            raise _error("promo_code", found.problem[1], CheckoutErrorCode(found.problem[0]))
        locked.voucher_code = voucher.code
        locked.save(update_fields=["voucher_code", "last_change"])
    checkout.refresh_from_db()
    return checkout


def checkout_remove_promo_code(*, checkout: Checkout, promo_code=None) -> Checkout:
    """Take the voucher code off (Saleor's checkoutRemovePromoCode; a code other than the applied
    one changes nothing, as in Saleor)."""
    from storefront.discount.selectors import normalize_code

    code = normalize_code(promo_code)
    with transaction.atomic():
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if locked.voucher_code and (not code or code.lower() == locked.voucher_code.lower()):
            locked.voucher_code = ""
            locked.save(update_fields=["voucher_code", "last_change"])
    checkout.refresh_from_db()
    return checkout
