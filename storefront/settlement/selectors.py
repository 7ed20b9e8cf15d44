"""Reads on the settlement ledger."""
from __future__ import annotations

from django.db.models import Sum

from storefront.core.permissions import require_cooperative_access
from storefront.settlement.models import LedgerEntry


def ledger_balance(*, cooperative) -> int:
    """What the program owes `cooperative` now (VND)."""
    return int(LedgerEntry.objects.filter(cooperative=cooperative).aggregate(total=Sum("amount"))["total"] or 0)


def ledger_entries(*, actor, cooperative):
    require_cooperative_access(actor, cooperative.pk)
    return LedgerEntry.objects.filter(cooperative=cooperative).select_related("fulfillment").order_by("-created_at", "-pk")
