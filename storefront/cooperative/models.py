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
    # How long after delivery a shopper may ask to return goods: fresh (perishable) goods in hours,
    # everything else in days; 0 = this cooperative takes no returns of that kind.
    return_window_days = models.PositiveSmallIntegerField(default=7)
    fresh_return_window_hours = models.PositiveSmallIntegerField(default=24)
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
        ORGANIC_EU = "Organic-EU", _("Hữu cơ EU")
        ORGANIC_USDA = "Organic-USDA", _("Hữu cơ USDA")
        ORGANIC_JAS = "Organic-JAS", _("Hữu cơ JAS (Nhật Bản)")
        HALAL = "Halal", "Halal"
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
    # The vault: the certificate's scan, checked by content (certificate_files) and stored through the storage
    # API; without a file the row is only what the cooperative declared on its profile.
    file = models.FileField(upload_to="certificates/%Y/%m", blank=True)
    file_type = models.CharField(max_length=8, blank=True)  # pdf | jpeg | png, as found in the content
    file_hash = models.CharField(max_length=64, blank=True, db_index=True)  # sha256 of the stored bytes
    file_size = models.PositiveIntegerField(null=True, blank=True)
    # What the certificate covers besides `product`: listed products and whole product types (none of the
    # three = every product of the cooperative).
    scope_products = models.ManyToManyField("product.Product", blank=True, related_name="scoped_certifications")
    scope_product_types = models.ManyToManyField("product.ProductType", blank=True, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["type"]

    def __str__(self) -> str:
        return f"{self.type} {self.stars} sao" if self.stars else self.type

    @property
    def is_expired(self) -> bool:
        return bool(self.valid_until and self.valid_until < timezone.localdate())


class CertificationExpiryNotice(models.Model):
    """A notice sent (or being sent) N days before a certificate ends: one row per certificate, threshold and
    end date, so a beat that runs twice sends nothing twice and a renewed certificate gets fresh notices."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="expiry_notices")
    days_before = models.PositiveSmallIntegerField()
    valid_until = models.DateField()
    recipients = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certification", "days_before", "valid_until"],
                                               name="certification_notice_once")]
