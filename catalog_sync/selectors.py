"""Reads for the trade console and the sync (no writes here)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q

from .mapping import CategoryRules, Diagnostic, ExportTerms, Tier, readiness
from .models import ExchangeRate, ExportProfile, Inquiry, Listing, RemoteCategory, SyncAttempt, SyncRun
from .ports import CatalogSource, ProductSnapshot


def min_image_px() -> int:
    return int(getattr(settings, "CATALOG_SYNC_MIN_IMAGE_PX", 640))


def category_rules(category: RemoteCategory | None) -> CategoryRules | None:
    if category is None:
        return None
    required = tuple(a["en_name"] for a in category.attributes if a.get("required"))
    allowed = {a["en_name"]: tuple(a.get("values") or ()) for a in category.attributes if a.get("values")}
    return CategoryRules(id=category.id, name=category.name, is_leaf=category.is_leaf,
                         required_attributes=required, allowed_values=allowed)


def allowed_grades(category: RemoteCategory | None) -> tuple[str, ...]:
    """The platform's values of the "Grade" attribute: the category's, or every category's before one is chosen."""
    categories = [category] if category is not None else RemoteCategory.objects.filter(is_leaf=True)
    values: dict[str, None] = {}
    for item in categories:
        for attribute in item.attributes:
            if attribute.get("en_name") == "Grade":
                values.update(dict.fromkeys(attribute.get("values") or ()))
    return tuple(values)


# The export profile's columns that are ExportTerms fields of the same name (category and tiers come from their
# own tables); the sync reads exactly these to fingerprint a listing's inputs.
TERM_COLUMNS = tuple(f.name for f in fields(ExportTerms) if f.name not in ("category", "tiers"))
JSON_TERM_COLUMNS = frozenset(name for name in TERM_COLUMNS
                              if isinstance(ExportProfile._meta.get_field(name), models.JSONField))


def export_terms(profile: ExportProfile, *, tiers: tuple[Tier, ...] | None = None,
                 category: CategoryRules | None | bool = False) -> ExportTerms:
    """The profile as plain data; the sync passes tiers and category rules it loaded in bulk."""
    if tiers is None:
        tiers = tuple(Tier(t.min_quantity, t.price_usd) for t in profile.price_tiers.all())
    if category is False:
        category = category_rules(profile.remote_category)
    return export_terms_of_values([getattr(profile, name) for name in TERM_COLUMNS], tiers=tiers, category=category)


def export_terms_of_values(values, *, tiers: tuple[Tier, ...], category: CategoryRules | None,
                           json_as_text: bool = False) -> ExportTerms:
    """ExportTerms from the profile's TERM_COLUMNS values in that order; with `json_as_text` the JSON columns are
    still JSON text (the sync reads them undecoded and decodes only the listings it builds)."""
    terms = {}
    for name, value in zip(TERM_COLUMNS, values, strict=True):
        if name in JSON_TERM_COLUMNS:
            value = tuple((json.loads(value) if json_as_text and value is not None else value) or ())
        terms[name] = value
    return ExportTerms(**terms, category=category, tiers=tiers)


def cert_warn_days() -> int:
    """Certificates ending within this many days are flagged: the next syncs would withdraw them."""
    return int(getattr(settings, "CATALOG_SYNC_CERT_WARN_DAYS", 7))


def profile_readiness(*, profile: ExportProfile, snapshot: ProductSnapshot) -> list[Diagnostic]:
    from django.utils import timezone

    return readiness(export_terms(profile), snapshot, min_image_px=min_image_px(), today=timezone.localdate(),
                     cert_warn_days=cert_warn_days())


def exchange_rate_for(*, date, currency: str = "USD") -> ExchangeRate | None:
    """The rate of `date`, or the latest one before it."""
    return ExchangeRate.objects.filter(currency=currency, date__lte=date).order_by("-date").first()


def suggested_category(*, snapshot: ProductSnapshot) -> RemoteCategory | None:
    from .models import CategoryMapping

    if snapshot.category_id is None:
        return None
    mapping = CategoryMapping.objects.filter(shop_category_id=snapshot.category_id).select_related(
        "remote_category").first()
    return mapping.remote_category if mapping else None


CANDIDATES_PER_PAGE = 50


