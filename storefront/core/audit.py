"""The audit log of staff actions outside orders: one write, one read.

Services call `audit_record` inside their own transaction, after the change, so the entry and
the change commit or roll back together."""
from __future__ import annotations

from datetime import date

from django.db.models import Model, QuerySet

from .models import AuditEntry
from .permissions import require_program_staff


def audit_record(*, actor, action: str, target: Model | None, changes: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` (an `AuditEntry.Action` value) to `target` (None: an action
    on no one row, such as a catalog sync); `changes` maps each changed field to `[before, after]`,
    or holds the action's parameters."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user, actor_email=getattr(user, "email", "") or "", action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "", changes=changes or {})


def audit_entries(*, actor, action: str = "", actor_email: str = "", target_type: str = "",
                  since: date | None = None, until: date | None = None) -> QuerySet[AuditEntry]:
    """Entries program staff may read, newest first, narrowed by whatever filter is given."""
    require_program_staff(actor)
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if actor_email:
        entries = entries.filter(actor_email__icontains=actor_email.strip())
    if target_type:
        entries = entries.filter(target_type=target_type)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


def changed_fields(before: dict, after: dict) -> dict:
    """`{field: [before, after]}` for the fields whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
