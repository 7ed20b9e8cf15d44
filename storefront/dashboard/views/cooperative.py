"""Pages of a cooperative's staff: overview, products (with variants, stock, photos), orders,
store profile, and registering a new cooperative."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from storefront.cooperative.selectors import cooperatives_for_actor
from storefront.cooperative.services import cooperative_register
from storefront.core.permissions import is_program_staff, is_trade_staff
from storefront.order.models import Fulfillment
from storefront.order.selectors import (cooperative_sales_since, fulfillment_for_actor, fulfillments_cash_due,
                                        fulfillments_for_cooperative, fulfillments_to_send, order_history)
from storefront.order.services import (fulfillment_cancel, fulfillment_deliver, fulfillment_pack, fulfillment_refuse,
                                       order_fulfill)
from storefront.product.services import (cooperative_update_profile_and_products, product_channel_listing_update,
                                         product_create, product_media_create, product_media_delete,
                                         product_media_reorder, product_update, variant_create,
                                         variant_price_and_stock_update)
from storefront.product.staff_selectors import (media_ids_in_order, media_of_product, product_editor,
                                                product_of_cooperative, product_rows_of_cooperative,
                                                variant_of_cooperative)
from storefront.warehouse.selectors import stocks_running_low, warehouses_of_cooperative
from storefront.warehouse.lots import sales_date
from storefront.warehouse.selectors import lots_of_order_lines, stock_lots_for_variant
from storefront.warehouse.services import stock_lot_create
from storefront.web.channel import current_channel
from storefront.web.errors import add_service_errors, flat_messages
from storefront.web.traceability import lot_public_url, qr_png_data_uri

from ..access import cooperative_page, refuse_other_cooperative
from ..forms import (CooperativeProfileForm, DeliverForm, MediaUploadForm, NewProductForm, ProductForm, ReasonForm,
                     ShipForm, StockLotForm, VariantForm)

LOW_STOCK_THRESHOLD = 5


@login_required
def home(request):
    """Program staff go to their pages; a member of one cooperative goes straight to it; trade staff to the
    trade console. Only people who are none of these are invited to register a cooperative."""
    if is_program_staff(request.user):
        return redirect("dashboard:program_home")
    cooperatives = list(cooperatives_for_actor(request.user)[:50])
    if len(cooperatives) == 1:
        return redirect("dashboard:overview", coop_id=cooperatives[0].pk)
    if not cooperatives and is_trade_staff(request.user):
        return redirect("catalog_sync:dashboard")
    return render(request, "dashboard/home.html", {"cooperatives": cooperatives})


@cooperative_page
def overview(request, cooperative):
    actor = request.user
    return render(request, "dashboard/overview.html", {
        "cooperative": cooperative,
        "to_fulfil": fulfillments_to_send(actor=actor, cooperative=cooperative)[:20],
        "low_stock": stocks_running_low(actor=actor, cooperative=cooperative, threshold=LOW_STOCK_THRESHOLD),
        "week_sales": cooperative_sales_since(actor=actor, cooperative=cooperative,
                                              since=timezone.now() - timedelta(days=7)),
        "low_stock_threshold": LOW_STOCK_THRESHOLD,
    })


# --- products ------------------------------------------------------------------------------------


@cooperative_page
def products(request, cooperative):
    channel = current_channel(request)
    rows = product_rows_of_cooperative(actor=request.user, cooperative=cooperative, channel=channel)
    return render(request, "dashboard/products.html", {"cooperative": cooperative, "products": rows})


@cooperative_page
@require_http_methods(["GET", "POST"])
def product_new(request, cooperative):
    channel = current_channel(request)
    form = NewProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warehouses = warehouses_of_cooperative(actor=request.user, cooperative=cooperative)
        try:
            product = product_create(actor=request.user, cooperative=cooperative, data=form.product_data(),
                                     first_variant={
                                         "sku": data["sku"], "weight_g": data.get("weight_g"),
                                         "channel_listings": [{"channel": channel, "price": data["price"]}],
                                         "stocks": [(warehouses[0], data["stock"])] if warehouses else [],
                                     })
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"quantity": "stock", "stocks": "stock"})
        else:
            messages.success(request, _("Đã tạo sản phẩm. Thêm ảnh rồi đăng bán."))
            return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)
    return render(request, "dashboard/product_form.html", {"cooperative": cooperative, "form": form, "product": None})


def _own_product(request, cooperative, product_id):
    product = product_of_cooperative(actor=request.user, cooperative=cooperative, product_id=product_id)
    if product is None:
        raise Http404
    return product


def _product_initial(product) -> dict:
    return {
        "name": product.name, "name_en": product.name_en, "category": product.category_id,
        "unit_label": product.unit_label, "net_quantity": product.net_quantity, "net_unit": product.net_unit,
        "weight_g": product.weight_g, "origin_province": product.origin_province_id,
        "standards": product.standards, "ocop_stars": product.ocop_stars, "shelf_life_days": product.shelf_life_days,
        "perishable": product.perishable, "description": product.description, "description_en": product.description_en,
        "show_lot_dates": product.show_lot_dates, "markdown_percent": product.markdown_percent,
        "markdown_days": product.markdown_days, "sold_by_weight": product.sold_by_weight,
        "nominal_weight_g": product.nominal_weight_g, "weight_tolerance_percent": product.weight_tolerance_percent,
    }


@cooperative_page
@require_http_methods(["GET", "POST"])
def product_edit(request, cooperative, product_id):
    product = _own_product(request, cooperative, product_id)
    channel = current_channel(request)
    form = ProductForm(request.POST or None, initial=_product_initial(product))
    if request.method == "POST" and form.is_valid():
        try:
            product_update(actor=request.user, product=product, data=form.product_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu sản phẩm."))
            return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)
    return render(request, "dashboard/product_form.html", {
        "cooperative": cooperative, "form": form, "product": product,
        **_product_extras(request, product, channel),
    })


def _product_extras(request, product, channel, *, media_form=None, variant_form=None):
    editor = product_editor(actor=request.user, product=product, channel=channel)
    return {
        "variants": editor.variants, "media": editor.media, "listing": editor.listing,
        "media_form": media_form or MediaUploadForm(), "variant_form": variant_form or VariantForm(),
    }


@cooperative_page
@require_POST
def product_publish(request, cooperative, product_id):
    product = _own_product(request, cooperative, product_id)
    publish = request.POST.get("publish") == "1"
    try:
        product_channel_listing_update(actor=request.user, product=product, channel=current_channel(request),
                                       is_published=publish, is_available_for_purchase=publish or None)
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã đăng bán.") if publish else _("Đã ngừng bán."))
    return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)


@cooperative_page
@require_POST
def variant_add(request, cooperative, product_id):
    product = _own_product(request, cooperative, product_id)
    channel = current_channel(request)
    form = VariantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            variant_create(actor=request.user, product=product, data={
                "sku": data["sku"], "name": data["name"], "weight_g": data["weight_g"],
                "nominal_weight_g": data["nominal_weight_g"],
                "channel_listings": [{"channel": channel, "price": data["price"],
                                      "compare_at_price": data["compare_at_price"]}],
            })
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm loại sản phẩm."))
            return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)
    return render(request, "dashboard/product_form.html", {
        "cooperative": cooperative, "form": ProductForm(initial=_product_initial(product)), "product": product,
        **_product_extras(request, product, channel, variant_form=form),
    }, status=400)


def _own_variant(request, cooperative, variant_id):
    variant = variant_of_cooperative(actor=request.user, cooperative=cooperative, variant_id=variant_id)
    if variant is None:
        raise Http404
    return variant


@cooperative_page
@require_POST
def variant_save(request, cooperative, variant_id):
    """Price and stock per warehouse of one variant, from the product page's table."""
    variant = _own_variant(request, cooperative, variant_id)
    channel = current_channel(request)
    warehouses = [] if variant.product.is_combo else warehouses_of_cooperative(actor=request.user,
                                                                                cooperative=cooperative)
    stocks = [(w, request.POST[f"stock-{w.pk}"]) for w in warehouses
              if request.POST.get(f"stock-{w.pk}") not in (None, "")]
    try:
        # The table posts plain fields, not a form: refuse NUL bytes as a form's CharField would.
        for value in request.POST.values():
            ProhibitNullCharactersValidator()(value)
        extra = {}
        if "nominal_weight_g" in request.POST:
            extra["nominal_weight_g"] = request.POST["nominal_weight_g"] or None
        variant_price_and_stock_update(actor=request.user, variant=variant, channel=channel,
                                       name=request.POST.get("name"), price=request.POST.get("price"),
                                       compare_at_price=request.POST.get("compare_at_price"), stocks=stocks, **extra)
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, f"{variant.sku}: {message}")
    else:
        messages.success(request, _("Đã lưu %(sku)s.") % {"sku": variant.sku})
    return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=variant.product_id)


