import uuid

import pytest
from django.core.exceptions import ValidationError

from storefront.checkout.models import Checkout, CheckoutLine
from storefront.checkout.selectors import (checkout_for_actor, checkout_problems, checkout_shipping_methods,
                                           checkout_totals)
from storefront.checkout.services import (checkout_billing_address_update, checkout_create,
                                          checkout_customer_note_update, checkout_delivery_method_update,
                                          checkout_email_update, checkout_lines_add, checkout_lines_delete,
                                          checkout_lines_update, checkout_payment_gateway_set,
                                          checkout_shipping_address_update)
from storefront.cooperative.models import Cooperative
from storefront.product.models import ProductChannelListing, ProductVariantChannelListing
from storefront.warehouse.models import Stock
from tests.checkout.helpers import ADDRESS, codes
from tests.factories import make_product, make_shipping

pytestmark = pytest.mark.django_db


def _line_quantities(checkout):
    return dict(CheckoutLine.objects.filter(checkout=checkout).values_list("variant_id", "quantity"))


def test_create_with_lines_and_totals(channel, variant, combo, shipping_method):
    combo_variant = combo.variants.get()
    checkout = checkout_create(channel=channel, email="A@Example.com", lines=[(variant, 2), (combo_variant, 1)],
                               shipping_address=ADDRESS)
    assert checkout.email == "a@example.com"
    totals = checkout_totals(checkout=checkout)
    assert totals.subtotal == 2 * 195_000 + 139_000
    assert totals.shipping_price == 0 and totals.total == totals.subtotal
    assert totals.weight_g == 2 * 1000 + combo.weight_g
    checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    totals = checkout_totals(checkout=checkout)
    assert totals.shipping_price == 0  # 529,000 ≥ free threshold 500,000
    checkout_lines_update(checkout=checkout, lines=[(variant, 1), (combo_variant, 0)])
    totals = checkout_totals(checkout=checkout)
    assert totals.subtotal == 195_000 and totals.shipping_price == 30_000 and totals.total == 225_000
    assert all(isinstance(v, int) for v in (totals.subtotal, totals.shipping_price, totals.total))


def test_add_sums_quantities_and_duplicates(channel, variant):
    checkout = checkout_create(channel=channel, lines=[(variant, 1)])
    checkout_lines_add(checkout=checkout, lines=[(variant, 2), (variant.pk, 3)])
    assert _line_quantities(checkout) == {variant.pk: 6}


@pytest.mark.parametrize("quantity,code", [
    (0, "zero_quantity"), (-1, "zero_quantity"), (1001, "quantity_greater_than_limit"),
    (10**12, "quantity_greater_than_limit"), ("3", "invalid"), (2.5, "invalid"), (True, "invalid"), (None, "invalid"),
])
def test_bad_quantities_rejected_without_writes(channel, variant, quantity, code):
    checkout = checkout_create(channel=channel, lines=[(variant, 1)])
    with pytest.raises(ValidationError) as exc:
        checkout_lines_add(checkout=checkout, lines=[(variant, quantity)])
    assert codes(exc.value) == {"quantity": [code]}
    assert _line_quantities(checkout) == {variant.pk: 1}
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(variant, quantity)])
    assert codes(exc.value) == {"quantity": [code]}
    assert Checkout.objects.count() == 1


def test_more_than_in_stock(channel, variant):
    checkout = checkout_create(channel=channel, lines=[(variant, 9)])
    with pytest.raises(ValidationError) as exc:
        checkout_lines_add(checkout=checkout, lines=[(variant, 2)])
    assert codes(exc.value) == {"quantity": ["insufficient_stock"]}
    assert exc.value.error_dict["quantity"][0].params == {"variants": [variant.pk]}
    assert _line_quantities(checkout) == {variant.pk: 9}


