from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """Append-only ledger of what the program owes each cooperative (VND, signed).

    A delivered fulfilment books its sale (+) and the program's fee (−); when the cooperative
    collected the shopper's cash on delivery it holds that money, booked (−) as cash collected;
    a payout books (−).
    The balance is the sum; nothing is ever updated in place.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("Doanh thu giao hàng")
        FEE = "fee", _("Phí chương trình")
        PAYOUT = "payout", _("Chi trả")
        CASH_COLLECTED = "cash", _("Tiền mặt HTX đã thu")
        ADJUSTMENT = "adjustment", _("Điều chỉnh")

    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField()
    fulfillment = models.ForeignKey(
        "order.Fulfillment", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    reference = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fulfillment", "kind"], condition=models.Q(fulfillment__isnull=False), name="one_entry_per_kind"
            )
        ]
