"""Read-only: vouchers and promotions are created through the services (who may, scope, who pays)
from the dashboard or the API; uses are counted by checkout completion."""
from django.contrib import admin

from storefront.discount.models import Promotion, Voucher, VoucherCustomer


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Voucher)
class VoucherAdmin(_ReadOnly):
    list_display = ["code", "name", "type", "discount_value_type", "discount_value", "used", "usage_limit",
                    "cooperative", "funded_by", "start_date", "end_date"]
    list_filter = ["funded_by", "type"]
    search_fields = ["code", "name"]


@admin.register(Promotion)
class PromotionAdmin(_ReadOnly):
    list_display = ["name", "type", "reward_type", "discount_value_type", "discount_value", "cooperative",
                    "funded_by", "start_date", "end_date"]
    list_filter = ["funded_by", "type"]


@admin.register(VoucherCustomer)
class VoucherCustomerAdmin(_ReadOnly):
    list_display = ["voucher", "user", "email", "checkout_token", "created_at"]
