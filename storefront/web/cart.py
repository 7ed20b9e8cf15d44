"""The shopper's current checkout, kept by token in the session (guests) or found for the user.

The checkout itself and every rule about it belong to `storefront.checkout`; this module only
remembers which checkout a browser is working on.
"""
from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Sum

from storefront.checkout.selectors import checkout_for_actor, checkout_quantity_for_actor
from storefront.checkout.services import checkout_create

from .channel import current_channel

SESSION_KEY = "checkout_token"
_CACHE_ATTR = "_htx_checkout"


def current_checkout(request, *, create: bool = False):
    """The browser's checkout, or None (or a new one when `create`)."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    checkout = None
    token = request.session.get(SESSION_KEY)
    if token:
        try:
            checkout = checkout_for_actor(token=token, actor=request.user)
        except (ObjectDoesNotExist, PermissionDenied, ValidationError, ValueError):
            checkout = None
        if checkout is None:
            request.session.pop(SESSION_KEY, None)
    if checkout is None and create:
        actor = request.user if request.user.is_authenticated else None
        checkout = checkout_create(
            channel=current_channel(request),
            actor=actor,
            email=actor.email if actor else "",
            language_code=request.LANGUAGE_CODE or "vi",
        )
        remember_checkout(request, checkout)
    if checkout is not None:
        setattr(request, _CACHE_ATTR, checkout)
    return checkout


def remember_checkout(request, checkout) -> None:
    request.session[SESSION_KEY] = str(checkout.token)
    setattr(request, _CACHE_ATTR, checkout)


def forget_checkout(request) -> None:
    request.session.pop(SESSION_KEY, None)
    if hasattr(request, _CACHE_ATTR):
        delattr(request, _CACHE_ATTR)


def cart_quantity(request) -> int:
    if SESSION_KEY not in request.session:
        return 0
    known = getattr(request, "_htx_cart_quantity", None)
    if known is not None:  # the page already computed its totals
        return known
    checkout = getattr(request, _CACHE_ATTR, None)
    if checkout is not None:
        return checkout.lines.aggregate(total=Sum("quantity"))["total"] or 0
    quantity = checkout_quantity_for_actor(token=request.session[SESSION_KEY], actor=request.user)
    if quantity is None:  # gone, or not this visitor's: as `current_checkout` does
        request.session.pop(SESSION_KEY, None)
        return 0
    return quantity


def remember_cart_quantity(request, quantity: int) -> None:
    request._htx_cart_quantity = quantity
