import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    """Where a cooperative keeps stock. Every cooperative has at least one."""

    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.CASCADE, related_name="warehouses")
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    email = models.EmailField(blank=True)
    street = models.CharField(max_length=255, blank=True)
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("core.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_private = models.BooleanField(default=True)
    # Saleor's Warehouse.shippingZones: the zones it delivers to; none means it ships anywhere.
    shipping_zones = models.ManyToManyField("shipping.ShippingZone", blank=True, related_name="warehouses")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stocks")
    product_variant = models.ForeignKey("product.ProductVariant", on_delete=models.CASCADE, related_name="stocks")
    quantity = models.IntegerField(default=0)
    quantity_allocated = models.IntegerField(default=0)
    # The earliest `sellable_until` among its lots that still have free units: once that day is past,
    # `quantity` counts units no longer sellable until the lots are expired, so readers count the
    # lots instead (see selectors.stock_available_expression).
    sellable_until = models.DateField(null=True, blank=True)

    class Meta:
        unique_together = [("warehouse", "product_variant")]
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_quantity_non_negative"),
            models.CheckConstraint(condition=Q(quantity_allocated__gte=0), name="stock_allocated_non_negative"),
            models.CheckConstraint(condition=Q(quantity_allocated__lte=F("quantity")), name="stock_not_oversold"),
        ]

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_allocated, 0)


class Allocation(models.Model):
    """Stock held for an order line. A combo line holds its components' stock."""

    order_line = models.ForeignKey("order.OrderLine", on_delete=models.CASCADE, related_name="allocations")
    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="allocations")
    quantity_allocated = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("order_line", "stock")]
        ordering = ["pk"]


class StockLot(models.Model):
    """A harvest or production batch of one variant in one warehouse.

    For a stock row that has lots, the row is their running total: `Stock.quantity` = Σ lot.quantity and
    `Stock.quantity_allocated` = Σ lot.quantity_allocated, written in the same transaction as the lots
    (listings read the row, never the lots). A lot stops being sellable after `sellable_until`
    (its best-before date less the variant's minimum remaining shelf life, in Vietnam's calendar);
    expiring it writes its free units off (`quantity_expired`), so only units already promised to
    orders remain in `quantity`.
    """

    class Standard(models.TextChoices):
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalGAP"
        OCOP = "ocop", "OCOP"
        ORGANIC = "organic", _("Hữu cơ")

    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="lots")
    # Denormalised from the warehouse so that a lot code can be unique per cooperative.
    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.CASCADE, related_name="stock_lots")
    code = models.CharField(max_length=40)
    # The public traceability page's address: unguessable, unlike the cooperative's own lot code.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    harvest_date = models.DateField(null=True, blank=True)
    best_before = models.DateField(null=True, blank=True)
    sellable_until = models.DateField(null=True, blank=True)
    quantity_received = models.PositiveIntegerField(default=0)
    quantity = models.IntegerField(default=0)
    quantity_allocated = models.IntegerField(default=0)
    quantity_expired = models.PositiveIntegerField(default=0)
    expired_at = models.DateTimeField(null=True, blank=True)
    standard = models.CharField(max_length=16, choices=Standard.choices, blank=True)
    certificate = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="stock_lot_code_unique_per_cooperative"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_lot_quantity_non_negative"),
            models.CheckConstraint(condition=Q(quantity_allocated__gte=0), name="stock_lot_allocated_non_negative"),
            models.CheckConstraint(condition=Q(quantity_allocated__lte=F("quantity")), name="stock_lot_not_oversold"),
        ]
        indexes = [models.Index(fields=["stock", "sellable_until"], name="stock_lot_fefo_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def quantity_free(self) -> int:
        return max(self.quantity - self.quantity_allocated, 0)


class OrderLineLot(models.Model):
    """Which lot an order line took its units from: held while `quantity_allocated` > 0, then shipped.
    Kept after shipment (with `quantity_allocated` 0) so that every delivered unit traces back to its lot."""

    order_line = models.ForeignKey("order.OrderLine", on_delete=models.CASCADE, related_name="lots")
    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField()
    quantity_allocated = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("order_line", "lot")]
        ordering = ["pk"]
