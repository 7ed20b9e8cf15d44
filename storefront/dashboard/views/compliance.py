"""Program staff's accountability pages: shoppers' personal-data requests (Law 91/2025), carried
out or refused here, and the audit log of staff actions outside orders."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront.account.models import PersonalDataRequest
from storefront.privacy.services import personal_data_erase, personal_data_request_reject, personal_data_requests
from storefront.core.audit import audit_entries
from storefront.web.errors import flat_messages

from ..access import program_page
from ..forms import AuditFilterForm, ReasonForm

AUDIT_PAGE_SIZE = 50


@program_page
def data_requests(request):
    status = request.GET.get("status") or ""
    kind = request.GET.get("kind") or ""
    rows = personal_data_requests(actor=request.user, status=status, kind=kind)
    return render(request, "dashboard/program/data_requests.html", {
        "requests": rows[:200], "status": status, "kind": kind, "statuses": PersonalDataRequest.Status.choices,
        "kinds": PersonalDataRequest.Kind.choices, "reason_form": ReasonForm(),
    })


@program_page
@require_POST
def data_request_action(request, request_id, action):
    data_request = get_object_or_404(PersonalDataRequest, pk=request_id)
    try:
        if action == "erase":
            personal_data_erase(actor=request.user, request=data_request)
            messages.success(request, _("Yêu cầu #%(n)s: đã xoá và ẩn danh dữ liệu.") % {"n": data_request.pk})
        elif action == "reject":
            personal_data_request_reject(actor=request.user, request=data_request, note=request.POST.get("reason", ""))
            messages.success(request, _("Yêu cầu #%(n)s: đã từ chối.") % {"n": data_request.pk})
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except ValidationError as exc:
        for message in flat_messages(exc):
            messages.error(request, _("Yêu cầu #%(n)s: %(message)s") % {"n": data_request.pk, "message": message})
    return redirect("dashboard:program_data_requests")


@program_page
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(actor=request.user, action=filters.get("action") or "",
                            actor_email=filters.get("actor") or "", since=filters.get("since"),
                            until=filters.get("until"))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dashboard/program/audit_log.html", {"form": form, "page": page,
                                                                "query": query.urlencode()})
