"""Order, OrderLine, Fulfillment, OrderEvent.

A customer sees the whole order. A cooperative's staff see only their cooperative's lines,
fulfilments and subtotal (the rest of the order belongs to other sellers).
"""
from __future__ import annotations

from decimal import Decimal

import graphene

from storefront.order import models as m
from storefront.order import selectors as order_selectors

from ..core.context import actor
from ..core.dataloaders import loader
from ..core.money import money, taxed_money
from ..core.saleor import SaleorObjectType, named
from ..core.values import weight
from . import dataloaders as dl

_STATUS = {"unconfirmed": "UNCONFIRMED", "unfulfilled": "UNFULFILLED", "partially_fulfilled": "PARTIALLY_FULFILLED",
           "fulfilled": "FULFILLED", "canceled": "CANCELED"}
_PAYMENT_STATUS = {"none": "NOT_CHARGED", "partial": "PARTIALLY_CHARGED", "full": "FULLY_CHARGED",
                   "overcharged": "FULLY_CHARGED", "refunded": "FULLY_REFUNDED"}
_CHARGE_STATUS = {"none": "NONE", "partial": "PARTIAL", "full": "FULL", "overcharged": "OVERCHARGED", "refunded": "FULL"}
_FULFILLMENT_STATUS = {"unfulfilled": "WAITING_FOR_APPROVAL", "packed": "WAITING_FOR_APPROVAL",
                       "shipped": "FULFILLED", "delivered": "FULFILLED", "refused": "RETURNED",
                       "canceled": "CANCELED"}


def seller_scope(info, order) -> set[int] | None:
    return order_selectors.order_seller_scope(actor=actor(info), order=order)


def _scoped_lines(info, order):
    scope = seller_scope(info, order)
    return loader(info, dl.LinesByOrderIdLoader).load(order.pk).then(
        lambda lines: lines if scope is None else [line for line in lines if line.cooperative_id in scope])


