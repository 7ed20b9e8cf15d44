from django.db import models


class Channel(models.Model):
    """Saleor's sales channel. One currency per channel; Vietnam's is VND."""

    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    is_active = models.BooleanField(default=True)
    currency_code = models.CharField(max_length=3, default="VND")
    default_country = models.CharField(max_length=2, default="VN")
    allow_unpaid_orders = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name
