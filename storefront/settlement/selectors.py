"""Reads on the settlement ledger."""
from __future__ import annotations

from django.db.models import Sum

from storefront.cooperative.models import Cooperative
from storefront.core.permissions import require_cooperative_access, require_program_staff
from storefront.settlement.models import LedgerEntry


def ledger_balance(*, cooperative) -> int:
    """What the program owes `cooperative` now (VND)."""
    return int(LedgerEntry.objects.filter(cooperative=cooperative).aggregate(total=Sum("amount"))["total"] or 0)


def ledger_entries(*, actor, cooperative):
    require_cooperative_access(actor, cooperative.pk)
    return LedgerEntry.objects.filter(cooperative=cooperative).select_related("fulfillment").order_by("-created_at", "-pk")


def ledger_balances(*, actor) -> list[tuple[Cooperative, int]]:
    """What the program owes each cooperative past approval, by name: one query for all balances."""
    require_program_staff(actor)
    cooperatives = Cooperative.objects.exclude(status=Cooperative.Status.PENDING).annotate(
        ledger_total=Sum("ledger__amount")).order_by("name")
    return [(cooperative, int(cooperative.ledger_total or 0)) for cooperative in cooperatives]
