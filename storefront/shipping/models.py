from django.db import models
from django.utils.translation import gettext_lazy as _


class ShippingZone(models.Model):
    """A delivery zone: a region of the country or a list of provinces."""

    name = models.CharField(max_length=100)
    region = models.CharField(max_length=8, blank=True, help_text="north/central/south; empty = use provinces")
    provinces = models.ManyToManyField("core.Province", blank=True, related_name="shipping_zones")
    channels = models.ManyToManyField("channel.Channel", related_name="shipping_zones", blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(models.Model):
    """A weight-band price (VND) in a zone, free above a threshold of the order subtotal."""

    class Type(models.TextChoices):
        PRICE = "price", _("Theo giá trị đơn")
        WEIGHT = "weight", _("Theo khối lượng")

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="shipping_methods")
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    type = models.CharField(max_length=8, choices=Type.choices, default=Type.WEIGHT)
    min_weight_g = models.PositiveIntegerField(default=0)
    max_weight_g = models.PositiveIntegerField(null=True, blank=True)
    price_amount = models.BigIntegerField()
    free_above_amount = models.BigIntegerField(null=True, blank=True)
    minimum_delivery_days = models.PositiveSmallIntegerField(default=1)
    maximum_delivery_days = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["zone_id", "min_weight_g", "price_amount"]

    def __str__(self) -> str:
        return self.name
