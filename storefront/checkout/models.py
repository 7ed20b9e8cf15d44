import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Checkout(models.Model):
    """Saleor's checkout: a cart plus what is needed to turn it into an order."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_change = models.DateTimeField(auto_now=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="checkouts"
    )
    email = models.EmailField(blank=True)
    channel = models.ForeignKey("channel.Channel", on_delete=models.PROTECT, related_name="checkouts")
    billing_address = models.ForeignKey(
        "account.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_address = models.ForeignKey(
        "account.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "shipping.ShippingMethod", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment_gateway = models.CharField(max_length=64, blank=True)
    customer_note = models.TextField(blank=True)
    language_code = models.CharField(max_length=8, default="vi")
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    # The voucher code the shopper entered (Saleor's Checkout.voucher_code); checked again on every
    # reading of the totals and when the order is placed.
    voucher_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-last_change"]


class CheckoutLine(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("product.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        unique_together = [("checkout", "variant")]
