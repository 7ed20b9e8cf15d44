"""Writes of the trade console: selection and enrichment, quotes, rates, categories, reviews, inquiries.

Every function takes the acting user first checked through the shop's permission rules (via the
catalog source) and raises ValidationError with CatalogSyncErrorCode values on bad input.
"""
from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from datetime import date as date_type
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.alibaba import AlibabaError, RetryableError

from .error_codes import CatalogSyncErrorCode as Code
from .mapping import MARKETS, PAYMENT_METHODS, PERIODS, UNITS, Tier, suggest_price_usd, tier_diagnostics
from . import provenance
from .models import (ExchangeRate, ExportProfile, Inquiry, InquiryReply, Listing, ListingRestore, PriceTier,
                     PublishSnapshot, RemoteCategory, SyncCursor, SyncRun)
from .ports import CatalogSource, model_number_for
from .remote import B2BCatalog
from .selectors import allowed_grades, exchange_rate_for, suggested_category

log = logging.getLogger("catalog_sync")


def _error(field: str, message: str, code: Code) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def default_source() -> CatalogSource:
    from .source import shop_source

    return shop_source()


# -- selection and enrichment ----------------------------------------------------------------------------
TEXT_FIELDS = {"title_en": 255, "description_en": 60000, "hs_code": 10, "place_of_origin": 64, "brand_name": 64,
               "variety": 64, "grade": 32, "packaging": 512, "port": 64}
INT_FIELDS = ("moq", "supply_quantity", "lead_time_days")
CHOICE_FIELDS = {"moq_unit": UNITS, "supply_unit": UNITS, "supply_period": PERIODS}
LIST_FIELDS = {"payment_methods": PAYMENT_METHODS, "target_markets": MARKETS, "certifications": None,
               "keywords": None}


# Audit log actions (the shop's `AuditEntry.Action` values, which this package does not import).
AUDIT_EXPORT_PROFILE = "export.profile"
AUDIT_EXPORT_PUBLISH = "export.publish"


