"""The certificate vault: a cooperative's staff list, upload and replace their own certificates; trade and
program staff see every cooperative's. Files are served through a view that checks who asks (their
storage names are never linked directly)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from storefront.cooperative.certificate_files import CONTENT_TYPES
from storefront.cooperative.models import Certification
from storefront.cooperative.selectors import certification_for_actor, certifications_for_actor
from storefront.cooperative.services import certification_save
from storefront.core.permissions import is_trade_staff
from storefront.product.models import Product
from storefront.web.errors import add_service_errors

from ..access import cooperative_page
from ..forms import CertificationForm


def _products(cooperative):
    return Product.objects.filter(cooperative=cooperative).order_by("name").only("pk", "name")


@cooperative_page
@require_http_methods(["GET", "POST"])
def certifications(request, cooperative):
    form = CertificationForm(request.POST or None, request.FILES or None, products=_products(cooperative))
    if request.method == "POST" and form.is_valid():
        try:
            certification_save(actor=request.user, cooperative=cooperative, data=form.service_data(),
                               file=form.cleaned_data.get("file"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chứng nhận."))
            return redirect("dashboard:certifications", coop_id=cooperative.pk)
    rows = certifications_for_actor(request.user, cooperative=cooperative)
    return render(request, "dashboard/certifications.html", {"cooperative": cooperative, "form": form,
                                                             "certifications": rows},
                  status=400 if form.is_bound and form.errors else 200)


@cooperative_page
@require_http_methods(["GET", "POST"])
def certification_edit(request, cooperative, certification_id: int):
    try:
        certification = certification_for_actor(actor=request.user, certification_id=certification_id)
    except Certification.DoesNotExist:
        raise Http404
    if certification.cooperative_id != cooperative.pk:
        raise Http404
    initial = {"type": certification.type, "stars": certification.stars, "number": certification.number,
               "issuer": certification.issuer, "valid_from": certification.valid_from,
               "valid_until": certification.valid_until, "scope": certification.scope,
               "scope_products": [str(p.pk) for p in certification.scope_products.all()]}
    form = CertificationForm(request.POST or None, request.FILES or None, initial=initial,
                             products=_products(cooperative))
    if request.method == "POST" and form.is_valid():
        try:
            certification_save(actor=request.user, cooperative=cooperative, data=form.service_data(),
                               file=form.cleaned_data.get("file"), certification=certification)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật chứng nhận."))
            return redirect("dashboard:certifications", coop_id=cooperative.pk)
    return render(request, "dashboard/certification_edit.html", {
        "cooperative": cooperative, "form": form, "certification": certification},
        status=400 if form.is_bound and form.errors else 200)


@login_required
def certifications_all(request):
    """Every cooperative's certificates, for trade and program staff."""
    if not is_trade_staff(request.user):
        raise PermissionDenied
    return render(request, "dashboard/certifications_all.html",
                  {"certifications": certifications_for_actor(request.user)})


@login_required
def certification_file(request, certification_id: int):
    try:
        certification = certification_for_actor(actor=request.user, certification_id=certification_id)
    except Certification.DoesNotExist:
        raise Http404
    handle = certification.file.open("rb")
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(certification.file_type,
                                                                   "application/octet-stream"),
                            filename=f"{certification.type}-{certification.number}.{certification.file.name.rsplit('.', 1)[-1]}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
