"""The Django admin for program staff: pages of the catalog/account models open, and the
cooperative approval action goes through the service."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["cooperative_cooperative", "product_product", "product_productvariant", "product_category",
         "product_collection", "product_attribute", "product_producttype", "account_user", "account_consentrecord",
         "account_address", "channel_channel", "menu_menu"]


@pytest.fixture
def admin_client_program(client, program_staff):
    program_staff.is_superuser = True
    program_staff.save()
    client.force_login(program_staff)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_changelists_open(admin_client_program, page, product, combo):
    assert admin_client_program.get(reverse(f"admin:{page}_changelist")).status_code == 200



def test_product_change_page_opens(admin_client_program, product):
    url = reverse("admin:product_product_change", args=[product.pk])
    assert admin_client_program.get(url).status_code == 200


def test_approve_action_uses_the_service(admin_client_program, customer):
    from storefront.cooperative.models import Cooperative
    from tests.factories import make_cooperative

    pending = make_cooperative("HTX Chờ duyệt", status="pending")
    response = admin_client_program.post(reverse("admin:cooperative_cooperative_changelist"), {
        "action": "approve", "_selected_action": [pending.pk],
    })
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Cooperative.Status.APPROVED and pending.approved_at