def _logged(value):
    """A profile field's value as the audit log keeps it (related rows by name)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _tiers_logged(profile: ExportProfile) -> list[str]:
    return [f"≥{t.min_quantity}: {t.price_usd} USD" for t in profile.price_tiers.order_by("min_quantity")]


def export_profile_get_or_create(*, actor, source: CatalogSource, product_id: int) -> ExportProfile:
    source.require_trade_staff(actor)
    snapshot = source.snapshots([product_id]).get(product_id)
    if snapshot is None:
        raise _error("product", _("Không tìm thấy sản phẩm."), Code.NOT_FOUND)
    category = suggested_category(snapshot=snapshot)
    with transaction.atomic():
        profile, created = ExportProfile.objects.get_or_create(
            product_id=product_id,
            defaults={"cooperative_id": snapshot.cooperative_id,
                      **{name: provenance.shop_field_value(name, snapshot) for name in provenance.SHOP_FIELDS},
                      "remote_category": category, "updated_by": actor})
        if created:
            rule = (_("theo danh mục cửa hàng “%(shop)s” → %(remote)s") % {
                "shop": snapshot.category_name, "remote": category.path or category.name}) if category else ""
            provenance.record_created(profile, snapshot, category_rule=rule)
    return profile




def export_profile_update(*, actor, source: CatalogSource, profile: ExportProfile, data: dict) -> ExportProfile:
    """Change the enrichment; `tiers` (list of {min_quantity, price_usd}) replaces the price tiers as
    entered (and therefore confirmed) prices."""
    source.require_trade_staff(actor)
    errors: dict[str, ValidationError] = {}
    values: dict = {}
    for name, max_len in TEXT_FIELDS.items():
        if name in data:
            text = str(data[name] or "").strip()
            if len(text) > max_len:
                errors[name] = ValidationError(_("Tối đa %(n)d ký tự.") % {"n": max_len}, code=Code.INVALID.value)
            values[name] = text
    for name in INT_FIELDS:
        if name in data:
            raw = data[name]
            if raw in (None, ""):
                values[name] = None
                continue
            try:
                number = int(str(raw).strip())
                if number < 1 or number > 10**9:
                    raise ValueError
                values[name] = number
            except ValueError:
                errors[name] = ValidationError(_("Phải là số nguyên dương."), code=Code.INVALID.value)
    for name, choices in CHOICE_FIELDS.items():
        if name in data:
            value = str(data[name] or "")
            if value and value not in choices:
                errors[name] = ValidationError(_("Giá trị không hợp lệ."), code=Code.INVALID.value)
            values[name] = value
    for name, choices in LIST_FIELDS.items():
        if name in data:
            raw = data[name]
            items = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw or []) if str(s).strip()]
            if choices is not None and any(i not in choices for i in items):
                errors[name] = ValidationError(_("Có giá trị không hợp lệ."), code=Code.INVALID.value)
            # Checkboxes post in page order: keep the platform's order so a re-save is not a change.
            values[name] = [c for c in choices if c in items] if choices is not None else list(dict.fromkeys(items))
    if "remote_category" in data:
        raw = data["remote_category"]
        if raw in (None, ""):
            values["remote_category"] = None
        else:
            category = RemoteCategory.objects.filter(pk=getattr(raw, "pk", raw)).first()
            if category is None:
                errors["remote_category"] = ValidationError(_("Danh mục B2B không tồn tại."),
                                                            code=Code.NOT_FOUND.value)
            values["remote_category"] = category
    if values.get("grade") and "grade" not in errors:
        category = values["remote_category"] if "remote_category" in values else profile.remote_category
        grades = allowed_grades(category)
        if grades and values["grade"] not in grades:
            errors["grade"] = ValidationError(
                _("Phân loại phải là một trong các giá trị sàn B2B chấp nhận: %(values)s.") % {
                    "values": ", ".join(grades)}, code=Code.INVALID.value)
    tiers = None
    if "tiers" in data:
        tiers = []
        try:
            for row in data["tiers"]:
                tiers.append(Tier(int(row["min_quantity"]), Decimal(str(row["price_usd"]).strip())))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            errors["price_tiers"] = ValidationError(_("Bậc giá không hợp lệ."), code=Code.PRICE_TIERS_INVALID.value)
        else:
            problems = [d for d in tier_diagnostics(tiers, moq=None) if d.code != "required"] if tiers else []
            if problems:
                errors["price_tiers"] = ValidationError(problems[0].message, code=Code.PRICE_TIERS_INVALID.value)
    if errors:
        raise ValidationError(errors)
    snapshot = source.snapshots([profile.product_id]).get(profile.product_id)
    with transaction.atomic():
        profile = ExportProfile.objects.select_for_update().get(pk=profile.pk)
        if "selected" in data:
            values["selected"] = bool(data["selected"])
        before = {name: _logged(getattr(profile, name)) for name in values}
        tiers_before = _tiers_logged(profile) if tiers is not None else None
        changed = [name for name, value in values.items() if name != "selected" and getattr(profile, name) != value]
        for name, value in values.items():
            setattr(profile, name, value)
        profile.updated_by = actor
        if tiers is not None:
            old_tiers = [(t.min_quantity, t.price_usd) for t in profile.price_tiers.all()]
            if old_tiers != [(t.min_quantity, t.price_usd) for t in tiers] or not profile.prices_confirmed:
                changed.append("price_tiers")
            profile.price_tiers.all().delete()
            PriceTier.objects.bulk_create([PriceTier(profile=profile, min_quantity=t.min_quantity,
                                                     price_usd=t.price_usd) for t in tiers])
            profile.prices_confirmed = True
        profile.save()
        _ensure_listing(profile)
        changes = {name: [before[name], _logged(value)] for name, value in values.items()
                   if before[name] != _logged(value)}
        if tiers is not None and tiers_before != _tiers_logged(profile):
            changes["price_tiers"] = ["; ".join(tiers_before), "; ".join(_tiers_logged(profile))]
        if changes:
            source.audit_record(actor=actor, action=AUDIT_EXPORT_PROFILE, target=profile, changes=changes)
        provenance.record_set_by_staff(profile, changed, actor=actor, snapshot=snapshot)
        if changed:  # a person changed the listing: it follows the profile again, not an older version
            ListingRestore.objects.filter(listing__profile=profile).delete()
    return profile


def export_profile_take_shop_value(*, actor, source: CatalogSource, profile: ExportProfile,
                                   field: str) -> ExportProfile:
    """Replace a copied field's value with the shop's current one (the console's "take the shop's value")."""
    source.require_trade_staff(actor)
    if field not in provenance.SHOP_FIELDS:
        raise _error("field", _("Trường này không lấy từ cửa hàng."), Code.INVALID)
    snapshot = source.snapshots([profile.product_id]).get(profile.product_id)
    if snapshot is None:
        raise _error("product", _("Không tìm thấy sản phẩm."), Code.NOT_FOUND)
    with transaction.atomic():
        profile = ExportProfile.objects.select_for_update().get(pk=profile.pk)
        setattr(profile, field, provenance.shop_field_value(field, snapshot))
        profile.updated_by = actor
        profile.save()
        provenance.record_taken_from_shop(profile, field, snapshot, actor=actor)
        ListingRestore.objects.filter(listing__profile=profile).delete()
    return profile


def export_profiles_select(*, actor, source: CatalogSource, product_ids: list[int], selected: bool) -> int:
    source.require_trade_staff(actor)
    count = 0
    for product_id in product_ids:
        profile = export_profile_get_or_create(actor=actor, source=source, product_id=product_id)
        if profile.selected != selected:
            with transaction.atomic():
                ExportProfile.objects.filter(pk=profile.pk).update(selected=selected, updated_by=actor,
                                                                   updated_at=timezone.now())
                source.audit_record(actor=actor, action=AUDIT_EXPORT_PROFILE, target=profile,
                                    changes={"selected": [profile.selected, selected]})
            count += 1
        _ensure_listing(profile)
    return count


def _ensure_listing(profile: ExportProfile) -> None:
    Listing.objects.get_or_create(profile=profile, defaults={"model_number": model_number_for(profile.product_id)})


def price_tiers_suggest(*, actor, source: CatalogSource, profile: ExportProfile,
                        tiers: list[tuple[int, Decimal]], on_date: date_type | None = None) -> list[PriceTier]:
    """Suggest USD tiers from the shop's VND price: VND ÷ rate × (1 + margin); staff must confirm them."""
    source.require_trade_staff(actor)
    snapshot = source.snapshots([profile.product_id]).get(profile.product_id)
    if snapshot is None or not snapshot.price_vnd:
        raise _error("price_tiers", _("Sản phẩm chưa có giá bán VND."), Code.REQUIRED)
    rate = exchange_rate_for(date=on_date or timezone.localdate())
    if rate is None:
        raise _error("exchange_rate", _("Chưa có tỷ giá USD cho ngày này."), Code.NO_EXCHANGE_RATE)
    rows = []
    for min_quantity, margin in sorted(tiers):
        margin = Decimal(str(margin))
        rows.append(PriceTier(profile=profile, min_quantity=int(min_quantity),
                              price_usd=suggest_price_usd(price_vnd=snapshot.price_vnd,
                                                          vnd_per_usd=rate.vnd_per_unit, margin_percent=margin),
                              rate_vnd_per_usd=rate.vnd_per_unit, rate_date=rate.date, margin_percent=margin,
                              base_price_vnd=snapshot.price_vnd))
    problems = [d for d in tier_diagnostics([Tier(r.min_quantity, r.price_usd) for r in rows], moq=None)]
    if problems:
        raise _error("price_tiers", problems[0].message, Code.PRICE_TIERS_INVALID)
    with transaction.atomic():
        profile = ExportProfile.objects.select_for_update().get(pk=profile.pk)
        profile.price_tiers.all().delete()
        PriceTier.objects.bulk_create(rows)
        profile.prices_confirmed = False
        profile.updated_by = actor
        profile.save(update_fields=["prices_confirmed", "updated_by", "updated_at"])
        margins = ", ".join(f"{r.margin_percent}%" for r in rows)
        provenance.record_computed(profile, "price_tiers", actor=actor, rule=_(
            "giá %(vnd)s ₫ ÷ tỷ giá %(rate)s ₫/USD ngày %(date)s × (1 + lãi %(margins)s)") % {
            "vnd": f"{snapshot.price_vnd:,}".replace(",", "."), "rate": rate.vnd_per_unit,
            "date": rate.date.strftime("%d/%m/%Y"), "margins": margins})
    return list(profile.price_tiers.all())


def price_tiers_confirm(*, actor, source: CatalogSource, profile: ExportProfile) -> None:
    source.require_trade_staff(actor)
    if not profile.price_tiers.exists():
        raise _error("price_tiers", _("Chưa có bậc giá để xác nhận."), Code.REQUIRED)
    ExportProfile.objects.filter(pk=profile.pk).update(prices_confirmed=True, updated_by=actor,
                                                       updated_at=timezone.now())


# -- exchange rates ----------------------------------------------------------------------------------------
def exchange_rate_set(*, actor, source: CatalogSource, on_date: date_type, vnd_per_usd) -> ExchangeRate:
    source.require_trade_staff(actor)
    try:
        value = Decimal(str(vnd_per_usd).replace(",", "").strip())
    except InvalidOperation:
        value = Decimal(0)
    if not Decimal("1000") <= value <= Decimal("1000000") or value != value.quantize(Decimal("0.01")):
        raise _error("vnd_per_usd", _("Tỷ giá không hợp lệ."), Code.INVALID)
    rate, _created = ExchangeRate.objects.update_or_create(
        currency="USD", date=on_date,
        defaults={"vnd_per_unit": value, "source": ExchangeRate.Source.MANUAL, "entered_by": actor})
    return rate


def parse_vietcombank_xml(body: bytes, *, currency: str = "USD") -> tuple[date_type, Decimal]:
    """(date, transfer buying rate): we quote in USD and the cooperative's bank buys the wired dollars."""
    root = ET.fromstring(body)
    stamp = (root.findtext("DateTime") or "").strip()
    when = datetime.strptime(stamp, "%m/%d/%Y %I:%M:%S %p").date()
    for node in root.iter("Exrate"):
        if node.get("CurrencyCode") == currency:
            raw = (node.get("Transfer") or "").replace(",", "").strip()
            if not raw or raw == "-":
                break
            return when, Decimal(raw).quantize(Decimal("0.01"))
    raise ValueError(f"no {currency} transfer rate in the feed")


def exchange_rate_fetch(*, url: str | None = None) -> ExchangeRate:
    """Fetch today's USD rate from a Vietcombank-format XML feed (configured URL); a manual rate of the
    same day is kept, not overwritten."""
    url = url or getattr(settings, "CATALOG_SYNC_RATE_URL", "")
    if not url:
        raise _error("url", _("Chưa cấu hình địa chỉ lấy tỷ giá."), Code.REQUIRED)
    response = requests.get(url, timeout=10)
    response.raise_for_status()
    if len(response.content) > 1_000_000:
        raise ValueError("exchange-rate feed too large")
    on_date, value = parse_vietcombank_xml(response.content)
    existing = ExchangeRate.objects.filter(currency="USD", date=on_date).first()
    if existing is not None and existing.source == ExchangeRate.Source.MANUAL:
        return existing
    rate, _created = ExchangeRate.objects.update_or_create(
        currency="USD", date=on_date, defaults={"vnd_per_unit": value, "source": ExchangeRate.Source.VIETCOMBANK})
    return rate


# -- platform categories -----------------------------------------------------------------------------------
def remote_categories_refresh(*, catalog: B2BCatalog) -> int:
    count = 0
    for category, path, attributes in catalog.category_leaves():
        RemoteCategory.objects.update_or_create(
            id=category.category_id,
            defaults={"name": category.name, "path": path, "is_leaf": category.leaf, "refreshed_at": timezone.now(),
                      "attributes": [{"attr_id": a.attr_id, "en_name": a.en_name, "required": a.required,
                                      "input_type": a.input_type, "values": [v.en_name for v in a.values]}
                                     for a in attributes]})
        count += 1
    return count


# -- retries -------------------------------------------------------------------------------------------------
def listings_retry_failed(*, actor, source: CatalogSource, listing_ids: list[int] | None = None) -> int:
    source.require_trade_staff(actor)
    qs = Listing.objects.filter(state__in=[Listing.State.FAILED, Listing.State.RETRYING])
    if listing_ids is not None:
        qs = qs.filter(pk__in=listing_ids)
    count = 0
    for listing in qs:
        listing.state = (Listing.State.LIVE if listing.online else Listing.State.OFFLINE) if listing.remote_id \
            else Listing.State.NEW
        listing.failed_hash, listing.next_attempt_at, listing.attempts = "", None, 0
        listing.save(update_fields=["state", "failed_hash", "next_attempt_at", "attempts", "updated_at"])
        count += 1
    return count


def sync_request(*, actor, source: CatalogSource, full: bool = False) -> None:
    """Queue a sync now (trade staff's "sync now" button)."""
    source.require_trade_staff(actor)
    from .tasks import sync_catalog_task

    source.audit_record(actor=actor, action=AUDIT_EXPORT_PUBLISH, target=None, changes={"full": full})
    transaction.on_commit(lambda: sync_catalog_task.delay(full=full, triggered_by=f"user:{actor.pk}"))


# -- review outcomes ---------------------------------------------------------------------------------------
def reviews_pull(*, catalog: B2BCatalog) -> int:
    """Pull review outcomes of listings waiting for review (the platform documents no review push)."""
    pending = {lst.remote_id: lst for lst in Listing.objects.filter(review=Listing.Review.PENDING).exclude(remote_id="")}
    if not pending:
        return 0
    oldest = min((lst.last_synced_at or timezone.now()) for lst in pending.values())
    since = oldest - timedelta(minutes=getattr(settings, "CATALOG_SYNC_CLOCK_SKEW_MINUTES", 10))
    changed = []
    for brief in catalog.iter_products(modified_from=since):
        listing = pending.get(brief.product_id)
        if listing is None or brief.status in ("new", "modified"):
            continue
        listing.remote_status = brief.status
        listing.remote_url = brief.pc_detail_url or listing.remote_url
        listing.online = brief.display == "Y"
        if brief.status == "approved":
            listing.review, listing.review_reasons = Listing.Review.APPROVED, []
        elif brief.status == "tbd":
            product = catalog.get(brief.product_id)
            listing.review = Listing.Review.REJECTED
            listing.review_reasons = [{"code": r.code, "message": r.message, "field": r.field}
                                      for r in product.audit_fail_reasons]
        changed.append(listing)
    Listing.objects.bulk_update(changed, ["remote_status", "remote_url", "online", "review", "review_reasons"],
                                batch_size=500)
    return len(changed)


# -- inquiries -----------------------------------------------------------------------------------------------
# C0 control characters but tab and line breaks, and DEL: a buyer never means them, and PostgreSQL text refuses NUL.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INQUIRY_TEXT = {"subject": 255, "description": None, "quantity_unit": 32, "buyer_name": 255, "company_name": 255,
                 "country": 64, "email": 254, "product_id": 64}
