"""Building checkouts and orders through the services, for the commerce tests."""
from __future__ import annotations

from storefront.checkout.selectors import checkout_shipping_methods
from storefront.checkout.complete import checkout_complete
from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                          checkout_payment_gateway_set, checkout_privacy_consent)
from storefront.payment.gateways import COD

ADDRESS = {
    "first_name": "An", "last_name": "Nguyễn Văn", "street_address_1": "12 Đường 30/4",
    "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678",
}


def ready_checkout(channel, lines, *, actor=None, email="khach@example.com", gateway=COD, address=None):
    checkout = checkout_create(channel=channel, actor=actor, email=email, lines=lines,
                               shipping_address=address or ADDRESS, billing_address=address or ADDRESS)
    methods = checkout_shipping_methods(checkout=checkout)
    assert methods, "no shipping method for the test address"
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=methods[0].method.pk)
    checkout_payment_gateway_set(checkout=checkout, gateway_id=gateway)
    checkout_privacy_consent(checkout=checkout, granted=True)
    return checkout


def place_order(channel, lines, *, actor=None, gateway=COD, **kwargs):
    checkout = ready_checkout(channel, lines, actor=actor, gateway=gateway, **kwargs)
    return checkout_complete(checkout=checkout, actor=actor)


def codes(exc) -> dict[str, list[str]]:
    """{field: [codes]} of a ValidationError raised by a service."""
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}
