"""Program staff assign the two supply roles here; needs and records are edited through the pages
(their services check the rules), so the admin shows them read-only."""
from django.contrib import admin

from .models import (Distributor, DistributorMember, DistributorPurchase, ProvincialAllianceMember, SalesNeed,
                     SalesRecord)


@admin.register(ProvincialAllianceMember)
class ProvincialAllianceMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "province", "title")
    list_filter = ("province",)
    raw_id_fields = ("user",)


class DistributorMemberInline(admin.TabularInline):
    model = DistributorMember
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Distributor)
class DistributorAdmin(admin.ModelAdmin):
    list_display = ("name", "address")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [DistributorMemberInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SalesNeed)
class SalesNeedAdmin(ReadOnlyAdmin):
    list_display = ("need_date", "cooperative", "product_name", "quantity", "unit", "status")
    list_filter = ("status", "product_group")


@admin.register(SalesRecord)
class SalesRecordAdmin(ReadOnlyAdmin):
    list_display = ("sold_on", "cooperative", "product_name", "quantity", "unit", "channel", "buyer_name")
    list_filter = ("channel", "product_group")


@admin.register(DistributorPurchase)
class DistributorPurchaseAdmin(ReadOnlyAdmin):
    list_display = ("purchased_on", "distributor", "cooperative", "product_name", "quantity", "unit")
