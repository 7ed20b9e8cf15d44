"""Trade console pages (/trade/): every action goes through services; permission failures are 403."""
from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (CandidateFilterForm, CooperativeAnswerForm, ExchangeRateForm, ExportProfileForm, InquiryFilterForm,
                    InquiryReplyForm, ManualInquiryForm, SuggestPricesForm)
from .labels import country_label, unit_label
from .mapping import build_listing
from . import provenance
from .models import ExchangeRate, ExportProfile, Inquiry, Listing, ListingRestore, PublishSnapshot, SyncRun
from .source import shop_source
from .sync import catalog_sync_run


def _trade_only(request):
    source = shop_source()
    source.require_trade_staff(request.user)
    return source


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def dashboard(request):
    _trade_only(request)
    return render(request, "catalog_sync/dashboard.html", {"data": selectors.dashboard()})


@login_required
@require_POST
def sync_now(request):
    source = _trade_only(request)
    services.sync_request(actor=request.user, source=source, full=request.POST.get("full") == "1")
    if request.headers.get("Accept") == "application/json":  # the console's script polls the status instead
        return JsonResponse({"queued": True, "status_url": reverse("catalog_sync:sync_status")})
    messages.success(request, _("Đã xếp lịch đồng bộ."))
    return redirect("catalog_sync:dashboard")


@login_required
def sync_status(request):
    _trade_only(request)
    return JsonResponse(selectors.sync_status())


@login_required
@require_POST
def retry_failed(request):
    source = _trade_only(request)
    count = services.listings_retry_failed(actor=request.user, source=source)
    messages.success(request, _("%(n)d mục sẽ được thử lại ở lần đồng bộ tới.") % {"n": count})
    return redirect("catalog_sync:dashboard")


@login_required
def preview(request):
    source = _trade_only(request)
    report = catalog_sync_run(source=source, dry_run=True, triggered_by=f"preview:{request.user.pk}")
    changes = [c for c in report.changes if c.action not in ("none",)]
    return render(request, "catalog_sync/preview.html", {
        "report": report, "rows": selectors.dry_run_rows(changes=changes, source=source)})


@login_required
def candidates(request):
    source = _trade_only(request)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("product_ids") if i.isdigit()]
        services.export_profiles_select(actor=request.user, source=source, product_ids=ids,
                                        selected=request.POST.get("action") == "select")
        messages.success(request, _("Đã cập nhật lựa chọn."))
        return redirect(request.get_full_path())
    filters = CandidateFilterForm(request.GET)
    if filters.is_valid():
        data, status = filters.cleaned_data, 200
        rows, page = selectors.export_candidates(source=source, query=data["q"], cooperative_id=data["cooperative"],
                                                 category_id=data["category"], status=data["status"],
                                                 page=request.GET.get("page"))
    else:
        rows, page, status = [], None, 400
        _filter_errors(request, filters)
    return render(request, "catalog_sync/candidates.html", {
        "rows": rows, "page": page, "cooperatives": source.cooperatives(), "categories": source.categories(),
        "states": Listing.State.choices, "filters": request.GET}, status=status)


def _filter_errors(request, form) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label or field}: {error}")


@login_required
def profile_edit(request, product_id: int):
    source = _trade_only(request)
    try:
        profile = services.export_profile_get_or_create(actor=request.user, source=source, product_id=product_id)
    except ValidationError:
        raise Http404
    snapshot = source.snapshots([product_id])[product_id]
    form = ExportProfileForm(request.POST or None, initial=ExportProfileForm.initial_for(profile),
                             grades=selectors.allowed_grades(profile.remote_category))
    suggest_form = SuggestPricesForm(prefix="suggest")
    if request.method == "POST" and form.is_valid():
        try:
            services.export_profile_update(actor=request.user, source=source, profile=profile,
                                           data=form.service_data())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hồ sơ xuất khẩu."))
            return redirect("catalog_sync:profile", product_id=product_id)
    profile = ExportProfile.objects.prefetch_related("price_tiers").select_related("remote_category").get(pk=profile.pk)
    diagnostics = selectors.profile_readiness(profile=profile, snapshot=snapshot)
    origins = provenance.field_origins(profile, snapshot)
    field_rows = [(form[name], origins.get(name)) for name in form.fields]
    listing_preview = build_listing(selectors.export_terms(profile), snapshot,
                                    [i.url for i in snapshot.images[:6]])
    return render(request, "catalog_sync/profile.html", {
        "profile": profile, "snapshot": snapshot, "form": form, "suggest_form": suggest_form,
        "diagnostics": diagnostics, "preview": listing_preview, "listing": getattr(profile, "listing", None),
        "field_rows": field_rows, "price_origin": origins.get("price_tiers"),
        "restore": ListingRestore.objects.filter(listing__profile=profile).first(),
        "product_url": source.product_edit_url(product_id)})