def test_one_bad_line_rejects_the_whole_batch(channel, variant, coop):
    unpublished = make_product(coop, channel, name="Chưa bán", price=10_000, published=False).variants.get()
    checkout = checkout_create(channel=channel)
    with pytest.raises(ValidationError) as exc:
        checkout_lines_add(checkout=checkout, lines=[(variant, 1), (unpublished, 1)])
    assert codes(exc.value) == {"lines": ["product_not_published"]}
    assert _line_quantities(checkout) == {}


def test_unknown_variant(channel):
    checkout = checkout_create(channel=channel)
    with pytest.raises(ValidationError) as exc:
        checkout_lines_add(checkout=checkout, lines=[(987654, 1)])
    assert codes(exc.value) == {"variant_id": ["not_found"]}


def test_suspended_cooperative_cannot_sell(channel, variant, coop, combo):
    Cooperative.objects.filter(pk=coop.pk).update(status=Cooperative.Status.SUSPENDED)
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(variant, 1)])
    assert codes(exc.value) == {"lines": ["product_unavailable_for_purchase"]}
    # the combo's owner is suspended too; and a combo with a component from a suspended coop is blocked
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(combo.variants.get(), 1)])
    assert codes(exc.value) == {"lines": ["product_unavailable_for_purchase"]}


def test_combo_blocked_when_a_component_seller_is_suspended(channel, combo, other_coop):
    Cooperative.objects.filter(pk=other_coop.pk).update(status=Cooperative.Status.SUSPENDED)
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(combo.variants.get(), 1)])
    assert codes(exc.value) == {"lines": ["product_unavailable_for_purchase"]}


def test_pending_cooperative_cannot_sell(channel, coop, variant):
    Cooperative.objects.filter(pk=coop.pk).update(status=Cooperative.Status.PENDING)
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(variant, 1)])
    assert codes(exc.value) == {"lines": ["product_unavailable_for_purchase"]}
    assert not Checkout.objects.exists()


def test_variant_without_price_in_channel(channel, variant):
    ProductVariantChannelListing.objects.filter(variant=variant).delete()
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(variant, 1)])
    assert codes(exc.value) == {"lines": ["unavailable_variant_in_channel"]}


def test_update_zero_removes_and_delete_unknown_line(channel, variant, combo):
    checkout = checkout_create(channel=channel, lines=[(variant, 2), (combo.variants.get(), 1)])
    checkout_lines_update(checkout=checkout, lines=[(variant, 0)])
    assert list(_line_quantities(checkout)) == [combo.variants.get().pk]
    with pytest.raises(ValidationError) as exc:
        checkout_lines_delete(checkout=checkout, line_ids=[uuid.uuid4()])
    assert codes(exc.value) == {"line_id": ["not_found"]}
    line = checkout.lines.get()
    checkout_lines_delete(checkout=checkout, line_ids=[line.pk])
    assert _line_quantities(checkout) == {}


def test_email_and_note(channel):
    checkout = checkout_create(channel=channel)
    with pytest.raises(ValidationError) as exc:
        checkout_email_update(checkout=checkout, email="not-an-email")
    assert codes(exc.value) == {"email": ["invalid"]}
    with pytest.raises(ValidationError) as exc:
        checkout_email_update(checkout=checkout, email="")
    assert codes(exc.value) == {"email": ["required"]}
    checkout_email_update(checkout=checkout, email="b@example.com")
    with pytest.raises(ValidationError) as exc:
        checkout_customer_note_update(checkout=checkout, note="x" * 1001)
    assert codes(exc.value) == {"customer_note": ["invalid"]}
    checkout_customer_note_update(checkout=checkout, note="  Giao giờ hành chính ")
    checkout.refresh_from_db()
    assert (checkout.email, checkout.customer_note) == ("b@example.com", "Giao giờ hành chính")