_QUANTITY_LIMIT = Decimal("1e11")  # Inquiry.quantity: 14 digits, 3 of them decimals


def _inquiry_values(remote) -> tuple[dict, str, list[str]]:
    """The Inquiry fields of a platform inquiry, sanitised; the quarantine reason (or "") and what was wrong."""
    problems, reason = [], ""
    text = {}
    for name, limit in _INQUIRY_TEXT.items():
        raw = getattr(remote, name, None) or ""
        clean = _CONTROL_CHARACTERS.sub("", str(raw))
        if clean != raw:
            problems.append(f"{name}: {raw!r}"[:500])
            reason = Inquiry.Quarantine.CONTROL_CHARACTERS
        text[name] = clean[:limit] if limit else clean
    quantity = remote.quantity
    if quantity is not None and not (quantity.is_finite() and abs(quantity) < _QUANTITY_LIMIT):
        problems.append(f"quantity: {quantity!r}")
        reason, quantity = reason or Inquiry.Quarantine.INVALID_QUANTITY, None
    values = {
        "source": Inquiry.Source.PLATFORM, "remote_product_id": text["product_id"], "subject": text["subject"],
        "message": text["description"], "quantity": quantity, "quantity_unit": text["quantity_unit"],
        "buyer_name": text["buyer_name"], "company_name": text["company_name"], "country": text["country"],
        "email": text["email"],
        "status": remote.status if remote.status in Inquiry.Status.values else Inquiry.Status.NEW,
        "received_at": remote.gmt_create or timezone.now()}
    return values, reason, problems


