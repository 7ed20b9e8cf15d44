"""Vouchers and promotions: a cooperative's staff create and list their own (paid by their
cooperative), program staff every one (paid by the program or by a cooperative)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from storefront.discount.selectors import promotions_for_staff, vouchers_for_staff
from storefront.discount.services import promotion_create, voucher_create
from storefront.web.errors import add_service_errors

from ..access import cooperative_page, program_page
from ..forms import PromotionForm, VoucherForm


def _page(request, *, cooperative, redirect_to):
    kind = request.POST.get("kind") if request.method == "POST" else None
    voucher_form = VoucherForm(request.POST if kind == "voucher" else None, cooperative=cooperative,
                               prefix="voucher")
    promotion_form = PromotionForm(request.POST if kind == "promotion" else None, cooperative=cooperative,
                                   prefix="promotion")
    form, create = {"voucher": (voucher_form, voucher_create),
                    "promotion": (promotion_form, promotion_create)}.get(kind, (None, None))
    if form is not None and form.is_valid():
        data = form.service_data()
        if cooperative is not None:
            data["cooperative"] = cooperative
        try:
            create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo mã giảm giá.") if kind == "voucher" else _("Đã tạo khuyến mãi."))
            return redirect_to()
    vouchers = vouchers_for_staff(actor=request.user)
    promotions = promotions_for_staff(actor=request.user)
    if cooperative is not None:
        vouchers, promotions = vouchers.filter(cooperative=cooperative), promotions.filter(cooperative=cooperative)
    status = 400 if form is not None and form.errors else 200
    return render(request, "dashboard/discounts.html", {
        "cooperative": cooperative, "vouchers": vouchers, "promotions": promotions,
        "voucher_form": voucher_form, "promotion_form": promotion_form,
    }, status=status)


@cooperative_page
@require_http_methods(["GET", "POST"])
def cooperative_discounts(request, cooperative):
    return _page(request, cooperative=cooperative,
                 redirect_to=lambda: redirect("dashboard:discounts", coop_id=cooperative.pk))


@program_page
@require_http_methods(["GET", "POST"])
def program_discounts(request):
    return _page(request, cooperative=None, redirect_to=lambda: redirect("dashboard:program_discounts"))
