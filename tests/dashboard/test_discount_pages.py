"""Dashboard pages for vouchers and promotions: a cooperative's staff create and list their own;
program staff all; other cooperatives and shoppers are refused."""
import pytest
from django.urls import reverse

from storefront.discount.models import FundedBy, Promotion, Voucher
from storefront.discount.services import voucher_create

pytestmark = pytest.mark.django_db


def _voucher_post(**extra):
    return {"kind": "voucher", "voucher-code": "VB15", "voucher-name": "Gạo giảm 15 %", "voucher-type": "entire_order",
            "voucher-discount_value_type": "percentage", "voucher-discount_value": "15",
            "voucher-start_date": "2026-12-01T08:00", "voucher-end_date": "2026-12-31T22:00",
            "voucher-usage_limit": "100"} | extra


def test_a_cooperative_creates_and_lists_its_vouchers_and_promotions(client, coop, coop_staff, product,
                                                                     program_staff, other_coop):
    voucher_create(actor=program_staff, code="KHAC", discount_value=5, cooperative=other_coop)
    client.force_login(coop_staff)
    url = reverse("dashboard:discounts", args=[coop.pk])
    response = client.post(url, _voucher_post(**{"voucher-product": str(product.pk)}))
    assert response.status_code == 302, response.context["voucher_form"].errors
    voucher = Voucher.objects.get(code="VB15")
    assert (voucher.cooperative, voucher.funded_by, voucher.product) == (coop, FundedBy.COOPERATIVE, product)
    # entered in Vietnam time: 08:00 on 1 December is 01:00 UTC
    assert voucher.start_date.isoformat() == "2026-12-01T01:00:00+00:00"
    response = client.post(url, {"kind": "promotion", "promotion-name": "Tuần lễ gạo", "promotion-type": "catalogue",
                                 "promotion-reward_type": "subtotal_discount",
                                 "promotion-discount_value_type": "percentage", "promotion-discount_value": "10"})
    assert response.status_code == 302
    assert Promotion.objects.get().cooperative == coop
    page = client.get(url).content.decode()
    assert "VB15" in page and "Tuần lễ gạo" in page and "KHAC" not in page


def test_a_cooperative_cannot_pick_another_cooperatives_product_or_page(client, coop, coop_staff, other_coop,
                                                                        other_coop_staff, channel):
    from tests.factories import make_product

    foreign = make_product(other_coop, channel, name="Rau Đà Lạt", price=20_000)
    client.force_login(coop_staff)
    response = client.post(reverse("dashboard:discounts", args=[coop.pk]),
                           _voucher_post(**{"voucher-product": str(foreign.pk)}))
    assert response.status_code == 400 and "voucher-product" in response.content.decode()
    assert client.get(reverse("dashboard:discounts", args=[other_coop.pk])).status_code == 403
    assert client.post(reverse("dashboard:discounts", args=[other_coop.pk]), _voucher_post()).status_code == 403
    assert client.get(reverse("dashboard:program_discounts")).status_code == 403
    assert not Voucher.objects.exists()


def test_a_refusal_of_the_service_shows_on_the_form(client, coop, coop_staff, program_staff):
    voucher_create(actor=program_staff, code="vb15", discount_value=5)
    client.force_login(coop_staff)
    response = client.post(reverse("dashboard:discounts", args=[coop.pk]), _voucher_post())
    assert response.status_code == 400
    assert "Mã VB15 đã tồn tại." in response.content.decode()


def test_program_staff_create_for_anyone_and_see_all(client, program_staff, coop, other_coop, customer):
    voucher_create(actor=program_staff, code="KHAC", discount_value=5, cooperative=other_coop,
                   funded_by="cooperative")
    client.force_login(program_staff)
    url = reverse("dashboard:program_discounts")
    response = client.post(url, _voucher_post(**{"voucher-cooperative": str(coop.pk),
                                                 "voucher-funded_by": "program"}))
    assert response.status_code == 302
    voucher = Voucher.objects.get(code="VB15")
    assert (voucher.cooperative, voucher.funded_by) == (coop, FundedBy.PROGRAM)
    page = client.get(url).content.decode()
    assert "VB15" in page and "KHAC" in page
    client.force_login(customer)
    assert client.get(url).status_code == 403
