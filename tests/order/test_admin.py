import pytest

from tests.checkout.helpers import place_order

pytestmark = pytest.mark.django_db


def test_admin_pages_open_for_program_staff(client, django_user_model, channel, variant, shipping_method):
    order = place_order(channel, [(variant, 1)])
    admin = django_user_model.objects.create_superuser("admin@example.com", "Matkhau!2026")
    client.force_login(admin)
    for url in ["/admin/order/order/", f"/admin/order/order/{order.pk}/change/", "/admin/order/fulfillment/",
                "/admin/warehouse/stock/", "/admin/warehouse/allocation/", "/admin/payment/payment/",
                "/admin/shipping/shippingzone/", "/admin/settlement/ledgerentry/", "/admin/checkout/checkout/"]:
        assert client.get(url).status_code == 200, url
