"""Vouchers (a code the shopper enters) and automatic promotions, smaller than Saleor's.

Both take a percentage or a fixed VND amount off the lines in their scope (a cooperative's
products, a category, one product such as a combo; none: the whole cart), or off delivery.
`funded_by` records who pays the discount: the program (it absorbs it, the cooperative's sale is
booked as if undiscounted) or the cooperative (its sale is lowered). A cooperative-funded
discount is always scoped to that cooperative's products.
"""
from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FundedBy(models.TextChoices):
    PROGRAM = "program", _("Chương trình")
    COOPERATIVE = "cooperative", _("Hợp tác xã")


class DiscountValueType(models.TextChoices):
    FIXED = "fixed", _("Số tiền cố định")
    PERCENTAGE = "percentage", _("Phần trăm")


class DiscountScope(models.Model):
    """What both kinds share: value, dates, scope and who pays."""

    name = models.CharField(max_length=255)
    discount_value_type = models.CharField(max_length=16, choices=DiscountValueType.choices,
                                           default=DiscountValueType.PERCENTAGE)
    # A percentage (1–100) or VND.
    discount_value = models.BigIntegerField()
    start_date = models.DateTimeField(default=timezone.now)
    end_date = models.DateTimeField(null=True, blank=True)
    cooperative = models.ForeignKey("cooperative.Cooperative", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    category = models.ForeignKey("product.Category", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    product = models.ForeignKey("product.Product", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    funded_by = models.CharField(max_length=16, choices=FundedBy.choices, default=FundedBy.PROGRAM)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        abstract = True

    def is_active_at(self, moment) -> bool:
        return self.start_date <= moment and (self.end_date is None or moment < self.end_date)

    @property
    def is_scoped(self) -> bool:
        return bool(self.cooperative_id or self.category_id or self.product_id)


class Voucher(DiscountScope):
    class Type(models.TextChoices):
        ENTIRE_ORDER = "entire_order", _("Toàn bộ đơn")
        SPECIFIC_PRODUCT = "specific_product", _("Sản phẩm chọn lọc")
        SHIPPING = "shipping", _("Phí giao hàng")

    code = models.CharField(max_length=40)
    type = models.CharField(max_length=24, choices=Type.choices, default=Type.ENTIRE_ORDER)
    min_spent_amount = models.BigIntegerField(default=0)
    usage_limit = models.PositiveIntegerField(null=True, blank=True)
    usage_limit_per_customer = models.PositiveIntegerField(null=True, blank=True)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(Upper("code"), name="voucher_code_unique_ci")]

    def __str__(self) -> str:
        return self.code


class VoucherCustomer(models.Model):
    """One use of a voucher, by a user or (guest) an e-mail, for the order of a checkout."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="customers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    email = models.EmailField(blank=True)
    checkout_token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]


class Promotion(DiscountScope):
    """Applied without a code while it runs. CATALOGUE: off every unit in scope; ORDER: off the
    scope's subtotal, or off delivery (`reward_type` SHIPPING), once it reaches `min_subtotal_amount`."""

    class Type(models.TextChoices):
        CATALOGUE = "catalogue", _("Giảm giá sản phẩm")
        ORDER = "order", _("Giảm giá đơn hàng")

    class RewardType(models.TextChoices):
        SUBTOTAL_DISCOUNT = "subtotal_discount", _("Giảm tiền hàng")
        SHIPPING = "shipping", _("Giảm phí giao hàng")

    type = models.CharField(max_length=16, choices=Type.choices, default=Type.CATALOGUE)
    reward_type = models.CharField(max_length=24, choices=RewardType.choices, default=RewardType.SUBTOTAL_DISCOUNT)
    min_subtotal_amount = models.BigIntegerField(default=0)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
