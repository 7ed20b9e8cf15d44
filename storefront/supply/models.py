"""Supply and demand: what cooperatives need help selling, what was sold through which channel, and
who reports it (provincial cooperative alliances, distributors).

Orders placed in this shop are not copied here: the reports read them from `order.OrderLine`.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProductGroup(models.TextChoices):
    """The program's product groups, in the order its forms list them (keys of `Category.program_group`)."""

    RICE = "gao", _("Gạo")
    VEGETABLES = "rau_cu_qua", _("Rau, củ, quả")
    FRUIT = "trai_cay", _("Trái cây")
    SEAFOOD = "thuy_san", _("Thủy, hải sản")
    EGGS = "trung", _("Trứng")
    COOKING_OIL = "dau_an", _("Dầu ăn")
    TEA_HERBS = "tra_duoc_lieu", _("Trà và dược liệu")
    COFFEE = "ca_phe", _("Cà phê")
    ESSENTIAL_OILS = "tinh_dau", _("Tinh dầu")
    OTHER = "khac", _("Đặc sản khác")


class SalesChannel(models.TextChoices):
    """The form's four channels plus this shop, which the reports add as its own pair of columns."""

    MARKET = "market", _("Chợ truyền thống, chợ đầu mối, trung tâm/cửa hàng giới thiệu sản phẩm")
    DISTRIBUTOR = "distributor", _("Hệ thống siêu thị, doanh nghiệp phân phối")
    PROCESSOR = "processor", _("Doanh nghiệp chế biến")
    EXPORTER = "exporter", _("Doanh nghiệp xuất khẩu")
    ONLINE = "online", _("Thương mại điện tử (HTX Market)")


# Channels a person records by hand; ONLINE comes from the shop's orders.
RECORDED_CHANNELS = (SalesChannel.MARKET, SalesChannel.DISTRIBUTOR, SalesChannel.PROCESSOR, SalesChannel.EXPORTER)


class ProvincialAllianceMember(models.Model):
    """Staff of a provincial cooperative alliance: they see and report for their province."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alliance_memberships")
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="alliance_members")
    title = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("user", "province")]


class Distributor(models.Model):
    """A buyer that reports what it bought from cooperatives and where it sold it."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    address = models.CharField(max_length=255, blank=True)
    representative_name = models.CharField(max_length=255, blank=True)
    representative_title = models.CharField(max_length=128, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="DistributorMember", related_name="distributors")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DistributorMember(models.Model):
    distributor = models.ForeignKey(Distributor, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="distributor_memberships")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("distributor", "user")]


class SalesNeed(models.Model):
    """A cooperative's declared need for sales support (one row of form A)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang cần tiêu thụ")
        CLOSED = "closed", _("Đã đóng")

    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="sales_needs")
    product = models.ForeignKey(
        "product.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="sales_needs",
        help_text="The shop's product this need is about, if any",
    )
    draft_product = models.OneToOneField(
        "product.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="created_from_need",
    )
    need_date = models.DateField(db_index=True)
    product_name = models.CharField(max_length=255)
    product_group = models.CharField(max_length=32, choices=ProductGroup.choices)
    farm_area_ha = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=16)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    standard = models.CharField(max_length=255, blank=True)
    packaging = models.CharField(max_length=255, blank=True)
    delivery_period = models.CharField(max_length=255, blank=True)
    delivery_place = models.CharField(max_length=255, blank=True)
    unit_price_vnd = models.BigIntegerField(null=True, blank=True)  # whole dong; the form shows thousands
    planned_market = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    planned_distributor = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    planned_processor = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    planned_exporter = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Key of an imported row (the program's spreadsheet id), so re-importing does not duplicate it.
    source_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-need_date", "-pk"]
        indexes = [models.Index(fields=["cooperative", "need_date"])]

    def __str__(self) -> str:
        return f"{self.product_name} ({self.quantity} {self.unit})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SalesRecord(models.Model):
    """Quantity actually sold on a date through one channel to one buyer (form B's detail)."""

    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT, related_name="sales_records")
    product = models.ForeignKey(
        "product.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="sales_records"
    )
    need = models.ForeignKey(SalesNeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    sold_on = models.DateField(db_index=True)
    product_name = models.CharField(max_length=255)
    product_group = models.CharField(max_length=32, choices=ProductGroup.choices)
    unit = models.CharField(max_length=16)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    channel = models.CharField(max_length=16, choices=[(c.value, c.label) for c in RECORDED_CHANNELS])
    buyer_name = models.CharField(max_length=255)
    difficulties = models.TextField(blank=True)
    proposals = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    source_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-sold_on", "-pk"]
        indexes = [models.Index(fields=["cooperative", "sold_on"])]


class DistributorPurchase(models.Model):
    """What a distributor bought from a cooperative and where it sold it on (form C)."""

    distributor = models.ForeignKey(Distributor, on_delete=models.PROTECT, related_name="purchases")
    cooperative = models.ForeignKey("cooperative.Cooperative", on_delete=models.PROTECT,
                                    related_name="distributor_purchases")
    product = models.ForeignKey("product.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    purchased_on = models.DateField(db_index=True)
    product_name = models.CharField(max_length=255)
    product_group = models.CharField(max_length=32, choices=ProductGroup.choices)
    unit = models.CharField(max_length=16)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    sold_hcmc = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    sold_hanoi = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    sold_other = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    difficulties = models.TextField(blank=True)
    solutions = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    source_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-purchased_on", "-pk"]
        indexes = [models.Index(fields=["distributor", "purchased_on"])]
