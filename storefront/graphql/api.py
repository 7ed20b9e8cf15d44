"""The Saleor-compatible schema: Saleor's root fields we serve, plus documented extensions
(storefront/graphql/extensions.py). Importing a domain's schema module registers its types and
mutations; the root types are assembled last so every Saleor name resolves to our type."""
from __future__ import annotations

import graphene

from .account.mutations import account_register, token_create, token_refresh, token_verify  # noqa: F401
from .account.schema import AccountQueries
from .channel.schema import ChannelQueries
from .checkout.mutations import (checkout_add_promo_code, checkout_remove_promo_code,  # noqa: F401
                                 checkout_billing_address_update, checkout_complete, checkout_create,
                                 checkout_customer_note_update, checkout_delivery_method_update,
                                 checkout_email_update, checkout_lines_add, checkout_lines_delete,
                                 checkout_lines_update, checkout_privacy_consent_update,
                                 checkout_shipping_address_update)
from .checkout.schema import CheckoutQueries
from .cooperative.schema import CooperativeQueries
from .core.mutations import MUTATIONS
from .core.saleor import SaleorObjectType, named, signatures
from .discount import types as discount_types  # noqa: F401
from .discount.mutations import promotion_create, voucher_create  # noqa: F401
from .menu.schema import MenuQueries
from .order.mutations import (order_cancel, order_fulfill, order_fulfillment_cancel,  # noqa: F401
                              order_fulfillment_delivery, order_mark_as_paid, order_returns)
from .order.schema import OrderQueries
from .payment import schema as payment_schema  # noqa: F401
from .product.mutations import (product_channel_listing_update, product_create, product_delete,  # noqa: F401
                                product_media_create, product_update, product_variant_create,
                                product_variant_stocks_update, product_variant_update)
from .product.schema import ProductQueries
from .shipping import types as shipping_types  # noqa: F401
from .shop.schema import ShopQueries
from .warehouse.mutations import stock_lot_create, stock_lot_update  # noqa: F401
from .warehouse.schema import WarehouseQueries


class Query(AccountQueries, ChannelQueries, CheckoutQueries, CooperativeQueries, MenuQueries, OrderQueries,
            ProductQueries, ShopQueries, WarehouseQueries, SaleorObjectType):
    class Meta:
        name = "Query"


Mutation = type("Mutation", (graphene.ObjectType,), dict(MUTATIONS))

# Types reachable only through unions or interfaces a storefront queries with fragments.
ABSTRACT_MEMBERS = [
    "AssignedSingleChoiceAttribute", "AssignedMultiChoiceAttribute", "AssignedTextAttribute",
    "AssignedPlainTextAttribute", "AssignedNumericAttribute", "AssignedBooleanAttribute",
    "AssignedDateAttribute", "AssignedDateTimeAttribute", "AssignedFileAttribute",
    "AssignedSwatchAttribute", "AssignedMultiPageReferenceAttribute", "AssignedMultiProductReferenceAttribute",
    "AssignedMultiCategoryReferenceAttribute", "AssignedMultiCollectionReferenceAttribute",
    "AssignedMultiProductVariantReferenceAttribute", "AssignedSinglePageReferenceAttribute",
    "AssignedSingleProductReferenceAttribute", "AssignedSingleProductVariantReferenceAttribute",
    "AssignedSingleCategoryReferenceAttribute", "AssignedSingleCollectionReferenceAttribute",
]

schema = graphene.Schema(query=Query, mutation=Mutation,
                         types=[named(name) for name in ABSTRACT_MEMBERS if name in signatures()])