@cooperative_page
@require_POST
def media_upload(request, cooperative, product_id):
    product = _own_product(request, cooperative, product_id)
    form = MediaUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            product_media_create(actor=request.user, product=product, uploaded_file=form.cleaned_data["image"],
                                 alt=form.cleaned_data["alt"])
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"file": "image", "uploaded_file": "image", "media": "image"})
        else:
            messages.success(request, _("Đã tải ảnh lên."))
            return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)
    return render(request, "dashboard/product_form.html", {
        "cooperative": cooperative, "form": ProductForm(initial=_product_initial(product)), "product": product,
        **_product_extras(request, product, current_channel(request), media_form=form),
    }, status=400)


@cooperative_page
@require_POST
def media_move(request, cooperative, product_id):
    """Move one photo a place up or down (buttons work without a mouse)."""
    product = _own_product(request, cooperative, product_id)
    ids = media_ids_in_order(product=product)
    try:
        moved = int(request.POST.get("media", 0))
        index = ids.index(moved)
    except ValueError:
        raise PermissionDenied from None
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        product_media_reorder(actor=request.user, product=product, media_ids=ids)
    return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)


@cooperative_page
@require_POST
def media_delete(request, cooperative, product_id, media_id):
    product = _own_product(request, cooperative, product_id)
    media = media_of_product(product=product, media_id=media_id)
    if media is None:
        raise Http404
    product_media_delete(actor=request.user, media=media)
    messages.success(request, _("Đã xóa ảnh."))
    return redirect("dashboard:product_edit", coop_id=cooperative.pk, product_id=product.pk)


