"""What vouchers and promotions take off a cart, in exact integer VND.

The lines come in at what they cost before any voucher or promotion (the near-expiry markdown is
already in that price); discounts never take a line below 0.

Order of application: the best catalogue promotion of each line (they do not stack); then the best
order promotion on its lines' subtotal; then the voucher, on what the lines cost after those; the
best shipping promotion, then a shipping voucher, on the delivery price.

Rounding (deterministic): a percentage of one line is that line's total × percent / 100 rounded
half-up to the dong. A discount on several lines (a percentage of their total, rounded the same
way, or a fixed amount up to that total) is spread over them in proportion to what each costs,
by largest remainder: each line gets the floor of its share, and the dong left over go one each to
the lines with the largest fractional parts, ties to the earlier line. So every line's total is a
whole dong, no line goes below 0, and the lines' discounts sum exactly to the discount.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from storefront.core.money import percent_of
from storefront.discount.models import DiscountValueType, FundedBy, Promotion, Voucher


@dataclass(frozen=True)
class PricedLine:
    key: object
    product_id: int
    cooperative_id: int
    category_id: int | None
    quantity: int
    total: int  # VND, before vouchers and promotions


@dataclass
class Application:
    """One voucher or promotion as applied: what it takes off each line and off delivery."""
    source: Voucher | Promotion
    lines: dict = field(default_factory=dict)
    shipping: int = 0

    @property
    def is_voucher(self) -> bool:
        return isinstance(self.source, Voucher)

    @property
    def amount(self) -> int:
        return sum(self.lines.values()) + self.shipping

    @property
    def name(self) -> str:
        return self.source.name or getattr(self.source, "code", "")

    @property
    def funded_by(self) -> str:
        return self.source.funded_by

    @property
    def cooperative_id(self) -> int | None:
        return self.source.cooperative_id


@dataclass
class DiscountPlan:
    lines: list[PricedLine]
    shipping_price: int
    applications: list[Application] = field(default_factory=list)

    def line_discount(self, key) -> int:
        return sum(a.lines.get(key, 0) for a in self.applications)

    def line_program_discount(self, key) -> int:
        return sum(a.lines.get(key, 0) for a in self.applications if a.funded_by == FundedBy.PROGRAM)

    def line_total(self, line: PricedLine) -> int:
        return line.total - self.line_discount(line.key)

    @property
    def undiscounted_subtotal(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def subtotal(self) -> int:
        return sum(self.line_total(line) for line in self.lines)

    @property
    def shipping_discount(self) -> int:
        return sum(a.shipping for a in self.applications)

    def cooperative_shipping_discount(self, cooperative_id) -> int:
        """The part of the delivery discount a cooperative pays (charged to its part of the order)."""
        return sum(a.shipping for a in self.applications
                   if a.funded_by == FundedBy.COOPERATIVE and a.cooperative_id == cooperative_id)

    @property
    def voucher_application(self) -> Application | None:
        return next((a for a in self.applications if a.is_voucher), None)

    @property
    def voucher_discount(self) -> int:
        application = self.voucher_application
        return application.amount if application else 0

    @property
    def discount(self) -> int:
        return sum(a.amount for a in self.applications)


def in_scope(source, line: PricedLine) -> bool:
    """Every condition the voucher or promotion sets must hold (none set: every line)."""
    return ((not source.cooperative_id or source.cooperative_id == line.cooperative_id)
            and (not source.category_id or source.category_id == line.category_id)
            and (not source.product_id or source.product_id == line.product_id))


def spread(amount: int, weights: list[tuple[object, int]]) -> dict:
    """`amount` split over (key, weight) in proportion to the weights, by largest remainder."""
    total = sum(weight for _key, weight in weights)
    if amount <= 0 or total <= 0:
        return {}
    amount = min(amount, total)
    shares, remainders = {}, []
    for position, (key, weight) in enumerate(weights):
        whole, rest = divmod(amount * weight, total)
        shares[key] = whole
        remainders.append((-rest, position, key))
    left = amount - sum(shares.values())
    for _rest, _position, key in sorted(remainders)[:left]:
        shares[key] += 1
    return {key: share for key, share in shares.items() if share}


def _value_of(source, base: int) -> int:
    if base <= 0:
        return 0
    if source.discount_value_type == DiscountValueType.PERCENTAGE:
        return min(percent_of(base, min(int(source.discount_value), 100)), base)
    return min(int(source.discount_value), base)


def _catalogue_discount(promotion, line: PricedLine, cost: int) -> int:
    if promotion.discount_value_type == DiscountValueType.PERCENTAGE:
        return _value_of(promotion, cost)
    return min(int(promotion.discount_value) * line.quantity, cost)


def eligible_lines(source, lines, costs) -> list[tuple[object, int]]:
    return [(line.key, costs[line.key]) for line in lines if in_scope(source, line) and costs[line.key] > 0]


def plan_discounts(*, lines, shipping_price: int, promotions=(), voucher: Voucher | None = None) -> DiscountPlan:
    """The plan for `lines` (PricedLine) with the running `promotions` and an applicable `voucher`
    (check it first with selectors.voucher_problem)."""
    lines = list(lines)
    plan = DiscountPlan(lines=lines, shipping_price=int(shipping_price))
    costs = {line.key: line.total for line in lines}
    promotions = sorted(promotions, key=lambda p: p.pk or 0)

    catalogue = [p for p in promotions if p.type == Promotion.Type.CATALOGUE]
    per_promotion: dict[int, Application] = {}
    for line in lines:
        best, best_amount = None, 0
        for promotion in catalogue:
            if in_scope(promotion, line):
                amount = _catalogue_discount(promotion, line, costs[line.key])
                if amount > best_amount:
                    best, best_amount = promotion, amount
        if best is not None:
            per_promotion.setdefault(best.pk, Application(source=best)).lines[line.key] = best_amount
            costs[line.key] -= best_amount
    plan.applications.extend(per_promotion.values())

    best_order, best_spread = None, {}
    for promotion in promotions:
        if promotion.type != Promotion.Type.ORDER or promotion.reward_type != Promotion.RewardType.SUBTOTAL_DISCOUNT:
            continue
        weights = eligible_lines(promotion, lines, costs)
        base = sum(weight for _key, weight in weights)
        if weights and base >= promotion.min_subtotal_amount:
            shares = spread(_value_of(promotion, base), weights)
            if sum(shares.values()) > sum(best_spread.values()):
                best_order, best_spread = promotion, shares
    if best_order is not None:
        plan.applications.append(Application(source=best_order, lines=best_spread))
        for key, share in best_spread.items():
            costs[key] -= share

    shipping_left = plan.shipping_price
    best_shipping, best_shipping_amount = None, 0
    for promotion in promotions:
        if promotion.type != Promotion.Type.ORDER or promotion.reward_type != Promotion.RewardType.SHIPPING:
            continue
        base = sum(weight for _key, weight in eligible_lines(promotion, lines, costs))
        if base > 0 and base >= promotion.min_subtotal_amount:
            amount = _value_of(promotion, shipping_left)
            if amount > best_shipping_amount:
                best_shipping, best_shipping_amount = promotion, amount
    if best_shipping is not None:
        plan.applications.append(Application(source=best_shipping, shipping=best_shipping_amount))
        shipping_left -= best_shipping_amount

    if voucher is not None:
        if voucher.type == Voucher.Type.SHIPPING:
            amount = _value_of(voucher, shipping_left)
            if amount:
                plan.applications.append(Application(source=voucher, shipping=amount))
        else:
            weights = eligible_lines(voucher, lines, costs)
            shares = spread(_value_of(voucher, sum(weight for _key, weight in weights)), weights)
            if shares:
                plan.applications.append(Application(source=voucher, lines=shares))
    return plan


def subtotal_before_voucher(*, lines, promotions=()) -> int:
    """What the goods cost after promotions, before any voucher (a voucher's minimum spend is checked
    against it)."""
    return plan_discounts(lines=lines, shipping_price=0, promotions=promotions).subtotal
