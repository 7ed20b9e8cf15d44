from django.contrib import admin

from storefront.checkout.models import Checkout, CheckoutLine


class CheckoutLineInline(admin.TabularInline):
    model = CheckoutLine
    extra = 0
    raw_id_fields = ["variant"]


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ["token", "email", "user", "channel", "last_change"]
    search_fields = ["token", "email", "user__email"]
    raw_id_fields = ["user", "billing_address", "shipping_address", "shipping_method"]
    inlines = [CheckoutLineInline]
