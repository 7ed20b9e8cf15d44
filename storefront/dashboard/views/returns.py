"""A cooperative's return requests: see the goods and photo, accept (restock or write off each line)
or refuse with a reason; pay the refund (a VietQR to the shopper's account, or cash) and record it."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront.order.models import OrderReturn
from storefront.order.returns import (refund_transfer_note, refund_vietqr_payload, return_accept,
                                      return_refund_mark_paid, return_refuse)
from storefront.order.selectors import return_for_actor, returns_for_cooperative
from storefront.payment.vietqr import bank_name
from storefront.web.errors import flat_messages
from storefront.web.traceability import qr_png_data_uri

from ..access import cooperative_page, refuse_other_cooperative


@cooperative_page
def returns(request, cooperative):
    status = request.GET.get("status") or ""
    rows = list(returns_for_cooperative(actor=request.user, cooperative=cooperative, status=status)[:100])
    for row in rows:
        payload = refund_vietqr_payload(row) if row.granted_refund and row.granted_refund.status == "none" else None
        row.qr = qr_png_data_uri(payload) if payload else ""
        row.transfer_note = refund_transfer_note(row)
        row.bank_name = bank_name(row.bank_bin)
    return render(request, "dashboard/returns.html", {
        "cooperative": cooperative, "returns": rows, "status": status, "statuses": OrderReturn.Status.choices})


@cooperative_page
@require_POST
def return_action(request, cooperative, return_id, action):
    order_return = return_for_actor(actor=request.user, return_id=return_id)
    if order_return is None:
        raise PermissionDenied
    refuse_other_cooperative(order_return.cooperative_id, cooperative)
    try:
        if action == "accept":
            return_accept(order_return=order_return, actor=request.user,
                          write_off=request.POST.getlist("write_off"))
            done = _("Đã chấp nhận trả hàng R%(n)s.")
        elif action == "refuse":
            return_refuse(order_return=order_return, actor=request.user, reason=request.POST.get("reason", ""))
            done = _("Đã từ chối yêu cầu R%(n)s.")
        elif action == "paid":
            return_refund_mark_paid(order_return=order_return, actor=request.user,
                                    reference=request.POST.get("reference", ""))
            done = _("Đã ghi nhận hoàn tiền R%(n)s.")
        else:
            raise PermissionDenied
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, _("R%(n)s: %(m)s") % {"n": order_return.pk, "m": message})
    else:
        messages.success(request, done % {"n": order_return.pk})
    return redirect("dashboard:returns", coop_id=cooperative.pk)
