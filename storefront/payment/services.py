"""Recording money received. Bank transfers are matched by hand by program staff for now (nothing
calls the shop back for a VietQR transfer); an online gateway's callback would call the same."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.permissions import require_program_staff
from storefront.order import notifications
from storefront.order.models import ChargeStatus, Order, OrderEvent, OrderStatus
from storefront.payment.error_codes import PaymentErrorCode
from storefront.payment.models import Payment


def _error(field: str, message: str, code: PaymentErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def payment_mark_received(*, order: Order, actor, amount: int, reference: str = "") -> Payment:
    """Program staff saw `amount` arrive for `order`: it is paid and goes to the cooperatives."""
    require_program_staff(actor)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _error("amount", _("Số tiền phải là số nguyên dương (đồng)."), PaymentErrorCode.INVALID)
    reference = str(reference or "").strip()
    if len(reference) > 255:
        raise _error("reference", _("Mã tham chiếu quá dài."), PaymentErrorCode.INVALID)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.CANCELED:
            raise _error("order", _("Đơn hàng đã hủy; hãy hoàn tiền cho khách."), PaymentErrorCode.INVALID)
        if locked.charge_status == ChargeStatus.FULL:
            raise _error("order", _("Đơn hàng đã được ghi nhận thanh toán."), PaymentErrorCode.INVALID)
        if amount < locked.total_amount:
            raise _error("amount", _("Số tiền nhận (%(got)d) nhỏ hơn tổng đơn (%(total)d).") % {
                "got": amount, "total": locked.total_amount}, PaymentErrorCode.PARTIAL_PAYMENT_NOT_ALLOWED)
        now = timezone.now()
        payment = (Payment.objects.select_for_update().filter(order=locked, status=Payment.Status.PENDING)
                   .order_by("pk").first())
        if payment is None:
            payment = Payment(order=locked, gateway=locked.payment_gateway, amount=locked.total_amount)
        payment.status = Payment.Status.CHARGED
        payment.captured_amount = amount
        payment.captured_at = now
        payment.captured_by = actor
        payment.psp_reference = reference
        payment.save()
        locked.charge_status = ChargeStatus.FULL
        locked.total_charged_amount = amount
        locked.payment_due_at = None
        update = ["charge_status", "total_charged_amount", "payment_due_at", "updated_at"]
        if locked.status == OrderStatus.UNCONFIRMED:
            locked.status = OrderStatus.UNFULFILLED
            update.append("status")
        locked.save(update_fields=update)
        OrderEvent.objects.create(order=locked, type=OrderEvent.Type.PAYMENT_CAPTURED, user=actor,
                                  parameters={"amount": amount, "reference": reference, "gateway": payment.gateway})
        if "status" in update:
            OrderEvent.objects.create(order=locked, type=OrderEvent.Type.CONFIRMED, user=actor, parameters={})
            notifications.order_confirmed(locked)
    order.refresh_from_db()
    return payment
