"""Writes of cooperatives: registration (pending, with its owner and a first warehouse), approval,
suspension, profile edits and members. Only approved cooperatives sell (see the product selectors)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.audit import audit_record
from storefront.core.geo import find_commune, find_province
from storefront.core.models import AuditEntry, Commune, Province
from storefront.core.permissions import (is_program_staff, require_cooperative_access,
                                         require_program_staff)
from storefront.core.phone import normalize_vn_phone
from storefront.core.text import fold, vn_slugify
from storefront.warehouse.models import Warehouse

from .error_codes import CooperativeErrorCode
from .certificate_files import certificate_file_check
from .models import Certification, CertificationExpiryNotice, Cooperative, CooperativeMember

PROFILE_TEXT_FIELDS = {
    "name": 255, "street": 255, "representative_name": 255, "representative_title": 128,
    "description": None, "description_en": None, "tax_code": 20,
}
REQUIRED_ON_REGISTER = ("name", "province", "commune", "representative_name", "phone", "email")


def _error(field: str, message: str, code: CooperativeErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _unique_slug(base: str, *, exclude_pk=None) -> str:
    base = (base or "hop-tac-xa")[:240]
    slug, n = base, 2
    while Cooperative.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


MAX_RETURN_WINDOW_DAYS = 90
MAX_FRESH_RETURN_WINDOW_HOURS = 168


def _clean_optional_int(data, field, maximum):
    raw = data.get(field)
    if raw in (None, ""):
        return None
    if isinstance(raw, bool) or isinstance(raw, float) or not re.fullmatch(r"\d{1,9}", str(raw).strip()):
        raise _error(field, _("Giá trị phải là số nguyên không âm."), CooperativeErrorCode.INVALID)
    value = int(str(raw).strip())
    if value > maximum:
        raise _error(field, _("Giá trị quá lớn."), CooperativeErrorCode.INVALID)
    return value


def _clean_profile(data: Mapping, *, cooperative: Cooperative | None) -> dict:
    """Validated values of the keys present in `data` (all required ones when registering)."""
    creating = cooperative is None
    if creating:
        for field in REQUIRED_ON_REGISTER:
            if not str(data.get(field) or "").strip():
                raise _error(field, _("Trường này là bắt buộc."), CooperativeErrorCode.REQUIRED)
    cleaned: dict = {}
    for field, max_length in PROFILE_TEXT_FIELDS.items():
        if field in data:
            value = str(data.get(field) or "").strip()
            if max_length and len(value) > max_length:
                raise _error(field, _("Tối đa %(n)s ký tự.") % {"n": max_length}, CooperativeErrorCode.INVALID)
            if field in ("name", "representative_name") and not value:
                raise _error(field, _("Trường này là bắt buộc."), CooperativeErrorCode.REQUIRED)
            cleaned[field] = value
    if "kind" in data:
        if data["kind"] not in Cooperative.Kind.values:
            raise _error("kind", _("Loại hình không hợp lệ."), CooperativeErrorCode.INVALID)
        cleaned["kind"] = data["kind"]
    if "province" in data or "commune" in data:
        raw_province = data.get("province", cooperative.province if cooperative else None)
        province = raw_province if isinstance(raw_province, Province) else find_province(str(raw_province or ""))
        if province is None:
            raise _error("province", _("Tỉnh/thành không hợp lệ: %(value)s") % {"value": raw_province},
                         CooperativeErrorCode.INVALID)
        raw_commune = data.get("commune", cooperative.commune if cooperative else None)
        if isinstance(raw_commune, Commune):
            commune = raw_commune if raw_commune.province_id == province.pk else None
        else:
            commune = find_commune(province, str(raw_commune or ""))
        if commune is None:
            raise _error("commune", _("Xã/phường không thuộc %(province)s: %(value)s")
                         % {"province": province.full_name, "value": raw_commune}, CooperativeErrorCode.INVALID)
        cleaned["province"], cleaned["commune"] = province, commune
    if "phone" in data:
        cleaned["phone"] = normalize_vn_phone(data["phone"], code=CooperativeErrorCode.INVALID_PHONE.value)
    if "email" in data:
        email = str(data.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise _error("email", _("Email không hợp lệ."), CooperativeErrorCode.INVALID) from None
        cleaned["email"] = email
    for field, maximum in (("founded_year", timezone.now().year), ("members_count", 10_000_000)):
        if field in data:
            cleaned[field] = _clean_optional_int(data, field, maximum)
    if "farm_area_ha" in data:
        raw = data.get("farm_area_ha")
        if raw in (None, ""):
            cleaned["farm_area_ha"] = None
        else:
            try:
                area = Decimal(str(raw))
            except InvalidOperation:
                raise _error("farm_area_ha", _("Diện tích phải là số."), CooperativeErrorCode.INVALID) from None
            if not area.is_finite() or area < 0 or area >= Decimal("1e8"):
                raise _error("farm_area_ha", _("Diện tích không hợp lệ."), CooperativeErrorCode.INVALID)
            cleaned["farm_area_ha"] = area.quantize(Decimal("0.01"))
    # Return windows after delivery (0 = no returns of that kind): up to 90 days, fresh goods up to a week.
    for field, maximum in (("return_window_days", MAX_RETURN_WINDOW_DAYS),
                           ("fresh_return_window_hours", MAX_FRESH_RETURN_WINDOW_HOURS)):
        if field in data:
            value = _clean_optional_int(data, field, maximum)
            if value is None:
                raise _error(field, _("Trường này là bắt buộc."), CooperativeErrorCode.REQUIRED)
            cleaned[field] = value
    return cleaned


def _search_text(cooperative: Cooperative) -> str:
    return fold(" ".join([cooperative.name, cooperative.commune.name, cooperative.province.name,
                          cooperative.get_kind_display()]))


def _certifications_write(cooperative: Cooperative, certifications) -> None:
    """Replace the cooperative-level certificates with `certifications` (list of dicts)."""
    rows = []
    for item in certifications or ():
        cert_type = item.get("type")
        if cert_type not in Certification.Type.values:
            raise _error("certifications", _("Loại chứng nhận không hợp lệ: %(value)s") % {"value": cert_type},
                         CooperativeErrorCode.INVALID)
        stars = item.get("stars")
        if stars is not None and (cert_type != Certification.Type.OCOP or stars not in (3, 4, 5)):
            raise _error("certifications", _("Chỉ OCOP có số sao (3–5)."), CooperativeErrorCode.INVALID)
        rows.append(Certification(
            cooperative=cooperative, type=cert_type, stars=stars,
            number=str(item.get("number") or "")[:64], issuer=str(item.get("issuer") or "")[:255],
            scope=str(item.get("scope") or "")[:255], valid_from=item.get("valid_from"),
            valid_until=item.get("valid_until"),
        ))
    # Only what the profile declares: certificates kept in the vault (with their scan) are edited there.
    cooperative.certifications.filter(product__isnull=True, file="").delete()
    for row in rows:  # one by one, not bulk_create: the catalog cache is told of saves by signal
        row.save()


def cooperative_register(*, actor, data: Mapping) -> Cooperative:
    """A new cooperative, pending approval, with `actor` as its owner and a first warehouse at its
    address. `data`: kind, name, province, commune, street, representative_name, representative_title,
    phone, email, description, description_en, founded_year, members_count, farm_area_ha, tax_code,
    certifications [{type, stars, scope, valid_until …}], slug (optional)."""
    if not (actor and actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("Cần đăng nhập để đăng ký hợp tác xã."))
    cleaned = _clean_profile(data, cooperative=None)
    if data.get("slug"):
        slug = vn_slugify(str(data["slug"]))
        if not slug or Cooperative.objects.filter(slug=slug).exists():
            raise _error("slug", _("Đường dẫn này đã được dùng."), CooperativeErrorCode.UNIQUE)
    else:
        slug = _unique_slug(vn_slugify(cleaned["name"]))
    if Cooperative.objects.filter(name__iexact=cleaned["name"], province=cleaned["province"]).exists():
        raise _error("name", _("Hợp tác xã cùng tên đã có ở tỉnh này."), CooperativeErrorCode.ALREADY_EXISTS)
    with transaction.atomic():
        cooperative = Cooperative(slug=slug, status=Cooperative.Status.PENDING, **cleaned)
        cooperative.search_text = _search_text(cooperative)
        cooperative.save()
        CooperativeMember.objects.create(cooperative=cooperative, user=actor, role=CooperativeMember.Role.OWNER)
        _certifications_write(cooperative, data.get("certifications"))
        warehouse_slug = f"kho-{slug}"
        n = 2
        while Warehouse.objects.filter(slug=warehouse_slug).exists():
            warehouse_slug, n = f"kho-{slug}-{n}", n + 1
        Warehouse.objects.create(
            cooperative=cooperative, name=f"Kho {cooperative.name}"[:250], slug=warehouse_slug,
            email=cooperative.email, street=cooperative.street, province=cooperative.province,
            commune=cooperative.commune,
        )
    if hasattr(actor, "_cooperative_ids"):
        del actor._cooperative_ids
    return cooperative


def cooperative_approve(*, actor, cooperative: Cooperative) -> Cooperative:
    require_program_staff(actor)
    with transaction.atomic():
        cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        if cooperative.status == Cooperative.Status.APPROVED:
            return cooperative
        before = cooperative.status
        cooperative.status = Cooperative.Status.APPROVED
        cooperative.status_reason = ""
        cooperative.approved_at = timezone.now()
        cooperative.save(update_fields=["status", "status_reason", "approved_at"])
        audit_record(actor=actor, action=AuditEntry.Action.COOPERATIVE_APPROVE, target=cooperative,
                     changes={"status": [before, cooperative.status]})
    return cooperative


def cooperative_suspend(*, actor, cooperative: Cooperative, reason: str) -> Cooperative:
    """Stop a cooperative selling (its staff can still edit; its products leave the shop)."""
    require_program_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Cần ghi lý do tạm ngừng."), CooperativeErrorCode.REQUIRED)
    with transaction.atomic():
        cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        changes = {"status": [cooperative.status, Cooperative.Status.SUSPENDED.value],
                   "status_reason": [cooperative.status_reason, reason]}
        cooperative.status = Cooperative.Status.SUSPENDED
        cooperative.status_reason = reason
        cooperative.save(update_fields=["status", "status_reason"])
        audit_record(actor=actor, action=AuditEntry.Action.COOPERATIVE_SUSPEND, target=cooperative, changes=changes)
    return cooperative


def cooperative_update_profile(*, actor, cooperative: Cooperative, data: Mapping) -> Cooperative:
    """Edit the public profile; status and slug are not editable here. The catalog folds the name
    and province into its products' search text: `product.services.cooperative_update_profile_and_products`
    keeps that copy in step."""
    require_cooperative_access(actor, cooperative.pk)
    cleaned = _clean_profile(data, cooperative=cooperative)
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(cooperative, field, value)
        cooperative.search_text = _search_text(cooperative)
        cooperative.save()
        if "certifications" in data:
            _certifications_write(cooperative, data["certifications"])
    return cooperative


def _require_member_manager(actor, cooperative: Cooperative) -> None:
    require_cooperative_access(actor, cooperative.pk)
    if not is_program_staff(actor) and not CooperativeMember.objects.filter(
        cooperative=cooperative, user=actor, role=CooperativeMember.Role.OWNER
    ).exists():
        raise PermissionDenied(_("Chỉ chủ nhiệm hợp tác xã được quản lý thành viên."))


def _forget_memberships(user) -> None:
    if hasattr(user, "_cooperative_ids"):
        del user._cooperative_ids


def cooperative_member_add(*, actor, cooperative: Cooperative, user, role: str = CooperativeMember.Role.STAFF
                           ) -> CooperativeMember:
    """Add (or change the role of) a member. Owners and program staff manage members; the audit log
    records who gave whom which role (before → after)."""
    _require_member_manager(actor, cooperative)
    if role not in CooperativeMember.Role.values:
        raise _error("role", _("Vai trò không hợp lệ."), CooperativeErrorCode.INVALID)
    if not user.is_active:
        raise _error("user", _("Tài khoản đã bị khoá."), CooperativeErrorCode.INVALID)
    with transaction.atomic():
        member = (CooperativeMember.objects.select_for_update()
                  .filter(cooperative=cooperative, user=user).first())
        before = member.role if member is not None else None
        if member is None:
            member = CooperativeMember.objects.create(cooperative=cooperative, user=user, role=role)
        elif member.role != role:
            member.role = role
            member.save(update_fields=["role"])
        if before != role:
            audit_record(actor=actor, action=AuditEntry.Action.COOPERATIVE_MEMBER, target=cooperative,
                         changes={"member": user.email, "role": [before, role]})
    _forget_memberships(user)
    return member


def cooperative_member_remove(*, actor, member: CooperativeMember) -> None:
    """Take a member out of their cooperative (owners and program staff), recorded in the audit log."""
    cooperative = member.cooperative
    _require_member_manager(actor, cooperative)
    with transaction.atomic():
        removed = CooperativeMember.objects.select_for_update().filter(pk=member.pk).first()
        if removed is None:  # already gone
            return
        removed.delete()
        audit_record(actor=actor, action=AuditEntry.Action.COOPERATIVE_MEMBER, target=cooperative,
                     changes={"member": member.user.email, "role": [removed.role, None]})
    _forget_memberships(member.user)


# --- certificate vault ---------------------------------------------------------------------------------

def _clean_date(data: Mapping, field: str):
    from datetime import date

    raw = data.get(field)
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise _error(field, _("Ngày không hợp lệ (dạng YYYY-MM-DD)."), CooperativeErrorCode.INVALID) from None


def certification_save(*, actor, cooperative: Cooperative, data: Mapping, file=None,
                       certification: Certification | None = None) -> Certification:
    """Create a vault certificate of `cooperative` (a file is required) or change one of its own (a new `file`
    replaces the scan). `data`: type, stars (OCOP), number, issuer, scope, valid_from, valid_until,
    scope_products (product ids of this cooperative), scope_product_types (product type ids)."""
    # The scope's models through the certificate's own relations: cooperatives do not import the catalog.
    Product = Certification.scope_products.field.related_model
    ProductType = Certification.scope_product_types.field.related_model

    require_cooperative_access(actor, cooperative.pk)
    if certification is not None and certification.cooperative_id != cooperative.pk:
        raise PermissionDenied(_("Bạn không có quyền thao tác trên hợp tác xã này."))
    cert_type = str(data.get("type") or "")
    if cert_type not in Certification.Type.values:
        raise _error("type", _("Loại chứng nhận không hợp lệ: %(value)s") % {"value": cert_type},
                     CooperativeErrorCode.INVALID)
    stars = data.get("stars")
    stars = int(stars) if stars not in (None, "") else None
    if cert_type == Certification.Type.OCOP and stars not in (3, 4, 5):
        raise _error("stars", _("Chứng nhận OCOP cần số sao (3–5)."), CooperativeErrorCode.REQUIRED)
    if cert_type != Certification.Type.OCOP and stars is not None:
        raise _error("stars", _("Chỉ OCOP có số sao (3–5)."), CooperativeErrorCode.INVALID)
    number = str(data.get("number") or "").strip()
    if not number:
        raise _error("number", _("Cần ghi số chứng nhận."), CooperativeErrorCode.REQUIRED)
    if len(number) > 64:
        raise _error("number", _("Số chứng nhận tối đa 64 ký tự."), CooperativeErrorCode.INVALID)
    valid_from, valid_until = _clean_date(data, "valid_from"), _clean_date(data, "valid_until")
    if valid_until is None:
        raise _error("valid_until", _("Cần ghi ngày hết hạn."), CooperativeErrorCode.REQUIRED)
    if valid_from and valid_from > valid_until:
        raise _error("valid_until", _("Ngày hết hạn phải sau ngày cấp."), CooperativeErrorCode.INVALID)
    product_ids = {int(p) for p in data.get("scope_products") or ()}
    products = list(Product.objects.filter(pk__in=product_ids, cooperative=cooperative))
    if len(products) != len(product_ids):
        raise _error("scope_products", _("Chỉ chọn được sản phẩm của chính hợp tác xã."),
                     CooperativeErrorCode.INVALID)
    type_ids = {int(t) for t in data.get("scope_product_types") or ()}
    product_types = list(ProductType.objects.filter(pk__in=type_ids))
    if len(product_types) != len(type_ids):
        raise _error("scope_product_types", _("Loại sản phẩm không tồn tại."), CooperativeErrorCode.INVALID)
    if certification is None and file is None:
        raise _error("file", _("Cần tải lên bản chụp hoặc PDF của chứng nhận."), CooperativeErrorCode.FILE_REQUIRED)
    checked = certificate_file_check(file) if file is not None else None
    with transaction.atomic():
        if certification is None:
            certification = Certification(cooperative=cooperative)
            old_file = ""
        else:
            certification = Certification.objects.select_for_update().get(pk=certification.pk)
            old_file = certification.file.name if checked else ""
        certification.type, certification.stars, certification.number = cert_type, stars, number
        certification.issuer = str(data.get("issuer") or "").strip()[:255]
        certification.scope = str(data.get("scope") or "").strip()[:255]
        certification.valid_from, certification.valid_until = valid_from, valid_until
        certification.uploaded_by = actor
        certification.updated_at = timezone.now()
        if checked is not None:
            name = f"{cooperative.pk}-{cert_type.lower()}-{checked.sha256[:16]}.{checked.extension}"
            certification.file.save(name, ContentFile(checked.data), save=False)
            certification.file_type, certification.file_hash = checked.kind, checked.sha256
            certification.file_size = len(checked.data)
        certification.save()
        certification.scope_products.set(products)
        certification.scope_product_types.set(product_types)
        if old_file and old_file != certification.file.name:
            storage = certification.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return certification


# Thresholds of the expiry notices, in days before the end date, most distant first.
EXPIRY_NOTICE_DAYS = (30, 7)


def certification_expiry_notices_send(*, today=None) -> list[CertificationExpiryNotice]:
    """Tell the cooperative and trade staff, once per threshold, that a certificate ends soon. A notice row is
    written in the same transaction that queues its e-mail, under a unique constraint, so running twice (two
    beats, a retried task) sends nothing twice; when a late run finds several thresholds passed, only the
    nearest one is mailed and the others are recorded as covered by it."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.db import IntegrityError

    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(EXPIRY_NOTICE_DAYS))
    sent = []
    due = (Certification.objects.filter(valid_until__gte=today, valid_until__lte=horizon)
           .exclude(file="").select_related("cooperative").order_by("valid_until", "pk"))
    trade_emails = sorted(get_user_model().objects.filter(is_active=True, is_trade_staff=True)
                          .exclude(email="").values_list("email", flat=True))
    for cert in due:
        days_left = (cert.valid_until - today).days
        passed = [d for d in EXPIRY_NOTICE_DAYS if days_left <= d]
        done = set(CertificationExpiryNotice.objects.filter(certification=cert, valid_until=cert.valid_until)
                   .values_list("days_before", flat=True))
        if not passed or min(passed) in done:
            continue
        coop_emails = sorted(set(cert.cooperative.members.filter(user__is_active=True).exclude(user__email="")
                                 .values_list("user__email", flat=True)) | {cert.cooperative.email} - {""})
        recipients = coop_emails + [e for e in trade_emails if e not in coop_emails]
        try:
            with transaction.atomic():
                notice = None
                for days in sorted(set(passed) - done, reverse=True):
                    notice = CertificationExpiryNotice.objects.create(
                        certification=cert, days_before=days, valid_until=cert.valid_until,
                        recipients=recipients if days == min(passed) else [])
                subject = _("HTX Market: chứng nhận %(kind)s số %(number)s hết hạn sau %(days)d ngày") % {
                    "kind": cert.get_type_display(), "number": cert.number, "days": days_left}
                body = _("Chứng nhận %(kind)s số %(number)s của %(coop)s hết hạn ngày %(date)s. Hãy tải lên bản "
                         "gia hạn; khi hết hạn, chứng nhận sẽ được gỡ khỏi các sản phẩm trên sàn B2B.") % {
                    "kind": cert.get_type_display(), "number": cert.number, "coop": cert.cooperative.name,
                    "date": cert.valid_until.strftime("%d/%m/%Y")}
                transaction.on_commit(lambda s=subject, b=body, r=recipients: send_mail(
                    s, b, settings.DEFAULT_FROM_EMAIL, r))
        except IntegrityError:  # another run recorded it first
            continue
        sent.append(notice)
    return sent
