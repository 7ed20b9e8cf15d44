"""Program staff's view of orders. State changes go through the services (dashboard/API) so stock,
events and the ledger stay consistent; here the flow fields are read-only."""
from django.contrib import admin

from storefront.order.models import Fulfillment, Order, OrderEvent, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ["product_name", "variant_name", "product_sku", "cooperative_name", "quantity", "quantity_fulfilled",
              "unit_price_amount", "total_price_amount", "fulfillment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FulfillmentInline(admin.TabularInline):
    model = Fulfillment
    extra = 0
    can_delete = False
    fields = ["cooperative", "status", "tracking_number", "subtotal_amount", "shipped_at", "delivered_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["date", "type", "user", "parameters"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "user_email", "status", "charge_status", "payment_gateway", "total_amount"]
    list_filter = ["status", "charge_status", "payment_gateway", "channel"]
    search_fields = ["pk", "user_email", "token", "lines__product_sku"]
    date_hierarchy = "created_at"
    readonly_fields = ["token", "status", "charge_status", "user", "checkout_token", "subtotal_amount",
                       "shipping_price_amount", "total_amount", "total_charged_amount", "payment_gateway",
                       "payment_due_at", "billing_address", "shipping_address", "shipping_method", "channel"]
    inlines = [FulfillmentInline, OrderLineInline, OrderEventInline]


@admin.register(Fulfillment)
class FulfillmentAdmin(admin.ModelAdmin):
    list_display = ["composed_id", "cooperative", "status", "tracking_number", "subtotal_amount"]
    list_filter = ["status"]
    search_fields = ["order__pk", "tracking_number", "cooperative__name"]
    readonly_fields = ["order", "cooperative", "status", "subtotal_amount", "packed_at", "shipped_at", "delivered_at"]