@login_required
@require_POST
def profile_suggest_prices(request, product_id: int):
    source = _trade_only(request)
    profile = ExportProfile.objects.filter(product_id=product_id).first()
    if profile is None:
        raise Http404
    form = SuggestPricesForm(request.POST, prefix="suggest")
    try:
        if not form.is_valid():
            raise ValidationError({"tiers": form.errors.get("tiers")})
        services.price_tiers_suggest(actor=request.user, source=source, profile=profile, tiers=form.tier_list())
        messages.success(request, _("Đã tính giá USD gợi ý; hãy kiểm tra rồi xác nhận."))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect("catalog_sync:profile", product_id=product_id)


@login_required
@require_POST
def profile_confirm_prices(request, product_id: int):
    source = _trade_only(request)
    profile = ExportProfile.objects.filter(product_id=product_id).first()
    if profile is None:
        raise Http404
    try:
        services.price_tiers_confirm(actor=request.user, source=source, profile=profile)
    except ValidationError as exc:
        messages.error(request, "; ".join(e.message for es in exc.error_dict.values() for e in es))
    return redirect("catalog_sync:profile", product_id=product_id)


@login_required
def rates(request):
    source = _trade_only(request)
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_rate_set(actor=request.user, source=source, on_date=form.cleaned_data["on_date"],
                                       vnd_per_usd=form.cleaned_data["vnd_per_usd"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("catalog_sync:rates")
    return render(request, "catalog_sync/rates.html", {"form": form, "rates": ExchangeRate.objects.all()[:60]})


@login_required
def inquiries(request):
    source = shop_source()
    if not source.is_trade_staff(request.user):
        own = sorted(source.cooperative_ids_of(request.user))
        if not own:
            raise PermissionDenied
        return redirect("catalog_sync:cooperative_inquiries", coop_id=own[0])
    filters = InquiryFilterForm(request.GET)
    if filters.is_valid():
        items, status = selectors.inquiries_for_actor(actor=request.user, source=source,
                                                      status=filters.cleaned_data["status"])[:200], 200
    else:
        items, status = [], 400
        _filter_errors(request, filters)
    return render(request, "catalog_sync/inquiries.html", {
        "inquiries": items, "statuses": Inquiry.Status.choices, "can_create": True}, status=status)


@login_required
def inquiry_detail(request, inquiry_id: int):
    source = shop_source()
    try:
        inquiry = selectors.inquiry_for_actor(actor=request.user, source=source, inquiry_id=inquiry_id)
    except Inquiry.DoesNotExist:
        raise Http404
    if not source.is_trade_staff(request.user):  # the cooperative reads it on its own dashboard, in Vietnamese
        return redirect("catalog_sync:cooperative_inquiry", coop_id=inquiry.cooperative_id, inquiry_id=inquiry.pk)
    form = InquiryReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_reply(actor=request.user, source=source, inquiry=inquiry,
                                   text=form.cleaned_data["text"], status=form.cleaned_data["status"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật yêu cầu báo giá."))
            return redirect("catalog_sync:inquiry", inquiry_id=inquiry.pk)
    return render(request, "catalog_sync/inquiry.html", {"inquiry": inquiry, "form": form,
                                                         "replies": inquiry.replies.all()})


@login_required
def inquiry_create(request):
    source = _trade_only(request)
    form = ManualInquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_create_manual(actor=request.user, source=source, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("catalog_sync:inquiry", inquiry_id=inquiry.pk)
    return render(request, "catalog_sync/inquiry_new.html", {"form": form})


def _own_cooperative(request, source, coop_id: int):
    """The cooperative of a dashboard URL, as its staff (only they) see it; like the dashboard's own pages."""
    if coop_id not in source.cooperative_ids_of(request.user):
        raise PermissionDenied
    cooperative = next((c for c in source.cooperatives() if c.id == coop_id), None)
    if cooperative is None:
        raise Http404
    return SimpleNamespace(pk=cooperative.id, name=cooperative.name)


def _relayed(inquiry, snapshots) -> dict:
    snapshot = snapshots.get(inquiry.product_id)
    return {"inquiry": inquiry, "product_name": snapshot.name if snapshot else "",
            "quantity_unit": unit_label(inquiry.quantity_unit), "country": country_label(inquiry.country)}


@login_required
def cooperative_inquiries(request, coop_id: int):
    source = shop_source()
    cooperative = _own_cooperative(request, source, coop_id)
    items = list(Inquiry.objects.filter(cooperative_id=coop_id)[:200])
    snapshots = source.snapshots(sorted({i.product_id for i in items if i.product_id}))
    return render(request, "catalog_sync/cooperative_inquiries.html", {
        "cooperative": cooperative, "rows": [_relayed(i, snapshots) for i in items]})


@login_required
def cooperative_inquiry(request, coop_id: int, inquiry_id: int):
    source = shop_source()
    cooperative = _own_cooperative(request, source, coop_id)
    inquiry = Inquiry.objects.filter(pk=inquiry_id, cooperative_id=coop_id).first()
    if inquiry is None:
        raise Http404
    form = CooperativeAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_cooperative_answer(actor=request.user, source=source, inquiry=inquiry,
                                                text=form.cleaned_data["text"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi câu trả lời cho cán bộ xúc tiến thương mại."))
            return redirect("catalog_sync:cooperative_inquiry", coop_id=coop_id, inquiry_id=inquiry.pk)
    snapshots = source.snapshots([inquiry.product_id]) if inquiry.product_id else {}
    return render(request, "catalog_sync/cooperative_inquiry.html", {
        "cooperative": cooperative, **_relayed(inquiry, snapshots), "form": form,
        "replies": inquiry.replies.select_related("author")})


@login_required
@require_POST
def profile_take_shop_value(request, product_id: int, field: str):
    source = _trade_only(request)
    profile = ExportProfile.objects.filter(product_id=product_id).first()
    if profile is None:
        raise Http404
    try:
        services.export_profile_take_shop_value(actor=request.user, source=source, profile=profile, field=field)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã lấy giá trị hiện tại của cửa hàng."))
    return redirect("catalog_sync:profile", product_id=product_id)


def _listing_of(product_id: int) -> Listing:
    listing = Listing.objects.filter(profile__product_id=product_id).select_related("profile").first()
    if listing is None:
        raise Http404
    return listing


@login_required
def listing_history(request, product_id: int):
    source = _trade_only(request)
    listing = _listing_of(product_id)
    snapshot = source.snapshots([product_id]).get(product_id)
    return render(request, "catalog_sync/history.html", {
        "listing": listing, "product_name": snapshot.name if snapshot else listing.model_number,
        "history": selectors.listing_history(listing=listing),
        "restore": ListingRestore.objects.filter(listing=listing).select_related("snapshot").first()})


@login_required
def listing_rollback(request, product_id: int, snapshot_id: int):
    """GET: what the rollback would change; POST: hold the listing at that snapshot (the next sync sends it)."""
    source = _trade_only(request)
    listing = _listing_of(product_id)
    snapshot = PublishSnapshot.objects.filter(pk=snapshot_id, listing=listing).first()
    if snapshot is None:
        raise Http404
    if request.method == "POST":
        try:
            services.listing_rollback_request(actor=request.user, source=source, listing=listing, snapshot=snapshot)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("catalog_sync:history", product_id=product_id)
        messages.success(request, _("Đã đặt khôi phục. Xem trước rồi bấm “Đồng bộ ngay” để gửi lên sàn."))
        return redirect("catalog_sync:preview")
    snapshot_source = source.snapshots([product_id]).get(product_id)
    return render(request, "catalog_sync/rollback_confirm.html", {
        "listing": listing, "snapshot": snapshot, "product_name": snapshot_source.name if snapshot_source else "",
        "items": [{"listing": listing, "name": snapshot_source.name if snapshot_source else listing.model_number,
                   "changes": selectors.rollback_preview(listing=listing, snapshot=snapshot), "offline": False}],
        "action": request.path})


@login_required
@require_POST
def listing_restore_release(request, product_id: int):
    source = _trade_only(request)
    services.listing_restore_release(actor=request.user, source=source, listing=_listing_of(product_id))
    messages.success(request, _("Sản phẩm lại đồng bộ theo hồ sơ xuất khẩu."))
    return redirect("catalog_sync:history", product_id=product_id)


@login_required
def run_detail(request, run_id: int):
    source = _trade_only(request)
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    snapshots = list(run.snapshots.select_related("listing__profile", "changed_by").order_by("pk"))
    names = {pid: s.name for pid, s in source.snapshots([s.listing.profile.product_id for s in snapshots]).items()}
    return render(request, "catalog_sync/run.html", {"run": run, "snapshots": snapshots, "names": names})


@login_required
def run_rollback(request, run_id: int):
    source = _trade_only(request)
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    if request.method == "POST":
        try:
            result = services.run_rollback_request(actor=request.user, source=source, run=run)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("catalog_sync:run", run_id=run_id)
        messages.success(request, _("Đã đặt khôi phục %(n)d sản phẩm. Xem trước rồi bấm “Đồng bộ ngay”.")
                         % {"n": result["held"]})
        if result["gone"]:
            messages.warning(request, _("Không khôi phục được (đã bị xóa trên sàn): %(ids)s")
                             % {"ids": ", ".join(result["gone"])})
        return redirect("catalog_sync:preview")
    plan = services.run_rollback_plan(run=run)
    names = {pid: s.name for pid, s in source.snapshots([lst.profile.product_id for lst, _ in plan]).items()}
    items = []
    for listing, before in plan:
        items.append({"listing": listing, "name": names.get(listing.profile.product_id, listing.model_number),
                      "offline": before is None, "gone": not listing.remote_id,
                      "changes": selectors.rollback_preview(listing=listing, snapshot=before) if before else ()})
    return render(request, "catalog_sync/rollback_confirm.html", {"run": run, "items": items, "action": request.path})
