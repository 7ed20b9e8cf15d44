import pytest
from django.core.exceptions import PermissionDenied

from storefront.cooperative.selectors import cooperative_for_actor, cooperatives_for_program
from tests.factories import make_cooperative

pytestmark = pytest.mark.django_db


def test_program_list_by_status(program_staff, coop_staff, coop):
    pending = make_cooperative("HTX Mới", status="pending")
    assert set(cooperatives_for_program(actor=program_staff)) >= {coop, pending}
    assert list(cooperatives_for_program(actor=program_staff, status="pending")) == [pending]
    assert pending in cooperatives_for_program(actor=program_staff, status="no-such-status")
    with pytest.raises(PermissionDenied):
        cooperatives_for_program(actor=coop_staff)


def test_one_cooperative_for_who_manages_it(program_staff, coop_staff, coop, other_coop):
    assert cooperative_for_actor(actor=coop_staff, cooperative_id=coop.pk) == coop
    assert cooperative_for_actor(actor=program_staff, cooperative_id=other_coop.pk) == other_coop
    assert cooperative_for_actor(actor=program_staff, cooperative_id=10**9) is None
    with pytest.raises(PermissionDenied):
        cooperative_for_actor(actor=coop_staff, cooperative_id=other_coop.pk)
