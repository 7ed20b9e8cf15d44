"""State of the B2B export kept in the shop's database.

Products are referred to by plain id (no foreign key into the shop): deleting a product must not
erase what we know about its remote listing, which the next sync then takes offline.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """VND per 1 unit of `currency` on a day; staff enter it, or the scheduled fetch records it."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Nhập tay")
        VIETCOMBANK = "vietcombank", _("Vietcombank (XML)")

    currency = models.CharField(max_length=3, default="USD")
    date = models.DateField()
    vnd_per_unit = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "currency"]
        unique_together = [("currency", "date")]

    def __str__(self) -> str:
        return f"{self.currency} {self.date}: {self.vnd_per_unit}"


class RemoteCategory(models.Model):
    """A leaf of the platform's category tree with what its listings must state (refreshed by a service)."""

    id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=512, blank=True)
    is_leaf = models.BooleanField(default=True)
    # [{"attr_id", "en_name", "required", "input_type", "values": [names]}]
    attributes = models.JSONField(default=list, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path", "name"]

    def __str__(self) -> str:
        return self.path or self.name


class CategoryMapping(models.Model):
    """Shop category -> suggested B2B category."""

    shop_category_id = models.BigIntegerField(unique=True)
    remote_category = models.ForeignKey(RemoteCategory, on_delete=models.CASCADE, related_name="mappings")


class ExportProfile(models.Model):
    """What trade staff chose to publish for one shop product, and how (the enrichment)."""

    product_id = models.BigIntegerField(unique=True)
    cooperative_id = models.BigIntegerField(db_index=True)  # denormalised for filters and inquiry scoping
    selected = models.BooleanField(default=False, db_index=True)
    title_en = models.CharField(max_length=255, blank=True)
    description_en = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    remote_category = models.ForeignKey(RemoteCategory, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    hs_code = models.CharField(max_length=10, blank=True)
    place_of_origin = models.CharField(max_length=64, default="Vietnam")
    brand_name = models.CharField(max_length=64, blank=True)
    variety = models.CharField(max_length=64, blank=True)
    grade = models.CharField(max_length=32, blank=True)
    moq = models.PositiveIntegerField(null=True, blank=True)
    moq_unit = models.CharField(max_length=32, blank=True)
    supply_quantity = models.PositiveIntegerField(null=True, blank=True)
    supply_unit = models.CharField(max_length=32, blank=True)
    supply_period = models.CharField(max_length=16, default="Month")
    packaging = models.TextField(blank=True)
    port = models.CharField(max_length=64, blank=True)
    lead_time_days = models.PositiveIntegerField(null=True, blank=True)
    payment_methods = models.JSONField(default=list, blank=True)
    certifications = models.JSONField(default=list, blank=True)
    target_markets = models.JSONField(default=list, blank=True)
    prices_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["product_id"]

    def __str__(self) -> str:
        return self.title_en or f"product {self.product_id}"


class PriceTier(models.Model):
    """USD price for orders of at least `min_quantity` units; keeps the quote it came from."""

    profile = models.ForeignKey(ExportProfile, on_delete=models.CASCADE, related_name="price_tiers")
    min_quantity = models.PositiveIntegerField()
    price_usd = models.DecimalField(max_digits=12, decimal_places=2)
    # Provenance of a suggested price (empty when entered directly).
    rate_vnd_per_usd = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    rate_date = models.DateField(null=True, blank=True)
    margin_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    base_price_vnd = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["min_quantity"]
        unique_together = [("profile", "min_quantity")]

    @property
    def is_suggested(self) -> bool:
        return self.rate_vnd_per_usd is not None


class Listing(models.Model):
    """The remote side of one export profile: what we last published and what came of it."""

    class State(models.TextChoices):
        NEW = "new", _("Chưa đăng")
        ADDING = "adding", _("Đang đăng (chờ xác nhận)")
        LIVE = "live", _("Đang hiển thị")
        OFFLINE = "offline", _("Đã gỡ")
        RETRYING = "retrying", _("Chờ thử lại")
        FAILED = "failed", _("Lỗi")

    class Review(models.TextChoices):
        NONE = "", _("—")
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Bị từ chối")

    profile = models.OneToOneField(ExportProfile, on_delete=models.CASCADE, related_name="listing")
    model_number = models.CharField(max_length=32, unique=True)
    remote_id = models.CharField(max_length=64, blank=True, db_index=True)  # obfuscated product_id
    remote_url = models.URLField(max_length=500, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW, db_index=True)
    online = models.BooleanField(default=False)  # display=Y as far as we know
    content_hash = models.CharField(max_length=64, blank=True)  # of the last content the platform accepted
    # Fingerprint of what that content was built from (profile, product, images): when it is unchanged a sync
    # need not rebuild and re-hash the listing.
    input_hash = models.CharField(max_length=40, blank=True)
    published_payload = models.JSONField(default=dict, blank=True)  # for field-level diffs in dry runs
    review = models.CharField(max_length=16, choices=Review.choices, default=Review.NONE, blank=True)
    remote_status = models.CharField(max_length=16, blank=True)
    review_reasons = models.JSONField(default=list, blank=True)
    add_started_at = models.DateTimeField(null=True, blank=True)  # intent: an add may have reached the platform
    pending_hash = models.CharField(max_length=64, blank=True)  # content of that add
    failed_hash = models.CharField(max_length=64, blank=True)  # content the platform refused for good
    last_error_code = models.CharField(max_length=128, blank=True)
    last_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    offline_reason = models.CharField(max_length=32, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile__product_id"]


class ImageUpload(models.Model):
    """An image prepared and uploaded once per distinct original content and preparation recipe."""

    source_hash = models.CharField(max_length=64)
    recipe = models.CharField(max_length=32)
    prepared_hash = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    file_id = models.CharField(max_length=64)
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("source_hash", "recipe")]


class SyncRun(models.Model):
    class Kind(models.TextChoices):
        SYNC = "sync", _("Đồng bộ")
        FULL = "full", _("Đối soát toàn bộ")
        DRY_RUN = "dry_run", _("Chạy thử")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SYNC)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.CharField(max_length=64, blank=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    taken_offline = models.PositiveIntegerField(default=0)
    brought_online = models.PositiveIntegerField(default=0)
    recovered = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    read_calls = models.PositiveIntegerField(default=0)
    write_calls = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]


class SyncAttempt(models.Model):
    """One write against the platform for one listing (the dashboard's error history)."""

    class Outcome(models.TextChoices):
        OK = "ok", "ok"
        RETRY = "retry", _("sẽ thử lại")
        FAILED = "failed", _("lỗi")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="attempts_log")
    run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts")
    action = models.CharField(max_length=16)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    error_code = models.CharField(max_length=128, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class SyncLease(models.Model):
    """One sync at a time across workers; a lease (not a held lock) so a killed worker frees it. Each taking of
    the lease increases `generation`: a holder writes only while the generation is still its own (a fencing token),
    so a run whose lease expired and was taken over is stopped before its next call to the platform."""

    name = models.CharField(max_length=32, primary_key=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(default=timezone.now)
    generation = models.BigIntegerField(default=0)


class SyncCursor(models.Model):
    """Where the last pull of reviews / inquiries stopped."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.DateTimeField()


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        READ = "read", _("Đã xem")
        QUOTED = "quoted", _("Đã báo giá")
        CLOSED = "closed", _("Đã đóng")

    class Source(models.TextChoices):
        PLATFORM = "platform", _("Từ sàn B2B")
        MANUAL = "manual", _("Nhập tay")

    class Quarantine(models.TextChoices):
        """Why a pulled inquiry is held for trade staff instead of going to the cooperative."""

        NONE = "", ""
        CONTROL_CHARACTERS = "control_characters", _("Có ký tự điều khiển (đã xóa)")
        INVALID_QUANTITY = "invalid_quantity", _("Số lượng không hợp lệ (đã bỏ)")
        UNREADABLE = "unreadable", _("Không đọc được đầy đủ từ sàn")

    remote_id = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PLATFORM)
    product_id = models.BigIntegerField(null=True, blank=True)
    cooperative_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    remote_product_id = models.CharField(max_length=64, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    quantity_unit = models.CharField(max_length=32, blank=True)
    buyer_name = models.CharField(max_length=255, blank=True)
    company_name = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=64, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW, db_index=True)
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    quarantine = models.CharField(max_length=32, choices=Quarantine.choices, blank=True, default="")
    quarantine_detail = models.TextField(blank=True)  # what arrived, escaped (repr), for trade staff

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["remote_id"], condition=~models.Q(remote_id=""),
                                               name="inquiry_remote_id_unique")]


class InquiryReply(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField()
    sent_to_platform = models.BooleanField(default=False)
    # The producing cooperative's answer, for trade staff to relay to the buyer (never sent as it is).
    from_cooperative = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]



class CertificateUpload(models.Model):
    """A certificate scan uploaded once per content to the platform's attachments (the listing links `url`)."""

    file_hash = models.CharField(max_length=64, unique=True)
    file_id = models.CharField(max_length=64)
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)


class FieldProvenance(models.Model):
    """Where the current value of one export-profile field came from. `shop_value` is the shop's value when it
    was copied, or when a person overrode it: a shop value different from it now means the shop changed since."""

    class Source(models.TextChoices):
        SHOP = "shop", _("Sao chép từ cửa hàng")
        STAFF = "staff", _("Cán bộ xúc tiến thương mại đặt")
        COMPUTED = "computed", _("Tính tự động")
        DEFAULT = "default", _("Mặc định")

    profile = models.ForeignKey(ExportProfile, on_delete=models.CASCADE, related_name="provenance")
    field = models.CharField(max_length=32)
    source = models.CharField(max_length=16, choices=Source.choices)
    shop_field = models.CharField(max_length=64, blank=True)
    shop_value = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    rule = models.CharField(max_length=255, blank=True)

    class Meta:
        unique_together = [("profile", "field")]


class PublishSnapshot(models.Model):
    """Exactly what one successful write sent for a listing and what the platform answered. Never changed after
    it is written (only the retention prune deletes it)."""

    class Action(models.TextChoices):
        ADD = "add", _("Đăng mới")
        UPDATE = "update", _("Cập nhật")
        ROLLBACK = "rollback", _("Khôi phục phiên bản cũ")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="snapshots")
    run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots")
    action = models.CharField(max_length=16, choices=Action.choices)
    payload = models.JSONField()
    content_hash = models.CharField(max_length=64)
    remote_id = models.CharField(max_length=64)
    response = models.JSONField(default=dict, blank=True)
    triggered_by = models.CharField(max_length=64, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # who last edited the profile (or asked for the rollback)
    restored_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["listing", "-created_at"], name="snapshot_listing_time")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a publish snapshot is immutable")
        super().save(*args, **kwargs)


class ListingRestore(models.Model):
    """A listing held at an earlier snapshot (or offline, when it did not exist before the run rolled back):
    the sync sends it through the same ledger as any update, and keeps it until staff edit the profile or
    release it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ đồng bộ")
        HELD = "held", _("Đã khôi phục, đang giữ")
        GONE = "gone", _("Sản phẩm đã bị xóa trên sàn")

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, related_name="restore")
    snapshot = models.ForeignKey(PublishSnapshot, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # null: take the listing offline
    of_run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
