from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from storefront.account.models import Address, ConsentRecord
from storefront.channel.models import Channel
from storefront.checkout.models import Checkout
from storefront.checkout.complete import checkout_complete
from storefront.checkout.services import (checkout_create, checkout_lines_update,
                                          checkout_privacy_consent)
from storefront.cooperative.models import Cooperative
from storefront.order.models import Fulfillment, Order, OrderEvent, OrderLine, OrderStatus
from storefront.payment.gateways import COD, VIETQR
from storefront.payment.models import Payment
from storefront.product.models import ComboComponent, ProductChannelListing, ProductVariantChannelListing
from storefront.warehouse.models import Allocation, Stock
from tests.checkout.helpers import ADDRESS, codes, place_order, ready_checkout

pytestmark = pytest.mark.django_db
# Placing a two-cooperative order with a combo line: a savepoint and its release (the test's own
# transaction), the locked checkout, the lines with their listings and prices, the combo's sellers and
# components, the shipping methods, seven inserts, two deletes, the components' tracking, the stock
# lock, one stock update; then the harvest lots: their lock, their update and the lines' lot records.
# It was 22 before lots (19 without them), 23 with the running promotions read (one query; a voucher
# code adds its lookup, its lock and the use's insert); each costs Django 0.3–2 ms to build and read.
MAX_STATEMENTS = 23


def _nothing_written(before_orders=0):
    assert Order.objects.count() == before_orders
    assert not OrderLine.objects.exists() or before_orders
    assert Allocation.objects.count() == 0 or before_orders


def test_cod_order_snapshot_and_split_per_cooperative(channel, variant, combo, coop, other_coop, customer,
                                                      shipping_method, django_capture_on_commit_callbacks):
    veg = combo.variants.get().combo_components.get(quantity=1).component
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(channel, [(variant, 2), (veg, 1)], actor=customer)
    assert order.status == OrderStatus.UNFULFILLED and order.payment_due_at is None
    assert order.user == customer and order.user_email == "khach@example.com"
    assert order.subtotal_amount == 2 * 195_000 + 18_000
    assert order.shipping_price_amount == 30_000 and order.total_amount == order.subtotal_amount + 30_000
    assert order.shipping_address.country_area == "Thành phố Cần Thơ"
    assert (order.estimated_delivery_min_days, order.estimated_delivery_max_days) == (2, 4)
    assert order.number == str(order.pk) and order.transfer_note == f"HTX{order.pk}"
    fulfillments = {f.cooperative_id: f for f in order.fulfillments.all()}
    assert set(fulfillments) == {coop.pk, other_coop.pk}
    assert fulfillments[coop.pk].subtotal_amount == 390_000 and fulfillments[other_coop.pk].subtotal_amount == 18_000
    line = order.lines.get(variant=variant)
    assert (line.product_name, line.product_sku, line.unit_price_amount, line.cooperative_name) == (
        variant.product.name, variant.sku, 195_000, coop.name)
    assert line.fulfillment == fulfillments[coop.pk]
    # the snapshot survives later edits of the product
    variant.product.name = "Tên mới"
    variant.product.save()
    line.refresh_from_db()
    assert line.product_name != "Tên mới"
    assert Payment.objects.get(order=order).gateway == COD
    assert list(order.events.values_list("type", flat=True))[:1] == [OrderEvent.Type.PLACED]
    assert not Checkout.objects.exists()
    to_customer = [m for m in mail.outbox if m.to == ["khach@example.com"]]
    assert len(to_customer) == 1 and f"#{order.number}" in to_customer[0].subject
    # each cooperative hears of its own part, with its own lines only
    to_coops = {m.to[0]: m.body for m in mail.outbox if m.to != ["khach@example.com"]}
    assert set(to_coops) == {coop.email, other_coop.email}
    assert variant.sku in to_coops[coop.email] and variant.sku not in to_coops[other_coop.email]
    assert ConsentRecord.objects.filter(checkout_token=order.checkout_token, granted=True).exists()


def test_vietqr_order_is_unconfirmed_with_due_time(channel, variant, shipping_method, settings,
                                                   django_capture_on_commit_callbacks):
    settings.UNPAID_TRANSFER_EXPIRY_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(channel, [(variant, 1)], gateway=VIETQR)
    assert order.status == OrderStatus.UNCONFIRMED
    assert timezone.now() + timedelta(hours=23) < order.payment_due_at <= timezone.now() + timedelta(hours=24)
    assert order.total_amount == 195_000 + 30_000
    body = mail.outbox[0].body
    assert order.transfer_note in body and "0123456789" in body and "000201" in body


