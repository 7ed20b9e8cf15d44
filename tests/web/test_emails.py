"""Order mails are rendered from the templates in the order's language."""
import pytest
from django.core import mail
from django.test import override_settings

from storefront.order.tasks import (cooperative_new_order_text, order_confirmation_text, send_cooperative_new_order,
                                    send_fulfillment_shipped)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(customer, variant, combo, other_coop, shipping_method, channel):
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_privacy_consent)
    from tests.factories import make_product

    vegetables = make_product(other_coop, channel, name="Rau muống", price=15_000, stock=10)
    address = {"first_name": "An", "last_name": "Nguyễn", "street_address_1": "1 Hòa Bình",
               "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
    checkout = checkout_create(channel=channel, actor=customer, email=customer.email,
                               lines=[(variant, 1), (vegetables.variants.get(), 2)],
                               shipping_address=address, billing_address=address, language_code="en")
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    checkout_privacy_consent(checkout=checkout, granted=True)
    return checkout_complete(checkout=checkout, actor=customer, payment_gateway="htx.payments.vietqr")


@override_settings(SITE_URL="https://cho.example.vn")
def test_confirmation_carries_lines_totals_transfer_details_and_status_link(order):
    body = order_confirmation_text(order)
    assert "Gạo ST25 Vĩnh Bình" in body and "195.000 ₫" in body
    assert order.transfer_note in body and "0123456789" in body and "000201" in body
    assert f"https://cho.example.vn/don-hang/{order.token}/" in body
    assert "&amp;" not in body and "&#" not in body  # plain text, not HTML-escaped


def test_confirmation_in_english_when_ordered_in_english(order):
    from django.utils import translation

    with translation.override("en"):
        body = order_confirmation_text(order)
    assert "Thank you" in body and "Transfer note" in body


def test_cooperative_notice_lists_only_its_part(order, coop, other_coop):
    mine = order.fulfillments.get(cooperative=other_coop)
    body = cooperative_new_order_text(mine)
    assert "Rau muống" in body and "Gạo ST25" not in body
    assert "30.000 ₫" in body
    assert f"/dashboard/htx/{other_coop.pk}/don-hang/" in body
    mail.outbox.clear()
    send_cooperative_new_order(mine.pk)
    assert mail.outbox[-1].to == [other_coop.email]


def test_shipped_notice_has_the_tracking_number(order, coop, coop_staff):
    from storefront.order.services import fulfillment_ship

    part = order.fulfillments.get(cooperative=coop)
    part.tracking_number = "GHN777"
    part.save(update_fields=["tracking_number"])
    mail.outbox.clear()
    send_fulfillment_shipped(part.pk)
    assert "GHN777" in mail.outbox[-1].body
