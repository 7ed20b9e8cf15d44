import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Chờ xác nhận thanh toán")
    UNFULFILLED = "unfulfilled", _("Chờ giao hàng")
    PARTIALLY_FULFILLED = "partially_fulfilled", _("Đã giao một phần")
    FULFILLED = "fulfilled", _("Đã giao hàng")
    CANCELED = "canceled", _("Đã hủy")


class ChargeStatus(models.TextChoices):
    NONE = "none", _("Chưa thanh toán")
    FULL = "full", _("Đã thanh toán")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class Order(models.Model):
    """`number` is the primary key shown to people; `token` is the unguessable key for links."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=32, choices=OrderStatus.choices, default=OrderStatus.UNFULFILLED)
    charge_status = models.CharField(max_length=16, choices=ChargeStatus.choices, default=ChargeStatus.NONE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    user_email = models.EmailField()
    channel = models.ForeignKey("channel.Channel", on_delete=models.PROTECT, related_name="orders")
    language_code = models.CharField(max_length=8, default="vi")
    checkout_token = models.UUIDField(null=True, blank=True, unique=True)
    billing_address = models.ForeignKey("account.Address", null=True, on_delete=models.SET_NULL, related_name="+")
    shipping_address = models.ForeignKey("account.Address", null=True, on_delete=models.SET_NULL, related_name="+")
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_method_name = models.CharField(max_length=255, blank=True)
    shipping_price_amount = models.BigIntegerField(default=0)
    subtotal_amount = models.BigIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    # Vouchers and promotions: the figures before them, what they took off (goods and delivery) and the
    # voucher used (its code kept if the voucher is deleted). Who pays each is in OrderDiscount.
    undiscounted_subtotal_amount = models.BigIntegerField(default=0)
    undiscounted_shipping_price_amount = models.BigIntegerField(default=0)
    discount_amount = models.BigIntegerField(default=0)
    discount_name = models.CharField(max_length=255, blank=True)
    voucher = models.ForeignKey("discount.Voucher", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="orders")
    voucher_code = models.CharField(max_length=40, blank=True)
    total_charged_amount = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="VND")
    payment_gateway = models.CharField(max_length=64)
    payment_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    customer_note = models.TextField(blank=True)
    estimated_delivery_min_days = models.PositiveSmallIntegerField(null=True, blank=True)
    estimated_delivery_max_days = models.PositiveSmallIntegerField(null=True, blank=True)
    canceled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def number(self) -> str:
        return str(self.pk)

    @property
    def transfer_note(self) -> str:
        """ASCII code a bank transfer must carry so it can be matched (≤ 25 characters)."""
        return f"HTX{self.pk}"


class OrderLine(models.Model):
    """Snapshots what was sold at what price, from whom: later edits to the product don't change it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "product.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    cooperative = models.ForeignKey(
        "cooperative.Cooperative", null=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    fulfillment = models.ForeignKey("order.Fulfillment", null=True, on_delete=models.SET_NULL, related_name="lines")
    product_name = models.CharField(max_length=386)
    variant_name = models.CharField(max_length=255, blank=True)
    product_sku = models.CharField(max_length=255)
    cooperative_name = models.CharField(max_length=255)
    is_combo = models.BooleanField(default=False)
    quantity = models.PositiveIntegerField()
    quantity_fulfilled = models.PositiveIntegerField(default=0)
    unit_price_amount = models.BigIntegerField()
    # What the shopper pays for the line. `undiscounted_total_price_amount` is what it cost before
    # vouchers and promotions (near-expiry markdown included: that is the line's price); the
    # difference is `discount_amount`, of which the program pays `program_discount_amount` and the
    # line's cooperative the rest.
    total_price_amount = models.BigIntegerField()
    undiscounted_total_price_amount = models.BigIntegerField(default=0)
    discount_amount = models.BigIntegerField(default=0)
    program_discount_amount = models.BigIntegerField(default=0)
    weight_g = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]


