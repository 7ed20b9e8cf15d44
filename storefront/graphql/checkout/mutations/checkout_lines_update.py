from __future__ import annotations

from django.core.exceptions import ValidationError

from storefront.checkout import services as checkout_services
from storefront.checkout.models import CheckoutLine

from ...core.ids import decode_id, decode_int_id
from ...core.mutations import saleor_mutation
from ..inputs import checkout_from_args


def _line_updates(checkout, lines) -> list[tuple[int, int]]:
    """CheckoutLineUpdateInput names a variant (`variantId`) or a line (`lineId`)."""
    by_line = None
    result = []
    for line in lines or ():
        quantity = line.get("quantity")
        if line.get("variant_id"):
            variant_id = decode_int_id(line.get("variant_id"), expected="ProductVariant", field="variantId")
        elif line.get("line_id"):
            line_pk = decode_id(line.get("line_id"), expected="CheckoutLine", field="lineId")
            if by_line is None:
                by_line = {str(pk): vid for pk, vid in
                           CheckoutLine.objects.filter(checkout=checkout).values_list("pk", "variant_id")}
            if line_pk not in by_line:
                raise ValidationError({"lineId": ValidationError(f"Couldn't resolve to a node: {line_pk}",
                                                                 code="not_found")})
            variant_id = by_line[line_pk]
        else:
            raise ValidationError({"variantId": ValidationError("Provide variantId or lineId.", code="required")})
        if quantity is None:
            quantity = 1
        result.append((variant_id, quantity))
    return result


@saleor_mutation("checkoutLinesUpdate")
def checkout_lines_update(root, info, lines, id=None, token=None, checkout_id=None):
    checkout = checkout_from_args(info, id=id, token=token, checkout_id=checkout_id)
    updated = checkout_services.checkout_lines_update(checkout=checkout, lines=_line_updates(checkout, lines))
    return {"checkout": updated}
