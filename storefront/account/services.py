"""Writes of accounts: registration with recorded consent, log-in lock-out, the address book.

Addresses are checked by `storefront.account.addresses` (the Vietnamese two-tier form); this
module decides whose address book they go in.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.audit import audit_record, changed_fields
from storefront.core.models import AuditEntry
from storefront.core.permissions import require_program_staff
from storefront.core.phone import normalize_vn_phone

from .addresses import address_create, address_validate
from .error_codes import AccountErrorCode
from .models import Address, ConsentRecord, User

LOGIN_MAX_FAILURES = getattr(settings, "LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT = timedelta(minutes=getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15))
REQUIRED_CONSENTS = (ConsentRecord.Purpose.DATA_PROCESSING,)
ADDRESS_FIELDS = ("first_name", "last_name", "company_name", "street_address_1", "street_address_2", "city",
                  "city_area", "postal_code", "country", "country_area", "phone", "province", "commune")

# Django's password validator codes -> Saleor's AccountErrorCode.
_PASSWORD_CODES = {
    "password_too_short": AccountErrorCode.PASSWORD_TOO_SHORT,
    "password_too_common": AccountErrorCode.PASSWORD_TOO_COMMON,
    "password_entirely_numeric": AccountErrorCode.PASSWORD_ENTIRELY_NUMERIC,
    "password_too_similar": AccountErrorCode.PASSWORD_TOO_SIMILAR,
}


def _error(field: str, message: str, code: AccountErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def email_clean(email: str) -> str:
    email = str(email or "").strip().lower()
    if not email:
        raise _error("email", _("Email là bắt buộc."), AccountErrorCode.REQUIRED)
    try:
        validate_email(email)
    except ValidationError:
        raise _error("email", _("Email không hợp lệ."), AccountErrorCode.INVALID) from None
    return email


def password_check(*, password: str, user: User | None = None) -> None:
    """Django's validators, reported with Saleor's codes (first failure only)."""
    if not password:
        raise _error("password", _("Mật khẩu là bắt buộc."), AccountErrorCode.REQUIRED)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        first = exc.error_list[0]
        code = _PASSWORD_CODES.get(first.code, AccountErrorCode.INVALID_PASSWORD)
        raise _error("password", " ".join(exc.messages), code) from None


def consent_record(*, user: User | None = None, email: str, purpose: str, granted: bool, source: str,
                   checkout_token=None) -> ConsentRecord:
    """One row of proof: who agreed (or refused) to what, when, where."""
    if purpose not in ConsentRecord.Purpose.values:
        raise _error("consents", _("Mục đích xử lý dữ liệu không hợp lệ: %(p)s") % {"p": purpose},
                     AccountErrorCode.INVALID)
    return ConsentRecord.objects.create(
        user=user, email=email_clean(email), purpose=purpose, granted=bool(granted), source=str(source)[:32],
        checkout_token=checkout_token,
    )


def account_register(*, email: str, password: str, first_name: str = "", last_name: str = "", phone: str = "",
                     consents: Mapping[str, bool], source: str = "registration", require_privacy_consent: bool = True,
                     language_code: str = "vi") -> User:
    """A customer account. Consent to personal-data processing is required; every purpose given in
    `consents` is recorded with the time."""
    email = email_clean(email)
    if User.objects.filter(email__iexact=email).exists():
        raise _error("email", _("Email này đã có tài khoản."), AccountErrorCode.UNIQUE)
    first_name, last_name = str(first_name or "").strip()[:150], str(last_name or "").strip()[:150]
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    password_check(password=password, user=candidate)
    phone_e164 = normalize_vn_phone(phone, code=AccountErrorCode.INVALID_PHONE.value) if phone else ""
    consents = dict(consents or {})
    unknown = set(consents) - set(ConsentRecord.Purpose.values)
    if unknown:
        raise _error("consents", _("Mục đích xử lý dữ liệu không hợp lệ: %(p)s") % {"p": ", ".join(sorted(unknown))},
                     AccountErrorCode.INVALID)
    for purpose in REQUIRED_CONSENTS if require_privacy_consent else ():
        if not consents.get(purpose):
            raise _error("consents", _("Cần đồng ý cho phép xử lý dữ liệu cá nhân để tạo tài khoản."),
                         AccountErrorCode.REQUIRED)
    language = language_code if language_code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with transaction.atomic():
        user = User.objects.create_user(email, password, first_name=first_name, last_name=last_name,
                                        phone=phone_e164, language_code=language)
        for purpose, granted in consents.items():
            consent_record(user=user, email=email, purpose=purpose, granted=granted, source=source)
    return user


# --- log-in lock-out -----------------------------------------------------------------------------


def user_is_locked(*, user: User) -> bool:
    return bool(user.locked_until and user.locked_until > timezone.now())


def login_attempt_failed(*, user: User) -> User:
    """Count a wrong password; the fifth in a row locks the account for 15 minutes."""
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.locked_until and locked.locked_until <= now:
            locked.locked_until = None
            locked.failed_login_count = 0
        if not (locked.locked_until and locked.locked_until > now):
            locked.failed_login_count += 1
            if locked.failed_login_count >= LOGIN_MAX_FAILURES:
                locked.locked_until = now + LOGIN_LOCKOUT
                locked.failed_login_count = 0
        locked.save(update_fields=["failed_login_count", "locked_until"])
    user.failed_login_count, user.locked_until = locked.failed_login_count, locked.locked_until
    return user


def login_attempt_succeeded(*, user: User) -> User:
    if user.failed_login_count or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        user.failed_login_count, user.locked_until = 0, None
    return user


def account_authenticate(*, email: str, password: str) -> User:
    """The user for these credentials, counting failures toward the lock-out. A locked account is
    refused even with the right password, with LOGIN_ATTEMPT_DELAYED."""
    user = User.objects.filter(email__iexact=str(email or "").strip()).first()
    if user is not None and user_is_locked(user=user):
        raise _error("email", _("Đăng nhập sai quá nhiều lần; vui lòng thử lại sau %(m)s phút.")
                     % {"m": int(LOGIN_LOCKOUT.total_seconds() // 60)}, AccountErrorCode.LOGIN_ATTEMPT_DELAYED)
    if user is None or not user.check_password(password or ""):
        if user is not None:
            login_attempt_failed(user=user)
        raise _error("email", _("Email hoặc mật khẩu không đúng."), AccountErrorCode.INVALID_CREDENTIALS)
    if not user.is_active:
        raise _error("email", _("Tài khoản đã bị khoá."), AccountErrorCode.INACTIVE)
    return login_attempt_succeeded(user=user)


def user_roles_update(*, actor, user: User, is_trade_staff: bool | None = None,
                      is_program_staff: bool | None = None) -> User:
    require_program_staff(actor)
    before = {"is_trade_staff": user.is_trade_staff, "is_program_staff": user.is_program_staff}
    if is_trade_staff is not None:
        user.is_trade_staff = bool(is_trade_staff)
    if is_program_staff is not None:
        if user.pk == actor.pk and not is_program_staff:
            raise _error("is_program_staff", _("Không thể tự bỏ quyền cán bộ chương trình của mình."),
                         AccountErrorCode.INVALID)
        user.is_program_staff = bool(is_program_staff)
    changes = changed_fields(before, {"is_trade_staff": user.is_trade_staff, "is_program_staff": user.is_program_staff})
    with transaction.atomic():
        user.save(update_fields=["is_trade_staff", "is_program_staff", "updated_at"])
        if changes:
            audit_record(actor=actor, action=AuditEntry.Action.USER_ROLES, target=user, changes=changes)
    return user


# What decides what a user may do, as the audit log compares it before and after an edit.
ROLE_FIELDS = ("is_active", "is_trade_staff", "is_program_staff", "is_staff", "is_superuser")


def user_roles_snapshot(user: User) -> dict:
    """The role flags, Django groups and permissions of `user` (a user not yet saved has none of the two)."""
    values = {name: getattr(user, name) for name in ROLE_FIELDS}
    groups = user.groups.values_list("name", flat=True) if user.pk else ()
    permissions = (user.user_permissions.values_list("content_type__app_label", "codename") if user.pk else ())
    values["groups"] = ", ".join(sorted(groups))
    values["user_permissions"] = ", ".join(sorted(f"{app}.{codename}" for app, codename in permissions))
    return values


def user_roles_changed(*, actor, user: User, before: dict) -> AuditEntry | None:
    """Record in the audit log how `user`'s roles differ from `before` (a `user_roles_snapshot` taken
    ahead of an edit made outside `user_roles_update`: Django admin's user form), if they do."""
    changes = changed_fields(before, user_roles_snapshot(user))
    if not changes:
        return None
    return audit_record(actor=actor, action=AuditEntry.Action.USER_ROLES, target=user, changes=changes)


