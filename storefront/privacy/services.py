"""A shopper's rights over their personal data (Law 91/2025/QH15 on personal data protection):
download everything the shop holds about them, ask for erasure, and the erasure itself.

Erasure keeps what accounting must keep (orders: what was sold, for how much, when, by which
cooperative) with the person taken out of it (e-mail, names, phones, streets, notes replaced), and
deletes the rest (account, address book, carts, consents). Program staff carry it out or refuse it;
both are logged (the request's own record and the audit log). Only the account's own rows are ever
read or written: orders, addresses, carts and consents are found by their link to the account, never
by an e-mail address another person could share.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.audit import audit_record
from storefront.core.models import AuditEntry
from storefront.core.permissions import require_program_staff

from storefront.account.error_codes import AccountErrorCode
from storefront.account.models import Address, ConsentRecord, PersonalDataRequest, User
from storefront.checkout.models import Checkout
from storefront.order.models import Order, OrderEvent, OrderGrantedRefund, OrderReturn, OrderStatus

ERASED = "[đã xoá]"
ADDRESS_EXPORT_FIELDS = ("first_name", "last_name", "company_name", "street_address_1", "street_address_2",
                         "city", "city_area", "postal_code", "country", "country_area", "phone")
REASON_MAX_LENGTH = 1000


def _error(field: str, message: str, code: AccountErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _signed_in(actor) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise _error("user", _("Vui lòng đăng nhập."), AccountErrorCode.INVALID_CREDENTIALS)
    return actor


def _address(address: Address | None) -> dict | None:
    if address is None:
        return None
    data = {name: getattr(address, name) for name in ADDRESS_EXPORT_FIELDS}
    data["province"] = address.province.name
    data["commune"] = address.commune.name
    return data


def _orders_of(user: User):
    return Order.objects.filter(user=user)


def personal_data_export(*, actor) -> dict:
    """Everything the shop holds about `actor`, as JSON-ready data; recorded as a done request."""
    user = _signed_in(actor)
    orders = (_orders_of(user).select_related("shipping_address__province", "shipping_address__commune",
                                              "billing_address__province", "billing_address__commune")
              .prefetch_related("lines").order_by("pk"))
    addresses = user.addresses.select_related("province", "commune").order_by("pk")
    checkouts = Checkout.objects.filter(user=user).prefetch_related("lines__variant").order_by("created_at")
    data = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk, "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "phone": user.phone, "language_code": user.language_code, "date_joined": user.date_joined.isoformat(),
            "is_confirmed": user.is_confirmed, "last_login": user.last_login.isoformat() if user.last_login else None,
            "note": user.note,  # what staff noted about the account is the shopper's data too
            "default_shipping_address": user.default_shipping_address_id,
            "default_billing_address": user.default_billing_address_id,
        },
        "addresses": [{"id": a.pk, **_address(a)} for a in addresses],
        "orders": [{
            "number": o.number, "created_at": o.created_at.isoformat(), "status": o.status,
            "charge_status": o.charge_status, "email": o.user_email, "currency": o.currency,
            "subtotal": o.subtotal_amount, "shipping_price": o.shipping_price_amount, "total": o.total_amount,
            "payment_gateway": o.payment_gateway, "shipping_method": o.shipping_method_name,
            "customer_note": o.customer_note,
            "shipping_address": _address(o.shipping_address), "billing_address": _address(o.billing_address),
            "lines": [{"product_name": line.product_name, "variant_name": line.variant_name, "sku": line.product_sku,
                       "cooperative": line.cooperative_name, "quantity": line.quantity,
                       "unit_price": line.unit_price_amount, "total_price": line.total_price_amount}
                      for line in o.lines.all()],
        } for o in orders],
        "returns": [{
            "order": r.order_id, "created_at": r.created_at.isoformat(), "status": r.status, "reason": r.reason,
            "refund_method": r.refund_method, "bank_bin": r.bank_bin, "bank_account_no": r.bank_account_no,
            "bank_account_name": r.bank_account_name, "photo": bool(r.photo), "refusal_reason": r.refusal_reason,
            "lines": [{"product_name": row.order_line.product_name, "quantity": row.quantity} for row in r.lines.all()],
        } for r in OrderReturn.objects.filter(order__user=user).prefetch_related("lines__order_line").order_by("pk")],
        "consents": [{
            "purpose": c.purpose, "granted": c.granted, "source": c.source, "policy_version": c.policy_version,
            "email": c.email, "created_at": c.created_at.isoformat(),
        } for c in ConsentRecord.objects.filter(user=user).order_by("created_at")],
        "carts": [{
            "created_at": c.created_at.isoformat(), "email": c.email, "customer_note": c.customer_note,
            "lines": [{"sku": line.variant.sku, "quantity": line.quantity} for line in c.lines.all()],
        } for c in checkouts],
        "requests": [{
            "kind": r.kind, "status": r.status, "created_at": r.created_at.isoformat(),
            "handled_at": r.handled_at.isoformat() if r.handled_at else None,
        } for r in PersonalDataRequest.objects.filter(user=user).order_by("created_at")],
    }
    PersonalDataRequest.objects.create(kind=PersonalDataRequest.Kind.EXPORT, status=PersonalDataRequest.Status.DONE,
                                       user=user, user_number=user.pk, email=user.email, handled_at=timezone.now())
    return data


def personal_data_erasure_request(*, actor, reason: str = "") -> PersonalDataRequest:
    """The shopper asks for their data to be erased; program staff carry it out."""
    user = _signed_in(actor)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise _error("reason", _("Lý do dài quá %(n)s ký tự.") % {"n": REASON_MAX_LENGTH}, AccountErrorCode.INVALID)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # two clicks at once make one request
        if personal_data_erasure_pending(actor=user) is not None:
            raise _error("request", _("Bạn đã gửi yêu cầu xoá dữ liệu; chúng tôi đang xử lý."),
                         AccountErrorCode.DUPLICATED_INPUT_ITEM)
        return PersonalDataRequest.objects.create(kind=PersonalDataRequest.Kind.ERASURE, user=user,
                                                  user_number=user.pk, email=user.email, reason=reason)


def personal_data_erasure_pending(*, actor) -> PersonalDataRequest | None:
    return PersonalDataRequest.objects.filter(user=_signed_in(actor), kind=PersonalDataRequest.Kind.ERASURE,
                                              status=PersonalDataRequest.Status.PENDING).first()


def personal_data_erasure_requests_of(*, actor) -> QuerySet[PersonalDataRequest]:
    """The signed-in shopper's own erasure requests, newest first (with staff's answer)."""
    return PersonalDataRequest.objects.filter(user=_signed_in(actor), kind=PersonalDataRequest.Kind.ERASURE)


def personal_data_requests(*, actor, status: str = "", kind: str = "") -> QuerySet[PersonalDataRequest]:
    """Every request, for program staff, pending first and newest first."""
    require_program_staff(actor)
    rows = PersonalDataRequest.objects.select_related("user", "handled_by")
    if status in PersonalDataRequest.Status.values:
        rows = rows.filter(status=status)
    if kind in PersonalDataRequest.Kind.values:
        rows = rows.filter(kind=kind)
    pending_first = Case(When(status=PersonalDataRequest.Status.PENDING, then=Value(0)), default=Value(1))
    return rows.order_by(pending_first, "-created_at", "-pk")


def _pending_erasure(request: PersonalDataRequest) -> PersonalDataRequest:
    locked = PersonalDataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.kind != PersonalDataRequest.Kind.ERASURE or locked.status != PersonalDataRequest.Status.PENDING:
        raise _error("request", _("Yêu cầu này đã được xử lý."), AccountErrorCode.INVALID)
    return locked


def _refuse_staff(user: User) -> None:
    if (user.is_staff or user.is_superuser or user.is_program_staff or user.is_trade_staff
            or user.cooperative_memberships.exists()):
        raise _error("request", _("Đây là tài khoản cán bộ: gỡ các vai trò và quyền quản lý HTX trước khi xoá."),
                     AccountErrorCode.INVALID)


def _anonymise_address(address: Address) -> None:
    address.first_name, address.last_name, address.company_name = ERASED, "", ""
    address.street_address_1, address.street_address_2 = ERASED, ""
    address.phone, address.postal_code, address.legacy_text = "", "", ""
    address.save(update_fields=["first_name", "last_name", "company_name", "street_address_1",
                                "street_address_2", "phone", "postal_code", "legacy_text"])


def personal_data_erase(*, actor, request: PersonalDataRequest) -> PersonalDataRequest:
    """Carry out a pending erasure: anonymise the account's orders, delete the rest, log it."""
    require_program_staff(actor)
    with transaction.atomic():
        request = _pending_erasure(request)
        user = User.objects.select_for_update().filter(pk=request.user_id).first()
        if user is None:
            raise _error("request", _("Tài khoản này không còn."), AccountErrorCode.NOT_FOUND)
        _refuse_staff(user)
        orders = list(_orders_of(user).select_for_update().order_by("pk"))
        # Orders still being paid for or delivered need the buyer's contact: erase once they are settled.
        if any(order.status not in (OrderStatus.FULFILLED, OrderStatus.CANCELED) for order in orders):
            raise _error("request", _("Khách còn đơn hàng đang thanh toán hoặc đang giao: xoá sau khi các đơn "
                                      "này hoàn tất hoặc bị huỷ."), AccountErrorCode.INVALID)
        returns = list(OrderReturn.objects.filter(order__in=orders).select_related("granted_refund"))
        # A return still to decide or a refund still to pay needs the shopper's account details.
        if any(r.status == OrderReturn.Status.REQUESTED or (
                r.granted_refund and r.granted_refund.status != OrderGrantedRefund.Status.SUCCESS) for r in returns):
            raise _error("request", _("Khách còn yêu cầu trả hàng hoặc khoản hoàn tiền chưa xong: xoá sau khi "
                                      "chúng được xử lý."), AccountErrorCode.INVALID)
        for order_return in returns:
            if order_return.photo:
                order_return.photo.delete(save=False)
            order_return.reason, order_return.bank_account_no, order_return.bank_account_name = ERASED, "", ""
            order_return.save(update_fields=["photo", "reason", "bank_account_no", "bank_account_name"])
        email = user.email
        kept_address_ids = set()
        for order in orders:
            order.user, order.user_email, order.customer_note = None, f"da-xoa-{order.pk}@erased.invalid", ""
            order.save(update_fields=["user", "user_email", "customer_note", "updated_at"])
            kept_address_ids |= {order.shipping_address_id, order.billing_address_id} - {None}
            for event in OrderEvent.objects.filter(order=order):
                if email in event.parameters.values():
                    event.parameters = {k: (ERASED if v == email else v) for k, v in event.parameters.items()}
                    event.save(update_fields=["parameters"])
        for address in Address.objects.filter(pk__in=kept_address_ids):
            _anonymise_address(address)
        checkouts = Checkout.objects.filter(user=user)
        cart_address_ids = set(checkouts.values_list("shipping_address_id", flat=True)) | set(
            checkouts.values_list("billing_address_id", flat=True))
        book_address_ids = set(user.addresses.values_list("pk", flat=True))
        carts_deleted = checkouts.count()
        checkouts.delete()
        consents_deleted, _consents = ConsentRecord.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(default_billing_address=None, default_shipping_address=None)
        user.addresses.clear()
        candidates = (book_address_ids | cart_address_ids) - kept_address_ids - {None}
        addresses_deleted, _addresses = Address.objects.filter(
            pk__in=candidates - _addresses_in_use(candidates)).delete()
        user.delete()
        PersonalDataRequest.objects.filter(user_number=request.user_number).update(email="")
        request.refresh_from_db()
        request.status, request.handled_at, request.handled_by = (PersonalDataRequest.Status.DONE, timezone.now(),
                                                                  actor)
        request.outcome = {"orders_anonymised": len(orders), "returns_anonymised": len(returns),
                           "addresses_anonymised": len(kept_address_ids),
                           "addresses_deleted": addresses_deleted, "carts_deleted": carts_deleted,
                           "consents_deleted": consents_deleted, "account_deleted": True}
        request.save(update_fields=["status", "handled_at", "handled_by", "outcome"])
        audit_record(actor=actor, action=AuditEntry.Action.PERSONAL_DATA_ERASE, target=request,
                     changes=request.outcome)
    return request


