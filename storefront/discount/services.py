"""Writes: program staff and cooperatives create vouchers and promotions; a checkout's completion
uses a voucher (counted under the voucher's row lock), an order's cancellation gives the use back.

Every create validates all of its input before writing and raises
`ValidationError({field: ValidationError(message, code=DiscountErrorCode.X.value)})`.
"""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.cooperative.models import Cooperative
from storefront.core.permissions import cooperative_ids_of, is_program_staff, require_cooperative_access
from storefront.discount.error_codes import DiscountErrorCode
from storefront.discount.models import DiscountValueType, FundedBy, Promotion, Voucher, VoucherCustomer
from storefront.discount.selectors import customer_uses, normalize_code
from storefront.product.models import Category, Product

MAX_CODE_LENGTH = 40
MAX_VND = 10**12


class Errors:
    def __init__(self):
        self.errors: dict[str, ValidationError] = {}

    def add(self, field: str, message: str, code: DiscountErrorCode) -> None:
        self.errors.setdefault(field, ValidationError(message, code=code.value))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _int(value, field, errors, *, minimum=0, maximum=MAX_VND, required=False):
    if value in (None, ""):
        if required:
            errors.add(field, _("Vui lòng nhập giá trị."), DiscountErrorCode.REQUIRED)
        return None
    if isinstance(value, bool):
        errors.add(field, _("Giá trị phải là số nguyên."), DiscountErrorCode.INVALID)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("Giá trị phải là số nguyên."), DiscountErrorCode.INVALID)
        return None
    if number != value and str(number) != str(value).strip():
        errors.add(field, _("Giá trị phải là số nguyên."), DiscountErrorCode.INVALID)
        return None
    if not minimum <= number <= maximum:
        errors.add(field, _("Giá trị phải từ %(min)s đến %(max)s.") % {"min": minimum, "max": maximum},
                   DiscountErrorCode.INVALID)
        return None
    return number


def _choice(value, choices, field, errors, default):
    value = str(value or default).lower()
    if value not in choices.values:
        errors.add(field, _("Giá trị không hợp lệ."), DiscountErrorCode.INVALID)
        return default
    return value


def _dates(start, end, errors):
    start = start or timezone.now()
    for field, value in (("start_date", start), ("end_date", end)):
        if value is not None and not isinstance(value, datetime):
            errors.add(field, _("Ngày giờ không hợp lệ."), DiscountErrorCode.INVALID)
            return timezone.now(), None
    if timezone.is_naive(start):
        start = timezone.make_aware(start)  # the project's time zone: Asia/Ho_Chi_Minh
    if end is not None and timezone.is_naive(end):
        end = timezone.make_aware(end)
    if end is not None and end <= start:
        errors.add("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."), DiscountErrorCode.INVALID)
    return start, end


def _scope(actor, data, errors):
    """The cooperative, category and product a new voucher/promotion is limited to, and who pays.

    A cooperative's staff create discounts for their own cooperative's products only, paid by it;
    program staff create them anywhere, paid by the program or (on its behalf) by a cooperative."""
    program = is_program_staff(actor)
    cooperative = data.get("cooperative")
    if cooperative is not None and not isinstance(cooperative, Cooperative):
        cooperative = Cooperative.objects.filter(pk=cooperative).first() if str(cooperative).isdigit() else None
        if cooperative is None:
            errors.add("cooperative", _("Không tìm thấy hợp tác xã."), DiscountErrorCode.NOT_FOUND)
    if not program:
        own = cooperative_ids_of(actor)
        if cooperative is None and len(own) == 1:
            cooperative = Cooperative.objects.get(pk=next(iter(own)))
        if cooperative is None:
            raise PermissionDenied(_("Hợp tác xã chỉ tạo được khuyến mãi cho sản phẩm của mình."))
        require_cooperative_access(actor, cooperative.pk)
    product = data.get("product")
    if product is not None and not isinstance(product, Product):
        product = Product.objects.filter(pk=product).first() if str(product).isdigit() else None
        if product is None:
            errors.add("product", _("Không tìm thấy sản phẩm."), DiscountErrorCode.NOT_FOUND)
    if product is not None:
        if cooperative is None:
            cooperative = product.cooperative
        elif product.cooperative_id != cooperative.pk:
            if not program:
                raise PermissionDenied(_("Hợp tác xã chỉ tạo được khuyến mãi cho sản phẩm của mình."))
            errors.add("product", _("Sản phẩm không thuộc hợp tác xã đã chọn."), DiscountErrorCode.INVALID)
    category = data.get("category")
    if category is not None and not isinstance(category, Category):
        category = Category.objects.filter(pk=category).first() if str(category).isdigit() else None
        if category is None:
            errors.add("category", _("Không tìm thấy danh mục."), DiscountErrorCode.NOT_FOUND)
    funded_by = _choice(data.get("funded_by"), FundedBy, "funded_by", errors,
                        FundedBy.PROGRAM if program else FundedBy.COOPERATIVE)
    if not program and funded_by != FundedBy.COOPERATIVE:
        errors.add("funded_by", _("Khuyến mãi do hợp tác xã tạo thì hợp tác xã chi trả."), DiscountErrorCode.INVALID)
    if funded_by == FundedBy.COOPERATIVE and cooperative is None:
        errors.add("cooperative", _("Chọn hợp tác xã chi trả khuyến mãi."), DiscountErrorCode.REQUIRED)
    return {"cooperative": cooperative, "category": category, "product": product, "funded_by": funded_by}


