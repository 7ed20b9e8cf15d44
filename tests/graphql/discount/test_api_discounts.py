"""voucherCreate / promotionCreate scoped to the acting cooperative, and promo codes on the checkout,
with Saleor's shapes and error codes."""
import pytest

from storefront.discount.models import Promotion, Voucher
from storefront.graphql.core.ids import global_id
from storefront.order.models import Order
from tests.graphql.flows import assert_permission_denied, create_checkout, ready_checkout
from tests.graphql.queries import CHECKOUT_COMPLETE

pytestmark = pytest.mark.django_db

VOUCHER_CREATE = """
mutation VoucherCreate($input: VoucherInput!) {
  voucherCreate(input: $input) {
    voucher { id code name type discountValueType discountValue usageLimit used minSpent { amount currency }
              fundedBy cooperative { slug } usageLimitPerCustomer applyOncePerCustomer
              products(first: 5) { edges { node { id } } } }
    errors { field message code }
  }
}
"""

PROMOTION_CREATE = """
mutation PromotionCreate($input: PromotionCreateInput!) {
  promotionCreate(input: $input) {
    promotion { id name type fundedBy rules { rewardValue rewardValueType rewardType shippingDiscount
                                              cataloguePredicate orderPredicate } }
    errors { field message code }
  }
}
"""

ADD = """
mutation Add($id: ID!, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { voucherCode discount { amount currency } discountName
               subtotalPrice { gross { amount } } totalPrice { gross { amount } }
               lines { totalPrice { gross { amount } } undiscountedTotalPrice { amount } } }
    errors { field message code }
  }
}
"""

REMOVE = """
mutation Remove($id: ID!, $code: String) {
  checkoutRemovePromoCode(id: $id, promoCode: $code) {
    checkout { voucherCode discount { amount } subtotalPrice { gross { amount } } }
    errors { field code }
  }
}
"""


def test_a_cooperative_creates_a_voucher_for_its_products(gql_as, coop_staff, coop, product):
    data = gql_as(coop_staff).execute(VOUCHER_CREATE, {"input": {
        "addCodes": ["VINHBINH15"], "name": "Gạo Vĩnh Bình giảm 15%", "type": "SPECIFIC_PRODUCT",
        "discountValueType": "PERCENTAGE", "discountValue": 15, "usageLimit": 10, "applyOncePerCustomer": True,
        "minAmountSpent": 100000, "products": [global_id("Product", product.pk)]}})["voucherCreate"]
    assert data["errors"] == []
    voucher = data["voucher"]
    assert (voucher["code"], voucher["type"], voucher["discountValueType"], voucher["discountValue"]) == (
        "VINHBINH15", "SPECIFIC_PRODUCT", "PERCENTAGE", 15.0)
    assert voucher["fundedBy"] == "COOPERATIVE" and voucher["cooperative"]["slug"] == coop.slug
    assert voucher["usageLimitPerCustomer"] == 1 and voucher["applyOncePerCustomer"] is True
    assert voucher["minSpent"] == {"amount": 100000.0, "currency": "VND"}
    assert voucher["products"]["edges"] == [{"node": {"id": global_id("Product", product.pk)}}]


def test_a_cooperative_is_refused_another_cooperatives_products(gql_as, coop_staff, other_coop, channel):
    from tests.factories import make_product

    veg = make_product(other_coop, channel, name="Cải", price=18_000)
    client = gql_as(coop_staff)
    body = client.post(VOUCHER_CREATE, {"input": {"code": "KHAC", "discountValue": 10,
                                                  "products": [global_id("Product", veg.pk)]}})
    assert_permission_denied(body, "voucherCreate")
    body = client.post(VOUCHER_CREATE, {"input": {"code": "KHAC", "discountValue": 10,
                                                  "cooperative": global_id("Cooperative", other_coop.pk)}})
    assert_permission_denied(body, "voucherCreate")
    assert not Voucher.objects.exists()


def test_voucher_create_errors_and_shoppers(gql, gql_as, program_staff, customer):
    client = gql_as(program_staff)
    client.execute(VOUCHER_CREATE, {"input": {"code": "TET", "discountValue": 10}})
    data = client.execute(VOUCHER_CREATE, {"input": {"code": "tet", "discountValue": 10}})["voucherCreate"]
    assert data["voucher"] is None and data["errors"][0]["code"] == "ALREADY_EXISTS"
    assert data["errors"][0]["field"] == "code"
    data = client.execute(VOUCHER_CREATE, {"input": {"code": "X1", "discountValue": 120}})["voucherCreate"]
    assert data["errors"][0] | {"message": ""} == {"field": "discountValue", "code": "INVALID", "message": ""}
    assert_permission_denied(gql_as(customer).post(VOUCHER_CREATE, {"input": {"code": "A", "discountValue": 1}}),
                             "voucherCreate")
    assert_permission_denied(gql.post(VOUCHER_CREATE, {"input": {"code": "A", "discountValue": 1}}), "voucherCreate")
    assert Voucher.objects.count() == 1