def _addresses_in_use(ids: set[int]) -> set[int]:
    """Those of `ids` another account's book, a cart or an order still points at (never deleted here)."""
    used = set(User.addresses.through.objects.filter(address_id__in=ids).values_list("address_id", flat=True))
    for model in (Checkout, Order):
        for field in ("shipping_address", "billing_address"):
            used |= set(model.objects.filter(**{f"{field}_id__in": ids}).values_list(f"{field}_id", flat=True))
    return used


def personal_data_request_reject(*, actor, request: PersonalDataRequest, note: str) -> PersonalDataRequest:
    """Refuse an erasure (e.g. a legal hold); the shopper sees the note on their account page."""
    require_program_staff(actor)
    note = (note or "").strip()
    if not note:
        raise _error("staff_note", _("Vui lòng ghi lý do từ chối."), AccountErrorCode.REQUIRED)
    with transaction.atomic():
        request = _pending_erasure(request)
        request.status, request.handled_at, request.handled_by = (PersonalDataRequest.Status.REJECTED,
                                                                  timezone.now(), actor)
        request.staff_note = note[:REASON_MAX_LENGTH]
        request.save(update_fields=["status", "handled_at", "handled_by", "staff_note"])
        audit_record(actor=actor, action=AuditEntry.Action.PERSONAL_DATA_REJECT, target=request,
                     changes={"note": request.staff_note})
    return request
