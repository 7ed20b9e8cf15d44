import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Chờ xác nhận thanh toán")
    UNFULFILLED = "unfulfilled", _("Chờ giao hàng")
    # Saleor's FULFILLED means handed to the carrier, not received: the labels say "sent" (gửi);
    # whether the shopper has the goods is told by `Order.status_display`.
    PARTIALLY_FULFILLED = "partially_fulfilled", _("Đã gửi một phần")
    FULFILLED = "fulfilled", _("Đã gửi hàng")
    CANCELED = "canceled", _("Đã hủy")


class ChargeStatus(models.TextChoices):
    """Saleor's OrderChargeStatusEnum (+ REFUNDED): what was charged, less refunds granted, against
    what the shopper owes now (`order_charge_status_refresh`)."""
    NONE = "none", _("Chưa thanh toán")
    PARTIAL = "partial", _("Đã thanh toán một phần")
    FULL = "full", _("Đã thanh toán")
    OVERCHARGED = "overcharged", _("Đã thu thừa")
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
    def awaits_weighing(self) -> bool:
        """Whether some line sold by weight is still priced at its nominal weight (not shipped yet)."""
        if self.status == OrderStatus.CANCELED:
            return False
        return any(line.sold_by_weight and line.actual_weight_g is None for line in self.lines.all())

    @property
    def status_display(self) -> str:
        """What a person reads: like `get_status_display`, but says "delivered" only once the goods
        have reached the shopper (every open part delivered, or some of them)."""
        if self.status in (OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED):
            states = [f.status for f in self.fulfillments.all() if f.status not in Fulfillment.CLOSED]
            delivered = sum(1 for state in states if state == Fulfillment.Status.DELIVERED)
            if states and delivered == len(states):
                return str(_("Đã giao hàng"))
            if delivered:
                return str(_("Đã giao một phần"))
        return str(self.get_status_display())

    @property
    def is_paid(self) -> bool:
        return self.charge_status in (ChargeStatus.FULL, ChargeStatus.OVERCHARGED)

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
    # Sold by actual weight (snapshot of the variant's terms when placed): the line was placed at
    # `placed_total_price_amount` for `quantity` × `nominal_weight_g`; the cooperative enters
    # `actual_weight_g` (all units together) when it ships, and `total_price_amount` follows it
    # (storefront.order.weights).
    sold_by_weight = models.BooleanField(default=False)
    nominal_weight_g = models.PositiveIntegerField(null=True, blank=True)
    weight_tolerance_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    actual_weight_g = models.PositiveIntegerField(null=True, blank=True)
    placed_total_price_amount = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    @property
    def nominal_total_weight_g(self) -> int:
        return int(self.nominal_weight_g or 0) * self.quantity

    @property
    def weight_difference_amount(self) -> int:
        """What weighing changed on the line's price (negative when it weighed less)."""
        if self.placed_total_price_amount is None:
            return 0
        return int(self.total_price_amount) - int(self.placed_total_price_amount)


class Fulfillment(models.Model):
    """Each cooperative's part of an order, packed and shipped on its own."""

    class Status(models.TextChoices):
        UNFULFILLED = "unfulfilled", _("Chờ chuẩn bị")
        PACKED = "packed", _("Đã đóng gói")
        SHIPPED = "shipped", _("Đã gửi hàng")
        DELIVERED = "delivered", _("Đã giao")
        REFUSED = "refused", _("Khách từ chối nhận")
        CANCELED = "canceled", _("Đã hủy")

    # Parts that no longer count: their goods are back in stock and they owe nothing.
    CLOSED = (Status.CANCELED, Status.REFUSED)

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="fulfillments")
    fulfillment_order = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNFULFILLED)
    tracking_number = models.CharField(max_length=255, blank=True)
    subtotal_amount = models.BigIntegerField(default=0)
    # The order's shipping fee this part carries (the first open part; collected with it on delivery).
    shipping_amount = models.BigIntegerField(default=0)
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
    refused_at = models.DateTimeField(null=True, blank=True)
    canceled_reason = models.TextField(blank=True)
    cash_collected_amount = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["order_id", "fulfillment_order"]
        unique_together = [("order", "cooperative")]

    @property
    def composed_id(self) -> str:
        return f"{self.order_id}-{self.fulfillment_order}"

    @property
    def amount_due(self) -> int:
        """What this part costs the shopper now: its goods and the shipping it carries."""
        return 0 if self.status in self.CLOSED else int(self.subtotal_amount) + int(self.shipping_amount)

    @property
    def has_weighed_lines(self) -> bool:
        return any(line.sold_by_weight for line in self.lines.all())


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
        WEIGHED = "weighed", _("Cân hàng")
        DELIVERED = "delivered", _("Giao hàng")
        FULFILLMENT_CANCELED = "fulfillment_canceled", _("Hủy phần giao")
        FULFILLMENT_REFUSED = "fulfillment_refused", _("Khách từ chối nhận hàng")
        CANCELED = "canceled", _("Hủy đơn")
        EXPIRED = "expired", _("Hết hạn thanh toán")
        RETURN_REQUESTED = "return_requested", _("Yêu cầu trả hàng")
        RETURN_ACCEPTED = "return_accepted", _("Chấp nhận trả hàng")
        RETURN_REFUSED = "return_refused", _("Từ chối trả hàng")
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


class PrivateFileStorage(FileSystemStorage):
    """Files only some people may see (return photos): under PRIVATE_MEDIA_ROOT, which no web server
    serves; a view that checks who asks streams them. The location is read at each use."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    """The "private" storage when the deployment configures one (object storage), else local files."""
    from django.core.files.storage import storages

    if "private" in settings.STORAGES:
        return storages["private"]
    return PrivateFileStorage()


class OrderReturn(models.Model):
    """A shopper's request to return units of a delivered part, and the cooperative's decision.

    Accepted: each line is restocked into the lots it came from or written off as damaged, and a
    RETURN refund (`granted_refund`) is owed to the shopper by the method asked for."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Chờ hợp tác xã xem xét")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        REFUSED = "refused", _("Bị từ chối")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.PROTECT, related_name="returns")
    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="order_returns")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    reason = models.TextField()
    # The photo of the problem (required for fresh goods): re-encoded, stored under a random name in
    # private storage, served only to the shopper, the cooperative and program staff.
    photo = models.FileField(storage=private_storage, upload_to="returns/%Y/%m", blank=True)
    refund_method = models.CharField(max_length=16, choices=OrderGrantedRefund.Method.choices)
    bank_bin = models.CharField(max_length=6, blank=True)
    bank_account_no = models.CharField(max_length=19, blank=True)
    bank_account_name = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    refusal_reason = models.TextField(blank=True)
    amount = models.BigIntegerField(default=0)  # refunded when accepted (integer VND)
    granted_refund = models.OneToOneField(OrderGrantedRefund, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="order_return")

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"R{self.pk}"


class OrderReturnLine(models.Model):
    class Disposition(models.TextChoices):
        RESTOCK = "restock", _("Nhập lại kho")
        WRITE_OFF = "write_off", _("Hủy do hỏng")

    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    disposition = models.CharField(max_length=16, choices=Disposition.choices, blank=True)
    amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_return_line_quantity")]


class OrderReturnLineLot(models.Model):
    """How many restocked units of a returned line went back into which lot."""

    return_line = models.ForeignKey(OrderReturnLine, on_delete=models.CASCADE, related_name="lots")
    lot = models.ForeignKey("warehouse.StockLot", on_delete=models.PROTECT, related_name="returned_units")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
