"""Reads for paying an order: which gateways, and the VietQR to show for a transfer order."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from storefront.order.models import ChargeStatus, Order, OrderStatus
from storefront.payment.gateways import VIETQR
from storefront.payment.vietqr import payload_for_order


@dataclass(frozen=True)
class TransferInstructions:
    bank_bin: str
    account_no: str
    account_name: str
    amount: int
    note: str
    payload: str
    due_at: object


def transfer_instructions(*, order: Order) -> TransferInstructions | None:
    """What the buyer needs to pay `order` by bank transfer, or None if nothing is owed that way."""
    if order.payment_gateway != VIETQR or order.charge_status != ChargeStatus.NONE \
            or order.status == OrderStatus.CANCELED:
        return None
    return TransferInstructions(
        bank_bin=settings.VIETQR_BANK_BIN, account_no=settings.VIETQR_ACCOUNT_NO,
        account_name=settings.VIETQR_ACCOUNT_NAME, amount=int(order.total_amount), note=order.transfer_note,
        payload=payload_for_order(order), due_at=order.payment_due_at,
    )
