"""Shop: the marketplace as one Saleor shop (its operator, languages, country, gateways)."""
from __future__ import annotations

from django.conf import settings

from storefront.channel.models import Channel
from storefront.payment import gateways as payment_gateways

from ..core.context import channel_by_slug
from ..core.saleor import SaleorObjectType
from ..core.values import country_display, language_display

SCHEMA_VERSION = "3.23"


class Shop(SaleorObjectType):
    """The root value is the request; everything comes from settings and the channels."""
    class Meta:
        unsupported = ("availableShippingMethods", "defaultMailSenderName", "defaultMailSenderAddress",
            "translation", "reserveStockDurationAnonymousUser", "reserveStockDurationAuthenticatedUser",
            "limitQuantityPerCheckout", "companyAddress", "customerSetPasswordUrl", "staffNotificationRecipients",
            "useLegacyUpdateWebhookEmission")


    @staticmethod
    def resolve_id(root, info):
        return "U2hvcDpzaG9w"

    @staticmethod
    def resolve_name(root, info):
        return settings.OPERATOR["name"]

    @staticmethod
    def resolve_description(root, info):
        return settings.OPERATOR["registration"]

    @staticmethod
    def resolve_header_text(root, info):
        return None

    @staticmethod
    def resolve_domain(root, info):
        request = info.context
        host = request.get_host()
        return {"host": host, "sslEnabled": request.is_secure(), "url": request.build_absolute_uri("/")}

    @staticmethod
    def resolve_available_payment_gateways(root, info, currency=None, channel=None):
        channel_obj = channel_by_slug(info, channel, required=False)
        channels = [channel_obj] if channel_obj else list(Channel.objects.filter(is_active=True))
        seen, result = set(), []
        for ch in channels:
            for gateway in payment_gateways.available_gateways(ch):
                if gateway.id in seen or (currency and currency != ch.currency_code):
                    continue
                seen.add(gateway.id)
                result.append({"id": gateway.id, "name": str(gateway.name), "config": [],
                               "currencies": [ch.currency_code]})
        return result

    @staticmethod
    def resolve_available_external_authentications(root, info):
        return []

    @staticmethod
    def resolve_channel_currencies(root, info):
        return sorted(set(Channel.objects.values_list("currency_code", flat=True)))

    @staticmethod
    def resolve_countries(root, info, language_code=None, filter=None):
        return [country_display("VN")]

    @staticmethod
    def resolve_default_country(root, info):
        return country_display("VN")

    @staticmethod
    def resolve_languages(root, info):
        return [language_display(code.upper()) for code, _ in settings.LANGUAGES]

    @staticmethod
    def resolve_permissions(root, info):
        return []

    @staticmethod
    def resolve_phone_prefixes(root, info):
        return ["+84"]

    @staticmethod
    def resolve_fulfillment_auto_approve(root, info):
        return True

    @staticmethod
    def resolve_fulfillment_allow_unpaid(root, info):
        return True

    @staticmethod
    def resolve_track_inventory_by_default(root, info):
        return True

    @staticmethod
    def resolve_allow_storefront_traffic(root, info):
        return True

    @staticmethod
    def resolve_default_weight_unit(root, info):
        return "G"

    @staticmethod
    def resolve_limits(root, info):
        empty = {"channels": None, "orders": None, "productVariants": None, "staffUsers": None, "warehouses": None}
        return {"currentUsage": empty, "allowedUsage": empty}

    @staticmethod
    def resolve_announcements(root, info):
        return []

    @staticmethod
    def resolve_version(root, info):
        return SCHEMA_VERSION

    resolve_schema_version = resolve_version

    @staticmethod
    def resolve_available_tax_apps(root, info):
        return []

    @staticmethod
    def resolve_preserve_all_address_fields(root, info):
        return False

    @staticmethod
    def resolve_password_login_mode(root, info):
        return "ENABLED"

    @staticmethod
    def resolve_include_taxes_in_prices(root, info):
        return True

    @staticmethod
    def resolve_display_gross_prices(root, info):
        return True

    @staticmethod
    def resolve_charge_taxes_on_shipping(root, info):
        return False

    @staticmethod
    def resolve_use_legacy_shipping_zone_stock_availability(root, info):
        return False

    @staticmethod
    def resolve_account_confirm_merge_mode(root, info):
        return "MERGE_DISABLED"

    @staticmethod
    def resolve_enable_account_confirmation_by_email(root, info):
        return False

    @staticmethod
    def resolve_allow_login_without_confirmation(root, info):
        return True
