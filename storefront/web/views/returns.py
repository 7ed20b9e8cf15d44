"""A shopper's return request for a delivered part of their order, and the photo it carries (shown
only to the shopper, the cooperative's staff and program staff, never from a public address)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from storefront.order.models import Fulfillment
from storefront.order.returns import line_is_fresh, return_deadline, return_request_create, returnable_quantities
from storefront.order.selectors import order_for_actor, return_for_actor
from storefront.payment.vietqr import BANK_NAMES

from ..errors import add_service_errors
from ..forms import ReturnRequestForm

PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@login_required
@require_http_methods(["GET", "POST"])
def return_request(request, number, fulfillment_id):
    order = order_for_actor(order_id=number, actor=request.user)
    if order is None or order.user_id != request.user.pk:
        raise Http404
    part = next((f for f in order.fulfillments.all() if f.pk == fulfillment_id), None)
    if part is None or part.status != Fulfillment.Status.DELIVERED:
        raise Http404
    lines = [line for line in order.lines.all() if line.fulfillment_id == part.pk]
    returnable = returnable_quantities(lines=lines)
    deadlines = {line.pk: return_deadline(fulfillment=part, line=line) for line in lines}
    form = ReturnRequestForm(request.POST or None, request.FILES or None, lines=lines, returnable=returnable,
                             banks=BANK_NAMES)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return_request_create(
                order=order, actor=request.user, lines=form.quantities(), reason=data["reason"],
                photo=data.get("photo"), refund_method=data["refund_method"], bank_bin=data.get("bank_bin", ""),
                bank_account_no=data.get("bank_account_no", ""), bank_account_name=data.get("bank_account_name", ""))
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"lines": None})
        else:
            messages.success(request, _("Đã gửi yêu cầu trả hàng; hợp tác xã sẽ trả lời qua e-mail."))
            return redirect("web:order", token=order.token)
    rows = [{"line": line, "left": returnable[line.pk], "deadline": deadlines[line.pk],
             "fresh": line_is_fresh(line), "open": bool(deadlines[line.pk] and deadlines[line.pk] >= timezone.now())}
            for line in lines]
    return render(request, "web/return_request.html", {"order": order, "fulfillment": part, "form": form,
                                                       "rows": rows},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def return_photo(request, return_id):
    order_return = return_for_actor(actor=request.user, return_id=return_id)
    if order_return is None or not order_return.photo:
        raise Http404
    extension = order_return.photo.name.rsplit(".", 1)[-1]
    response = FileResponse(order_return.photo.open("rb"), content_type=PHOTO_TYPES.get(extension, "image/jpeg"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