def inquiries_pull(*, catalog: B2BCatalog) -> int:
    """Import the platform's new inquiries and move the cursor past them. One bad record must not stop the others
    (nor hold the cursor back for ever): it is sanitised and kept in quarantine, visible to trade staff only; only
    a transient failure of the platform stops the pull, to be retried from the same cursor."""
    if not catalog.supports_inquiries:
        return 0  # the real platform has no inquiry API: staff enter them by hand
    cursor = SyncCursor.objects.filter(name="inquiries").first()
    since = cursor.value - timedelta(minutes=5) if cursor else None
    known = set(Inquiry.objects.exclude(remote_id="").values_list("remote_id", flat=True))
    by_remote_product = dict(Listing.objects.exclude(remote_id="").values_list("remote_id", "profile__product_id"))
    coop_of = dict(ExportProfile.objects.values_list("product_id", "cooperative_id"))
    created = 0
    newest = cursor.value if cursor else None
    for brief in catalog.iter_inquiries(created_from=since):
        if brief.gmt_create and (newest is None or brief.gmt_create > newest):
            newest = brief.gmt_create
        if str(brief.inquiry_id) in known:
            continue
        unreadable = ""
        try:
            full = catalog.get_inquiry(brief.inquiry_id)
        except RetryableError:
            raise
        except AlibabaError as exc:  # this record only: keep what the list said
            full, unreadable = brief, f"get_inquiry: {exc}"[:500]
        values, reason, problems = _inquiry_values(full)
        if unreadable:
            reason, problems = Inquiry.Quarantine.UNREADABLE, [unreadable, *problems]
        product_id = by_remote_product.get(values["remote_product_id"])
        values.update(product_id=product_id, cooperative_id=coop_of.get(product_id), quarantine=reason,
                      quarantine_detail="\n".join(problems))
        if reason:
            log.warning("inquiry %s quarantined (%s): %s", brief.inquiry_id, reason, "; ".join(problems))
        try:
            with transaction.atomic():
                inquiry, made = Inquiry.objects.get_or_create(remote_id=str(brief.inquiry_id), defaults=values)
            if made and not reason:
                _relay_later(inquiry)
        except DatabaseError as exc:  # still refused: keep a placeholder for staff rather than block the rest
            log.exception("inquiry %s could not be stored", brief.inquiry_id)
            Inquiry.objects.get_or_create(remote_id=str(brief.inquiry_id), defaults={
                "source": Inquiry.Source.PLATFORM, "received_at": values["received_at"],
                "quarantine": Inquiry.Quarantine.UNREADABLE,
                "quarantine_detail": f"{type(exc).__name__}\n" + "\n".join(problems)})
        created += 1
    if newest is not None:
        SyncCursor.objects.update_or_create(name="inquiries", defaults={"value": newest})
    return created


