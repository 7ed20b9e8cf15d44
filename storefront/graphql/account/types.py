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

    @staticmethod
    def resolve_email(root, info):
        return root.email

    @staticmethod
    def resolve_first_name(root, info):
        return root.first_name

    @staticmethod
    def resolve_last_name(root, info):
        return root.last_name

    @staticmethod
    def resolve_is_staff(root, info):
        return root.is_staff

    @staticmethod
    def resolve_is_active(root, info):
        return root.is_active

    @staticmethod
    def resolve_is_confirmed(root, info):
        return root.is_confirmed

    @staticmethod
    def resolve_restricted_access_to_channels(root, info):
        return False

    @staticmethod
    def resolve_language_code(root, info):
        return (root.language_code or "vi").upper()

    @staticmethod
    def resolve_date_joined(root, info):
        return root.date_joined

    @staticmethod
    def resolve_updated_at(root, info):
        return root.updated_at

    @staticmethod
    def resolve_last_login(root, info):
        return root.last_login

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

    @staticmethod
    def resolve_first_name(root, info):
        return root.first_name

    @staticmethod
    def resolve_last_name(root, info):
        return root.last_name

    @staticmethod
    def resolve_company_name(root, info):
        return root.company_name

    @staticmethod
    def resolve_street_address1(root, info):
        return root.street_address_1

    @staticmethod
    def resolve_street_address2(root, info):
        return root.street_address_2

    @staticmethod
    def resolve_city(root, info):
        return root.city

    @staticmethod
    def resolve_city_area(root, info):
        return root.city_area

    @staticmethod
    def resolve_postal_code(root, info):
        return root.postal_code

    @staticmethod
    def resolve_country(root, info):
        return country_display(root.country or "VN")

    @staticmethod
    def resolve_country_area(root, info):
        return root.country_area

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
