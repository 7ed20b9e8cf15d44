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
from storefront.order.models import Fulfillment, Order, OrderEvent, OrderGrantedRefund
from storefront.payment.gateways import COD, VIETQR
from storefront.payment.vietqr import payload_for_order


def _mail_context(order: Order, **extra) -> dict:
    """What the mail templates (storefront/templates/emails/) read; links are absolute."""
    from django.urls import reverse

    return {"order": order, "lines": list(order.lines.all()),
            "status_url": settings.SITE_URL + reverse("web:order", args=[order.token]), **extra}


def order_confirmation_text(order: Order) -> str:
    from django.template.loader import render_to_string

    context = _mail_context(order)
    if order.payment_gateway == VIETQR:
        context.update(
            vietqr=True, payload=payload_for_order(order), bank_bin=settings.VIETQR_BANK_BIN,
            bank_account=settings.VIETQR_ACCOUNT_NO, bank_account_name=settings.VIETQR_ACCOUNT_NAME,
            due=order.payment_due_at.astimezone().strftime("%H:%M %d/%m/%Y") if order.payment_due_at else "",
        )
    return render_to_string("emails/order_confirmation.txt", context)


def cooperative_new_order_text(fulfillment: Fulfillment) -> str:
    from django.template.loader import render_to_string
    from django.urls import reverse

    return render_to_string("emails/cooperative_new_order.txt", {
        "order": fulfillment.order, "fulfillment": fulfillment, "lines": list(fulfillment.lines.all()),
        "dashboard_url": settings.SITE_URL + reverse("dashboard:orders", args=[fulfillment.cooperative_id]),
    })


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
        from django.template.loader import render_to_string

        lines = list(fulfillment.lines.all())
        refunds = list(OrderGrantedRefund.objects.filter(order=order, cooperative_id=fulfillment.cooperative_id,
                                                         kind=OrderGrantedRefund.Kind.WEIGHT))
        body = render_to_string("emails/fulfillment_shipped.txt", _mail_context(
            order, fulfillment=fulfillment, lines=lines, refunds=refunds,
            weighed=any(line.actual_weight_g is not None for line in lines), cod=order.payment_gateway == COD))
        _send(order, _("HTX Market: đơn #%(number)s đang được giao") % {"number": order.number}, body,
              "fulfillment_shipped")


@shared_task
def send_cooperative_new_order(fulfillment_pk: int) -> None:
    """The new-order notice to a cooperative, with its part only, in Vietnamese (its staff's language)."""
    fulfillment = Fulfillment.objects.select_related("order__shipping_address", "cooperative").filter(
        pk=fulfillment_pk).first()
    if fulfillment is None or not fulfillment.cooperative.email:
        return
    order = fulfillment.order
    with translation.override("vi"):
        send_mail(_("HTX Market: đơn hàng mới #%(number)s") % {"number": order.number},
                  cooperative_new_order_text(fulfillment), settings.DEFAULT_FROM_EMAIL, [fulfillment.cooperative.email])
    OrderEvent.objects.create(order=order, type=OrderEvent.Type.EMAIL_SENT, parameters={
        "email_type": "cooperative_new_order", "email": fulfillment.cooperative.email})


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


def _event_subjects() -> dict[str, str]:
    return {
        OrderEvent.Type.PAYMENT_CAPTURED: _("HTX Market: đã nhận tiền cho đơn #%(number)s"),
        OrderEvent.Type.DELIVERED: _("HTX Market: đơn #%(number)s đã giao"),
        OrderEvent.Type.FULFILLMENT_CANCELED: _("HTX Market: một phần đơn #%(number)s đã hủy"),
        OrderEvent.Type.FULFILLMENT_REFUSED: _("HTX Market: một phần đơn #%(number)s không được nhận"),
        OrderEvent.Type.REFUND_GRANTED: _("HTX Market: khoản hoàn tiền cho đơn #%(number)s"),
        OrderEvent.Type.REFUNDED: _("HTX Market: đã hoàn tiền cho đơn #%(number)s"),
    }


def order_event_text(event: OrderEvent) -> str:
    """The mail telling the shopper of `event`, in the active language."""
    from django.template.loader import render_to_string

    order = event.order
    params = event.parameters or {}
    fulfillment = None
    if params.get("fulfillment"):
        fulfillment = next((f for f in order.fulfillments.select_related("cooperative")
                            if f.composed_id == params["fulfillment"]), None)
    return render_to_string("emails/order_event.txt", _mail_context(
        order, event=event, type=event.type, fulfillment=fulfillment,
        amount=format_vnd(params.get("amount") or params.get("cash_collected") or 0),
        collected=bool(params.get("cash_collected")), reason=params.get("reason") or "",
        reference=params.get("reference") or "", total=format_vnd(order.total_amount),
        lines=list(fulfillment.lines.all()) if fulfillment else []))