def _require_inquiry_access(actor, source: CatalogSource, inquiry: Inquiry) -> None:
    if source.is_trade_staff(actor):
        return
    if inquiry.quarantine or inquiry.cooperative_id is None \
            or inquiry.cooperative_id not in source.cooperative_ids_of(actor):
        raise PermissionDenied(_("Bạn không có quyền xem yêu cầu báo giá này."))


def inquiry_create_manual(*, actor, source: CatalogSource, data: dict) -> Inquiry:
    """Against the real platform inquiries arrive by e-mail/chat: trade staff record them here."""
    source.require_trade_staff(actor)
    product_id = data.get("product_id")
    profile = ExportProfile.objects.filter(product_id=product_id).first() if product_id else None
    if product_id and profile is None:
        raise _error("product_id", _("Sản phẩm chưa có hồ sơ xuất khẩu."), Code.NOT_FOUND)
    if not str(data.get("message") or "").strip():
        raise _error("message", _("Thiếu nội dung yêu cầu."), Code.REQUIRED)
    try:
        quantity = Decimal(str(data["quantity"])) if data.get("quantity") not in (None, "") else None
    except InvalidOperation:
        raise _error("quantity", _("Số lượng không hợp lệ."), Code.INVALID) from None
    inquiry = Inquiry.objects.create(
        source=Inquiry.Source.MANUAL, product_id=product_id or None,
        cooperative_id=profile.cooperative_id if profile else None, subject=str(data.get("subject") or "")[:255],
        message=str(data["message"]), quantity=quantity, quantity_unit=str(data.get("quantity_unit") or "")[:32],
        buyer_name=str(data.get("buyer_name") or "")[:255], company_name=str(data.get("company_name") or "")[:255],
        country=str(data.get("country") or "")[:64], email=str(data.get("email") or "")[:254])
    _relay_later(inquiry)
    return inquiry