def test_promotions_catalogue_and_free_delivery(gql_as, coop_staff, product):
    client = gql_as(coop_staff)
    data = client.execute(PROMOTION_CREATE, {"input": {
        "name": "Tuần lễ gạo", "type": "CATALOGUE",
        "rules": [{"rewardValueType": "PERCENTAGE", "rewardValue": 10,
                   "cataloguePredicate": {"productPredicate": {"ids": [global_id("Product", product.pk)]}}}]}})
    promotion = data["promotionCreate"]["promotion"]
    assert data["promotionCreate"]["errors"] == [] and promotion["fundedBy"] == "COOPERATIVE"
    rule = promotion["rules"][0]
    assert (rule["rewardValue"], rule["rewardValueType"], rule["shippingDiscount"]) == ("10", "PERCENTAGE", False)
    assert rule["cataloguePredicate"]["AND"][0] == {"productPredicate": {"ids": [global_id("Product", product.pk)]}}
    data = client.execute(PROMOTION_CREATE, {"input": {
        "name": "Miễn phí giao hàng", "type": "ORDER",
        "rules": [{"rewardValueType": "PERCENTAGE", "rewardValue": 100, "shippingDiscount": True,
                   "orderPredicate": {"discountedObjectPredicate": {"baseSubtotalPrice": {"range": {"gte": 500000}}}}}]}})
    assert data["promotionCreate"]["errors"] == []
    free = Promotion.objects.get(name="Miễn phí giao hàng")
    assert (free.type, free.reward_type, free.min_subtotal_amount) == ("order", "shipping", 500_000)
    data = client.execute(PROMOTION_CREATE, {"input": {"name": "", "type": "CATALOGUE", "rules": [
        {"rewardValueType": "PERCENTAGE", "rewardValue": 10}]}})
    assert data["promotionCreate"]["errors"][0]["code"] == "REQUIRED"


def test_promo_code_on_the_checkout_and_the_order(gql, program_staff, variant, shipping_method):
    from storefront.discount.services import voucher_create

    voucher_create(actor=program_staff, code="GIAM20K", discount_value=20_000, discount_value_type="fixed",
                   name="Giảm 20.000 ₫")
    cid = ready_checkout(gql, variant, shipping_method)
    bad = gql.execute(ADD, {"id": cid, "code": "KHONGCO"})["checkoutAddPromoCode"]
    assert bad["checkout"] is None and bad["errors"][0]["code"] == "INVALID"
    assert bad["errors"][0]["field"] == "promoCode"
    data = gql.execute(ADD, {"id": cid, "code": "giam20k"})["checkoutAddPromoCode"]
    checkout = data["checkout"]
    assert data["errors"] == [] and checkout["voucherCode"] == "GIAM20K"
    assert checkout["discount"] == {"amount": 20000.0, "currency": "VND"} and checkout["discountName"] == "Giảm 20.000 ₫"
    assert checkout["subtotalPrice"]["gross"]["amount"] == 370_000
    assert checkout["lines"][0]["undiscountedTotalPrice"]["amount"] == 390_000
    assert checkout["lines"][0]["totalPrice"]["gross"]["amount"] == 370_000
    removed = gql.execute(REMOVE, {"id": cid, "code": "GIAM20K"})["checkoutRemovePromoCode"]["checkout"]
    assert removed["voucherCode"] is None and removed["subtotalPrice"]["gross"]["amount"] == 390_000
    gql.execute(ADD, {"id": cid, "code": "GIAM20K"})
    completed = gql.execute(CHECKOUT_COMPLETE, {"id": cid})["checkoutComplete"]
    assert completed["errors"] == []
    order = Order.objects.get()
    assert (order.voucher_code, order.subtotal_amount, order.discount_amount) == ("GIAM20K", 370_000, 20_000)
    assert Voucher.objects.get().used == 1


def test_expired_voucher_is_not_applicable(gql, program_staff, variant, shipping_method):
    from datetime import timedelta

    from django.utils import timezone

    from storefront.discount.services import voucher_create

    now = timezone.now()
    voucher_create(actor=program_staff, code="HETHAN", discount_value=10, start_date=now - timedelta(days=3),
                   end_date=now - timedelta(days=1))
    cid = create_checkout(gql, variant)["id"]
    data = gql.execute(ADD, {"id": cid, "code": "HETHAN"})["checkoutAddPromoCode"]
    assert data["errors"][0]["code"] == "VOUCHER_NOT_APPLICABLE" and "HETHAN" in data["errors"][0]["message"]


def test_promotion_create_is_scoped_to_the_acting_cooperative(gql_as, coop_staff, other_coop, program_staff):
    rule = {"rewardValueType": "PERCENTAGE", "rewardValue": 10}
    body = gql_as(coop_staff).post(PROMOTION_CREATE, {"input": {
        "name": "Khác", "type": "CATALOGUE", "cooperative": global_id("Cooperative", other_coop.pk), "rules": [rule]}})
    assert_permission_denied(body, "promotionCreate")
    data = gql_as(program_staff).execute(PROMOTION_CREATE, {"input": {
        "name": "Tuần lễ Đà Lạt", "type": "CATALOGUE", "cooperative": global_id("Cooperative", other_coop.pk),
        "fundedBy": "COOPERATIVE", "rules": [rule]}})["promotionCreate"]
    assert data["errors"] == [] and data["promotion"]["fundedBy"] == "COOPERATIVE"
    assert Promotion.objects.get().cooperative == other_coop
