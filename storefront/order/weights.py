"""Lines sold by actual weight (storefront.product.weighing): the price rule when the cooperative
enters what the goods weighed as it ships its part.

A line was placed for `quantity` units of about `nominal_weight_g` each, at `placed_total_price_amount`
(unit price × quantity, or less where some units were marked down near expiry). Weighed, it costs

    weighed = placed total × actual grams / (nominal grams × quantity)

in integer VND, rounded half-up to the dong: the unit price per kg times the actual kilograms, and
a markdown keeps its share because the placed total is scaled as a whole. Then:

- **Paid beforehand** (VietQR, the money is in): the shopper paid the nominal price, and "a higher
  weight never charges more than the tolerance" means, for money already paid, nothing more is asked:
  the line costs min(weighed, placed). Heavier goods are the cooperative's gift; lighter ones make the
  difference (placed − weighed) a refund due to the shopper (`refund_grant(kind=WEIGHT)`).
- **Paid on delivery** (COD): the shopper pays what the goods weighed, never more than the nominal
  price plus the tolerance: min(weighed, round_half_up(placed × (100 + tolerance) / 100)). The amount
  to collect is the recomputed total.

A weight of 0 or one further from the nominal than three tolerances (`WeighedSale.bounds_g`) is a
mistake and refused with nothing written.
"""
from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from storefront.order.error_codes import OrderErrorCode
from storefront.product.weighing import WeighedSale, format_weight

MAX_WEIGHT_G = 100_000_000


def _div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up, for numerator ≥ 0 and denominator > 0 (integers only)."""
    return (2 * numerator + denominator) // (2 * denominator)


def weighed_total(*, placed_total: int, nominal_total_g: int, actual_g: int) -> int:
    """The placed total scaled by actual / nominal weight, rounded half-up to the dong."""
    return _div_half_up(int(placed_total) * int(actual_g), int(nominal_total_g))


def scaled_share(*, share: int, placed_total: int, total: int) -> int:
    """A part of the placed total (the discount the program paid on the line, say) scaled as the line
    was, by total / placed total, rounded half-up to the dong."""
    if int(placed_total) <= 0 or int(share) <= 0:
        return 0
    return _div_half_up(int(share) * int(total), int(placed_total))


def tolerance_cap(*, placed_total: int, tolerance_percent: int) -> int:
    """The most a line may cost once weighed: the placed total plus the tolerance (half-up)."""
    return _div_half_up(int(placed_total) * (100 + int(tolerance_percent)), 100)


def weighed_line_total(*, placed_total: int, nominal_total_g: int, tolerance_percent: int, actual_g: int,
                       prepaid: bool) -> int:
    """What a weighed line costs: see the module's rule."""
    weighed = weighed_total(placed_total=placed_total, nominal_total_g=nominal_total_g, actual_g=actual_g)
    ceiling = int(placed_total) if prepaid else tolerance_cap(placed_total=placed_total,
                                                               tolerance_percent=tolerance_percent)
    return min(weighed, ceiling)


def _weight_error(message: str, code: OrderErrorCode) -> ValidationError:
    return ValidationError({"actual_weight": ValidationError(message, code=code.value)})


def clean_actual_weight(value, field_label: str = "") -> int:
    """Grams as a positive integer, from an int, a whole Decimal/float or a string of digits."""
    from decimal import Decimal, InvalidOperation

    if value is None or value == "" or isinstance(value, bool):
        raise _weight_error(_("Vui lòng nhập khối lượng thực tế (gam) của %(line)s.") % {"line": field_label},
                            OrderErrorCode.REQUIRED)
    try:
        grams = Decimal(str(value).strip())
    except InvalidOperation:
        grams = None
    if grams is None or not grams.is_finite() or grams != grams.to_integral_value():
        raise _weight_error(_("Khối lượng thực tế của %(line)s phải là số gam nguyên.") % {"line": field_label},
                            OrderErrorCode.INVALID)
    grams = int(grams)
    if grams <= 0 or grams > MAX_WEIGHT_G:
        raise _weight_error(_("Khối lượng thực tế của %(line)s phải lớn hơn 0.") % {"line": field_label},
                            OrderErrorCode.INVALID)
    return grams


def line_label(line) -> str:
    return f"{line.product_name} — {line.variant_name}" if line.variant_name else line.product_name


def actual_weights_for(lines, weights: Mapping[str, object] | None) -> dict[str, int]:
    """{order line id: grams} for the lines sold by weight among `lines`, from `weights` ({line id:
    grams as given}): required for each of them, refused for a line sold by the unit, and within the
    hard bound of the line's tolerance. Raises a translated ValidationError (field `actual_weight`)."""
    weights = {str(key): value for key, value in (weights or {}).items()}
    by_id = {str(line.pk): line for line in lines}
    for line_id in weights:
        line = by_id.get(line_id)
        if line is None:
            raise _weight_error(_("Không tìm thấy dòng hàng để ghi khối lượng."), OrderErrorCode.NOT_FOUND)
        if not line.sold_by_weight and weights[line_id] not in (None, ""):
            raise _weight_error(_("%(line)s không bán theo cân.") % {"line": line_label(line)},
                                OrderErrorCode.INVALID)
    cleaned: dict[str, int] = {}
    for line_id, line in by_id.items():
        if not line.sold_by_weight:
            continue
        grams = clean_actual_weight(weights.get(line_id), line_label(line))
        terms = WeighedSale(int(line.nominal_weight_g), int(line.weight_tolerance_percent))
        low, high = terms.bounds_g(line.quantity)
        if not low <= grams <= high:
            raise _weight_error(
                _("Khối lượng %(weight)s của %(line)s quá xa khối lượng đặt %(nominal)s (chấp nhận từ %(low)s "
                  "đến %(high)s). Vui lòng cân lại.") % {
                    "weight": format_weight(grams), "line": line_label(line),
                    "nominal": format_weight(line.nominal_total_weight_g),
                    "low": format_weight(low), "high": format_weight(high)},
                OrderErrorCode.INVALID)
        cleaned[line_id] = grams
    return cleaned