# --- orders --------------------------------------------------------------------------------------


@cooperative_page
def orders(request, cooperative):
    status = request.GET.get("status") or ""
    rows = list(fulfillments_for_cooperative(actor=request.user, cooperative=cooperative, status=status)[:200])
    cash_due = fulfillments_cash_due(rows)
    for row in rows:
        row.cash_due = cash_due[row.pk]
    return render(request, "dashboard/orders.html", {
        "cooperative": cooperative, "fulfillments": rows, "status": status,
        "statuses": Fulfillment.Status.choices, "ship_form": ShipForm(), "reason_form": ReasonForm(),
    })


@cooperative_page
@require_GET
def order_part(request, cooperative, fulfillment_id):
    """One part of an order as its cooperative sees it: its lines, what to collect, the actions left
    and the history of this part (never another cooperative's)."""
    fulfillment = _own_fulfillment(request, cooperative, fulfillment_id)
    fulfillment.cash_due = fulfillments_cash_due([fulfillment])[fulfillment.pk]
    return render(request, "dashboard/order_part.html", {
        "cooperative": cooperative, "f": fulfillment, "order": fulfillment.order,
        "history": order_history(order=fulfillment.order, cooperative_ids={cooperative.pk}),
    })


def _own_fulfillment(request, cooperative, fulfillment_id):
    fulfillment = fulfillment_for_actor(actor=request.user, fulfillment_id=fulfillment_id)
    if fulfillment is None:  # unknown, or another cooperative's: the same answer for both
        raise PermissionDenied
    refuse_other_cooperative(fulfillment.cooperative_id, cooperative)
    return fulfillment


@cooperative_page
@require_POST
def fulfillment_action(request, cooperative, fulfillment_id, action):
    fulfillment = _own_fulfillment(request, cooperative, fulfillment_id)
    try:
        if action == "pack":
            fulfillment_pack(fulfillment=fulfillment, actor=request.user)
        elif action == "ship":
            lines = list(fulfillment.lines.all())
            form = ShipForm(request.POST, lines=lines)
            if not form.is_valid():
                if "tracking_number" in form.errors:
                    raise ValidationError({"tracking_number": _("Cần nhập mã vận đơn.")})
                raise ValidationError({"actual_weight": [e for errors in form.errors.values() for e in errors]})
            whole_part = {str(line.pk): line.quantity for line in lines}
            order_fulfill(order=fulfillment.order, lines=whole_part, weights=form.weights(),
                          tracking_number=form.cleaned_data["tracking_number"], actor=request.user)
        elif action == "cancel":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"reason": _("Cần ghi lý do hủy.")})
            fulfillment_cancel(fulfillment=fulfillment, actor=request.user, reason=form.cleaned_data["reason"])
        elif action == "deliver":
            form = DeliverForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"cash_collected": _("Số tiền mặt đã thu phải là số nguyên không âm (đồng).")})
            fulfillment_deliver(fulfillment=fulfillment, actor=request.user,
                                cash_collected=form.cleaned_data["cash_collected"])
        elif action == "refuse":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"reason": _("Cần ghi lý do khách không nhận hàng.")})
            fulfillment_refuse(fulfillment=fulfillment, actor=request.user, reason=form.cleaned_data["reason"])
        else:
            raise PermissionDenied
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, _("Đơn #%(n)s: %(m)s") % {"n": fulfillment.order_id, "m": message})
    else:
        messages.success(request, _("Đã cập nhật đơn #%(n)s.") % {"n": fulfillment.order_id})
    if request.POST.get("back") == "part":
        return redirect("dashboard:order_part", coop_id=cooperative.pk, fulfillment_id=fulfillment.pk)
    return redirect("dashboard:orders", coop_id=cooperative.pk)


