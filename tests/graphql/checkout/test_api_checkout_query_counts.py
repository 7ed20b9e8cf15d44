"""SQL statements per checkout operation of a shopper, pinned: a count that grows fails here.

Each pin is the exact count of today's code for a one-line checkout (two lines where the operation
adds one), counted on a second pass so that what a process reads once (reference data) is not in
it whatever ran before; lower a pin when a change saves a statement, never raise it without a reason."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront.graphql.core.ids import global_id
from tests.factories import make_product
from tests.graphql.flows import ADDRESS, create_checkout, ready_checkout
from tests.graphql.queries import (BILLING_ADDRESS_UPDATE, CHECKOUT_COMPLETE, CHECKOUT_CREATE, CHECKOUT_QUERY, CONSENT,
                                   DELIVERY_METHOD_UPDATE, EMAIL_UPDATE, LINES_ADD, LINES_DELETE, LINES_UPDATE,
                                   NOTE_UPDATE, PAYMENT_CREATE, SHIPPING_ADDRESS_UPDATE)

# Statements per operation (Django's test database, SQLite; savepoints of atomic blocks included).
# Every operation that reads the totals reads the running promotions once (+1 since promotions).
PINS = {
    "checkoutCreate": 23,
    "checkout": 14,
    "checkoutLinesAdd": 30,
    "checkoutLinesUpdate": 31,
    "checkoutLinesDelete": 13,
    "checkoutEmailUpdate": 2,
    "checkoutShippingAddressUpdate": 12,
    "checkoutBillingAddressUpdate": 7,
    "checkoutDeliveryMethodUpdate": 13,
    "checkoutCustomerNoteUpdate": 2,
    "checkoutPrivacyConsentUpdate": 2,
    "checkoutPaymentCreate": 2,
    "checkoutComplete": 28,  # 24 before harvest lots: their lock, their update, the line lot record
}


def _statements(gql, query, variables) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        data = gql.execute(query, variables)
    return len(ctx.captured_queries), data


def _run(pinned: bool):
    """`run(gql, name, query, variables)`: executes, and with `pinned` checks the statement count."""
    def run(gql, name, query, variables) -> dict:
        count, data = _statements(gql, query, variables)
        result = next(iter(data.values()))
        assert not (isinstance(result, dict) and result.get("errors")), result
        if pinned:
            assert count == PINS[name], f"{name}: {count} statements, pinned at {PINS[name]}"
        return data

    return run


TWO_PASSES = pytest.mark.parametrize("passes", [(_run(False), _run(True))], ids=["second pass"])


@pytest.fixture
def other_variant(coop, channel):
    return make_product(coop, channel, name="Cà phê Robusta", price=120_000).variants.get()


@TWO_PASSES
def test_checkout_create_and_read(gql, variant, passes):
    for _pinned in passes:
        data = _pinned(gql, "checkoutCreate", CHECKOUT_CREATE, {"input": {
            "channel": "vietnam", "email": "khach@example.com",
            "lines": [{"quantity": 2, "variantId": global_id("ProductVariant", variant.pk)}]}})
        cid = data["checkoutCreate"]["checkout"]["id"]
        _pinned(gql, "checkout", CHECKOUT_QUERY, {"id": cid})


@TWO_PASSES
def test_checkout_lines(gql, variant, other_variant, passes):
    for _pinned in passes:
        cid = create_checkout(gql, variant)["id"]
        added = _pinned(gql, "checkoutLinesAdd", LINES_ADD, {"id": cid, "lines": [
            {"quantity": 1, "variantId": global_id("ProductVariant", other_variant.pk)}]})
        line_ids = [line["id"] for line in added["checkoutLinesAdd"]["checkout"]["lines"]]
        assert len(line_ids) == 2
        _pinned(gql, "checkoutLinesUpdate", LINES_UPDATE, {"id": cid, "lines": [{"lineId": line_ids[1],
                                                                                "quantity": 3}]})
        _pinned(gql, "checkoutLinesDelete", LINES_DELETE, {"id": cid, "linesIds": [line_ids[1]]})


@TWO_PASSES
def test_checkout_details_steps(gql, variant, shipping_method, passes):
    for _pinned in passes:
        cid = create_checkout(gql, variant)["id"]
        _pinned(gql, "checkoutEmailUpdate", EMAIL_UPDATE, {"id": cid, "email": "an@example.com"})
        _pinned(gql, "checkoutShippingAddressUpdate", SHIPPING_ADDRESS_UPDATE, {"id": cid, "address": ADDRESS})
        _pinned(gql, "checkoutBillingAddressUpdate", BILLING_ADDRESS_UPDATE, {"id": cid, "address": ADDRESS})
        _pinned(gql, "checkoutDeliveryMethodUpdate", DELIVERY_METHOD_UPDATE, {
            "id": cid, "deliveryMethodId": global_id("ShippingMethod", shipping_method.pk)})
        _pinned(gql, "checkoutCustomerNoteUpdate", NOTE_UPDATE, {"id": cid, "note": "Giao giờ hành chính"})
        _pinned(gql, "checkoutPrivacyConsentUpdate", CONSENT, {"id": cid})


@TWO_PASSES
def test_checkout_payment_and_complete(gql, variant, shipping_method, passes):
    for _pinned in passes:
        cid = ready_checkout(gql, variant, shipping_method)
        _pinned(gql, "checkoutPaymentCreate", PAYMENT_CREATE, {"id": cid, "gateway": "htx.payments.cod"})
        data = _pinned(gql, "checkoutComplete", CHECKOUT_COMPLETE, {"id": cid})
        assert data["checkoutComplete"]["order"]["status"] == "UNFULFILLED"