def _common(actor, data, errors) -> dict:
    name = " ".join(str(data.get("name") or "").split())
    if len(name) > 255:
        errors.add("name", _("Tên quá dài."), DiscountErrorCode.INVALID)
    value_type = _choice(data.get("discount_value_type"), DiscountValueType, "discount_value_type", errors,
                         DiscountValueType.PERCENTAGE)
    value = _int(data.get("discount_value"), "discount_value", errors, minimum=1,
                 maximum=100 if value_type == DiscountValueType.PERCENTAGE else MAX_VND, required=True)
    start, end = _dates(data.get("start_date"), data.get("end_date"), errors)
    return {"name": name, "discount_value_type": value_type, "discount_value": value, "start_date": start,
            "end_date": end, **_scope(actor, data, errors)}


def voucher_create(*, actor, code, discount_value, discount_value_type=DiscountValueType.PERCENTAGE,
                   type=Voucher.Type.ENTIRE_ORDER, name="", min_spent_amount=0, usage_limit=None,
                   usage_limit_per_customer=None, start_date=None, end_date=None, cooperative=None,
                   category=None, product=None, funded_by=None) -> Voucher:
    if not (is_program_staff(actor) or cooperative_ids_of(actor)):
        raise PermissionDenied(_("Bạn không có quyền tạo mã giảm giá."))
    errors = Errors()
    code = normalize_code(code)
    if not code:
        errors.add("code", _("Vui lòng nhập mã giảm giá."), DiscountErrorCode.REQUIRED)
    elif len(code) > MAX_CODE_LENGTH or not all(ch.isalnum() or ch in "-_" for ch in code) or not code.isascii():
        errors.add("code", _("Mã chỉ gồm chữ không dấu, số, '-' và '_' (tối đa %(n)d ký tự).") % {
            "n": MAX_CODE_LENGTH}, DiscountErrorCode.INVALID)
    elif Voucher.objects.filter(code__iexact=code).exists():
        errors.add("code", _("Mã %(code)s đã tồn tại.") % {"code": code}, DiscountErrorCode.ALREADY_EXISTS)
    voucher_type = _choice(type, Voucher.Type, "type", errors, Voucher.Type.ENTIRE_ORDER)
    common = _common(actor, {"name": name, "discount_value_type": discount_value_type,
                             "discount_value": discount_value, "start_date": start_date, "end_date": end_date,
                             "cooperative": cooperative, "category": category, "product": product,
                             "funded_by": funded_by}, errors)
    fields = {
        "min_spent_amount": _int(min_spent_amount or 0, "min_spent_amount", errors) or 0,
        "usage_limit": _int(usage_limit, "usage_limit", errors, minimum=1, maximum=10**9),
        "usage_limit_per_customer": _int(usage_limit_per_customer, "usage_limit_per_customer", errors,
                                         minimum=1, maximum=10**9),
    }
    if voucher_type == Voucher.Type.SPECIFIC_PRODUCT and not (common["category"] or common["product"]):
        errors.add("type", _("Chọn danh mục hoặc sản phẩm được giảm giá."), DiscountErrorCode.REQUIRED)
    errors.raise_if_any()
    common["name"] = common["name"] or code
    try:
        with transaction.atomic():
            return Voucher.objects.create(code=code, type=voucher_type, created_by=actor, **common, **fields)
    except IntegrityError:  # a concurrent create of the same code
        raise ValidationError({"code": ValidationError(_("Mã %(code)s đã tồn tại.") % {"code": code},
                                                       code=DiscountErrorCode.ALREADY_EXISTS.value)})


