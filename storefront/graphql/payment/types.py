"""Payment (one attempt through a gateway) and the VietQR transfer extension of an order."""
from __future__ import annotations

import base64

import graphene

from storefront.payment import models as m
from storefront.payment import vietqr
from storefront.order.selectors import TransferInstructions

from ..core.money import money
from ..core.saleor import SaleorObjectType, named, register

_CHARGE_STATUS = {"pending": "NOT_CHARGED", "charged": "FULLY_CHARGED", "canceled": "CANCELLED",
                  "refunded": "FULLY_REFUNDED"}


class Payment(SaleorObjectType):
    class Meta:
        model = m.Payment
        fields = {"gateway": "gateway", "created": "created_at", "order": "order"}
        unsupported = ("checkout", "customerIpAddress", "transactions", "availableCaptureAmount",
            "availableRefundAmount", "creditCard")

    @staticmethod
    def resolve_is_active(root, info):
        return root.status in (m.Payment.Status.PENDING, m.Payment.Status.CHARGED)

    @staticmethod
    def resolve_modified(root, info):
        return root.captured_at or root.created_at

    @staticmethod
    def resolve_token(root, info):
        return root.psp_reference or ""

    @staticmethod
    def resolve_payment_method_type(root, info):
        return "bank_transfer" if root.gateway.endswith("vietqr") else "cash_on_delivery"

    @staticmethod
    def resolve_charge_status(root, info):
        return _CHARGE_STATUS.get(root.status, "NOT_CHARGED")

    @staticmethod
    def resolve_actions(root, info):
        return []

    @staticmethod
    def resolve_total(root, info):
        return money(root.amount, root.currency)

    @staticmethod
    def resolve_captured_amount(root, info):
        return money(root.captured_amount, root.currency)

    @staticmethod
    def resolve_psp_reference(root, info):
        return root.psp_reference or None


class VietQRTransfer(graphene.ObjectType):
    """Extension: how to pay an order awaiting a VietQR bank transfer."""

    bank_bin = graphene.String(required=True)
    account_number = graphene.String(required=True)
    account_name = graphene.String(required=True)
    amount = graphene.Field(lambda: named("Money"), required=True)
    transfer_note = graphene.String(required=True, description="Text the transfer must carry.")
    payload = graphene.String(required=True, description="EMVCo payload to encode in a QR code.")
    image_url = graphene.String(required=True, description="The QR code as an SVG data URL.")
    due_at = graphene.DateTime()

    @staticmethod
    def resolve_bank_bin(root: TransferInstructions, info):
        return root.bank_bin

    @staticmethod
    def resolve_account_number(root, info):
        return root.account_no

    @staticmethod
    def resolve_amount(root, info):
        return money(root.amount, "VND")

    @staticmethod
    def resolve_transfer_note(root, info):
        return root.note

    @staticmethod
    def resolve_image_url(root, info):
        svg = vietqr.qr_svg(root.payload)
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


register("VietQRTransfer", VietQRTransfer)
