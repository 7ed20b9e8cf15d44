"""Program staff's daily pages: approve or suspend cooperatives, all orders, bank transfers
received, combos across cooperatives, collections for the home page, settlement and payouts."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from storefront.cooperative.models import Cooperative
from storefront.cooperative.selectors import cooperative_for_actor, cooperatives_for_program
from storefront.cooperative.services import cooperative_approve, cooperative_suspend
from storefront.order.models import OrderStatus
from storefront.order.selectors import order_cash_due, order_for_actor, order_history, order_payments, orders_for_staff
from storefront.order.services import order_mark_as_paid
from storefront.payment.gateways import VIETQR
from storefront.product.services import (collection_add_products, collection_create, collection_remove_products,
                                         collection_update, combo_create)
from storefront.product.staff_selectors import collection_for_program, collections_for_program, combos_for_program
from storefront.settlement.selectors import ledger_balance, ledger_balances, ledger_entries
from storefront.settlement.services import payout_record
from storefront.web.channel import current_channel
from storefront.web.errors import add_service_errors, flat_messages

from ..access import program_page
from ..forms import CollectionForm, ComboForm, PaymentReceivedForm, PayoutForm, ReasonForm


def _cooperative(request, coop_id) -> Cooperative:
    cooperative = cooperative_for_actor(actor=request.user, cooperative_id=coop_id)
    if cooperative is None:
        raise Http404
    return cooperative


@program_page
def home(request):
    """The program's start page (README's `/dashboard/program/`): its daily pages, the supply–demand program
    and the trade console."""
    return render(request, "dashboard/program/home.html", {
        "pending": Cooperative.objects.filter(status=Cooperative.Status.PENDING).count()})


@program_page
def cooperatives(request):
    status = request.GET.get("status") or ""
    return render(request, "dashboard/program/cooperatives.html", {
        "cooperatives": cooperatives_for_program(actor=request.user, status=status), "status": status,
        "statuses": Cooperative.Status.choices, "reason_form": ReasonForm(),
    })


@program_page
@require_POST
def cooperative_status(request, coop_id, action):
    cooperative = _cooperative(request, coop_id)
    try:
        if action == "approve":
            cooperative_approve(actor=request.user, cooperative=cooperative)
        else:
            cooperative_suspend(actor=request.user, cooperative=cooperative, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, f"{cooperative.name}: {message}")
    else:
        messages.success(request, _("%(name)s: đã cập nhật trạng thái.") % {"name": cooperative.name})
    return redirect("dashboard:program_cooperatives")


@program_page
def orders(request):
    status = request.GET.get("status") or ""
    rows = orders_for_staff(actor=request.user, status=status,
                            awaiting_transfer=bool(request.GET.get("awaiting_transfer")))
    return render(request, "dashboard/program/orders.html", {
        "orders": rows[:200], "status": status, "statuses": OrderStatus.choices,
        "awaiting_transfer": bool(request.GET.get("awaiting_transfer")),
    })


@program_page
@require_http_methods(["GET", "POST"])
def order_detail(request, number):
    order = order_for_actor(actor=request.user, order_id=number)
    if order is None:
        raise Http404
    form = PaymentReceivedForm(request.POST or None, initial={"amount": order.total_amount})
    if request.method == "POST" and form.is_valid():
        try:
            order_mark_as_paid(order=order, actor=request.user, amount=form.cleaned_data["amount"],
                               reference=form.cleaned_data["reference"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận tiền cho đơn #%(n)s.") % {"n": order.number})
            return redirect("dashboard:program_order", number=order.pk)
    fulfillments = list(order.fulfillments.all())
    return render(request, "dashboard/program/order.html", {
        "order": order, "lines": order.lines.all(), "payments": order_payments(order=order),
        "fulfillments": fulfillments, "history": order_history(order=order),
        "cash_due": order_cash_due(order=order, fulfillments=fulfillments),
        "form": form, "vietqr": order.payment_gateway == VIETQR,
    })


@program_page
@require_http_methods(["GET", "POST"])
def combo_new(request):
    channel = current_channel(request)
    form = ComboForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            combo = combo_create(
                actor=request.user, cooperative=data["cooperative"],
                data={"name": data["name"], "category": data["category"], "description": data["description"],
                      "channel_listings": [{"channel": channel, "price": data["price"],
                                            "is_published": data["publish"]}]},
                components=data["components"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo combo %(name)s.") % {"name": combo.name})
            return redirect("web:product", slug=combo.slug)
    return render(request, "dashboard/program/combo_form.html", {
        "form": form, "combos": combos_for_program(actor=request.user)[:50]})


@program_page
@require_http_methods(["GET", "POST"])
def collections(request):
    channel = current_channel(request)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collection_create(actor=request.user, data={
                k: data[k] for k in ("name", "name_en", "description", "is_featured")
            } | {"sort_order": data["sort_order"] or 0}, products=form.product_slugs(), published_in=[channel])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo bộ sưu tập."))
            return redirect("dashboard:program_collections")
    return render(request, "dashboard/program/collections.html", {
        "form": form, "collections": collections_for_program(actor=request.user),
    })


@program_page
@require_POST
def collection_change(request, collection_id):
    collection = collection_for_program(actor=request.user, collection_id=collection_id)
    if collection is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action in ("feature", "unfeature"):
            collection_update(actor=request.user, collection=collection, data={"is_featured": action == "feature"})
        elif action in ("add", "remove"):
            change = collection_add_products if action == "add" else collection_remove_products
            change(actor=request.user, collection=collection, products=[request.POST.get("product", "")])
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật bộ sưu tập %(name)s.") % {"name": collection.name})
    return redirect("dashboard:program_collections")


@program_page
def settlement(request):
    return render(request, "dashboard/program/settlement.html", {"rows": ledger_balances(actor=request.user)})


@program_page
@require_http_methods(["GET", "POST"])
def settlement_cooperative(request, coop_id):
    cooperative = _cooperative(request, coop_id)
    form = PayoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payout_record(cooperative=cooperative, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận chi trả."))
            return redirect("dashboard:program_settlement_coop", coop_id=cooperative.pk)
    return render(request, "dashboard/program/settlement_coop.html", {
        "cooperative": cooperative, "balance": ledger_balance(cooperative=cooperative),
        "entries": ledger_entries(actor=request.user, cooperative=cooperative)[:100], "form": form,
    })
