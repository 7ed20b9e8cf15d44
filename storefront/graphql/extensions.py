"""Everything in our schema that Saleor's does not have, each with why it exists.

The compatibility test fails on any difference from Saleor's signatures that is not listed here.
Keys: "Type" for a whole type of ours, "Type.field" for a field we add to a Saleor type (object or
input), "Mutation.x"/"Query.x" for root fields.
"""
from __future__ import annotations

EXTENSIONS: dict[str, str] = {
    # Cooperatives: the marketplace's sellers, which Saleor (single seller) has no notion of.
    "Cooperative": "A cooperative (HTX/THT) that runs a store on the marketplace.",
    "CooperativeCertification": "Certificates (VietGAP, OCOP …) a cooperative holds, shown on its store.",
    "CooperativeKindEnum": "Legal form of a cooperative: HTX, THT or union.",
    "CooperativeCountableConnection": "Relay connection of cooperatives, shaped like Saleor's connections.",
    "CooperativeCountableEdge": "Edge of the cooperatives connection.",
    "Query.cooperatives": "List the cooperatives selling on the marketplace.",
    "Query.cooperative": "One cooperative's store by slug, with its products and details.",
    "Product.cooperative": "The cooperative that sells the product.",
    # Combos: one variant made of other variants (from one or several cooperatives).
    "ComboComponent": "One component of a combo variant and how many units a combo holds.",
    "ProductVariant.comboComponents": "What a combo contains; empty for ordinary variants.",
    # VietQR bank transfer, one of the two offline payment methods.
    "VietQRTransfer": "Bank, account, amount, note and QR code to pay an order by VietQR transfer.",
    "Order.vietqrTransfer": "Transfer instructions while an order awaits a VietQR payment.",
    # Consent to personal-data processing, required by Vietnam's PDPL before data is processed.
    "CheckoutPrivacyConsentUpdate": "Payload of checkoutPrivacyConsentUpdate.",
    "Mutation.checkoutPrivacyConsentUpdate": "Record the buyer's consent before an order can be placed.",
    "AccountRegisterInput.privacyConsent": "Consent to personal-data processing, required to open an account.",
    "CheckoutCreateInput.privacyConsent": "Consent given with the cart, so checkoutComplete needs no extra call.",
    "ProductCreateInput.cooperative": "Which cooperative's store a new product belongs to (staff of several).",
    # Harvest lots: fresh produce is stocked, sold expiry-first and traced by batch (Saleor has one number).
    "StockLot": "A harvest or production lot of a variant in a warehouse: dates, quantities, standard.",
    "StockLotStandardEnum": "Farming standard a lot was grown to: VietGAP, GlobalGAP, OCOP, organic.",
    "StockLotError": "An error of stockLotCreate/stockLotUpdate, shaped like Saleor's StockError.",
    "StockLotErrorCode": "Codes of StockLotError (Saleor's StockErrorCode values).",
    "StockLotCreateInput": "What a cooperative records for a new lot.",
    "StockLotUpdateInput": "What can be corrected on a lot.",
    "StockLotCreate": "Payload of stockLotCreate.",
    "StockLotUpdate": "Payload of stockLotUpdate.",
    "Mutation.stockLotCreate": "Record a harvest lot; stock becomes the sum of the sellable lots.",
    "Mutation.stockLotUpdate": "Correct a lot's dates, standard, certificate or note.",
    "ProductVariant.lots": "The variant's harvest lots, for its cooperative's staff.",
    "ProductVariant.bestBefore": "Best-before date of the lot a buyer gets next, where the cooperative shows it.",
    "ProductVariant.harvestDate": "Harvest date of the lot a buyer gets next, where the cooperative shows it.",
    "Stock.bestBefore": "Best-before date of the stock's next lot (expiry first).",
    "Stock.harvestDate": "Harvest date of the stock's next lot.",
    # Returns: a returned line is either put back into its harvest lots or written off as damaged.
    "OrderReturnLineInput.writeOff": "The returned units are damaged: recorded as waste, not restocked.",
    "OrderReturnFulfillmentLineInput.writeOff": "The returned units are damaged: recorded as waste, not restocked.",
    # Selling by actual weight: fresh produce priced per kg, weighed when the cooperative ships it.
    "ProductVariant.soldByWeight": "Whether the variant is sold by actual weight (its price is provisional).",
    "ProductVariant.nominalWeight": "Nominal weight of a unit sold by weight (\"about 1 kg\").",
    "ProductVariant.weightTolerancePercent": "Stated tolerance (±%) of a unit sold by weight.",
    "OrderLine.soldByWeight": "Whether the line is sold by actual weight.",
    "OrderLine.nominalWeight": "Weight the line was placed for (all its units), when sold by weight.",
    "OrderLine.actualWeight": "What the line's goods weighed when shipped (all its units), when sold by weight.",
    "OrderFulfillLineInput.actualWeight": "What a line sold by weight weighed, in the shop's weight unit (grams).",
    # After the order: each cooperative delivers its part itself, collecting cash on delivery.
    "FulfillmentMarkDelivered": "Payload of orderFulfillmentMarkDelivered.",
    "FulfillmentRefuse": "Payload of orderFulfillmentRefuse.",
    "Mutation.orderFulfillmentMarkDelivered": "A shipped part reached the customer, with the cash collected (COD).",
    "Mutation.orderFulfillmentRefuse": "The customer refused a shipped part: stock back into its lots, part closed.",
    "FulfillmentCancelInput.reason": "Why the cooperative cancels its part (required: the customer is told).",
    # Vouchers and promotions: the marketplace records who pays a discount and limits a cooperative's
    # to its own products; Saleor keeps values and minimum spend in per-channel listings (one channel here).
    "DiscountFundedByEnum": "Who pays a discount: the program or the cooperative.",
    "Voucher.cooperative": "The cooperative whose products the voucher is limited to.",
    "Voucher.fundedBy": "Who pays the voucher's discount.",
    "Voucher.usageLimitPerCustomer": "Uses allowed to one customer (account, or e-mail for guests).",
    "Promotion.cooperative": "The cooperative whose products the promotion is limited to.",
    "Promotion.fundedBy": "Who pays the promotion's discount.",
    "PromotionRule.shippingDiscount": "The rule's reward is taken off delivery (free delivery over an amount).",
    "VoucherInput.discountValue": "The voucher's value (Saleor sets it per channel listing): percent or VND.",
    "VoucherInput.minAmountSpent": "Minimum spend in VND (Saleor sets it per channel listing).",
    "VoucherInput.usageLimitPerCustomer": "Uses allowed to one customer.",
    "VoucherInput.cooperative": "Limit the voucher to a cooperative's products (a cooperative's own staff: theirs).",
    "VoucherInput.fundedBy": "Who pays: the program, or the cooperative (always, for a cooperative's staff).",
    "PromotionCreateInput.cooperative": "Limit the promotion to a cooperative's products.",
    "PromotionCreateInput.fundedBy": "Who pays the promotion's discount.",
    "PromotionRuleInput.shippingDiscount": "An ORDER rule whose reward is taken off delivery.",
}

# Extra fields of Saleor input types: {input type: {field: SDL type}}. Documented above.
INPUT_FIELD_EXTENSIONS: dict[str, dict[str, str]] = {
    "AccountRegisterInput": {"privacyConsent": "Boolean"},
    "CheckoutCreateInput": {"privacyConsent": "Boolean"},
    "ProductCreateInput": {"cooperative": "ID"},
    "OrderReturnLineInput": {"writeOff": "Boolean"},
    "OrderReturnFulfillmentLineInput": {"writeOff": "Boolean"},
    "OrderFulfillLineInput": {"actualWeight": "WeightScalar"},
    "FulfillmentCancelInput": {"reason": "String"},
    "VoucherInput": {"discountValue": "PositiveDecimal", "minAmountSpent": "PositiveDecimal",
                     "usageLimitPerCustomer": "Int", "cooperative": "ID", "fundedBy": "DiscountFundedByEnum"},
    "PromotionCreateInput": {"cooperative": "ID", "fundedBy": "DiscountFundedByEnum"},
    "PromotionRuleInput": {"shippingDiscount": "Boolean"},
}
