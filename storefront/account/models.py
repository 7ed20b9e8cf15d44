import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_program_staff=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Logs in by e-mail. Roles: every user can shop; cooperative staff come from
    `cooperative.CooperativeMember`; trade and program staff are flags set by program staff."""

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can open the Django admin.")
    is_trade_staff = models.BooleanField(default=False)
    is_program_staff = models.BooleanField(default=False)
    is_confirmed = models.BooleanField(default=True)
    language_code = models.CharField(max_length=8, default="vi")
    note = models.TextField(blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_password_reset_request = models.DateTimeField(null=True, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    addresses = models.ManyToManyField("account.Address", blank=True, related_name="user_addresses")
    default_shipping_address = models.ForeignKey(
        "account.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    default_billing_address = models.ForeignKey(
        "account.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip() or self.email


class Address(models.Model):
    """Saleor's address fields, in Vietnam's two-tier form: `country_area` holds the province's
    full name and `city` the commune/ward; `province`/`commune` keep the official codes."""

    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    company_name = models.CharField(max_length=256, blank=True)
    street_address_1 = models.CharField(max_length=256)
    street_address_2 = models.CharField(max_length=256, blank=True)
    city = models.CharField(max_length=256)
    city_area = models.CharField(max_length=128, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="VN")
    country_area = models.CharField(max_length=128)
    phone = models.CharField(max_length=20)
    province = models.ForeignKey("core.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("core.Commune", on_delete=models.PROTECT, related_name="+")
    legacy_text = models.TextField(blank=True)

    def __str__(self) -> str:
        return ", ".join(p for p in (self.street_address_1, self.city, self.country_area) if p)

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()

    def copy(self) -> "Address":
        clone = Address.objects.get(pk=self.pk)
        clone.pk = None
        clone.save()
        return clone


class ConsentRecord(models.Model):
    """Proof of consent to personal-data processing (PDPL 91/2025): who, what, when, where."""

    class Purpose(models.TextChoices):
        DATA_PROCESSING = "data_processing", _("Xử lý dữ liệu cá nhân")
        SHARE_WITH_SELLERS = "share_with_sellers", _("Chia sẻ với HTX và đơn vị vận chuyển")
        MARKETING = "marketing", _("Nhận thông tin khuyến mãi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey("account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="consents")
    email = models.EmailField()
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    granted = models.BooleanField(default=True)
    source = models.CharField(max_length=32)  # "registration", "checkout", "api"
    policy_version = models.CharField(max_length=16, default="2026-11")
    created_at = models.DateTimeField(default=timezone.now)
    checkout_token = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class PersonalDataRequest(models.Model):
    """A data subject's request under Law 91/2025 on personal data protection, and what was done.

    Downloads are served at once and recorded as done; an erasure waits for program staff. Once an
    erasure is carried out the request keeps no personal data itself: the account's number, the
    dates, who acted and how many rows were anonymised or deleted."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Tải dữ liệu cá nhân")
        ERASURE = "erasure", _("Xoá dữ liệu cá nhân")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xử lý")
        DONE = "done", _("Đã thực hiện")
        REJECTED = "rejected", _("Từ chối")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    user = models.ForeignKey("account.User", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="personal_data_requests")
    user_number = models.PositiveIntegerField()  # the account's id, kept after the account is erased
    email = models.EmailField(blank=True)  # cleared by the erasure
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey("account.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    staff_note = models.TextField(blank=True)
    outcome = models.JSONField(default=dict, blank=True)  # {"orders_anonymised": 2, ...}

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.user_number}"