def _relay_later(inquiry: Inquiry) -> None:
    if inquiry.cooperative_id is not None:
        from .tasks import relay_inquiry_task

        transaction.on_commit(lambda: relay_inquiry_task.delay(inquiry.pk))


def inquiry_relay(*, source: CatalogSource, inquiry: Inquiry) -> bool:
    """Tell the producing cooperative, in Vietnamese, what a buyer asks for and where to answer (its dashboard);
    False when the cooperative gave no e-mail address (the dashboard still lists the inquiry)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from .labels import country_label, unit_label

    address = source.cooperative_email(inquiry.cooperative_id) if inquiry.cooperative_id else ""
    if not address:
        return False
    snapshot = source.snapshots([inquiry.product_id]).get(inquiry.product_id) if inquiry.product_id else None
    with translation.override("vi"):
        context = {"inquiry": inquiry, "product_name": snapshot.name if snapshot else "",
                   "quantity_unit": unit_label(inquiry.quantity_unit), "country": country_label(inquiry.country),
                   "url": settings.SITE_URL + reverse("catalog_sync:cooperative_inquiry",
                                                      args=[inquiry.cooperative_id, inquiry.pk])}
        subject = _("Yêu cầu báo giá mới từ người mua nước ngoài: %(product)s") % {
            "product": context["product_name"] or _("(không rõ sản phẩm)")}
        body = render_to_string("catalog_sync/emails/inquiry_relayed.txt", context)
    send_mail(subject, body, None, [address])
    return True


def inquiry_reply(*, actor, source: CatalogSource, inquiry: Inquiry, text: str, status: str = "quoted",
                  catalog: B2BCatalog | None = None) -> InquiryReply | None:
    """Reply (optional text) and set the status: read, quoted or closed; mirrored to the platform. Only trade
    staff answer buyers: a cooperative answers them through `inquiry_cooperative_answer`."""
    source.require_trade_staff(actor)
    text = (text or "").strip()
    if status not in (Inquiry.Status.READ, Inquiry.Status.QUOTED, Inquiry.Status.CLOSED):
        raise _error("status", _("Trạng thái không hợp lệ."), Code.INVALID)
    if len(text) > 5000:
        raise _error("text", _("Tối đa 5.000 ký tự."), Code.INVALID)
    sent = False
    if inquiry.source == Inquiry.Source.PLATFORM and inquiry.remote_id:
        own = catalog is None
        catalog = catalog or B2BCatalog()
        try:
            catalog.update_inquiry(int(inquiry.remote_id), status=status, reply=text or None)
            sent = bool(text)
        except Exception as exc:  # noqa: BLE001 - shown to staff as a form error, nothing saved
            raise _error("text", _("Sàn B2B từ chối: %(e)s") % {"e": getattr(exc, "sub_msg", "") or exc},
                         Code.PLATFORM_ERROR) from exc
        finally:
            if own:
                catalog.close()
    with transaction.atomic():
        reply = InquiryReply.objects.create(inquiry=inquiry, author=actor, text=text, sent_to_platform=sent) \
            if text else None
        Inquiry.objects.filter(pk=inquiry.pk).update(status=status, updated_at=timezone.now())
        inquiry.status = status
    return reply


def inquiry_cooperative_answer(*, actor, source: CatalogSource, inquiry: Inquiry, text: str) -> InquiryReply:
    """The producing cooperative's answer (price, quantity it can supply, timing) for trade staff, who relay it to
    the buyer; nothing goes to the platform from here."""
    if inquiry.cooperative_id is None or inquiry.cooperative_id not in source.cooperative_ids_of(actor):
        raise PermissionDenied(_("Bạn không có quyền xem yêu cầu báo giá này."))
    text = (text or "").strip()
    if not text:
        raise _error("text", _("Hãy nhập câu trả lời cho cán bộ xúc tiến."), Code.REQUIRED)
    if len(text) > 5000:
        raise _error("text", _("Tối đa 5.000 ký tự."), Code.INVALID)
    return InquiryReply.objects.create(inquiry=inquiry, author=actor, text=text, from_cooperative=True)


# -- publish history and rollback ----------------------------------------------------------------------------
def listing_rollback_request(*, actor, source: CatalogSource, listing: Listing,
                             snapshot: PublishSnapshot) -> ListingRestore:
    """Hold `listing` at `snapshot`: the next sync sends that content as an update, through the same ledger as
    any other (the dry run shows it first). It stays held until staff edit the profile or release it."""
    source.require_trade_staff(actor)
    if snapshot.listing_id != listing.pk:
        raise _error("snapshot", _("Phiên bản này không thuộc sản phẩm này."), Code.INVALID)
    listing = Listing.objects.get(pk=listing.pk)
    if not listing.remote_id:
        raise _error("listing", _("Sản phẩm không còn trên sàn (đã bị xóa hoặc chưa đăng), nên không thể khôi "
                                  "phục phiên bản cũ; lần đồng bộ tới sẽ đăng lại theo hồ sơ hiện tại."),
                     Code.LISTING_GONE)
    restore, _created = ListingRestore.objects.update_or_create(listing=listing, defaults={
        "snapshot": snapshot, "of_run": None, "status": ListingRestore.Status.PENDING, "message": "",
        "requested_by": actor, "requested_at": timezone.now(), "done_at": None})
    return restore


def run_rollback_plan(*, run: SyncRun) -> list[tuple[Listing, PublishSnapshot | None]]:
    """What rolling back `run` means: each listing it published goes back to its snapshot before the run, or
    offline when the run first added it."""
    plan = []
    firsts: dict[int, int] = {}
    for listing_id, pk in run.snapshots.order_by("pk").values_list("listing_id", "pk"):
        firsts.setdefault(listing_id, pk)
    listings = Listing.objects.in_bulk(list(firsts))
    for listing_id, first_pk in firsts.items():
        before = PublishSnapshot.objects.filter(listing_id=listing_id, pk__lt=first_pk).order_by("-pk").first()
        plan.append((listings[listing_id], before))
    return plan


def run_rollback_request(*, actor, source: CatalogSource, run: SyncRun) -> dict:
    """Hold every listing `run` published at its version before the run; listings the platform has since
    deleted are reported, not held. Returns {"held": n, "gone": [model numbers]}."""
    source.require_trade_staff(actor)
    plan = run_rollback_plan(run=run)
    if not plan:
        raise _error("run", _("Lần đồng bộ này không đăng gì lên sàn, không có gì để khôi phục."), Code.INVALID)
    held, gone = 0, []
    with transaction.atomic():
        for listing, before in plan:
            if not listing.remote_id:
                gone.append(listing.model_number)
                continue
            ListingRestore.objects.update_or_create(listing=listing, defaults={
                "snapshot": before, "of_run": run, "status": ListingRestore.Status.PENDING, "message": "",
                "requested_by": actor, "requested_at": timezone.now(), "done_at": None})
            held += 1
    return {"held": held, "gone": gone}


def listing_restore_release(*, actor, source: CatalogSource, listing: Listing) -> None:
    """Stop holding a rolled-back listing: the next sync publishes the profile as it is."""
    source.require_trade_staff(actor)
    ListingRestore.objects.filter(listing=listing).delete()


def publish_snapshots_prune(*, now=None) -> int:
    """Delete snapshots older than the retention (CATALOG_SYNC_SNAPSHOT_RETENTION_DAYS, default 180), always
    keeping each listing's newest CATALOG_SYNC_SNAPSHOT_KEEP (default 3) and any a rollback holds."""
    from .conf import setting

    now = now or timezone.now()
    cutoff = now - timedelta(days=int(setting("SNAPSHOT_RETENTION_DAYS", 180)))
    keep = int(setting("SNAPSHOT_KEEP", 3))
    held = set(ListingRestore.objects.exclude(snapshot=None).values_list("snapshot_id", flat=True))
    old = PublishSnapshot.objects.filter(created_at__lt=cutoff)
    doomed = []
    for listing_id in old.values_list("listing_id", flat=True).distinct():
        newest = set(PublishSnapshot.objects.filter(listing_id=listing_id).order_by("-created_at", "-pk")
                     .values_list("pk", flat=True)[:keep])
        doomed.extend(pk for pk in old.filter(listing_id=listing_id).values_list("pk", flat=True)
                      if pk not in newest and pk not in held)
    deleted = 0
    for start in range(0, len(doomed), 1000):
        deleted += PublishSnapshot.objects.filter(pk__in=doomed[start:start + 1000]).delete()[0]
    return deleted
