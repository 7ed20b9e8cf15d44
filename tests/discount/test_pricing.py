"""The discount plan's arithmetic, hand-computed: exact dong, sums that match, never below 0."""
from storefront.discount.models import DiscountValueType, FundedBy, Promotion, Voucher
from storefront.discount.pricing import PricedLine, plan_discounts, spread


def _line(key, total, coop=1, quantity=1, category=None, product=None):
    return PricedLine(key=key, product_id=product or key, cooperative_id=coop, category_id=category,
                      quantity=quantity, total=total)


def _voucher(value, value_type=DiscountValueType.PERCENTAGE, **scope):
    return Voucher(pk=1, code="X", name="X", discount_value=value, discount_value_type=value_type,
                   funded_by=scope.pop("funded_by", FundedBy.PROGRAM), **scope)


def test_spread_by_largest_remainder_ties_to_the_earlier_line():
    assert spread(10, [("a", 10), ("b", 10), ("c", 10)]) == {"a": 4, "b": 3, "c": 3}
    # 100 over 333/333/334: floors 33, 33, 33 (remainders 300, 300, 400): the dong left goes to c.
    assert spread(100, [("a", 333), ("b", 333), ("c", 334)]) == {"a": 33, "b": 33, "c": 34}
    assert spread(5, [("a", 2), ("b", 1)]) == {"a": 2, "b": 1}  # capped at what the lines cost
    assert spread(0, [("a", 2)]) == {}


def test_percentage_voucher_rounded_half_up_and_spread_exactly():
    lines = [_line("a", 18_005), _line("b", 10_000), _line("c", 1)]
    plan = plan_discounts(lines=lines, shipping_price=30_000, voucher=_voucher(10))
    # 10 % of 28,006 = 2,800.6 -> 2,801, spread 1,800.5/1,000.0/0.1: floors 1,800 + 1,000 + 0 = 2,800,
    # the dong left to the largest remainder (a).
    assert {line.key: plan.line_discount(line.key) for line in lines} == {"a": 1_801, "b": 1_000, "c": 0}
    assert plan.voucher_discount == 2_801 and plan.subtotal == 28_006 - 2_801
    assert plan.shipping_discount == 0 and plan.discount == 2_801


def test_fixed_voucher_never_below_zero_and_only_on_its_cooperatives_lines():
    lines = [_line("a", 15_000, coop=1), _line("b", 40_000, coop=2)]
    plan = plan_discounts(lines=lines, shipping_price=0, voucher=_voucher(50_000, DiscountValueType.FIXED,
                                                                          cooperative_id=1))
    assert plan.line_discount("a") == 15_000 and plan.line_discount("b") == 0
    assert plan.line_total(lines[0]) == 0 and plan.subtotal == 40_000


def test_catalogue_promotion_then_voucher_on_top_and_who_pays():
    promotion = Promotion(pk=7, name="Tuần lễ HTX", type=Promotion.Type.CATALOGUE, discount_value=10,
                          discount_value_type=DiscountValueType.PERCENTAGE, cooperative_id=1,
                          funded_by=FundedBy.COOPERATIVE)
    lines = [_line("a", 195_000, coop=1), _line("b", 18_000, coop=2)]
    plan = plan_discounts(lines=lines, shipping_price=30_000, promotions=[promotion],
                          voucher=_voucher(20_000, DiscountValueType.FIXED))
    # a: 10 % = 19,500 (cooperative pays) -> 175,500; then 20,000 over 175,500 + 18,000 = 193,500:
    # a 18,139.53… b 1,860.46… -> floors 18,139 + 1,860 = 19,999, the last dong to a.
    assert plan.line_discount("a") == 19_500 + 18_140 and plan.line_discount("b") == 1_860
    assert plan.line_program_discount("a") == 18_140 and plan.line_program_discount("b") == 1_860
    assert plan.subtotal == 213_000 - 19_500 - 20_000


def test_free_delivery_over_a_subtotal_and_the_cooperative_that_pays_it():
    free = Promotion(pk=3, name="Miễn phí giao hàng", type=Promotion.Type.ORDER,
                     reward_type=Promotion.RewardType.SHIPPING, discount_value=100,
                     discount_value_type=DiscountValueType.PERCENTAGE, min_subtotal_amount=300_000,
                     cooperative_id=1, funded_by=FundedBy.COOPERATIVE)
    below = plan_discounts(lines=[_line("a", 299_999)], shipping_price=30_000, promotions=[free])
    assert below.shipping_discount == 0
    plan = plan_discounts(lines=[_line("a", 300_000), _line("b", 50_000, coop=2)], shipping_price=30_000,
                          promotions=[free])
    assert plan.shipping_discount == 30_000 and plan.subtotal == 350_000
    assert plan.cooperative_shipping_discount(1) == 30_000 and plan.cooperative_shipping_discount(2) == 0


def test_scope_by_category_and_product_must_all_hold():
    voucher = _voucher(50, category_id=5, product_id=None)
    lines = [_line("a", 1_000, category=5), _line("b", 1_000, category=6)]
    plan = plan_discounts(lines=lines, shipping_price=0, voucher=voucher)
    assert plan.line_discount("a") == 500 and plan.line_discount("b") == 0
    combo_only = _voucher(50, product_id=42)
    plan = plan_discounts(lines=[_line("a", 1_000, product=42), _line("b", 1_000)], shipping_price=0,
                          voucher=combo_only)
    assert plan.line_discount("a") == 500 and plan.line_discount("b") == 0