def test_completing_twice_returns_the_same_order(channel, variant, shipping_method):
    checkout = ready_checkout(channel, [(variant, 2)])
    first = checkout_complete(checkout=checkout)
    second = checkout_complete(checkout=checkout)
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2


def test_someone_elses_checkout_cannot_be_completed(channel, variant, customer, program_staff, shipping_method):
    checkout = ready_checkout(channel, [(variant, 1)], actor=customer)
    with pytest.raises(PermissionDenied):
        checkout_complete(checkout=checkout, actor=None)
    with pytest.raises(PermissionDenied):
        checkout_complete(checkout=checkout, actor=program_staff)
    assert not Order.objects.exists()
    order = checkout_complete(checkout=checkout, actor=customer)
    with pytest.raises(PermissionDenied):  # nor can the finished order be fetched through it
        checkout_complete(checkout=checkout, actor=program_staff)
    assert order.user == customer


def test_missing_details_reported_with_saleor_codes(channel, variant):
    checkout = checkout_create(channel=channel, lines=[(variant, 1)])
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {
        "email": ["email_not_set"], "shipping_address": ["shipping_address_not_set"],
        "billing_address": ["billing_address_not_set"], "payment_gateway": ["required"],
        "privacy_consent": ["required"],
    }
    _nothing_written()


def test_empty_checkout(channel, shipping_method):
    checkout = checkout_create(channel=channel, email="a@example.com", shipping_address=ADDRESS,
                               billing_address=ADDRESS)
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout, payment_gateway=COD)
    assert "no_lines" in codes(exc.value)["lines"]


def test_no_shipping_method(channel, variant):
    checkout = checkout_create(channel=channel, email="a@example.com", lines=[(variant, 1)],
                               shipping_address=ADDRESS, billing_address=ADDRESS)
    checkout_privacy_consent(checkout=checkout, granted=True)
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout, payment_gateway=COD)
    assert codes(exc.value) == {"shipping_method": ["shipping_method_not_set"]}


def test_shipping_method_no_longer_applicable(channel, variant, shipping_method):
    checkout = ready_checkout(channel, [(variant, 1)])
    variant.weight_g = 40_000
    variant.save()
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"shipping_method": ["invalid_shipping_method"]}
    _nothing_written()


def test_stock_gone_since_added(channel, variant, shipping_method):
    checkout = ready_checkout(channel, [(variant, 5)])
    Stock.objects.filter(product_variant=variant).update(quantity=4)
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["insufficient_stock"]}
    assert variant.product.name in exc.value.error_dict["lines"][0].message
    _nothing_written()
    assert Checkout.objects.filter(pk=checkout.pk).exists()
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0


def test_unpublished_or_suspended_since_added(channel, variant, coop, shipping_method):
    checkout = ready_checkout(channel, [(variant, 1)])
    ProductChannelListing.objects.filter(product=variant.product).update(is_published=False)
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["product_not_published"]}
    ProductChannelListing.objects.filter(product=variant.product).update(is_published=True)
    Cooperative.objects.filter(pk=coop.pk).update(status=Cooperative.Status.SUSPENDED)
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["product_unavailable_for_purchase"]}
    _nothing_written()


def test_failed_completion_leaves_no_partial_write(channel, variant, combo, shipping_method):
    combo_variant = combo.variants.get()
    checkout = ready_checkout(channel, [(variant, 2), (combo_variant, 3)])
    veg = combo_variant.combo_components.get(quantity=1).component
    Stock.objects.filter(product_variant=veg).update(quantity=2)  # combo now short
    addresses = Address.objects.count()
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert exc.value.error_dict["lines"][0].params == {"variants": [combo_variant.pk]}
    _nothing_written()
    assert not Fulfillment.objects.exists() and not Payment.objects.exists() and not OrderEvent.objects.exists()
    assert Address.objects.count() == addresses
    assert set(Stock.objects.values_list("quantity_allocated", flat=True)) == {0}
    checkout_lines_update(checkout=checkout, lines=[(combo_variant, 2)])
    assert checkout_complete(checkout=checkout).lines.count() == 2


def test_user_who_consented_at_registration_needs_no_checkout_consent(channel, variant, customer, shipping_method):
    from storefront.account.services import consent_record
    from storefront.checkout.selectors import checkout_shipping_methods
    from storefront.checkout.services import checkout_delivery_method_update

    consent_record(user=customer, email=customer.email, purpose="data_processing", granted=True, source="registration")
    checkout = checkout_create(channel=channel, actor=customer, lines=[(variant, 1)], shipping_address=ADDRESS,
                               billing_address=ADDRESS)
    checkout_delivery_method_update(checkout=checkout,
                                    shipping_method_id=checkout_shipping_methods(checkout=checkout)[0].method.pk)
    assert checkout_complete(checkout=checkout, actor=customer, payment_gateway=COD).user_email == customer.email


