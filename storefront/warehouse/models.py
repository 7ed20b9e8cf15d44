from django.db import models
from django.db.models import F, Q


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

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stocks")
    product_variant = models.ForeignKey("product.ProductVariant", on_delete=models.CASCADE, related_name="stocks")
    quantity = models.IntegerField(default=0)
    quantity_allocated = models.IntegerField(default=0)

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