# --- profile and registration --------------------------------------------------------------------


def _profile_initial(cooperative) -> dict:
    return {
        "name": cooperative.name, "kind": cooperative.kind, "province": cooperative.province_id,
        "commune": cooperative.commune.name, "street": cooperative.street,
        "representative_name": cooperative.representative_name,
        "representative_title": cooperative.representative_title, "phone": cooperative.phone,
        "email": cooperative.email, "tax_code": cooperative.tax_code, "founded_year": cooperative.founded_year,
        "members_count": cooperative.members_count, "farm_area_ha": cooperative.farm_area_ha,
        "description": cooperative.description, "description_en": cooperative.description_en,
        "certifications": [c.type for c in cooperative.certifications.filter(product__isnull=True)],
        "return_window_days": cooperative.return_window_days,
        "fresh_return_window_hours": cooperative.fresh_return_window_hours,
    }


@cooperative_page
@require_http_methods(["GET", "POST"])
def profile(request, cooperative):
    form = CooperativeProfileForm(request.POST or None, initial=_profile_initial(cooperative))
    if request.method == "POST" and form.is_valid():
        try:
            cooperative_update_profile_and_products(actor=request.user, cooperative=cooperative,
                                                    data=form.profile_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hồ sơ hợp tác xã."))
            return redirect("dashboard:profile", coop_id=cooperative.pk)
    return render(request, "dashboard/profile.html", {"cooperative": cooperative, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    form = CooperativeProfileForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            cooperative = cooperative_register(actor=request.user, data=form.profile_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi đăng ký. Cán bộ chương trình sẽ duyệt trong 2 ngày làm việc; "
                                        "trong lúc chờ bạn có thể chuẩn bị sản phẩm."))
            return redirect("dashboard:overview", coop_id=cooperative.pk)
    return render(request, "dashboard/register.html", {"form": form})


@cooperative_page
@require_http_methods(["GET", "POST"])
def variant_lots(request, cooperative, variant_id):
    """A variant's harvest lots, and recording a new one."""
    variant = _own_variant(request, cooperative, variant_id)
    warehouses = cooperative.warehouses.order_by("pk")
    form = StockLotForm(request.POST or None, warehouses=warehouses)
    if request.method == "POST" and form.is_valid():
        try:
            lot = stock_lot_create(actor=request.user, variant=variant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi lô %(code)s: %(n)s đơn vị.") % {"code": lot.code, "n": lot.quantity})
            return redirect("dashboard:variant_lots", coop_id=cooperative.pk, variant_id=variant.pk)
    return render(request, "dashboard/lots.html", {
        "cooperative": cooperative, "variant": variant, "product": variant.product, "form": form,
        "lots": list(stock_lots_for_variant(actor=request.user, variant=variant)), "today": sales_date(),
    })


@cooperative_page
@require_GET
def packing_slip(request, cooperative, fulfillment_id):
    """The print view packed with a cooperative's part of an order: what goes in the parcel, to whom,
    and per line the lots it came from, each with the QR code of its public traceability page."""
    fulfillment = _own_fulfillment(request, cooperative, fulfillment_id)
    lines = list(fulfillment.lines.order_by("pk"))
    lots = lots_of_order_lines(order_line_ids=[line.pk for line in lines])
    for line in lines:
        line.lot_rows = lots.get(line.pk, [])
        for row in line.lot_rows:
            row.public_url = lot_public_url(row.lot)
            row.qr = qr_png_data_uri(row.public_url)
    return render(request, "dashboard/packing_slip.html", {
        "cooperative": cooperative, "fulfillment": fulfillment, "order": fulfillment.order, "lines": lines,
        "address": fulfillment.order.shipping_address,
    })
