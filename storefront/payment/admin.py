from django.contrib import admin

from storefront.payment.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["pk", "order", "gateway", "status", "amount", "captured_amount", "captured_at"]
    list_filter = ["gateway", "status"]
    search_fields = ["order__pk", "psp_reference"]
    readonly_fields = ["order", "gateway", "status", "amount", "captured_amount", "captured_at", "captured_by"]
