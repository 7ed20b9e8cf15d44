"""Trade console pages (/trade/): every action goes through services; permission failures are 403."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (ExchangeRateForm, ExportProfileForm, InquiryReplyForm, ManualInquiryForm, SuggestPricesForm)
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
    messages.success(request, _("Đã xếp lịch đồng bộ."))
    return redirect("catalog_sync:dashboard")


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
    def _int(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None
    rows = selectors.export_candidates(source=source, query=request.GET.get("q", ""),
                                       cooperative_id=_int("cooperative"), category_id=_int("category"),
                                       status=request.GET.get("status", ""))
    return render(request, "catalog_sync/candidates.html", {
        "rows": rows, "cooperatives": source.cooperatives(), "categories": source.categories(),
        "states": Listing.State.choices, "filters": request.GET})


@login_required
def profile_edit(request, product_id: int):
    source = _trade_only(request)
    try:
        profile = services.export_profile_get_or_create(actor=request.user, source=source, product_id=product_id)
    except ValidationError:
        raise Http404
    snapshot = source.snapshots([product_id])[product_id]
    form = ExportProfileForm(request.POST or None, initial=ExportProfileForm.initial_for(profile))
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
    if not (source.is_trade_staff(request.user) or source.cooperative_ids_of(request.user)):
        raise PermissionDenied
    items = selectors.inquiries_for_actor(actor=request.user, source=source, status=request.GET.get("status", ""))
    return render(request, "catalog_sync/inquiries.html", {
        "inquiries": items[:200], "statuses": Inquiry.Status.choices,
        "can_create": source.is_trade_staff(request.user)})


@login_required
def inquiry_detail(request, inquiry_id: int):
    source = shop_source()
    try:
        inquiry = selectors.inquiry_for_actor(actor=request.user, source=source, inquiry_id=inquiry_id)
    except Inquiry.DoesNotExist:
        raise Http404
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