def promotion_create(*, actor, name, discount_value, discount_value_type=DiscountValueType.PERCENTAGE,
                     type=Promotion.Type.CATALOGUE, reward_type=Promotion.RewardType.SUBTOTAL_DISCOUNT,
                     min_subtotal_amount=0, description="", start_date=None, end_date=None, cooperative=None,
                     category=None, product=None, funded_by=None) -> Promotion:
    if not (is_program_staff(actor) or cooperative_ids_of(actor)):
        raise PermissionDenied(_("Bạn không có quyền tạo khuyến mãi."))
    errors = Errors()
    if not " ".join(str(name or "").split()):
        errors.add("name", _("Vui lòng nhập tên khuyến mãi."), DiscountErrorCode.REQUIRED)
    promotion_type = _choice(type, Promotion.Type, "type", errors, Promotion.Type.CATALOGUE)
    reward = _choice(reward_type, Promotion.RewardType, "reward_type", errors, Promotion.RewardType.SUBTOTAL_DISCOUNT)
    if promotion_type == Promotion.Type.CATALOGUE and reward != Promotion.RewardType.SUBTOTAL_DISCOUNT:
        errors.add("reward_type", _("Khuyến mãi sản phẩm chỉ giảm tiền hàng."), DiscountErrorCode.INVALID)
    common = _common(actor, {"name": name, "discount_value_type": discount_value_type,
                             "discount_value": discount_value, "start_date": start_date, "end_date": end_date,
                             "cooperative": cooperative, "category": category, "product": product,
                             "funded_by": funded_by}, errors)
    minimum = _int(min_subtotal_amount or 0, "min_subtotal_amount", errors) or 0
    errors.raise_if_any()
    return Promotion.objects.create(type=promotion_type, reward_type=reward, min_subtotal_amount=minimum,
                                    description=str(description or "").strip()[:2000], created_by=actor, **common)


class VoucherUnavailable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def voucher_use(*, voucher_id: int, user, email: str, checkout_token) -> Voucher:
    """Count one use of the voucher for the order of `checkout_token`, under the voucher's row lock
    (call inside the completion's transaction: the lock is held to its commit, so concurrent
    completions of a voucher limited to N uses succeed exactly N times). Raises VoucherUnavailable
    when it is used up, or by this customer as often as allowed."""
    locked = Voucher.objects.select_for_update().get(pk=voucher_id)
    if locked.usage_limit is not None and locked.used >= locked.usage_limit:
        raise VoucherUnavailable(_("Mã %(code)s đã hết lượt sử dụng.") % {"code": locked.code})
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    if locked.usage_limit_per_customer is not None and (
            customer_uses(locked, user=user, email=email) >= locked.usage_limit_per_customer):
        raise VoucherUnavailable(_("Bạn đã dùng hết số lần được dùng mã %(code)s.") % {"code": locked.code})
    locked.used += 1
    Voucher.objects.filter(pk=locked.pk).update(used=locked.used)
    VoucherCustomer.objects.create(voucher=locked, user=user, email=str(email or "").lower(),
                                   checkout_token=checkout_token)
    return locked


def voucher_release(*, checkout_token) -> bool:
    """Give back the use counted for the order of `checkout_token` (its order was cancelled).
    Returns whether there was one. Locks the voucher row like `voucher_use`."""
    use = VoucherCustomer.objects.filter(checkout_token=checkout_token).first()
    if use is None:
        return False
    locked = Voucher.objects.select_for_update().get(pk=use.voucher_id)
    deleted, _rows = VoucherCustomer.objects.filter(pk=use.pk).delete()
    if deleted:
        Voucher.objects.filter(pk=locked.pk, used__gt=0).update(used=locked.used - 1)
    return bool(deleted)