# --- address book --------------------------------------------------------------------------------


def _require_own_address(actor: User, address: Address) -> None:
    if not (actor and actor.is_authenticated and actor.addresses.filter(pk=address.pk).exists()):
        raise PermissionDenied(_("Địa chỉ này không thuộc sổ địa chỉ của bạn."))


def _set_defaults(user: User, address: Address, *, shipping: bool, billing: bool) -> None:
    fields = []
    if shipping or user.default_shipping_address_id is None:
        user.default_shipping_address = address
        fields.append("default_shipping_address")
    if billing or user.default_billing_address_id is None:
        user.default_billing_address = address
        fields.append("default_billing_address")
    if fields:
        user.save(update_fields=fields)


def address_book_add(*, actor: User, address_data: Mapping, set_default_shipping: bool = False,
                     set_default_billing: bool = False) -> Address:
    """Validate and save an address in the actor's book; the first one becomes the default."""
    if not (actor and actor.is_authenticated):
        raise PermissionDenied(_("Cần đăng nhập."))
    with transaction.atomic():
        address = address_create(data=dict(address_data))
        actor.addresses.add(address)
        _set_defaults(actor, address, shipping=set_default_shipping, billing=set_default_billing)
    return address


def address_book_update(*, actor: User, address: Address, address_data: Mapping) -> Address:
    _require_own_address(actor, address)
    validated = address_validate(data=dict(address_data))
    with transaction.atomic():
        for field in ADDRESS_FIELDS:
            setattr(address, field, getattr(validated, field))
        address.save()
    return address


