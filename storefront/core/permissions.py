"""Who may act. Every service takes the acting user and calls one of these first.

A cooperative's staff act only on their own cooperative; program staff act on every cooperative
(on its behalf); trade staff publish to the B2B catalog; customers act on their own checkout/orders.
Services raise `PermissionDenied`; the API turns it into Saleor's permission error, the pages into 403.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_program_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_program_staff or user.is_superuser))


def is_trade_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_trade_staff or is_program_staff(user)))


def cooperative_ids_of(user) -> set[int]:
    """Cooperatives whose staff `user` is (cached on the user object for the request)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_cooperative_ids", None)
    if cached is None:
        cached = set(user.cooperative_memberships.values_list("cooperative_id", flat=True))
        user._cooperative_ids = cached
    return cached


def is_cooperative_staff(user) -> bool:
    return bool(cooperative_ids_of(user))


def can_manage_cooperative(user, cooperative_id: int | None) -> bool:
    return is_program_staff(user) or (cooperative_id is not None and cooperative_id in cooperative_ids_of(user))


def require_cooperative_access(user, cooperative_id: int | None) -> None:
    if not can_manage_cooperative(user, cooperative_id):
        raise PermissionDenied(_("Bạn không có quyền thao tác trên hợp tác xã này."))


def require_program_staff(user) -> None:
    if not is_program_staff(user):
        raise PermissionDenied(_("Chỉ cán bộ chương trình được thực hiện thao tác này."))


def require_trade_staff(user) -> None:
    if not is_trade_staff(user):
        raise PermissionDenied(_("Chỉ cán bộ xúc tiến thương mại được thực hiện thao tác này."))
