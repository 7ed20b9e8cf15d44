"""User and Address."""
from __future__ import annotations

from storefront.account import models as m
from storefront.order import selectors as order_selectors

from ..core.connection import paginate
from ..core.context import actor
from ..core.dataloaders import loader
from ..core.saleor import SaleorObjectType
from ..core.values import country_display
from . import dataloaders as dl


class User(SaleorObjectType):
    class Meta:
        model = m.User
        fields = {"email": "email", "firstName": "first_name", "lastName": "last_name", "isStaff": "is_staff",
            "isActive": "is_active", "isConfirmed": "is_confirmed", "dateJoined": "date_joined",
            "updatedAt": "updated_at", "lastLogin": "last_login"}
        unsupported = ("assignedAttribute", "assignedAttributes", "checkout", "giftCards", "userPermissions",
            "permissionGroups", "editableGroups", "accessibleChannels", "avatar", "events", "storedPaymentSources",
            "externalReference", "customerType", "storedPaymentMethods")

    @staticmethod
    def resolve_restricted_access_to_channels(root, info):
        return False

    @staticmethod
    def resolve_language_code(root, info):
        return (root.language_code or "vi").upper()

    @staticmethod
    def resolve_note(root, info):
        return None

    @staticmethod
    def resolve_addresses(root, info):
        return loader(info, dl.AddressesByUserIdLoader).load(root.pk)

    @staticmethod
    def resolve_default_shipping_address(root, info):
        if not root.default_shipping_address_id:
            return None
        return loader(info, dl.AddressByIdLoader).load(root.default_shipping_address_id)

    @staticmethod
    def resolve_default_billing_address(root, info):
        if not root.default_billing_address_id:
            return None
        return loader(info, dl.AddressByIdLoader).load(root.default_billing_address_id)

    @staticmethod
    def resolve_orders(root, info, where=None, **page):
        me = actor(info)
        if me is None or me.pk != root.pk:
            return None
        return paginate(order_selectors.orders_for_customer(actor=me), name="orders", **page)

    @staticmethod
    def resolve_checkout_tokens(root, info, channel=None):
        me = actor(info)
        if me is None or me.pk != root.pk:
            return None
        from storefront.checkout.models import Checkout

        checkouts = Checkout.objects.filter(user=me)
        if channel:
            checkouts = checkouts.filter(channel__slug=channel)
        return list(checkouts.values_list("token", flat=True))

    @staticmethod
    def resolve_checkout_ids(root, info, channel=None):
        from ..core.ids import global_id

        tokens = User.resolve_checkout_tokens(root, info, channel)
        return None if tokens is None else [global_id("Checkout", t) for t in tokens]

    @staticmethod
    def resolve_checkouts(root, info, channel=None, **page):
        me = actor(info)
        if me is None or me.pk != root.pk:
            return None
        from storefront.checkout.models import Checkout

        checkouts = Checkout.objects.filter(user=me).select_related("channel")
        if channel:
            checkouts = checkouts.filter(channel__slug=channel)
        return paginate(checkouts, name="checkouts", **page)


class Address(SaleorObjectType):
    class Meta:
        model = m.Address
        fields = {"firstName": "first_name", "lastName": "last_name", "companyName": "company_name",
            "streetAddress1": "street_address_1", "streetAddress2": "street_address_2", "city": "city",
            "cityArea": "city_area", "postalCode": "postal_code", "countryArea": "country_area"}

    @staticmethod
    def resolve_country(root, info):
        return country_display(root.country or "VN")

    @staticmethod
    def resolve_phone(root, info):
        return root.phone or None

    @staticmethod
    def resolve_is_default_shipping_address(root, info):
        me = actor(info)
        return bool(me and me.default_shipping_address_id == root.pk)

    @staticmethod
    def resolve_is_default_billing_address(root, info):
        me = actor(info)
        return bool(me and me.default_billing_address_id == root.pk)
