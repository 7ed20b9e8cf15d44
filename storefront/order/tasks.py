"""Celery tasks of the order flow: thin wrappers that load by id and call a service or send a mail.

The mails are plain text in the order's language (Vietnamese by default, English on request).
"""
from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from storefront.core.money import format_vnd
from storefront.order.models import Fulfillment, Order, OrderEvent


def _lines_text(order: Order) -> str:
    rows = []
    for line in order.lines.all():
        name = f"{line.product_name} ({line.variant_name})" if line.variant_name else line.product_name
        rows.append(f"- {name} × {line.quantity}: {format_vnd(line.total_price_amount)}  [{line.cooperative_name}]")
    return "\n".join(rows)


def order_confirmation_text(order: Order) -> str:
    from storefront.payment.gateways import VIETQR
    from storefront.payment.vietqr import payload_for_order

    parts = [
        _("Cảm ơn bạn đã đặt hàng tại HTX Market."),
        _("Đơn hàng số %(number)s") % {"number": order.number},
        "",
        _lines_text(order),
        "",
        _("Tạm tính: %(amount)s") % {"amount": format_vnd(order.subtotal_amount)},
        _("Phí giao hàng (%(method)s): %(amount)s") % {"method": order.shipping_method_name,
                                                       "amount": format_vnd(order.shipping_price_amount)},
        _("Tổng cộng: %(amount)s") % {"amount": format_vnd(order.total_amount)},
    ]
    if order.estimated_delivery_min_days is not None:
        parts.append(_("Dự kiến giao trong %(min)d–%(max)d ngày.") % {
            "min": order.estimated_delivery_min_days, "max": order.estimated_delivery_max_days})
    parts.append("")
    if order.payment_gateway == VIETQR:
        parts += [
            _("Vui lòng chuyển khoản trước %(due)s:") % {
                "due": order.payment_due_at.astimezone().strftime("%H:%M %d/%m/%Y") if order.payment_due_at else ""},
            _("Ngân hàng (BIN): %(bin)s") % {"bin": settings.VIETQR_BANK_BIN},
            _("Số tài khoản: %(account)s") % {"account": settings.VIETQR_ACCOUNT_NO},
            _("Chủ tài khoản: %(name)s") % {"name": settings.VIETQR_ACCOUNT_NAME},
            _("Số tiền: %(amount)s") % {"amount": format_vnd(order.total_amount)},
            _("Nội dung chuyển khoản: %(note)s") % {"note": order.transfer_note},
            _("Mã VietQR: %(payload)s") % {"payload": payload_for_order(order)},
        ]
    else:
        parts.append(_("Bạn thanh toán tiền mặt khi nhận hàng."))
    return "\n".join(parts)


def _send(order: Order, subject: str, body: str, kind: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.user_email])
    OrderEvent.objects.create(order=order, type=OrderEvent.Type.EMAIL_SENT, parameters={"email_type": kind,
                                                                                        "email": order.user_email})


@shared_task
def send_order_confirmation(order_pk: int) -> None:
    order = Order.objects.filter(pk=order_pk).first()
    if order is None:
        return
    with translation.override(order.language_code or "vi"):
        _send(order, _("HTX Market: xác nhận đơn hàng #%(number)s") % {"number": order.number},
              order_confirmation_text(order), "order_confirmation")


@shared_task
def send_fulfillment_shipped(fulfillment_pk: int) -> None:
    fulfillment = Fulfillment.objects.select_related("order").filter(pk=fulfillment_pk).first()
    if fulfillment is None:
        return
    order = fulfillment.order
    with translation.override(order.language_code or "vi"):
        body = "\n".join([
            _("%(cooperative)s đã gửi hàng cho đơn #%(number)s.") % {
                "cooperative": fulfillment.cooperative.name, "number": order.number},
            _("Mã vận đơn: %(tracking)s") % {"tracking": fulfillment.tracking_number},
            "",
            "\n".join(f"- {line.product_name} × {line.quantity}" for line in fulfillment.lines.all()),
        ])
        _send(order, _("HTX Market: đơn #%(number)s đang được giao") % {"number": order.number}, body,
              "fulfillment_shipped")


@shared_task
def send_order_canceled(order_pk: int) -> None:
    order = Order.objects.filter(pk=order_pk).first()
    if order is None:
        return
    with translation.override(order.language_code or "vi"):
        body = _("Đơn hàng #%(number)s đã bị hủy.") % {"number": order.number}
        if order.canceled_reason:
            body += "\n" + _("Lý do: %(reason)s") % {"reason": order.canceled_reason}
        _send(order, _("HTX Market: đơn #%(number)s đã hủy") % {"number": order.number}, body, "order_canceled")


@shared_task
def expire_unpaid_orders_task() -> int:
    from storefront.order.services import orders_expire_unpaid

    return orders_expire_unpaid()
