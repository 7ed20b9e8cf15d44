"""Reads of cooperatives: who sells, a store by its slug, the cooperatives a user works for."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from storefront.core.permissions import (can_manage_cooperative, cooperative_ids_of, is_program_staff,
                                         require_cooperative_access, require_program_staff, is_trade_staff)

from .models import Certification, Cooperative


def _with_profile(queryset: QuerySet[Cooperative]) -> QuerySet[Cooperative]:
    return queryset.select_related("province", "commune").prefetch_related(
        Prefetch("certifications", queryset=Certification.objects.filter(product__isnull=True))
    )


def cooperatives_selling() -> QuerySet[Cooperative]:
    """Approved cooperatives: the only ones whose products are sold."""
    return _with_profile(Cooperative.objects.filter(status=Cooperative.Status.APPROVED))


def cooperative_by_slug(slug: str, *, actor=None) -> Cooperative | None:
    """An approved cooperative's store; its own staff and program staff also see it when pending
    or suspended."""
    cooperative = _with_profile(Cooperative.objects.filter(slug=slug)).first()
    if cooperative is None:
        return None
    if cooperative.is_selling or can_manage_cooperative(actor, cooperative.pk):
        return cooperative
    return None


def cooperatives_for_actor(actor) -> QuerySet[Cooperative]:
    """The cooperatives `actor` may manage: all for program staff, their memberships otherwise."""
    if is_program_staff(actor):
        return _with_profile(Cooperative.objects.all())
    return _with_profile(Cooperative.objects.filter(pk__in=cooperative_ids_of(actor)))


def cooperative_for_actor(*, actor, cooperative_id) -> Cooperative | None:
    """The cooperative `actor` manages by this id (PermissionDenied for another's); None if there is none."""
    require_cooperative_access(actor, cooperative_id)
    return Cooperative.objects.select_related("province", "commune").filter(pk=cooperative_id).first()


def cooperatives_for_program(*, actor, status: str = "") -> QuerySet[Cooperative]:
    """Every cooperative, for program staff's approvals, by status then newest; `status` narrows it."""
    require_program_staff(actor)
    rows = Cooperative.objects.select_related("province").order_by("status", "-created_at")
    if status in Cooperative.Status.values:
        rows = rows.filter(status=status)
    return rows


def certifications_for_actor(actor, *, cooperative: Cooperative | None = None) -> QuerySet[Certification]:
    """Vault certificates `actor` may see: every one for trade and program staff, their own cooperatives'
    for cooperative staff, none otherwise; optionally of one cooperative only."""
    queryset = Certification.objects.exclude(file="").select_related("cooperative", "product")
    if cooperative is not None:
        queryset = queryset.filter(cooperative=cooperative)
    if not is_trade_staff(actor):  # trade staff includes program staff
        queryset = queryset.filter(cooperative_id__in=cooperative_ids_of(actor))
    return queryset.prefetch_related("scope_products", "scope_product_types").order_by("valid_until", "type", "pk")


def certification_for_actor(*, actor, certification_id: int) -> Certification:
    """One certificate `actor` may see; `Certification.DoesNotExist` for one they may not (so a cooperative
    cannot even learn that another's certificate exists)."""
    return certifications_for_actor(actor).get(pk=certification_id)
