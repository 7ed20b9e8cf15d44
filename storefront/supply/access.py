"""Who may declare, record and read supply data.

On top of storefront.core.permissions (cooperative staff act on their own cooperative, program staff on
all): a provincial cooperative alliance's staff act for every cooperative of their province, and a
distributor's staff record and read their own distributor's purchases.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from storefront.core.permissions import can_manage_cooperative, cooperative_ids_of, is_program_staff


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def alliance_province_codes(user) -> set[str]:
    if not _active(user):
        return set()
    cached = getattr(user, "_alliance_province_codes", None)
    if cached is None:
        cached = set(user.alliance_memberships.values_list("province_id", flat=True))
        user._alliance_province_codes = cached
    return cached


def distributor_ids_of(user) -> set[int]:
    if not _active(user):
        return set()
    cached = getattr(user, "_distributor_ids", None)
    if cached is None:
        cached = set(user.distributor_memberships.values_list("distributor_id", flat=True))
        user._distributor_ids = cached
    return cached


def can_act_for_cooperative(user, cooperative) -> bool:
    return can_manage_cooperative(user, cooperative.pk) or cooperative.province_id in alliance_province_codes(user)


def require_cooperative_supply_access(user, cooperative) -> None:
    if not can_act_for_cooperative(user, cooperative):
        raise PermissionDenied(_("Bạn không có quyền khai báo cho hợp tác xã này."))


def can_act_for_distributor(user, distributor) -> bool:
    return is_program_staff(user) or distributor.pk in distributor_ids_of(user)


def require_distributor_access(user, distributor) -> None:
    if not can_act_for_distributor(user, distributor):
        raise PermissionDenied(_("Bạn không có quyền thao tác cho đơn vị phân phối này."))


def can_read_supply_reports(user) -> bool:
    return is_program_staff(user) or bool(alliance_province_codes(user)) or bool(cooperative_ids_of(user))


@dataclass(frozen=True)
class ReportScope:
    """Which cooperatives' rows a reader may see: all (program staff), or those of their provinces and
    of their own cooperatives; narrowed to one province when the reader asks for it."""

    all_cooperatives: bool
    province_codes: frozenset[str]
    cooperative_ids: frozenset[int]
    province_filter: str | None

    def cooperative_q(self, prefix: str = "cooperative") -> Q:
        q = Q() if self.all_cooperatives else (
            Q(**{f"{prefix}__province_id__in": self.province_codes}) | Q(**{f"{prefix}_id__in": self.cooperative_ids})
        )
        if self.province_filter:
            q &= Q(**{f"{prefix}__province_id": self.province_filter})
        return q

    def allows(self, cooperative) -> bool:
        if self.province_filter and cooperative.province_id != self.province_filter:
            return False
        return (self.all_cooperatives or cooperative.province_id in self.province_codes
                or cooperative.pk in self.cooperative_ids)


def report_scope(user, *, province=None) -> ReportScope:
    """Raises PermissionDenied for a reader with no supply role, or asking for a province they do not
    cover (a cooperative's staff may filter by any province: they still see only their own rows)."""
    province_code = getattr(province, "pk", province) or None
    if is_program_staff(user):
        return ReportScope(True, frozenset(), frozenset(), province_code)
    provinces = frozenset(alliance_province_codes(user))
    cooperatives = frozenset(cooperative_ids_of(user))
    if not provinces and not cooperatives:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo tiêu thụ."))
    if province_code and provinces and not cooperatives and province_code not in provinces:
        raise PermissionDenied(_("Bạn chỉ xem được báo cáo của tỉnh mình."))
    return ReportScope(False, provinces, cooperatives, province_code)