def address_book_set_default(*, actor: User, address: Address, address_type: str) -> User:
    """`address_type`: "shipping" or "billing" (Saleor's AddressTypeEnum, lower-cased)."""
    _require_own_address(actor, address)
    if address_type not in ("shipping", "billing"):
        raise _error("type", _("Loại địa chỉ không hợp lệ."), AccountErrorCode.INVALID)
    setattr(actor, f"default_{address_type}_address", address)
    actor.save(update_fields=[f"default_{address_type}_address"])
    return actor


def address_book_delete(*, actor: User, address: Address) -> None:
    """Remove from the book; the row itself goes only when no checkout or order points at it."""
    _require_own_address(actor, address)
    with transaction.atomic():
        actor.addresses.remove(address)
        changed = []
        if actor.default_shipping_address_id == address.pk:
            actor.default_shipping_address = None
            changed.append("default_shipping_address")
        if actor.default_billing_address_id == address.pk:
            actor.default_billing_address = None
            changed.append("default_billing_address")
        if changed:
            actor.save(update_fields=changed)
        if not _address_in_use(address):
            address.delete()


def _address_in_use(address: Address) -> bool:
    """Whether any row still refers to the address: an address book, a checkout, an order, whatever
    model points at addresses. Found through the model's relations, so account needs to know none
    of the apps above it (checkout and order refer to addresses, not the other way round)."""
    by_model: dict[type, Q] = {}
    for relation in Address._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete:
            lookup = Q(**{relation.field.name: address})
            model = relation.related_model
            by_model[model] = by_model[model] | lookup if model in by_model else lookup
    return any(model._base_manager.filter(lookup).exists() for model, lookup in by_model.items())
