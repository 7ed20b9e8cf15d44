from django.contrib import admin

from storefront.warehouse.models import Allocation, Stock, Warehouse


class StockInline(admin.TabularInline):
    model = Stock
    extra = 0
    raw_id_fields = ["product_variant"]
    readonly_fields = ["quantity_allocated"]


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "cooperative", "province"]
    list_filter = ["province"]
    search_fields = ["name", "slug", "cooperative__name"]
    raw_id_fields = ["cooperative", "commune"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ["product_variant", "warehouse", "quantity", "quantity_allocated"]
    search_fields = ["product_variant__sku", "product_variant__product__name", "warehouse__name"]
    raw_id_fields = ["product_variant", "warehouse"]
    # Allocations are owned by orders: editing the counter by hand would desynchronise them.
    readonly_fields = ["quantity_allocated"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["order_line", "stock", "quantity_allocated"]
    raw_id_fields = ["order_line", "stock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