@shared_task
def send_order_event(event_pk: int) -> None:
    event = OrderEvent.objects.select_related("order").filter(pk=event_pk).first()
    if event is None:
        return
    order = event.order
    with translation.override(order.language_code or "vi"):
        subject = _event_subjects().get(event.type)
        if subject is None:
            return
        _send(order, subject % {"number": order.number}, order_event_text(event), f"order_{event.type}")


@shared_task
def expire_unpaid_orders_task() -> int:
    from storefront.order.services import orders_expire_unpaid

    return orders_expire_unpaid()


def return_notice_text(order_return, kind: str) -> tuple[str, str]:
    """(subject, body) of a mail to the shopper about a return, in the active language."""
    from django.urls import reverse

    order = order_return.order
    number = {"number": order.number, "n": order_return.pk}
    lines = "\n".join(f"- {row.order_line.product_name} × {row.quantity}" for row in order_return.lines.all())
    refund = order_return.granted_refund
    if kind == "requested":
        subject = _("HTX Market: đã nhận yêu cầu trả hàng R%(n)s (đơn #%(number)s)") % number
        body = _("%(cooperative)s sẽ xem xét yêu cầu trả hàng của bạn:") % {
            "cooperative": order_return.cooperative.name}
    elif kind == "accepted":
        subject = _("HTX Market: yêu cầu trả hàng R%(n)s được chấp nhận") % number
        body = _("%(cooperative)s đã chấp nhận trả hàng:") % {"cooperative": order_return.cooperative.name}
        if refund is not None:
            method = (_("chuyển khoản vào tài khoản %(account)s") % {"account": order_return.bank_account_no}
                      if order_return.refund_method == "bank_transfer" else _("tiền mặt"))
            body += "\n" + lines + "\n" + _("Số tiền hoàn: %(amount)s, bằng %(method)s.") % {
                "amount": format_vnd(refund.amount), "method": method}
            lines = ""
    elif kind == "refused":
        subject = _("HTX Market: yêu cầu trả hàng R%(n)s bị từ chối") % number
        body = _("%(cooperative)s không nhận trả hàng. Lý do: %(reason)s") % {
            "cooperative": order_return.cooperative.name, "reason": order_return.refusal_reason}
    else:
        subject = _("HTX Market: đã hoàn tiền trả hàng R%(n)s") % number
        body = _("Đã hoàn %(amount)s cho đơn #%(number)s. Mã chứng từ: %(reference)s") % {
            "amount": format_vnd(refund.amount if refund else 0), "number": order.number,
            "reference": refund.reference if refund else ""}
        lines = ""
    if lines:
        body += "\n" + lines
    body += "\n\n" + _("Xem đơn hàng: %(url)s") % {"url": settings.SITE_URL + reverse("web:order", args=[order.token])}
    return subject, body


@shared_task
def send_return_notice(return_pk: int, kind: str) -> None:
    """A mail to the shopper about a return (requested, accepted, refused, refund_paid), in the order's language."""
    from storefront.order.models import OrderReturn

    order_return = (OrderReturn.objects.select_related("order", "cooperative", "granted_refund")
                    .filter(pk=return_pk).first())
    if order_return is None:
        return
    with translation.override(order_return.order.language_code or "vi"):
        subject, body = return_notice_text(order_return, kind)
        _send(order_return.order, subject, body, f"return_{kind}")


@shared_task
def send_cooperative_return_request(return_pk: int) -> None:
    """The cooperative's notice of a new return request, in Vietnamese, with a link to decide."""
    from django.urls import reverse

    from storefront.order.models import OrderReturn

    order_return = OrderReturn.objects.select_related("order", "cooperative").filter(pk=return_pk).first()
    if order_return is None or not order_return.cooperative.email:
        return
    order = order_return.order
    with translation.override("vi"):
        lines = "\n".join(f"- {row.order_line.product_name} × {row.quantity}" for row in order_return.lines.all())
        body = "\n".join([
            _("Khách hàng yêu cầu trả hàng của đơn #%(number)s:") % {"number": order.number}, lines,
            _("Lý do: %(reason)s") % {"reason": order_return.reason},
            _("Xem và quyết định: %(url)s") % {"url": settings.SITE_URL + reverse(
                "dashboard:returns", args=[order_return.cooperative_id])},
        ])
        send_mail(_("HTX Market: yêu cầu trả hàng R%(n)s (đơn #%(number)s)") % {"n": order_return.pk,
                                                                               "number": order.number},
                  body, settings.DEFAULT_FROM_EMAIL, [order_return.cooperative.email])
    OrderEvent.objects.create(order=order, type=OrderEvent.Type.EMAIL_SENT, parameters={
        "email_type": "cooperative_return_request", "email": order_return.cooperative.email})
