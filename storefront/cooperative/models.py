from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cooperative(models.Model):
    class Kind(models.TextChoices):
        HTX = "htx", _("Hợp tác xã")
        THT = "tht", _("Tổ hợp tác")
        UNION = "union", _("Liên hiệp hợp tác xã")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        SUSPENDED = "suspended", _("Tạm ngừng")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.HTX)
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="cooperatives")
    commune = models.ForeignKey("core.Commune", on_delete=models.PROTECT, related_name="cooperatives")
    street = models.CharField(max_length=255, blank=True)
    representative_name = models.CharField(max_length=255)
    representative_title = models.CharField(max_length=128, blank=True)
    phone = models.CharField(max_length=20)  # E.164
    email = models.EmailField()
    description = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    logo = models.ImageField(upload_to="cooperatives/logos", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField(blank=True)
    founded_year = models.PositiveIntegerField(null=True, blank=True)
    members_count = models.PositiveIntegerField(null=True, blank=True)
    farm_area_ha = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    tax_code = models.CharField(max_length=20, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_selling(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in (self.street, self.commune.name, self.province.full_name) if p)


class CooperativeMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Chủ nhiệm")
        STAFF = "staff", _("Nhân viên")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cooperative_memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("cooperative", "user")]


class Certification(models.Model):
    """A certificate held by a cooperative (VietGAP, GlobalGAP, HACCP …) or rated for one of its
    products (OCOP stars belong to a product)."""

    class Type(models.TextChoices):
        VIETGAP = "VietGAP", "VietGAP"
        VIETGAHP = "VietGAHP", "VietGAHP"
        GLOBALGAP = "GlobalGAP", "GlobalG.A.P."
        OCOP = "OCOP", "OCOP"
        HACCP = "HACCP", "HACCP"
        ISO22000 = "ISO 22000", "ISO 22000"
        ORGANIC = "Organic", _("Hữu cơ (TCVN 11041)")
        ATTP = "ATTP", _("Cơ sở đủ điều kiện ATTP")
        GI = "GI", _("Chỉ dẫn địa lý")
        OTHER = "Other", _("Khác")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="certifications")
    product = models.ForeignKey(
        "product.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="certifications"
    )
    type = models.CharField(max_length=16, choices=Type.choices)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.CharField(max_length=64, blank=True)
    issuer = models.CharField(max_length=255, blank=True)
    scope = models.CharField(max_length=255, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["type"]

    def __str__(self) -> str:
        return f"{self.type} {self.stars} sao" if self.stars else self.type

    @property
    def is_expired(self) -> bool:
        return bool(self.valid_until and self.valid_until < timezone.localdate())