def export_candidates(*, source: CatalogSource, query: str = "", cooperative_id: int | None = None,
                      category_id: int | None = None, status: str = "", page: int | str | None = 1):
    """One page of the candidates list: (rows, page), a row being (snapshot, profile or None, listing or None);
    only the page's products are read from the shop."""
    ids = source.candidate_ids(query=query, cooperative_id=cooperative_id, category_id=category_id)
    profiles = {p.product_id: p for p in ExportProfile.objects.filter(product_id__in=ids).select_related("listing")}
    if status == "selected":
        ids = [i for i in ids if i in profiles and profiles[i].selected]
    elif status == "not_selected":
        ids = [i for i in ids if i not in profiles or not profiles[i].selected]
    elif status:
        ids = [i for i in ids if i in profiles and getattr(profiles[i], "listing", None) is not None
               and profiles[i].listing.state == status]
    page_of_ids = Paginator(ids, CANDIDATES_PER_PAGE).get_page(page)
    ids = list(page_of_ids)
    snapshots = source.snapshots(ids)
    rows = []
    for pid in ids:
        profile = profiles.get(pid)
        listing = getattr(profile, "listing", None) if profile else None
        if pid in snapshots:
            rows.append((snapshots[pid], profile, listing))
    return rows, page_of_ids