class Order(SaleorObjectType):
    class Meta:
        model = m.Order
        fields = {"created": "created_at", "updatedAt": "updated_at", "userEmail": "user_email",
            "billingAddress": "billing_address", "shippingAddress": "shipping_address", "channel": "channel",
            "number": "number", "customerNote": "customer_note", "languageCode": "language_code"}
        unsupported = ("collectionPointName", "actions", "availableShippingMethods", "availableCollectionPoints",
            "invoices", "original", "transactions", "shippingTaxClass", "shippingTaxClassName",
            "shippingTaxClassMetadata", "shippingTaxClassPrivateMetadata", "giftCards",
            "redirectUrl", "discounts", "errors",
            "externalReference")

    vietqr_transfer = graphene.Field(lambda: named("VietQRTransfer"),
                                     description="Extension: how to pay by bank transfer, while awaiting one.")

    @staticmethod
    def resolve_vietqr_transfer(root, info):
        if seller_scope(info, root) is not None:
            return None
        return order_selectors.transfer_instructions(order=root)

    @staticmethod
    def resolve_status(root, info):
        return _STATUS.get(root.status, "UNFULFILLED")

    @staticmethod
    def resolve_status_display(root, info):
        return root.status_display

    @staticmethod
    def resolve_user(root, info):
        return root.user if seller_scope(info, root) is None else None

    @staticmethod
    def resolve_tracking_client_id(root, info):
        return ""

    @staticmethod
    def resolve_shipping_method_name(root, info):
        return root.shipping_method_name or None

    @staticmethod
    def resolve_shipping_method(root, info):
        return root.shipping_method

    resolve_delivery_method = resolve_shipping_method

    @staticmethod
    def resolve_shipping_methods(root, info):
        return []

    @staticmethod
    def resolve_lines(root, info):
        return _scoped_lines(info, root)

    @staticmethod
    def resolve_fulfillments(root, info):
        scope = seller_scope(info, root)
        return loader(info, dl.FulfillmentsByOrderIdLoader).load(root.pk).then(
            lambda items: items if scope is None else [f for f in items if f.cooperative_id in scope])

    @staticmethod
    def resolve_origin(root, info):
        return "CHECKOUT"

    @staticmethod
    def resolve_is_paid(root, info):
        return root.is_paid

    @staticmethod
    def resolve_payment_status(root, info):
        return _PAYMENT_STATUS.get(root.charge_status, "NOT_CHARGED")

    @staticmethod
    def resolve_payment_status_display(root, info):
        return str(root.get_charge_status_display())

    @staticmethod
    def resolve_authorize_status(root, info):
        return "FULL" if root.is_paid else ("PARTIAL" if root.charge_status == m.ChargeStatus.PARTIAL else "NONE")

    @staticmethod
    def resolve_charge_status(root, info):
        return _CHARGE_STATUS.get(root.charge_status, "NONE")

    @staticmethod
    def resolve_tax_exemption(root, info):
        return False

    @staticmethod
    def resolve_payments(root, info):
        if seller_scope(info, root) is not None:
            return []
        return loader(info, dl.PaymentsByOrderIdLoader).load(root.pk)

    @staticmethod
    def resolve_total(root, info):
        if seller_scope(info, root) is not None:
            return Order.resolve_subtotal(root, info)
        return taxed_money(root.total_amount, root.currency)

    @staticmethod
    def resolve_undiscounted_total(root, info):
        if seller_scope(info, root) is not None:
            return _scoped_lines(info, root).then(lambda lines: taxed_money(
                sum(line.undiscounted_total_price_amount for line in lines), root.currency))
        return taxed_money(root.undiscounted_subtotal_amount + root.undiscounted_shipping_price_amount, root.currency)

    @staticmethod
    def resolve_voucher_code(root, info):
        return root.voucher_code or None

    @staticmethod
    def resolve_voucher(root, info):
        return root.voucher if root.voucher_id else None

    @staticmethod
    def resolve_discount(root, info):
        return money(root.discount_amount, root.currency) if root.discount_amount else None

    @staticmethod
    def resolve_discount_name(root, info):
        return root.discount_name or None

    resolve_translated_discount_name = resolve_discount_name

    @staticmethod
    def resolve_subtotal(root, info):
        scope = seller_scope(info, root)
        if scope is None:
            return taxed_money(root.subtotal_amount, root.currency)
        return _scoped_lines(info, root).then(
            lambda lines: taxed_money(sum(line.total_price_amount for line in lines), root.currency))

    @staticmethod
    def resolve_shipping_price(root, info):
        return taxed_money(root.shipping_price_amount, root.currency)

    @staticmethod
    def resolve_undiscounted_shipping_price(root, info):
        return money(root.undiscounted_shipping_price_amount, root.currency)

    @staticmethod
    def resolve_shipping_tax_rate(root, info):
        return 0.0

    @staticmethod
    def resolve_token(root, info):
        return str(root.token)

    @staticmethod
    def resolve_weight(root, info):
        return _scoped_lines(info, root).then(
            lambda lines: weight(sum(line.weight_g * line.quantity for line in lines)))

    @staticmethod
    def resolve_can_finalize(root, info):
        return False

    @staticmethod
    def resolve_total_charged(root, info):
        return money(root.total_charged_amount, root.currency)

    resolve_total_captured = resolve_total_charged

    @staticmethod
    def resolve_total_authorized(root, info):
        return money(0, root.currency)

    @staticmethod
    def resolve_total_canceled(root, info):
        return money(0, root.currency)

    @staticmethod
    def resolve_total_balance(root, info):
        return money(root.total_charged_amount - root.total_amount, root.currency)

    @staticmethod
    def resolve_events(root, info):
        scope = seller_scope(info, root)
        events = loader(info, dl.EventsByOrderIdLoader).load(root.pk)
        if scope is None:
            return events
        # A cooperative's staff: the events of their own parts only.
        return events.then(lambda items: [e for e in items if (e.parameters or {}).get("cooperative") in scope])

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return True

    @staticmethod
    def resolve_language_code_enum(root, info):
        return (root.language_code or "vi").upper()

    @staticmethod
    def resolve_display_gross_prices(root, info):
        return True

    @staticmethod
    def resolve_checkout_id(root, info):
        from ..core.ids import global_id

        return global_id("Checkout", root.checkout_token) if root.checkout_token else None

    @staticmethod
    def _zero(root, info):
        return money(0, root.currency)

    @staticmethod
    def resolve_granted_refunds(root, info):
        """Every refund granted on the order; a cooperative's staff see those of their own part."""
        scope = seller_scope(info, root)
        return loader(info, dl.GrantedRefundsByOrderIdLoader).load(root.pk).then(
            lambda refunds: refunds if scope is None else [r for r in refunds if r.cooperative_id in scope])

    @staticmethod
    def resolve_total_granted_refund(root, info):
        return Order.resolve_granted_refunds(root, info).then(
            lambda refunds: money(sum(r.amount for r in refunds), root.currency))

    @staticmethod
    def resolve_total_refunded(root, info):
        return Order.resolve_granted_refunds(root, info).then(lambda refunds: money(
            sum(r.amount for r in refunds if r.status == m.OrderGrantedRefund.Status.SUCCESS), root.currency))

    resolve_total_refund_pending = _zero
    resolve_total_authorize_pending = _zero
    resolve_total_charge_pending = _zero
    resolve_total_cancel_pending = _zero
    resolve_total_remaining_grant = _zero


