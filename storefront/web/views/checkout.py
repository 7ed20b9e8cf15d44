"""Checkout in two steps (address, then delivery and payment), the order confirmation with the
VietQR transfer details, and the order status page its link leads to."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from storefront.account.models import ConsentRecord
from storefront.account.services import consent_record
from storefront.checkout.complete import checkout_complete
from storefront.checkout.selectors import checkout_problems, checkout_shipping_methods, checkout_totals
from storefront.checkout.services import (checkout_billing_address_update, checkout_customer_note_update,
                                          checkout_delivery_method_update, checkout_email_update,
                                          checkout_payment_gateway_set, checkout_privacy_consent,
                                          checkout_shipping_address_update)
from storefront.core.models import Commune
from storefront.core.money import format_vnd
from storefront.order.selectors import (order_cash_due, order_for_actor, order_history, order_refunds,
                                        returns_of_order)
from storefront.payment import vietqr
from storefront.payment.gateways import VIETQR, available_gateways

from ..cart import current_checkout, forget_checkout
from ..errors import add_service_errors
from ..forms import AddressForm, CheckoutContactForm, DeliveryPaymentForm


def _address_initial(checkout, user) -> dict:
    address = checkout.shipping_address
    if address is None and user.is_authenticated:
        address = user.default_shipping_address
    initial = {"email": checkout.email or (user.email if user.is_authenticated else "")}
    if address is not None:
        initial.update(first_name=address.first_name, last_name=address.last_name, phone=address.phone,
                       province=address.province_id, commune=address.commune_id,
                       street_address_1=address.street_address_1)
    elif user.is_authenticated:
        initial.update(first_name=user.first_name, last_name=user.last_name, phone=user.phone)
    return initial


def _checkout_or_cart(request):
    checkout = current_checkout(request)
    if checkout is None or not checkout.lines.exists():
        return None
    return checkout


@require_http_methods(["GET", "POST"])
def checkout_address(request):
    checkout = _checkout_or_cart(request)
    if checkout is None:
        return redirect("web:cart")
    form = CheckoutContactForm(request.POST or None, initial=_address_initial(checkout, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            checkout_email_update(checkout=checkout, email=form.cleaned_data["email"])
            data = form.address_data()
            checkout_shipping_address_update(checkout=checkout, address_data=data)
            checkout_billing_address_update(checkout=checkout, address_data=data)
        except ValidationError as exc:
            add_service_errors(form, exc, field_map=AddressForm.SERVICE_FIELDS)
        else:
            return redirect("web:checkout_delivery")
    return render(request, "web/checkout_address.html", {
        "form": form, "checkout": checkout, "totals": checkout_totals(checkout=checkout),
    })


def _method_label(quote) -> str:
    english = (get_language() or "vi").startswith("en")
    name = quote.method.name_en if english and quote.method.name_en else quote.method.name
    price = format_vnd(quote.price) if quote.price else _("Miễn phí")
    days = _("%(min)s–%(max)s ngày") % {"min": quote.minimum_delivery_days, "max": quote.maximum_delivery_days}
    return f"{name} — {price} ({days})"


@require_http_methods(["GET", "POST"])
def checkout_delivery(request):
    checkout = _checkout_or_cart(request)
    if checkout is None:
        return redirect("web:cart")
    if checkout.shipping_address_id is None or not checkout.email:
        return redirect("web:checkout")
    quotes = checkout_shipping_methods(checkout=checkout)
    gateways = available_gateways(checkout.channel)
    initial = {
        "shipping_method": checkout.shipping_method_id or (quotes[0].method.pk if quotes else None),
        "payment_gateway": checkout.payment_gateway or (gateways[0].id if gateways else None),
        "note": checkout.customer_note,
    }
    form = DeliveryPaymentForm(
        request.POST or None, initial=initial,
        shipping_choices=[(str(q.method.pk), _method_label(q)) for q in quotes],
        payment_choices=[(g.id, str(g.name)) for g in gateways],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkout_delivery_method_update(checkout=checkout, shipping_method_id=int(data["shipping_method"]))
            checkout_payment_gateway_set(checkout=checkout, gateway_id=data["payment_gateway"])
            checkout_customer_note_update(checkout=checkout, note=data["note"])
            checkout_privacy_consent(checkout=checkout, granted=True)
            _record_checkout_consents(request, checkout, data)
            actor = request.user if request.user.is_authenticated else None
            order = checkout_complete(checkout=checkout, actor=actor, payment_gateway=data["payment_gateway"])
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"shipping_method_id": "shipping_method", "gateway_id":
                                                     "payment_gateway", "gateway": "payment_gateway",
                                                     "delivery_method": "shipping_method"})
        else:
            forget_checkout(request)
            return redirect("web:order_confirmation", token=order.token)
    return render(request, "web/checkout_delivery.html", {
        "form": form, "checkout": checkout, "totals": checkout_totals(checkout=checkout),
        "problems": checkout_problems(checkout=checkout), "quotes": quotes,
    })


def _record_checkout_consents(request, checkout, data) -> None:
    """Data processing is recorded by the checkout service; the other two purposes are asked here."""
    user = request.user if request.user.is_authenticated else None
    for purpose, granted in ((ConsentRecord.Purpose.SHARE_WITH_SELLERS, data["consent_share"]),
                             (ConsentRecord.Purpose.MARKETING, data["consent_marketing"])):
        consent_record(user=user, email=checkout.email, purpose=purpose, granted=bool(granted), source="checkout",
                       checkout_token=checkout.token)


@require_GET
def communes(request):
    """`<option>`s of a province's communes for the address form (htmx)."""
    code = next((v for k, v in request.GET.items() if k.endswith("province")), "")
    if "\x00" in code:  # not a province code, and PostgreSQL cannot compare text holding NUL
        return render(request, "web/_commune_options.html", {"communes": []}, status=400)
    rows = Commune.objects.filter(province_id=code).values_list("code", "name") if code else []
    return render(request, "web/_commune_options.html", {"communes": rows})