def test_bad_address_leaves_checkout_unchanged(channel):
    checkout = checkout_create(channel=channel, shipping_address=ADDRESS)
    address_pk = checkout.shipping_address_id
    with pytest.raises(ValidationError) as exc:
        checkout_shipping_address_update(checkout=checkout, address_data={**ADDRESS, "phone": "123"})
    assert codes(exc.value) == {"phone": ["invalid_phone"]}
    with pytest.raises(ValidationError) as exc:
        checkout_billing_address_update(checkout=checkout, address_data={**ADDRESS, "city": "Xã Không Có"})
    assert codes(exc.value) == {"city": ["invalid"]}
    checkout.refresh_from_db()
    assert checkout.shipping_address_id == address_pk and checkout.billing_address_id is None


def test_delivery_method_rules(channel, variant, shipping_method):
    checkout = checkout_create(channel=channel, lines=[(variant, 1)])
    with pytest.raises(ValidationError) as exc:
        checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    assert codes(exc.value) == {"shipping_address": ["shipping_address_not_set"]}
    checkout_shipping_address_update(checkout=checkout, address_data=ADDRESS)
    with pytest.raises(ValidationError) as exc:
        checkout_delivery_method_update(checkout=checkout, shipping_method_id=10**9)
    assert codes(exc.value) == {"shipping_method_id": ["not_found"]}
    # over the 30 kg band of the only method
    checkout_lines_update(checkout=checkout, lines=[(variant, 9)])
    variant.weight_g = 5000
    variant.save()
    with pytest.raises(ValidationError) as exc:
        checkout_delivery_method_update(checkout=checkout, shipping_method_id=shipping_method.pk)
    assert codes(exc.value) == {"shipping_method_id": ["shipping_method_not_applicable"]}
    assert checkout_shipping_methods(checkout=checkout) == []


def test_payment_gateway(channel):
    checkout = checkout_create(channel=channel)
    with pytest.raises(ValidationError) as exc:
        checkout_payment_gateway_set(checkout=checkout, gateway_id="stripe")
    assert codes(exc.value) == {"gateway": ["payment_error"]}
    checkout_payment_gateway_set(checkout=checkout, gateway_id="htx.payments.vietqr")
    assert Checkout.objects.get(pk=checkout.pk).payment_gateway == "htx.payments.vietqr"


def test_problems_list_lines_that_became_unsellable(channel, variant, combo):
    checkout = checkout_create(channel=channel, lines=[(variant, 5), (combo.variants.get(), 1)])
    Stock.objects.filter(product_variant=variant).update(quantity=3)
    ProductChannelListing.objects.filter(product=combo).update(is_published=False)
    problems = {p.variant_id: (p.code, p.available_quantity) for p in checkout_problems(checkout=checkout)}
    assert problems == {variant.pk: ("insufficient_stock", 3), combo.variants.get().pk: ("product_not_published", None)}


def test_checkout_access(channel, customer, program_staff):
    from django.contrib.auth.models import AnonymousUser

    anonymous = checkout_create(channel=channel)
    owned = checkout_create(channel=channel, actor=customer)
    assert owned.user == customer and owned.email == customer.email
    assert checkout_for_actor(token=anonymous.pk, actor=AnonymousUser()) == anonymous
    assert checkout_for_actor(token=str(anonymous.pk), actor=customer) == anonymous
    assert checkout_for_actor(token=owned.pk, actor=customer) == owned
    assert checkout_for_actor(token=owned.pk, actor=AnonymousUser()) is None
    assert checkout_for_actor(token=owned.pk, actor=program_staff) is None
    assert checkout_for_actor(token="garbage", actor=customer) is None


def test_inactive_channel(channel, variant):
    channel.is_active = False
    channel.save()
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(variant, 1)])
    assert codes(exc.value) == {"channel": ["channel_inactive"]}


def test_quantity_limit_per_customer(channel, variant):
    variant.quantity_limit_per_customer = 2
    variant.save()
    with pytest.raises(ValidationError) as exc:
        checkout_create(channel=channel, lines=[(variant, 3)])
    assert codes(exc.value) == {"quantity": ["quantity_greater_than_limit"]}