class OrderLine(SaleorObjectType):
    class Meta:
        model = m.OrderLine
        fields = {"productSku": "product_sku", "quantity": "quantity", "quantityFulfilled": "quantity_fulfilled"}
        unsupported = ("unitDiscountReason", "unitDiscountType", "priceOverrideReason", "saleId", "taxClass",
            "taxClassName", "taxClassMetadata", "taxClassPrivateMetadata", "voucherCode")

    sold_by_weight = graphene.Boolean(required=True, description="Extension: sold by actual weight.")
    nominal_weight = graphene.Field(lambda: named("Weight"), description="Extension: the weight the line was "
                                    "placed for (all its units), when sold by weight.")
    actual_weight = graphene.Field(lambda: named("Weight"), description="Extension: what the line's goods weighed "
                                   "when shipped (all its units), when sold by weight; its price follows it.")

    @staticmethod
    def resolve_sold_by_weight(root, info):
        return bool(root.sold_by_weight)

    @staticmethod
    def resolve_nominal_weight(root, info):
        return weight(root.nominal_total_weight_g) if root.sold_by_weight else None

    @staticmethod
    def resolve_actual_weight(root, info):
        return weight(root.actual_weight_g)

    @staticmethod
    def resolve_product_name(root, info):
        return root.product_name

    resolve_translated_product_name = resolve_product_name

    @staticmethod
    def resolve_variant_name(root, info):
        return root.variant_name

    resolve_translated_variant_name = resolve_variant_name

    @staticmethod
    def resolve_product_variant_id(root, info):
        from ..core.ids import global_id

        return global_id("ProductVariant", root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return True

    @staticmethod
    def resolve_quantity_to_fulfill(root, info):
        return root.quantity - root.quantity_fulfilled

    @staticmethod
    def resolve_tax_rate(root, info):
        return 0.0

    @staticmethod
    def resolve_unit_price(root, info):
        return taxed_money(root.unit_price_amount)

    resolve_undiscounted_unit_price = resolve_unit_price

    @staticmethod
    def resolve_total_price(root, info):
        return taxed_money(root.total_price_amount)

    @staticmethod
    def resolve_undiscounted_total_price(root, info):
        return taxed_money(root.undiscounted_total_price_amount)

    @staticmethod
    def resolve_unit_discount(root, info):
        return money(0)

    @staticmethod
    def resolve_unit_discount_value(root, info):
        return Decimal(0)

    @staticmethod
    def resolve_is_price_overridden(root, info):
        return False

    @staticmethod
    def resolve_is_gift(root, info):
        return False

    @staticmethod
    def resolve_variant(root, info):
        from ..product.dataloaders import ProductVariantByIdLoader

        return loader(info, ProductVariantByIdLoader).load(root.variant_id) if root.variant_id else None

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        if not root.variant_id:
            return None
        from ..product import dataloaders as pdl
        from ..product.types import THUMBNAIL_DEFAULT_SIZE, media_url, then
        from ..core.values import image

        def first(media):
            return then(media_url(info, media[0], size or THUMBNAIL_DEFAULT_SIZE, format),
                        lambda url: image(url, media[0].alt or root.product_name)) if media else None

        return loader(info, pdl.ProductVariantByIdLoader).load(root.variant_id).then(
            lambda variant: loader(info, pdl.MediaByProductIdLoader).load(variant.product_id).then(first)
            if variant else None)

    @staticmethod
    def resolve_allocations(root, info):
        return None

    @staticmethod
    def resolve_discounts(root, info):
        return []


class Fulfillment(SaleorObjectType):
    class Meta:
        model = m.Fulfillment
        fields = {"fulfillmentOrder": "fulfillment_order", "trackingNumber": "tracking_number",
            "created": "created_at"}
        unsupported = ("shippingRefundedAmount", "totalRefundedAmount", "reason", "reasonReference")

    @staticmethod
    def resolve_status(root, info):
        return _FULFILLMENT_STATUS.get(root.status, "WAITING_FOR_APPROVAL")

    @staticmethod
    def resolve_status_display(root, info):
        return str(root.get_status_display())

    @staticmethod
    def resolve_lines(root, info):
        return loader(info, dl.LinesByFulfillmentIdLoader).load(root.pk).then(lambda lines: [
            {"__typename": "FulfillmentLine", "id": line.pk, "quantity": line.quantity, "orderLine": line}
            for line in lines])

    @staticmethod
    def resolve_warehouse(root, info):
        return root.cooperative.warehouses.order_by("pk").first()


_EVENT_TYPES = {"placed": "PLACED", "confirmed": "CONFIRMED", "payment_captured": "PAYMENT_CAPTURED",
                "return_accepted": "FULFILLMENT_RETURNED", "refunded": "PAYMENT_REFUNDED",
                "shipped": "FULFILLMENT_FULFILLED_ITEMS", "delivered": "FULFILLMENT_FULFILLED_ITEMS",
                "fulfillment_canceled": "FULFILLMENT_CANCELED", "fulfillment_refused": "FULFILLMENT_RETURNED",
                "refund_granted": "TRANSACTION_REFUND_REQUESTED", "refunded": "PAYMENT_REFUNDED",
                "canceled": "CANCELED", "expired": "EXPIRED",
                "email_sent": "EMAIL_SENT", "note_added": "NOTE_ADDED", "packed": "OTHER"}


class OrderEvent(SaleorObjectType):
    class Meta:
        model = m.OrderEvent
        fields = {"date": "date"}
        unsupported = ("user", "app", "email", "emailType", "amount", "paymentId", "paymentGateway", "quantity",
            "composedId", "invoiceNumber", "oversoldItems", "lines", "fulfilledItems", "warehouse",
            "transactionReference", "shippingCostsIncluded", "relatedOrder", "related", "discount", "reference")

    @staticmethod
    def resolve_type(root, info):
        return _EVENT_TYPES.get(root.type, "OTHER")

    @staticmethod
    def resolve_message(root, info):
        return str(root.get_type_display())

    @staticmethod
    def resolve_order_number(root, info):
        return str(root.order_id)




class OrderGrantedRefund(SaleorObjectType):
    """A refund owed (status NONE) or paid (SUCCESS) to the shopper; amounts in whole dong."""

    class Meta:
        model = m.OrderGrantedRefund
        fields = {"createdAt": "created_at", "updatedAt": "updated_at", "reason": "reason",
                  "shippingCostsIncluded": "shipping_costs_included"}
        unsupported = ("reasonReference", "app", "transactionEvents", "transaction")

    @staticmethod
    def resolve_id(root, info):
        from ..core.ids import global_id

        return global_id("OrderGrantedRefund", root.pk)

    @staticmethod
    def resolve_amount(root, info):
        return money(root.amount, root.currency)

    @staticmethod
    def resolve_status(root, info):
        return "SUCCESS" if root.status == m.OrderGrantedRefund.Status.SUCCESS else "NONE"

    @staticmethod
    def resolve_user(root, info):
        from storefront.core.permissions import is_program_staff

        return root.user if is_program_staff(actor(info)) else None

    @staticmethod
    def resolve_lines(root, info):
        return list(root.lines.all())


class OrderGrantedRefundLine(SaleorObjectType):
    class Meta:
        model = m.OrderGrantedRefundLine
        fields = {"quantity": "quantity", "orderLine": "order_line"}
        unsupported = ("reasonReference",)

    @staticmethod
    def resolve_id(root, info):
        from ..core.ids import global_id

        return global_id("OrderGrantedRefundLine", root.pk)

    @staticmethod
    def resolve_reason(root, info):
        return root.reason or None
