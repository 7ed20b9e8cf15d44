"""Program staff pages: approve/suspend, all orders, transfers received, combos, collections, payouts."""
import pytest
from django.urls import reverse

from storefront.cooperative.models import Cooperative
from storefront.product.models import Collection, Product
from tests.factories import make_cooperative, make_product

pytestmark = pytest.mark.django_db


def test_only_program_staff(client, coop_staff):
    client.force_login(coop_staff)
    for name in ("program_cooperatives", "program_orders", "program_combo", "program_collections",
                 "program_settlement"):
        assert client.get(reverse(f"dashboard:{name}")).status_code == 403


def test_approve_and_suspend(client, program_staff, channel):
    pending = make_cooperative("HTX Mới", status="pending")
    client.force_login(program_staff)
    assert "HTX Mới" in client.get(reverse("dashboard:program_cooperatives")).content.decode()
    client.post(reverse("dashboard:program_coop_status", args=[pending.pk, "approve"]))
    pending.refresh_from_db()
    assert pending.status == Cooperative.Status.APPROVED
    response = client.post(reverse("dashboard:program_coop_status", args=[pending.pk, "suspend"]), follow=True)
    pending.refresh_from_db()
    assert pending.status == Cooperative.Status.APPROVED  # a reason is required
    assert "lý do" in response.content.decode().lower()
    client.post(reverse("dashboard:program_coop_status", args=[pending.pk, "suspend"]), {"reason": "Hồ sơ sai"})
    pending.refresh_from_db()
    assert pending.status == Cooperative.Status.SUSPENDED


def _transfer_order(customer, variant, shipping_method, channel):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_privacy_consent)

    address = {"first_name": "An", "last_name": "Nguyễn", "street_address_1": "1 Hòa Bình",
               "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
    checkout = checkout_create(channel=channel, actor=customer, email=customer.email, lines=[(variant, 1)],
                               shipping_address=address, billing_address=address)
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    checkout_privacy_consent(checkout=checkout, granted=True)
    return checkout_complete(checkout=checkout, actor=customer, payment_gateway="htx.payments.vietqr")


def test_mark_a_transfer_received(client, program_staff, customer, variant, shipping_method, channel):
    order = _transfer_order(customer, variant, shipping_method, channel)
    client.force_login(program_staff)
    listing = client.get(reverse("dashboard:program_orders"), {"awaiting_transfer": "1"}).content.decode()
    assert f"#{order.number}" in listing and order.transfer_note in listing
    url = reverse("dashboard:program_order", args=[order.pk])
    response = client.post(url, {"amount": order.total_amount, "reference": "FT2611230001"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.charge_status == "full"
    assert order.status == "unfulfilled"


def test_combo_from_two_cooperatives(client, program_staff, coop, other_coop, channel):
    rice = make_product(coop, channel, name="Gạo", price=50_000, stock=10)
    veg = make_product(other_coop, channel, name="Rau", price=20_000, stock=10)
    from tests.factories import _default_category

    client.force_login(program_staff)
    response = client.post(reverse("dashboard:program_combo"), {
        "cooperative": coop.pk, "name": "Combo bữa cơm", "category": _default_category().pk, "price": 99_000,
        "components": f"{rice.variants.get().sku} 2\n{veg.variants.get().sku} 1", "publish": "on",
    })
    combo = Product.objects.get(name="Combo bữa cơm")
    assert response["Location"] == reverse("web:product", args=[combo.slug])
    html = client.get(response["Location"]).content.decode()
    assert "99.000 ₫" in html and other_coop.name in html


def test_combo_with_unknown_sku_is_refused(client, program_staff, coop, channel):
    from tests.factories import _default_category

    client.force_login(program_staff)
    response = client.post(reverse("dashboard:program_combo"), {
        "cooperative": coop.pk, "name": "Combo lỗi", "category": _default_category().pk, "price": 99_000,
        "components": "KHONG-CO 1"})
    assert "components" in response.context["form"].errors
    assert not Product.objects.filter(name="Combo lỗi").exists()


def test_featured_collection_appears_on_home(client, program_staff, product, channel):
    client.force_login(program_staff)
    response = client.post(reverse("dashboard:program_collections"), {
        "name": "Đặc sản Tết", "is_featured": "on", "products": product.slug, "sort_order": 0})
    assert response.status_code == 302
    collection = Collection.objects.get(name="Đặc sản Tết")
    client.logout()
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("web:collection", args=[collection.slug]) in home
    page = client.get(reverse("web:collection", args=[collection.slug]))
    assert [c.product for c in page.context["cards"]] == [product]


def test_record_a_payout(client, program_staff, coop):
    from storefront.settlement.models import LedgerEntry

    LedgerEntry.objects.create(cooperative=coop, kind=LedgerEntry.Kind.SALE, amount=500_000)
    client.force_login(program_staff)
    assert "500.000 ₫" in client.get(reverse("dashboard:program_settlement")).content.decode()
    url = reverse("dashboard:program_settlement_coop", args=[coop.pk])
    response = client.post(url, {"amount": 200_000, "reference": "CK-001"})
    assert response.status_code == 302
    assert "300.000 ₫" in client.get(url).content.decode()
