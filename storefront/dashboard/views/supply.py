"""Pages of the supply program: declare needs, record sales and purchases, read the three reports on
screen (tables and charts) or as XLSX. Each view shapes input, calls one service or report, and shows
its errors in place; permissions are the services' (PermissionDenied -> 403)."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront.cooperative.selectors import cooperatives_selling
from storefront.core.permissions import is_program_staff

from storefront.supply import reports, services, xlsx
from storefront.supply.access import can_read_supply_reports, distributor_ids_of
from storefront.supply.models import SalesNeed
from storefront.supply.selectors import (cooperatives_for_supply_actor, distributor_purchases_for_actor,
                                         distributors_for_actor, need_for_actor, needs_for_actor,
                                         report_provinces_for, sales_record_for_actor, sales_records_for_actor)
from storefront.supply.units import UNITS

from ..supply_forms import DayForm, NeedForm, PeriodForm, PurchaseForm, SalesRecordForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request, **extra) -> dict:
    user = request.user
    return {
        "units": UNITS,
        "can_report": can_read_supply_reports(user),
        "is_distributor": is_program_staff(user) or bool(distributor_ids_of(user)),
        **extra,
    }


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request):
    if not (can_read_supply_reports(request.user) or distributor_ids_of(request.user)):
        raise PermissionDenied(_("Bạn chưa được giao vai trò trong chương trình tiêu thụ."))
    return render(request, "supply/index.html", _context(request))


# ---- needs ----------------------------------------------------------------------------------------

@login_required
def needs(request):
    status = request.GET.get("status") or SalesNeed.Status.OPEN
    if status not in SalesNeed.Status.values:
        status = SalesNeed.Status.OPEN
    rows = needs_for_actor(actor=request.user, status=status)[:200]
    return render(request, "supply/needs.html", _context(request, needs=rows, status=status,
                                                        statuses=SalesNeed.Status.choices))


@login_required
def need_create(request):
    cooperatives = cooperatives_for_supply_actor(actor=request.user)
    if not cooperatives.exists():
        raise PermissionDenied(_("Bạn không khai báo được cho hợp tác xã nào."))
    form = NeedForm(request.POST or None, cooperatives=cooperatives,
                    initial={"need_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "cooperative"}
        try:
            services.need_create(actor=request.user, cooperative=form.cleaned_data["cooperative"], data=data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã ghi nhận nhu cầu tiêu thụ."))
            return redirect("supply:needs")
    return render(request, "supply/need_form.html", _context(request, form=form, need=None),
                  status=400 if form.errors else 200)


def _need_or_404(request, pk) -> SalesNeed:
    try:
        return need_for_actor(actor=request.user, need_id=pk)
    except SalesNeed.DoesNotExist:
        raise Http404 from None


@login_required
def need_edit(request, pk: int):
    need = _need_or_404(request, pk)
    initial = services.need_input_of(need)
    form = NeedForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(actor=request.user, need=need, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã cập nhật nhu cầu tiêu thụ."))
            return redirect("supply:needs")
    return render(request, "supply/need_form.html", _context(request, form=form, need=need),
                  status=400 if form.errors else 200)


@login_required
@require_POST
def need_close(request, pk: int):
    need = _need_or_404(request, pk)
    try:
        services.need_close(actor=request.user, need=need)
        messages.success(request, _("Đã đóng nhu cầu “%(name)s”.") % {"name": need.product_name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("supply:needs")


@login_required
@require_POST
def need_draft_product(request, pk: int):
    need = _need_or_404(request, pk)
    try:
        product = services.need_to_draft_product(actor=request.user, need=need)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã tạo sản phẩm nháp “%(name)s” (chưa đăng bán) trong gian hàng của HTX.")
                         % {"name": product.name})
    return redirect("supply:needs")


# ---- records --------------------------------------------------------------------------------------

@login_required
def records(request):
    cooperatives = cooperatives_for_supply_actor(actor=request.user)
    if not cooperatives.exists():
        raise PermissionDenied(_("Bạn không ghi nhận được cho hợp tác xã nào."))
    form = SalesRecordForm(request.POST or None, cooperatives=cooperatives,
                           initial={"sold_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "cooperative"}
        try:
            services.sales_record_create(actor=request.user, cooperative=form.cleaned_data["cooperative"], data=data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã ghi nhận kết quả tiêu thụ."))
            return redirect("supply:records")
    since = timezone.localdate() - datetime.timedelta(days=60)
    rows = sales_records_for_actor(actor=request.user, date_from=since)[:200]
    return render(request, "supply/records.html", _context(request, form=form, records=rows),
                  status=400 if form.errors else 200)


@login_required
@require_POST
def record_delete(request, pk: int):
    record = sales_record_for_actor(actor=request.user, record_id=pk)
    if record is None:
        raise Http404
    services.sales_record_delete(actor=request.user, record=record)
    messages.success(request, _("Đã xóa dòng kết quả tiêu thụ."))
    return redirect("supply:records")


@login_required
def purchases(request):
    distributors = distributors_for_actor(actor=request.user)
    form = PurchaseForm(request.POST or None, distributors=distributors,
                        cooperatives=cooperatives_selling(),
                        initial={"purchased_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "distributor"}
        try:
            services.distributor_purchase_create(actor=request.user, distributor=form.cleaned_data["distributor"],
                                                 data=data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã ghi nhận hàng thu mua."))
            return redirect("supply:purchases")
    rows = distributor_purchases_for_actor(actor=request.user)[:200]
    return render(request, "supply/purchases.html", _context(request, form=form, purchases=rows),
                  status=400 if form.errors else 200)


# ---- reports --------------------------------------------------------------------------------------

def _report_page(request, template, form, build, export, filename, **extra):
    """Shows a report built from the filter form, or its XLSX with `?format=xlsx`; a bad filter
    is shown on the form with status 400."""
    report = None
    status = 200
    if form.is_valid():
        try:
            report = build(form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
    else:
        status = 400
    if report is not None and request.GET.get("format") == "xlsx":
        return _xlsx_response(export(report), filename(report))
    return render(request, template, _context(request, form=form, report=report,
                                              # not `query`: the site header's search box reads that name
                                              filter_query=request.GET.urlencode(),
                                              **extra), status=status)


@login_required
def report_needs(request):
    today = timezone.localdate()
    form = DayForm(request.GET or {"day": today.isoformat()}, provinces=report_provinces_for(actor=request.user))
    return _report_page(
        request, "supply/report_needs.html", form,
        lambda d: reports.needs_daily_report(actor=request.user, day=d["day"], province=d["province"]),
        xlsx.needs_xlsx, lambda r: f"nhu-cau-tieu-thu-{r.day:%Y-%m-%d}.xlsx")


@login_required
def report_sales(request):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    form = PeriodForm(request.GET or {"date_from": monday.isoformat(), "date_to": today.isoformat()},
                      provinces=report_provinces_for(actor=request.user))
    return _report_page(
        request, "supply/report_sales.html", form,
        lambda d: reports.sales_report(actor=request.user, date_from=d["date_from"], date_to=d["date_to"],
                                       province=d["province"]),
        xlsx.sales_xlsx, lambda r: f"ket-qua-tieu-thu-{r.date_from:%Y%m%d}-{r.date_to:%Y%m%d}.xlsx")


@login_required
def report_distributor(request):
    distributors = distributors_for_actor(actor=request.user)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    form = PeriodForm(request.GET or {"date_from": monday.isoformat(), "date_to": today.isoformat()})
    del form.fields["province"]
    distributor = None
    if request.GET.get("distributor"):
        distributor = distributors.filter(pk=request.GET["distributor"]).first() if request.GET[
            "distributor"].isdigit() else None
        if distributor is None:
            raise Http404
    elif distributors.count() == 1:
        distributor = distributors.get()
    return _report_page(
        request, "supply/report_distributor.html", form,
        lambda d: reports.distributor_report(actor=request.user, date_from=d["date_from"], date_to=d["date_to"],
                                             distributor=distributor),
        xlsx.distributor_xlsx, lambda r: f"tieu-thu-theo-dia-ban-{r.date_from:%Y%m%d}-{r.date_to:%Y%m%d}.xlsx",
        distributors=distributors, distributor=distributor)
