"""The ledger is append-only: payouts are recorded through `payout_record` (balance check), never
edited here."""
from django.contrib import admin

from storefront.settlement.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "cooperative", "kind", "amount", "reference"]
    list_filter = ["kind", "cooperative"]
    search_fields = ["reference", "cooperative__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