def dashboard() -> dict:
    states = Counter(dict(Listing.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")))
    reviews = Counter(dict(Listing.objects.exclude(review="").values_list("review").annotate(n=Count("pk"))
                           .values_list("review", "n")))
    return {
        "selected": ExportProfile.objects.filter(selected=True).count(),
        "state_rows": [(value, label, states.get(value, 0)) for value, label in Listing.State.choices],
        "review_rows": [(value, label, reviews.get(value, 0)) for value, label in Listing.Review.choices if value],
        "online": Listing.objects.filter(online=True).count(),
        "failed": Listing.objects.filter(Q(state=Listing.State.FAILED) | Q(state=Listing.State.RETRYING))
        .select_related("profile").order_by("-updated_at")[:50],
        "rejected": Listing.objects.filter(review=Listing.Review.REJECTED).select_related("profile")[:50],
        "runs": SyncRun.objects.all()[:10],
        "recent_errors": SyncAttempt.objects.exclude(outcome=SyncAttempt.Outcome.OK).select_related(
            "listing__profile")[:20],
        "inquiries_new": Inquiry.objects.filter(status=Inquiry.Status.NEW).count(),
        "scheduled_publishing": scheduled_publishing_enabled(),
        "waiting_first_publication": ExportProfile.objects.filter(selected=True)
        .exclude(listing__remote_id__gt="").count(),
    }


# Runs started by the scheduler carry this `triggered_by`; every other run was started by a person.
SCHEDULED = "beat"


def scheduled_publishing_enabled() -> bool:
    """The scheduler publishes only after a person has started a sync once (button or command): selections the
    demo made in advance never reach the B2B catalog on their own."""
    return SyncRun.objects.exclude(kind=SyncRun.Kind.DRY_RUN).exclude(triggered_by=SCHEDULED).exists()


def sync_status() -> dict:
    """The latest sync that writes, for the console's progress line (polled while a run is under way)."""
    run = SyncRun.objects.exclude(kind=SyncRun.Kind.DRY_RUN).order_by("-started_at", "-pk").first()
    if run is None:
        return {"run": None, "running": False}
    return {"run": run.pk, "kind": run.get_kind_display(), "running": run.finished_at is None,
            "started_at": run.started_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            # Listings are saved chunk by chunk: those sent so far, successes and failures alike.
            "done": Listing.objects.filter(last_synced_at__gte=run.started_at).count()
            + SyncAttempt.objects.filter(run=run).count(),
            "selected": ExportProfile.objects.filter(selected=True).count(),
            "added": run.added, "updated": run.updated, "taken_offline": run.taken_offline,
            "unchanged": run.unchanged, "deferred": run.deferred, "failed": run.failed,
            "write_calls": run.write_calls, "error": run.error}


def inquiries_for_actor(*, actor, source: CatalogSource, status: str = ""):
    """Trade staff see every inquiry; a cooperative's staff only their cooperative's."""
    qs = Inquiry.objects.all()
    if not source.is_trade_staff(actor):  # quarantined ones wait for trade staff to look at them
        qs = qs.filter(cooperative_id__in=source.cooperative_ids_of(actor), quarantine="")
    if status:
        qs = qs.filter(status=status)
    return qs


def inquiry_for_actor(*, actor, source: CatalogSource, inquiry_id: int) -> Inquiry:
    return inquiries_for_actor(actor=actor, source=source).get(pk=inquiry_id)


# -- readable dry run, history and rollback ------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeRow:
    """One planned change as the console shows it."""

    product_id: int
    product_name: str
    cooperative_name: str
    model_number: str
    action: str
    action_label: str
    reason_label: str
    changes: tuple  # diff_text.FieldChange
    diagnostics: tuple


def _reason_label(reason: str) -> str:
    from django.utils.translation import gettext as _

    from .selection import REASON_LABELS

    extra = {"rolled_back": _("Khôi phục phiên bản cũ"), "not_ready": _("Chưa đạt yêu cầu của sàn"),
             "images_pending": _("Ảnh chưa tải lên sàn"), "backoff": _("Chờ thử lại sau lỗi"),
             "failed": _("Sàn đã từ chối nội dung này"), "add_unconfirmed": _("Lần đăng trước chưa rõ kết quả")}
    return str(REASON_LABELS.get(reason) or extra.get(reason, reason))


def dry_run_rows(*, changes, source: CatalogSource, limit: int = 300) -> list[ChangeRow]:
    """Planned changes with product names, Vietnamese action labels and a plain-text diff saying why."""
    from . import diff_text, provenance

    changes = list(changes)[:limit]
    pks = [c.profile_pk for c in changes]
    profiles = {p.pk: p for p in ExportProfile.objects.filter(pk__in=pks).select_related("listing")}
    published = dict(Listing.objects.filter(profile_id__in=pks).values_list("profile_id", "published_payload"))
    snapshots = source.snapshots([p.product_id for p in profiles.values()])
    category_names = dict(RemoteCategory.objects.values_list("pk", "path"))
    rows = []
    for change in changes:
        profile = profiles.get(change.profile_pk)
        if profile is None:
            continue
        snapshot = snapshots.get(profile.product_id)
        field_changes: tuple = ()
        if change.payload is not None and change.action in ("add", "update"):
            origins = provenance.field_origins(profile, snapshot)
            field_changes = tuple(diff_text.readable_diff(published.get(profile.pk) or {}, change.payload,
                                                          origins=origins, reason=change.reason,
                                                          category_names=category_names))
        action = "rollback" if change.reason == "rolled_back" and change.action == "update" else change.action
        rows.append(ChangeRow(
            product_id=profile.product_id, product_name=snapshot.name if snapshot else profile.title_en,
            cooperative_name=snapshot.cooperative_name if snapshot else "",
            model_number=getattr(profile, "listing", None) and profile.listing.model_number or "",
            action=action, action_label=str(diff_text.ACTION_LABELS.get(action, action)),
            reason_label=_reason_label(change.reason) if change.reason else "", changes=field_changes,
            diagnostics=tuple(change.diagnostics)))
    return rows


def listing_history(*, listing: Listing) -> list[dict]:
    """The listing's snapshots, newest first, each with what changed from the one before (plain text)."""
    from . import diff_text

    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    snapshots = list(listing.snapshots.select_related("changed_by", "run").order_by("pk"))
    starters = {f"user:{pk}": email for pk, email in get_user_model().objects.filter(pk__in=[
        int(s.triggered_by[5:]) for s in snapshots if s.triggered_by.startswith("user:")
        and s.triggered_by[5:].isdigit()]).values_list("pk", "email")}
    out = []
    previous: dict = {}
    for number, snap in enumerate(snapshots, start=1):
        started = (_("lịch tự động") if snap.triggered_by == "beat"
                   else starters.get(snap.triggered_by, snap.triggered_by or "—"))
        out.append({"snapshot": snap, "number": number,
                    "who": snap.changed_by.email if snap.changed_by_id else "—", "started_by": started,
                    "changes": diff_text.readable_diff(previous, snap.payload)})
        previous = snap.payload
    return list(reversed(out))


def rollback_preview(*, listing: Listing, snapshot) -> list:
    """What a rollback to `snapshot` would change on the platform (plain text)."""
    from django.utils.translation import gettext as _

    from . import diff_text

    label = _("Khôi phục phiên bản ngày %(date)s") % {"date": snapshot.created_at.strftime("%d/%m/%Y %H:%M")}
    return diff_text.readable_diff(listing.published_payload or {}, snapshot.payload, reason="rolled_back",
                                   restored_label=label)
