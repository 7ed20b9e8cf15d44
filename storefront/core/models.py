"""Vietnam's 2025 administrative divisions: 34 provinces and 3,321 communes (two-tier, no districts).

Keyed by the official codes; commune names repeat across provinces, so never key on a name.
Also the audit log of staff actions outside orders (`AuditEntry`).
"""
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
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


class AuditEntry(models.Model):
    """A staff action outside orders (orders keep their own events): who did what to which object,
    and what changed. Written by `storefront.core.audit.audit_record`, read by program staff."""

    class Action(models.TextChoices):
        COOPERATIVE_APPROVE = "cooperative.approve", _("Duyệt hợp tác xã")
        COOPERATIVE_SUSPEND = "cooperative.suspend", _("Tạm ngừng hợp tác xã")
        USER_ROLES = "user.roles", _("Đổi vai trò người dùng")
        COOPERATIVE_MEMBER = "cooperative.member", _("Đổi thành viên hoặc vai trò trong hợp tác xã")
        PRICE_CHANGE = "variant.price", _("Đổi giá")
        STOCK_CHANGE = "variant.stock", _("Đổi tồn kho")
        PRODUCT_PUBLICATION = "product.publication", _("Đăng bán / ngừng bán sản phẩm")
        EXPORT_PROFILE = "export.profile", _("Sửa hồ sơ xuất khẩu")
        EXPORT_PUBLISH = "export.publish", _("Yêu cầu đồng bộ lên sàn B2B")
        PERSONAL_DATA_ERASE = "personal_data.erase", _("Xoá dữ liệu cá nhân")
        PERSONAL_DATA_REJECT = "personal_data.reject", _("Từ chối yêu cầu dữ liệu cá nhân")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Kept beside the key: the log must still say who acted after the account is gone.
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=64)  # "app_label.model"
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target_repr}"

    @property
    def change_rows(self) -> list[tuple[str, str]]:
        """(field, "before → after") per change, or (parameter, value), for the log page."""
        def text(value) -> str:
            return "—" if value in (None, "") else str(value)

        return [(name, " → ".join(text(v) for v in value) if isinstance(value, list) and len(value) == 2
                 else text(value)) for name, value in self.changes.items()]
