"""The cart: add, change, remove. Each action answers an htmx request with a fragment (and the
header's mini-cart swapped out of band) and a plain form post with a redirect."""
from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from storefront.checkout.selectors import checkout_totals_and_problems
from storefront.checkout.services import (checkout_add_promo_code, checkout_lines_add, checkout_lines_delete,
                                          checkout_lines_update, checkout_remove_promo_code)
from storefront.product.models import ProductVariant

from ..cart import current_checkout, remember_cart_quantity
from ..errors import flat_messages


def _row_id(raw) -> int | None:
    """A database id from a form post, or None: `abc`, `1.5`, a NUL byte or a number past the column."""
    raw = str(raw or "").strip()
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        return None
    return int(raw) or None


def _line_id(raw) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw or ""))
    except ValueError:
        return None


def _quantity(raw, *, minimum: int) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if minimum <= value <= 9999 else None


def _cart_context(request, *, line_errors=None, promo_errors=None):
    checkout = current_checkout(request)
    if checkout is None:
        return {"checkout": None, "line_errors": {}}
    totals, problems = checkout_totals_and_problems(checkout=checkout)
    remember_cart_quantity(request, totals.quantity)
    if not totals.lines:
        return {"checkout": None, "line_errors": {}}
    return {
        "checkout": checkout,
        "totals": totals,
        "problems": problems,
        "line_errors": line_errors or {},
        "promo_errors": promo_errors or [],
    }


@require_GET
def cart_detail(request):
    return render(request, "web/cart.html", _cart_context(request))


@require_POST
def cart_add(request):
    variant_id = _row_id(request.POST.get("variant"))
    if variant_id is None:
        errors = [_("Không tìm thấy sản phẩm.")]
        if request.headers.get("HX-Request"):
            return render(request, "web/_cart_added.html", {"errors": errors}, status=400)
        messages.error(request, errors[0])
        return render(request, "web/cart.html", _cart_context(request), status=400)
    variant = get_object_or_404(ProductVariant.objects.select_related("product"), pk=variant_id)
    quantity = _quantity(request.POST.get("quantity", 1), minimum=1)
    errors = []
    if quantity is None:
        errors = [_("Số lượng phải là số nguyên từ 1.")]
    else:
        checkout = current_checkout(request, create=True)
        try:
            checkout_lines_add(checkout=checkout, lines=[(variant, quantity)])
        except ValidationError as exc:
            errors = flat_messages(exc)
    if request.headers.get("HX-Request"):
        return render(request, "web/_cart_added.html", {"errors": errors, "variant": variant, "quantity": quantity})
    for error in errors:
        messages.error(request, error)
    if errors:
        return redirect("web:product", slug=variant.product.slug)
    messages.success(request, _("Đã thêm vào giỏ hàng."))
    return redirect("web:cart")


def _cart_response(request, line_errors=None, promo_errors=None):
    if request.headers.get("HX-Request"):
        return render(request, "web/_cart_body.html", {
            **_cart_context(request, line_errors=line_errors, promo_errors=promo_errors), "oob": True})
    for errors in [*(line_errors or {}).values(), promo_errors or []]:
        for error in errors:
            messages.error(request, error)
    return redirect("web:cart")


@require_POST
def cart_update(request):
    checkout = current_checkout(request)
    if checkout is None:
        return redirect("web:cart")
    line = get_object_or_404(checkout.lines.select_related("variant"), pk=_line_id(request.POST.get("line")))
    quantity = _quantity(request.POST.get("quantity"), minimum=0)
    if quantity is None:
        return _cart_response(request, {str(line.pk): [_("Số lượng phải là số nguyên không âm.")]})
    try:
        checkout_lines_update(checkout=checkout, lines=[(line.variant, quantity)])
    except ValidationError as exc:
        return _cart_response(request, {str(line.pk): flat_messages(exc)})
    return _cart_response(request)


@require_POST
def cart_remove(request):
    checkout = current_checkout(request)
    if checkout is None:
        return redirect("web:cart")
    line = get_object_or_404(checkout.lines, pk=_line_id(request.POST.get("line")))
    try:
        checkout_lines_delete(checkout=checkout, line_ids=[line.pk])
    except ValidationError as exc:
        return _cart_response(request, {str(line.pk): flat_messages(exc)})
    return _cart_response(request)


@require_POST
def cart_promo_add(request):
    """Apply a voucher code to the cart (the service refuses, with its reason, one that does not apply)."""
    checkout = current_checkout(request)
    if checkout is None:
        return redirect("web:cart")
    try:
        checkout_add_promo_code(checkout=checkout, promo_code=str(request.POST.get("promo_code", ""))[:100])
    except ValidationError as exc:
        return _cart_response(request, promo_errors=flat_messages(exc))
    if not request.headers.get("HX-Request"):
        messages.success(request, _("Đã áp dụng mã giảm giá."))
    return _cart_response(request)


@require_POST
def cart_promo_remove(request):
    checkout = current_checkout(request)
    if checkout is None:
        return redirect("web:cart")
    checkout_remove_promo_code(checkout=checkout)
    return _cart_response(request)