def test_price_or_listing_removed_since_added(channel, variant, shipping_method):
    checkout = ready_checkout(channel, [(variant, 1)])
    price = ProductVariantChannelListing.objects.get(variant=variant, channel=channel)
    price.delete()
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["unavailable_variant_in_channel"]}
    price.pk = None
    price.save()
    ProductChannelListing.objects.filter(product=variant.product, channel=channel).delete()
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["product_not_published"]}
    _nothing_written()


def test_listing_of_another_channel_is_not_read(channel, variant, shipping_method):
    # The checkout's channel has no price any more; another channel's listing must not stand in.
    other = Channel.objects.create(name="Kênh khác", slug="kenh-khac", currency_code="VND")
    ProductChannelListing.objects.create(product=variant.product, channel=other, is_published=True)
    ProductVariantChannelListing.objects.create(variant=variant, channel=other, price_amount=1)
    checkout = ready_checkout(channel, [(variant, 1)])
    ProductVariantChannelListing.objects.filter(variant=variant, channel=channel).delete()
    with pytest.raises(ValidationError) as exc:
        checkout_complete(checkout=checkout)
    assert codes(exc.value) == {"lines": ["unavailable_variant_in_channel"]}


def test_variant_given_components_by_hand_allocates_them(channel, variant, combo, shipping_method):
    # The admin may attach components to any variant: its stock is then its components', as for a combo.
    component = combo.variants.get().combo_components.get(quantity=2).component
    ComboComponent.objects.create(combo=variant, component=component, quantity=3)
    order = place_order(channel, [(variant, 2)])
    line = order.lines.get()
    assert {(a.stock.product_variant_id, a.quantity_allocated) for a in line.allocations.all()} == {
        (component.pk, 6)}
    assert Stock.objects.get(product_variant=component).quantity_allocated == 6
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0


def test_placing_an_order_runs_a_fixed_number_of_statements(channel, variant, combo, shipping_method, program_staff,
                                                            django_assert_max_num_queries):
    # Two cooperatives, a plain line and a combo line: every read is one query whatever the cart holds,
    # and however many harvest lots hold the stock.
    from storefront.warehouse.services import stock_lot_create

    for stocked in [variant, *(c.component for c in combo.variants.get().combo_components.all())]:
        for days in range(5):
            stock_lot_create(actor=program_staff, variant=stocked,
                             warehouse=stocked.product.cooperative.warehouses.first(), quantity=3,
                             harvest_date=timezone.localdate(), best_before=timezone.localdate() + timedelta(days=days + 2))
    checkout = ready_checkout(channel, [(variant, 1), (combo.variants.get(), 1)])
    with django_assert_max_num_queries(MAX_STATEMENTS):
        order = checkout_complete(checkout=checkout)
    assert order.lines.count() == 2 and order.fulfillments.count() == 1  # the combo is sold by the rice cooperative
    assert Allocation.objects.filter(order_line__order=order).count() == 3  # the plain line, the combo's two parts
    assert not Checkout.objects.filter(pk=checkout.pk).exists()


def test_a_plain_order_runs_eighteen_statements(channel, variant, shipping_method, program_staff,
                                                django_assert_num_queries):
    # bench/RESULTS.md's figure: the locked checkout, its lines, the shipping methods, the order's four
    # inserts, payment, consent, two deletes, the stock lock, its update and the allocation, then the
    # harvest lots' lock, their update and the line's lot record (+ the test transaction's savepoint and
    # release), and the running promotions. 14 before lots, 17 before promotions.
    from storefront.warehouse.services import stock_lot_create

    stock_lot_create(actor=program_staff, variant=variant, warehouse=variant.product.cooperative.warehouses.first(),
                     quantity=5, harvest_date=timezone.localdate(), best_before=timezone.localdate() + timedelta(days=4))
    checkout = ready_checkout(channel, [(variant, 1)])
    with django_assert_num_queries(18 + 2):
        order = checkout_complete(checkout=checkout)
    assert order.status == OrderStatus.UNFULFILLED and order.events.get().type == OrderEvent.Type.PLACED
    assert Allocation.objects.get(order_line__order=order).quantity_allocated == 1
    assert not Checkout.objects.filter(pk=checkout.pk).exists()


def test_only_lines_refer_to_a_checkout():
    # checkout_complete deletes the lines and the checkout with two plain DELETEs, no collector: a new
    # model pointing at a checkout must be deleted there too (and added here).
    from storefront.checkout.models import CheckoutLine

    assert [f.related_model for f in Checkout._meta.get_fields() if f.is_relation and f.auto_created] == [
        CheckoutLine]