def _order(request, token):
    try:
        order = order_for_actor(token=token, actor=request.user)
    except (ObjectDoesNotExist, PermissionDenied):
        order = None
    if order is None:
        raise Http404
    return order


def _transfer_context(order) -> dict:
    if order.payment_gateway != VIETQR:
        return {}
    return {
        "vietqr": True,
        "bank_account": settings.VIETQR_ACCOUNT_NO,
        "bank_account_name": settings.VIETQR_ACCOUNT_NAME,
        "bank_bin": settings.VIETQR_BANK_BIN,
        "bank_name": vietqr.bank_name(settings.VIETQR_BANK_BIN),
    }


def _order_page(request, token, template):
    order = _order(request, token)
    lines = list(order.lines.all())
    fulfillments = list(order.fulfillments.select_related("cooperative").prefetch_related("lines"))
    # Returns are the shopper's own business: shown to the order's account, not to a holder of the link.
    own = request.user.is_authenticated and order.user_id == request.user.pk
    return render(request, template, {
        "order": order, "lines": lines, "fulfillments": fulfillments, "own_order": own,
        "returns": list(returns_of_order(order=order)) if own else [],
        "events": order.events.all(), "history": order_history(order=order),
        "refunds": order_refunds(order=order), "cash_due": order_cash_due(order=order, fulfillments=fulfillments),
        **_transfer_context(order),
    })


@require_GET
def order_confirmation(request, token):
    return _order_page(request, token, "web/order_confirmation.html")


@require_GET
def order_status(request, token):
    return _order_page(request, token, "web/order_status.html")


@require_GET
def order_qr_png(request, token):
    order = _order(request, token)
    if order.payment_gateway != VIETQR:
        raise Http404
    response = HttpResponse(vietqr.qr_png(vietqr.payload_for_order(order)), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
