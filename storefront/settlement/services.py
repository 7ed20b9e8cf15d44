"""The ledger of what the program owes each cooperative: sales of delivered fulfilments (+), the
program's fee on them (−, SETTLEMENT_FEE_PERCENT of the sale, rounded half-up to the dong), cash
the cooperative collected on delivery (−) and payouts (−). Append-only; a payout never exceeds the balance.

Discounts: the sale is what the part's goods finally cost the shopper, plus the discount the
program pays on them (the program absorbs it: the cooperative is paid as if it had not been
given), less the part of a delivery discount the cooperative pays. A discount the cooperative pays
on its goods is simply not in the sale. The fee is taken on that sale."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from storefront.cooperative.models import Cooperative
from storefront.core.money import percent_of
from storefront.core.permissions import require_program_staff
from storefront.settlement.error_codes import SettlementErrorCode
from storefront.settlement.models import LedgerEntry
from storefront.settlement.selectors import ledger_balance


def settlement_book_delivery(*, fulfillment, actor=None, cash_collected: int = 0) -> list[LedgerEntry]:
    """Book a delivered fulfilment's sale and fee (once: a second call books nothing), and, when the
    cooperative collected the shopper's cash on delivery, that cash (−): it holds the money already."""
    if LedgerEntry.objects.filter(fulfillment=fulfillment, kind=LedgerEntry.Kind.SALE).exists():
        return []
    sale = (int(fulfillment.subtotal_amount) + int(fulfillment.program_discount_amount)
            - int(fulfillment.cooperative_shipping_discount_amount))
    fee = percent_of(sale, settings.SETTLEMENT_FEE_PERCENT)
    user = actor if actor is not None and actor.is_authenticated else None
    reference = f"#{fulfillment.composed_id}"
    entries = [LedgerEntry(cooperative_id=fulfillment.cooperative_id, kind=LedgerEntry.Kind.SALE, amount=sale,
                           fulfillment=fulfillment, reference=reference, created_by=user)]
    if fee:
        entries.append(LedgerEntry(cooperative_id=fulfillment.cooperative_id, kind=LedgerEntry.Kind.FEE,
                                   amount=-fee, fulfillment=fulfillment, reference=reference, created_by=user,
                                   note=f"{settings.SETTLEMENT_FEE_PERCENT}%"))
    if cash_collected:
        entries.append(LedgerEntry(cooperative_id=fulfillment.cooperative_id, kind=LedgerEntry.Kind.CASH_COLLECTED,
                                   amount=-int(cash_collected), fulfillment=fulfillment, reference=reference,
                                   created_by=user))
    return LedgerEntry.objects.bulk_create(entries)


def payout_record(*, cooperative: Cooperative, actor, amount: int, reference: str, note: str = "") -> LedgerEntry:
    require_program_staff(actor)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": ValidationError(_("Số tiền phải là số nguyên dương (đồng)."),
                                                         code=SettlementErrorCode.INVALID.value)})
    reference = str(reference or "").strip()
    if not reference:
        raise ValidationError({"reference": ValidationError(_("Vui lòng nhập mã chứng từ chuyển tiền."),
                                                            code=SettlementErrorCode.REQUIRED.value)})
    if len(reference) > 255:
        raise ValidationError({"reference": ValidationError(_("Mã chứng từ quá dài."),
                                                            code=SettlementErrorCode.INVALID.value)})
    with transaction.atomic():
        # The cooperative row serialises payouts: two staff paying at once cannot both pass the check.
        Cooperative.objects.select_for_update().filter(pk=cooperative.pk).values_list("pk", flat=True).get()
        balance = ledger_balance(cooperative=cooperative)
        if amount > balance:
            raise ValidationError({"amount": ValidationError(
                _("Số tiền chi trả (%(amount)d) lớn hơn số dư (%(balance)d).") % {"amount": amount, "balance": balance},
                code=SettlementErrorCode.INSUFFICIENT_BALANCE.value)})
        return LedgerEntry.objects.create(cooperative=cooperative, kind=LedgerEntry.Kind.PAYOUT, amount=-amount,
                                          reference=reference, note=str(note or "").strip(), created_by=actor)


def settlement_book_refund_adjustment(*, cooperative_id: int, amount: int, reference: str, note: str = "",
                                      actor=None) -> LedgerEntry:
    """Book a signed ADJUSTMENT for a refund a cooperative bears (− when granted; + when the
    cooperative paid the shopper out of its own account). Not tied to the fulfilment: a part may
    have several returns, and the ledger keeps one entry per fulfilment and kind."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise ValueError("a ledger adjustment is a non-zero integer amount of dong")
    user = actor if actor is not None and actor.is_authenticated else None
    return LedgerEntry.objects.create(cooperative_id=cooperative_id, kind=LedgerEntry.Kind.ADJUSTMENT, amount=amount,
                                      reference=reference[:255], note=note, created_by=user)
