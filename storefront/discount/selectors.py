"""Reads: a voucher by its code, the running promotions, why a voucher does not apply, and the
vouchers and promotions a member of staff may see."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from storefront.core.money import format_vnd
from storefront.core.permissions import cooperative_ids_of, is_program_staff
from storefront.discount.models import Promotion, Voucher, VoucherCustomer
from storefront.discount.pricing import eligible_lines, plan_discounts

# Saleor's CheckoutErrorCode value the checkout reports these problems with (the discount app does not
# import the checkout, which sits above it).
VOUCHER_NOT_APPLICABLE = "voucher_not_applicable"


def normalize_code(code) -> str:
    return " ".join(str(code or "").split())


def voucher_by_code(code) -> Voucher | None:
    code = normalize_code(code)
    if not code:
        return None
    return Voucher.objects.filter(code__iexact=code).select_related("cooperative").first()


def voucher_by_id(pk) -> Voucher | None:
    return Voucher.objects.filter(pk=pk).first()


def active_promotions(*, now=None) -> list[Promotion]:
    now = now or timezone.now()
    return list(Promotion.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=now), start_date__lte=now)
                .order_by("pk"))


def customer_uses(voucher: Voucher, *, user=None, email: str = "") -> int:
    """How many times this customer used the voucher: by account when signed in, else by e-mail."""
    if user is not None and getattr(user, "is_authenticated", False):
        return VoucherCustomer.objects.filter(voucher=voucher).filter(
            Q(user=user) | Q(email__iexact=user.email or "\x00")).count()
    if email:
        return VoucherCustomer.objects.filter(voucher=voucher, email__iexact=email).count()
    return 0


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y H:i")


def voucher_problem(voucher: Voucher, *, lines, promotions=(), now=None, user=None, email: str = ""):
    """(code, message) saying why `voucher` cannot be used on `lines` now, or None.

    Dates are compared as instants and shown in Asia/Ho_Chi_Minh (the project's time zone)."""
    now = now or timezone.now()
    if voucher.start_date > now:
        return VOUCHER_NOT_APPLICABLE, _("Mã %(code)s chưa đến ngày áp dụng (từ %(date)s).") % {
            "code": voucher.code, "date": _local(voucher.start_date)}
    if voucher.end_date is not None and voucher.end_date <= now:
        return VOUCHER_NOT_APPLICABLE, _("Mã %(code)s đã hết hạn (%(date)s).") % {
            "code": voucher.code, "date": _local(voucher.end_date)}
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        return VOUCHER_NOT_APPLICABLE, _("Mã %(code)s đã hết lượt sử dụng.") % {"code": voucher.code}
    if voucher.usage_limit_per_customer is not None and (
            customer_uses(voucher, user=user, email=email) >= voucher.usage_limit_per_customer):
        return VOUCHER_NOT_APPLICABLE, _("Bạn đã dùng hết số lần được dùng mã %(code)s.") % {"code": voucher.code}
    lines = list(lines)
    before = plan_discounts(lines=lines, shipping_price=0, promotions=promotions)
    costs = {line.key: before.line_total(line) for line in lines}
    # A delivery voucher limited to a cooperative's products needs some of them in the cart too (its
    # cooperative pays it out of that part of the order).
    if (voucher.type != Voucher.Type.SHIPPING or voucher.is_scoped) and not eligible_lines(voucher, lines, costs):
        if voucher.cooperative_id:
            return VOUCHER_NOT_APPLICABLE, _("Mã %(code)s chỉ áp dụng cho sản phẩm của %(coop)s.") % {
                "code": voucher.code, "coop": voucher.cooperative.name}
        return VOUCHER_NOT_APPLICABLE, _("Mã %(code)s không áp dụng cho sản phẩm nào trong giỏ.") % {
            "code": voucher.code}
    if before.subtotal < voucher.min_spent_amount:
        return VOUCHER_NOT_APPLICABLE, _("Mã %(code)s áp dụng cho đơn từ %(min)s (giỏ hàng: %(subtotal)s).") % {
            "code": voucher.code, "min": format_vnd(voucher.min_spent_amount),
            "subtotal": format_vnd(before.subtotal)}
    return None


def _visible(queryset, actor):
    if is_program_staff(actor):
        return queryset
    return queryset.filter(cooperative_id__in=cooperative_ids_of(actor))


def vouchers_for_staff(*, actor):
    """Every voucher for program staff; a cooperative's staff see their cooperative's."""
    return _visible(Voucher.objects.select_related("cooperative", "category", "product"), actor)


def promotions_for_staff(*, actor):
    return _visible(Promotion.objects.select_related("cooperative", "category", "product"), actor)
