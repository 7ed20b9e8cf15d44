"""Vietnam's 2025 administrative divisions: 34 provinces and 3,321 communes (two-tier, no districts).

Keyed by the official codes; commune names repeat across provinces, so never key on a name.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    NORTH = "north", _("Miền Bắc")
    CENTRAL = "central", _("Miền Trung")
    SOUTH = "south", _("Miền Nam")


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=64)  # short name, "Cần Thơ"
    full_name = models.CharField(max_length=96)  # "Thành phố Cần Thơ"
    name_ascii = models.CharField(max_length=64)
    name_en = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    region = models.CharField(max_length=8, choices=Region.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name


class Commune(models.Model):
    class Kind(models.TextChoices):
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        DAC_KHU = "dac_khu", _("Đặc khu")

    code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="communes")
    name = models.CharField(max_length=96)
    name_ascii = models.CharField(max_length=96)
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        ordering = ["province_id", "name"]
        indexes = [models.Index(fields=["province", "name_ascii"])]

    def __str__(self) -> str:
        return self.name
