"""Program staff's daily pages: approve or suspend cooperatives, all orders, bank transfers
received, combos across cooperatives, collections for the home page, settlement and payouts."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from storefront.cooperative.models import Cooperative
from storefront.cooperative.services import cooperative_approve, cooperative_suspend
from storefront.order.models import Order, OrderStatus
from storefront.order.selectors import orders_for_staff
from storefront.payment.gateways import VIETQR
from storefront.payment.services import payment_mark_received
from storefront.product.models import Collection, Product, ProductVariant
from storefront.product.services import (collection_add_products, collection_channel_listing_update,
                                         collection_create, collection_remove_products, collection_update,
                                         combo_create, product_channel_listing_update)
from storefront.settlement.selectors import ledger_balance
from storefront.settlement.services import payout_record
from storefront.web.channel import current_channel
from storefront.web.errors import add_service_errors, flat_messages

from ..access import program_page
from ..forms import CollectionForm, ComboForm, PaymentReceivedForm, PayoutForm, ReasonForm


@program_page
def home(request):
    """The program's start page (README's `/dashboard/program/`): its daily pages, the supply–demand program
    and the trade console."""
    return render(request, "dashboard/program/home.html", {
        "pending": Cooperative.objects.filter(status=Cooperative.Status.PENDING).count()})


@program_page
def cooperatives(request):
    status = request.GET.get("status") or ""
    rows = Cooperative.objects.select_related("province").order_by("status", "-created_at")
    if status in Cooperative.Status.values:
        rows = rows.filter(status=status)
    return render(request, "dashboard/program/cooperatives.html", {
        "cooperatives": rows, "status": status, "statuses": Cooperative.Status.choices, "reason_form": ReasonForm(),
    })


@program_page
@require_POST
def cooperative_status(request, coop_id, action):
    cooperative = get_object_or_404(Cooperative, pk=coop_id)
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
    rows = orders_for_staff(actor=request.user)
    if status in OrderStatus.values:
        rows = rows.filter(status=status)
    if request.GET.get("awaiting_transfer"):
        rows = rows.filter(payment_gateway=VIETQR, charge_status="none").exclude(status=OrderStatus.CANCELED)
    return render(request, "dashboard/program/orders.html", {
        "orders": rows.order_by("-pk")[:200], "status": status, "statuses": OrderStatus.choices,
        "awaiting_transfer": bool(request.GET.get("awaiting_transfer")),
    })


@program_page
@require_http_methods(["GET", "POST"])
def order_detail(request, number):
    order = get_object_or_404(Order.objects.select_related("shipping_address"), pk=number)
    form = PaymentReceivedForm(request.POST or None, initial={"amount": order.total_amount})
    if request.method == "POST" and form.is_valid():
        try:
            payment_mark_received(order=order, actor=request.user, amount=form.cleaned_data["amount"],
                                  reference=form.cleaned_data["reference"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận tiền cho đơn #%(n)s.") % {"n": order.number})
            return redirect("dashboard:program_order", number=order.pk)
    return render(request, "dashboard/program/order.html", {
        "order": order, "lines": order.lines.all(), "payments": order.payments.all(),
        "fulfillments": order.fulfillments.select_related("cooperative"), "events": order.events.all(),
        "form": form, "vietqr": order.payment_gateway == VIETQR,
    })


@program_page
@require_http_methods(["GET", "POST"])
def combo_new(request):
    channel = current_channel(request)
    form = ComboForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        skus = [sku for sku, _qty in data["components"]]
        variants = {v.sku.lower(): v for v in ProductVariant.objects.filter(sku__in=skus)
                    .select_related("product__product_type")}
        missing = [sku for sku in skus if sku.lower() not in variants]
        if missing:
            form.add_error("components", _("Không tìm thấy SKU: %(skus)s") % {"skus": ", ".join(missing)})
        else:
            try:
                with transaction.atomic():
                    combo = combo_create(
                        actor=request.user, cooperative=data["cooperative"],
                        data={"name": data["name"], "category": data["category"], "description": data["description"],
                              "channel_listings": [{"channel": channel, "price": data["price"]}]},
                        components=[(variants[sku.lower()], qty) for sku, qty in data["components"]],
                    )
                    if data["publish"]:
                        product_channel_listing_update(actor=request.user, product=combo, channel=channel,
                                                       is_published=True, is_available_for_purchase=True)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã tạo combo %(name)s.") % {"name": combo.name})
                return redirect("web:product", slug=combo.slug)
    combos = Product.objects.filter(product_type__kind="combo").select_related("cooperative").order_by("-created_at")
    return render(request, "dashboard/program/combo_form.html", {"form": form, "combos": combos[:50]})


@program_page
@require_http_methods(["GET", "POST"])
def collections(request):
    channel = current_channel(request)
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slugs = form.product_slugs()
        products = list(Product.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {p.slug for p in products})
        if missing:
            form.add_error("products", _("Không tìm thấy sản phẩm: %(s)s") % {"s": ", ".join(missing)})
        else:
            try:
                with transaction.atomic():
                    collection = collection_create(actor=request.user, data={
                        k: data[k] for k in ("name", "name_en", "description", "is_featured")
                    } | {"sort_order": data["sort_order"] or 0}, products=products)
                    collection_channel_listing_update(actor=request.user, collection=collection, channel=channel,
                                                      is_published=True)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã tạo bộ sưu tập."))
                return redirect("dashboard:program_collections")
    return render(request, "dashboard/program/collections.html", {
        "form": form, "collections": Collection.objects.prefetch_related("products").order_by("sort_order", "pk"),
    })


@program_page
@require_POST
def collection_change(request, collection_id):
    collection = get_object_or_404(Collection, pk=collection_id)
    action = request.POST.get("action")
    try:
        if action in ("feature", "unfeature"):
            collection_update(actor=request.user, collection=collection, data={"is_featured": action == "feature"})
        elif action in ("add", "remove"):
            product = Product.objects.filter(slug=request.POST.get("product", "").strip()).first()
            if product is None:
                raise ValidationError({"product": _("Không tìm thấy sản phẩm.")})
            change = collection_add_products if action == "add" else collection_remove_products
            change(actor=request.user, collection=collection, products=[product])
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật bộ sưu tập %(name)s.") % {"name": collection.name})
    return redirect("dashboard:program_collections")


@program_page
def settlement(request):
    rows = [(coop, ledger_balance(cooperative=coop)) for coop in
            Cooperative.objects.exclude(status=Cooperative.Status.PENDING).order_by("name")]
    return render(request, "dashboard/program/settlement.html", {"rows": rows})


@program_page
@require_http_methods(["GET", "POST"])
def settlement_cooperative(request, coop_id):
    cooperative = get_object_or_404(Cooperative, pk=coop_id)
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
        "entries": cooperative.ledger.select_related("fulfillment")[:100], "form": form,
    })
