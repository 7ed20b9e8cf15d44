import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.cooperative.models import Cooperative, CooperativeMember
from storefront.cooperative.selectors import cooperative_by_slug, cooperatives_for_actor, cooperatives_selling
from storefront.cooperative.services import (cooperative_approve, cooperative_member_add, cooperative_register,
                                             cooperative_suspend, cooperative_update_profile)
from storefront.product.selectors import products_visible
from storefront.warehouse.models import Warehouse
from tests.factories import make_user

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "tht", "name": "Tổ hợp tác rau sạch Đắk Mil", "province": "Lâm Đồng", "commune": "Xã Hiệp Thạnh",
    "street": "Thôn 3", "representative_name": "Y Bih", "phone": "0987 214 660", "email": "Rau@Example.com",
    "farm_area_ha": "12.5", "certifications": [{"type": "VietGAP", "scope": "Rau ăn lá"}],
}


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_register_creates_pending_cooperative_with_owner_and_warehouse(customer):
    coop = cooperative_register(actor=customer, data=VALID)
    assert coop.status == Cooperative.Status.PENDING and coop.slug == "to-hop-tac-rau-sach-dak-mil"
    assert coop.province_id == "68" and coop.commune.name == "Xã Hiệp Thạnh"
    assert coop.phone == "+84987214660" and coop.email == "rau@example.com"
    assert CooperativeMember.objects.get(cooperative=coop).user == customer
    assert CooperativeMember.objects.get(cooperative=coop).role == "owner"
    assert Warehouse.objects.filter(cooperative=coop).count() == 1
    assert coop.certifications.get().type == "VietGAP"
    assert "dak mil" in coop.search_text
    assert coop not in cooperatives_selling()
    assert cooperative_by_slug(coop.slug) is None
    assert cooperative_by_slug(coop.slug, actor=customer) == coop  # its owner sees it while pending
    assert list(cooperatives_for_actor(customer)) == [coop]


@pytest.mark.parametrize("change, field, code", [
    ({"phone": "12345"}, "phone", "invalid_phone"),
    ({"province": "Atlantis"}, "province", "invalid"),
    ({"commune": "Xã Kế Sách"}, "commune", "invalid"),  # a commune of another province
    ({"email": "khong-phai-email"}, "email", "invalid"),
    ({"name": ""}, "name", "required"),
    ({"kind": "corp"}, "kind", "invalid"),
    ({"farm_area_ha": "nhiều"}, "farm_area_ha", "invalid"),
    ({"certifications": [{"type": "Kosher"}]}, "certifications", "invalid"),
])
def test_register_rejects_bad_input_and_writes_nothing(customer, change, field, code):
    before = (Cooperative.objects.count(), CooperativeMember.objects.count(), Warehouse.objects.count())
    with pytest.raises(ValidationError) as exc:
        cooperative_register(actor=customer, data={**VALID, **change})
    assert codes(exc.value) == {field: [code]}
    assert (Cooperative.objects.count(), CooperativeMember.objects.count(), Warehouse.objects.count()) == before


def test_anonymous_cannot_register():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        cooperative_register(actor=AnonymousUser(), data=VALID)


def test_approve_and_suspend_are_program_staff_only(customer, program_staff, coop_staff, product, coop, channel):
    pending = cooperative_register(actor=customer, data=VALID)
    with pytest.raises(PermissionDenied):
        cooperative_approve(actor=customer, cooperative=pending)
    approved = cooperative_approve(actor=program_staff, cooperative=pending)
    assert approved.status == "approved" and approved.approved_at
    with pytest.raises(ValidationError) as exc:
        cooperative_suspend(actor=program_staff, cooperative=coop, reason="  ")
    assert codes(exc.value) == {"reason": ["required"]}
    assert product in set(products_visible(channel=channel))
    cooperative_suspend(actor=program_staff, cooperative=coop, reason="Hồ sơ chứng nhận hết hạn")
    assert product not in set(products_visible(channel=channel))  # suspended: not sold
    coop.refresh_from_db()
    # Its staff can still edit.
    cooperative_update_profile(actor=coop_staff, cooperative=coop, data={"description": "Đang bổ sung hồ sơ"})


def test_profile_update_refreshes_products_search_text(coop_staff, coop, product, channel):
    from storefront.product.selectors import product_search
    from storefront.product.services import cooperative_update_profile_and_products, product_update

    product_update(actor=coop_staff, product=product, data={"name": product.name})
    cooperative_update_profile_and_products(actor=coop_staff, cooperative=coop, data={"name": "HTX Lúa gạo Kế Sách"})
    assert list(product_search(channel=channel, query="lua gao ke sach")) == [product]
    with pytest.raises(ValidationError):
        cooperative_update_profile_and_products(actor=coop_staff, cooperative=coop, data={"phone": "000"})


def test_members_are_managed_by_owners(coop, coop_staff, program_staff):
    owner = make_user("chu.nhiem@example.com")
    newcomer = make_user("moi@example.com")
    cooperative_member_add(actor=program_staff, cooperative=coop, user=owner, role="owner")
    with pytest.raises(PermissionDenied):
        cooperative_member_add(actor=coop_staff, cooperative=coop, user=newcomer)
    member = cooperative_member_add(actor=owner, cooperative=coop, user=newcomer)
    assert member.role == "staff"
    with pytest.raises(ValidationError):
        cooperative_member_add(actor=owner, cooperative=coop, user=newcomer, role="boss")
