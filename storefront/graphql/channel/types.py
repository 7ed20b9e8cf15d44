"""Channel: readable without a token (a storefront needs it before anyone logs in)."""
from __future__ import annotations

from storefront.channel import models as m
from storefront.order.models import Order
from storefront.warehouse.models import Warehouse

from ..core.saleor import SaleorObjectType
from ..core.values import country_display


class Channel(SaleorObjectType):
    class Meta:
        model = m.Channel
        fields = {"slug": "slug", "name": "name", "isActive": "is_active", "currencyCode": "currency_code"}
        unsupported = ("availableShippingMethodsPerCountry",)

    @staticmethod
    def resolve_has_orders(root, info):
        return Order.objects.filter(channel=root).exists()

    @staticmethod
    def resolve_default_country(root, info):
        return country_display(root.default_country)

    @staticmethod
    def resolve_countries(root, info):
        return [country_display(root.default_country)]

    @staticmethod
    def resolve_warehouses(root, info):
        return list(Warehouse.objects.filter(is_private=False).select_related("province", "commune"))

    @staticmethod
    def resolve_stock_settings(root, info):
        return {"allocationStrategy": "PRIORITIZE_SORTING_ORDER"}

    @staticmethod
    def resolve_order_settings(root, info):
        return {
            "automaticallyConfirmAllNewOrders": True,
            "automaticallyFulfillNonShippableGiftCard": False,
            "expireOrdersAfter": None,
            "markAsPaidStrategy": "PAYMENT_FLOW",
            "deleteExpiredOrdersAfter": 60,
            "allowUnpaidOrders": root.allow_unpaid_orders,
            "includeDraftOrderInVoucherUsage": False,
            "draftOrderLinePriceFreezePeriod": None,
            "useLegacyLineDiscountPropagation": False,
        }

    @staticmethod
    def resolve_checkout_settings(root, info):
        return {
            "useLegacyErrorFlow": True,
            "automaticallyCompleteFullyPaidCheckouts": False,
            "automaticCompletionDelay": None,
            "automaticCompletionCutOffDate": None,
            "allowLegacyGiftCardUse": False,
        }

    @staticmethod
    def resolve_payment_settings(root, info):
        return {"defaultTransactionFlowStrategy": "CHARGE", "releaseFundsForExpiredCheckouts": False,
                "checkoutTtlBeforeReleasingFunds": None, "checkoutReleaseFundsCutOffDate": None}

    @staticmethod
    def resolve_tax_configuration(root, info):
        # VND prices are sold VAT-inclusive; no separate tax is calculated.
        return {"id": root.pk, "channel": root, "chargeTaxes": False, "taxCalculationStrategy": None,
                "displayGrossPrices": True, "pricesEnteredWithTax": True, "countries": [],
                "metadata": [], "privateMetadata": []}
