"""Payment gateways. Each says what happens to a new order; a registry lists those a channel offers.

Cash on delivery lets the order go to the cooperatives at once. A VietQR bank transfer holds the
order as unconfirmed until program staff see the money arrive, and expires it if it does not.
An online gateway (VNPay, MoMo…) is one more subclass: it would return a redirect URL from
`start` and confirm through its callback by calling `order_mark_as_paid`-like services.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from storefront.payment.models import Payment

COD = "htx.payments.cod"
VIETQR = "htx.payments.vietqr"


class PaymentGateway:
    id: str = ""
    name = ""
    #: whether a placed order waits for the money before it goes to the cooperatives
    awaits_payment: bool = False

    def is_available(self, channel) -> bool:
        return True

    def start(self, *, order) -> Payment:
        """Called inside the placement transaction: record the payment the order expects."""
        return Payment.objects.create(order=order, gateway=self.id, amount=order.total_amount,
                                      currency=order.currency)

    def payment_due_at(self, *, placed_at):
        return None


class CashOnDelivery(PaymentGateway):
    id = COD
    name = _("Thanh toán khi nhận hàng (COD)")


class VietQRTransfer(PaymentGateway):
    id = VIETQR
    name = _("Chuyển khoản ngân hàng (VietQR)")
    awaits_payment = True

    def is_available(self, channel) -> bool:
        return bool(settings.VIETQR_BANK_BIN and settings.VIETQR_ACCOUNT_NO) and channel.currency_code == "VND"

    def payment_due_at(self, *, placed_at):
        return placed_at + timedelta(hours=settings.UNPAID_TRANSFER_EXPIRY_HOURS)


_REGISTRY: dict[str, PaymentGateway] = {gateway.id: gateway for gateway in (CashOnDelivery(), VietQRTransfer())}


def register(gateway: PaymentGateway) -> None:
    _REGISTRY[gateway.id] = gateway


def available_gateways(channel) -> list[PaymentGateway]:
    return [gateway for gateway in _REGISTRY.values() if gateway.is_available(channel)]


def gateway_for(gateway_id: str, channel) -> PaymentGateway | None:
    gateway = _REGISTRY.get(str(gateway_id or ""))
    return gateway if gateway is not None and gateway.is_available(channel) else None

