from __future__ import annotations

from storefront.checkout import services as checkout_services
from storefront.payment.gateways import VIETQR

from ...checkout.inputs import checkout_from_args
from ...core.ids import decode_id
from ...core.mutations import saleor_mutation


@saleor_mutation("transactionInitialize")
def transaction_initialize(root, info, id, payment_gateway, amount=None, action=None, customer_ip_address=None,
                           idempotency_key=None):
    decode_id(id, expected="Checkout", field="id")
    checkout = checkout_from_args(info, id=id)
    gateway_id = payment_gateway.get("id")
    checkout_services.checkout_payment_gateway_set(checkout=checkout, gateway_id=gateway_id)
    # Offline gateways: nothing to authorise now. A transfer's QR code is issued with the order.
    data = {"gateway": gateway_id, "paymentFlow": "BANK_TRANSFER" if gateway_id == VIETQR else "CASH_ON_DELIVERY"}
    return {"transaction": None, "transactionEvent": None, "data": data}
