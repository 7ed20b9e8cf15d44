from django.contrib import admin

from storefront.shipping.models import ShippingMethod, ShippingZone


class ShippingMethodInline(admin.TabularInline):
    model = ShippingMethod
    extra = 0


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    filter_horizontal = ["provinces", "channels"]
    inlines = [ShippingMethodInline]


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "zone", "type", "min_weight_g", "max_weight_g", "price_amount", "free_above_amount"]
    list_filter = ["zone", "type"]
