"""Extensions: a cooperative's shipped part reached the shopper (with the cash collected, for cash on
delivery) or the shopper refused it (its stock back into its lots). Payloads shaped like Saleor's
FulfillmentCancel: the fulfilment, its order, `errors` of OrderError."""
from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.order import services as order_services
from storefront.order.error_codes import OrderErrorCode

from ...core.context import actor
from ...core.errors import errors_from_validation, permission_error
from ...core.mutations import MUTATIONS
from ...core.saleor import named
from ._fulfillment import fulfillment_for

ORDER_ERROR_CODES = {code.name for code in OrderErrorCode}


class FulfillmentMarkDelivered(graphene.ObjectType):
    fulfillment = graphene.Field(lambda: named("Fulfillment"))
    order = graphene.Field(lambda: named("Order"))
    errors = graphene.List(graphene.NonNull(lambda: named("OrderError")), required=True)


class FulfillmentRefuse(graphene.ObjectType):
    fulfillment = graphene.Field(lambda: named("Fulfillment"))
    order = graphene.Field(lambda: named("Order"))
    errors = graphene.List(graphene.NonNull(lambda: named("OrderError")), required=True)


def _run(payload, info, id, call):
    try:
        user = actor(info)
        fulfillment = call(fulfillment_for(user, id), user)
    except ValidationError as exc:
        return payload(fulfillment=None, order=None,
                       errors=errors_from_validation(exc, allowed_codes=ORDER_ERROR_CODES))
    except PermissionDenied as exc:
        raise permission_error(exc) from None
    fulfillment.order.refresh_from_db()
    return payload(fulfillment=fulfillment, order=fulfillment.order, errors=[])


def resolve_mark_delivered(root, info, id, cash_collected=None):
    return _run(FulfillmentMarkDelivered, info, id, lambda f, user: order_services.fulfillment_deliver(
        fulfillment=f, actor=user, cash_collected=cash_collected))


def resolve_refuse(root, info, id, reason):
    return _run(FulfillmentRefuse, info, id, lambda f, user: order_services.fulfillment_refuse(
        fulfillment=f, actor=user, reason=reason))


MUTATIONS["order_fulfillment_mark_delivered"] = graphene.Field(
    FulfillmentMarkDelivered, id=graphene.ID(required=True, description="ID of the fulfillment."),
    cash_collected=graphene.Int(description="Cash collected on delivery, in whole đồng (cash-on-delivery parts)."),
    resolver=resolve_mark_delivered, name="orderFulfillmentMarkDelivered",
    description="Extension: a shipped fulfillment reached the customer; books its sale and any cash collected.")
MUTATIONS["order_fulfillment_refuse"] = graphene.Field(
    FulfillmentRefuse, id=graphene.ID(required=True, description="ID of the fulfillment."),
    reason=graphene.String(required=True), resolver=resolve_refuse, name="orderFulfillmentRefuse",
    description="Extension: the customer refused a shipped fulfillment; its stock returns to its lots.")
