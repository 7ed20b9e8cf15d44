"""Which cooperative a dashboard page acts on: the one in the URL, if the user may manage it."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from storefront.cooperative.selectors import cooperative_for_actor
from storefront.core.permissions import require_program_staff


def cooperative_page(view):
    """Loads `coop_id` as `cooperative`, refusing (403) staff of any other cooperative."""
    @login_required
    @wraps(view)
    def wrapper(request, coop_id, *args, **kwargs):
        cooperative = cooperative_for_actor(actor=request.user, cooperative_id=coop_id)
        if cooperative is None:
            raise Http404
        return view(request, cooperative, *args, **kwargs)
    return wrapper


def program_page(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_program_staff(request.user)
        return view(request, *args, **kwargs)
    return wrapper


def refuse_other_cooperative(obj_cooperative_id: int, cooperative) -> None:
    """An object reached through one cooperative's URL must belong to that cooperative."""
    if obj_cooperative_id != cooperative.pk:
        raise PermissionDenied
