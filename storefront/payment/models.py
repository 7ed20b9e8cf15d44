from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """One payment attempt for an order through one gateway (cash on delivery, VietQR transfer…)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        CHARGED = "charged", _("Đã nhận tiền")
        CANCELED = "canceled", _("Đã hủy")
        REFUNDED = "refunded", _("Đã hoàn tiền")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="payments")
    # Cash on delivery is collected per cooperative's part: the part this payment was collected with.
    fulfillment = models.ForeignKey("order.Fulfillment", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="payments")
    gateway = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    amount = models.BigIntegerField()  # VND
    captured_amount = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="VND")
    psp_reference = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    captured_at = models.DateTimeField(null=True, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One collection per part: two staff confirming the same delivery cannot both book cash.
            models.UniqueConstraint(fields=["fulfillment"], condition=models.Q(fulfillment__isnull=False),
                                    name="one_payment_per_fulfillment"),
        ]