class Fulfillment(models.Model):
    """Each cooperative's part of an order, packed and shipped on its own."""

    class Status(models.TextChoices):
        UNFULFILLED = "unfulfilled", _("Chờ chuẩn bị")
        PACKED = "packed", _("Đã đóng gói")
        SHIPPED = "shipped", _("Đã gửi hàng")
        DELIVERED = "delivered", _("Đã giao")
        CANCELED = "canceled", _("Đã hủy")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="fulfillments")
    fulfillment_order = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNFULFILLED)
    tracking_number = models.CharField(max_length=255, blank=True)
    subtotal_amount = models.BigIntegerField(default=0)
    # Discounts on this part: on its goods, the part the program pays (settlement books the sale as if
    # the program had not discounted it), and the part of a delivery discount its cooperative pays
    # (taken off its sale).
    discount_amount = models.BigIntegerField(default=0)
    program_discount_amount = models.BigIntegerField(default=0)
    cooperative_shipping_discount_amount = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    packed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    canceled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["order_id", "fulfillment_order"]
        unique_together = [("order", "cooperative")]

    @property
    def composed_id(self) -> str:
        return f"{self.order_id}-{self.fulfillment_order}"


class OrderDiscount(models.Model):
    """A voucher or promotion as applied to an order (Saleor's OrderDiscount): what it took off the
    goods and off delivery, and who pays it."""

    class Type(models.TextChoices):
        VOUCHER = "voucher", _("Mã giảm giá")
        PROMOTION = "promotion", _("Khuyến mãi")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="discounts")
    type = models.CharField(max_length=16, choices=Type.choices)
    voucher = models.ForeignKey("discount.Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    promotion = models.ForeignKey("discount.Promotion", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    name = models.CharField(max_length=255, blank=True)
    voucher_code = models.CharField(max_length=40, blank=True)
    value_type = models.CharField(max_length=16)
    value = models.BigIntegerField()
    amount = models.BigIntegerField()
    shipping_amount = models.BigIntegerField(default=0)
    funded_by = models.CharField(max_length=16)
    cooperative = models.ForeignKey("cooperative.Cooperative", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["pk"]


class OrderEvent(models.Model):
    class Type(models.TextChoices):
        PLACED = "placed", _("Đặt hàng")
        CONFIRMED = "confirmed", _("Xác nhận")
        PAYMENT_CAPTURED = "payment_captured", _("Đã nhận tiền")
        PACKED = "packed", _("Đóng gói")
        SHIPPED = "shipped", _("Gửi hàng")
        DELIVERED = "delivered", _("Giao hàng")
        FULFILLMENT_CANCELED = "fulfillment_canceled", _("Hủy phần giao")
        CANCELED = "canceled", _("Hủy đơn")
        EXPIRED = "expired", _("Hết hạn thanh toán")
        REFUND_GRANTED = "refund_granted", _("Ghi nhận khoản hoàn tiền")
        REFUNDED = "refunded", _("Đã hoàn tiền")
        EMAIL_SENT = "email_sent", _("Đã gửi e-mail")
        NOTE_ADDED = "note_added", _("Ghi chú")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    date = models.DateTimeField(default=timezone.now, db_index=True)
    type = models.CharField(max_length=32, choices=Type.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["date", "pk"]


class OrderGrantedRefund(models.Model):
    """Money owed back to the shopper (Saleor's granted refund): due when granted, paid when the
    cooperative or the program has sent it and recorded the transfer's reference.

    `cooperative` is whose part of the order the refund is for (and whose settlement bears it);
    empty for a refund of the order as a whole (shipping, say). Amounts are integer VND.
    """

    class Status(models.TextChoices):
        NONE = "none", _("Chờ hoàn tiền")
        SUCCESS = "success", _("Đã hoàn tiền")

    class Kind(models.TextChoices):
        CANCELLATION = "cancellation", _("Hủy hàng")
        RETURN = "return", _("Trả hàng")
        WEIGHT = "weight", _("Chênh lệch khối lượng")
        MANUAL = "manual", _("Hoàn tiền khác")

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Chuyển khoản")
        CASH = "cash", _("Tiền mặt")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="granted_refunds")
    cooperative = models.ForeignKey(
        "cooperative.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="granted_refunds"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MANUAL)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="VND")
    reason = models.TextField(blank=True)
    shipping_costs_included = models.BooleanField(default=False)
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.BANK_TRANSFER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NONE)
    reference = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="granted_refund_amount_positive")]


class OrderGrantedRefundLine(models.Model):
    """Which order line (and how many of its units) a granted refund is for."""

    granted_refund = models.ForeignKey(OrderGrantedRefund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="granted_refund_lines")
    quantity = models.PositiveIntegerField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
