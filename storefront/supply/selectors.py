"""Reads of the supply domain, scoped to what the actor may see."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from storefront.cooperative.models import Cooperative
from storefront.core.models import Province
from storefront.core.permissions import cooperative_ids_of, is_program_staff

from .access import alliance_province_codes, can_act_for_cooperative, distributor_ids_of, report_scope
from .models import Distributor, DistributorPurchase, SalesNeed, SalesRecord


def cooperatives_for_supply_actor(*, actor) -> QuerySet:
    """Cooperatives the actor may declare needs and record sales for."""
    if is_program_staff(actor):
        return Cooperative.objects.select_related("province").all()
    return Cooperative.objects.select_related("province").filter(
        Q(pk__in=cooperative_ids_of(actor)) | Q(province_id__in=alliance_province_codes(actor))
    )


def needs_for_actor(*, actor, province=None, status: str | None = None) -> QuerySet:
    scope = report_scope(actor, province=province)
    needs = SalesNeed.objects.select_related("cooperative__province", "cooperative__commune").filter(
        scope.cooperative_q())
    return needs.filter(status=status) if status else needs


def need_for_actor(*, actor, need_id) -> SalesNeed:
    need = SalesNeed.objects.select_related("cooperative__province", "draft_product").filter(pk=need_id).first()
    if need is None or not (can_act_for_cooperative(actor, need.cooperative) or is_program_staff(actor)):
        raise SalesNeed.DoesNotExist
    return need


def sales_record_for_actor(*, actor, record_id) -> SalesRecord | None:
    """A sales record the actor may change (their cooperative's, or any for program staff); None if
    there is none, PermissionDenied for another cooperative's."""
    record = SalesRecord.objects.select_related("cooperative").filter(pk=record_id).first()
    if record is not None and not (can_act_for_cooperative(actor, record.cooperative) or is_program_staff(actor)):
        raise PermissionDenied
    return record


def report_provinces_for(*, actor) -> QuerySet[Province]:
    """The provinces a report may be narrowed to: the actor's alliance provinces, or all of them."""
    codes = None if is_program_staff(actor) else alliance_province_codes(actor)
    return Province.objects.filter(pk__in=codes) if codes else Province.objects.all()


def sales_records_for_actor(*, actor, date_from=None, date_to=None, province=None) -> QuerySet:
    scope = report_scope(actor, province=province)
    records = SalesRecord.objects.select_related("cooperative__province", "cooperative__commune", "product").filter(
        scope.cooperative_q())
    if date_from:
        records = records.filter(sold_on__gte=date_from)
    if date_to:
        records = records.filter(sold_on__lte=date_to)
    return records


def distributors_for_actor(*, actor) -> QuerySet:
    if is_program_staff(actor):
        return Distributor.objects.all()
    ids = distributor_ids_of(actor)
    if not ids:
        raise PermissionDenied(_("Bạn không thuộc đơn vị phân phối nào."))
    return Distributor.objects.filter(pk__in=ids)


def distributor_purchases_for_actor(*, actor, distributor=None, date_from=None, date_to=None) -> QuerySet:
    distributors = distributors_for_actor(actor=actor)
    purchases = DistributorPurchase.objects.select_related(
        "distributor", "cooperative__province", "cooperative__commune").filter(distributor__in=distributors)
    if distributor is not None:
        if not distributors.filter(pk=distributor.pk).exists():
            raise PermissionDenied(_("Bạn không có quyền thao tác cho đơn vị phân phối này."))
        purchases = purchases.filter(distributor=distributor)
    if date_from:
        purchases = purchases.filter(purchased_on__gte=date_from)
    if date_to:
        purchases = purchases.filter(purchased_on__lte=date_to)
    return purchases
