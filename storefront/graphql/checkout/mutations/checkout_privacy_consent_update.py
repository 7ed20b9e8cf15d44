"""Extension: the buyer's consent to personal-data processing, which Vietnamese law (PDPL
91/2025) requires before an order is placed and Saleor has no field for."""
from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError

from storefront.checkout import services as checkout_services

from ...core.errors import errors_from_validation, permission_error
from ...core.mutations import MUTATIONS
from ...core.saleor import named, signatures
from ..inputs import checkout_from_args


class CheckoutPrivacyConsentUpdate(graphene.ObjectType):
    checkout = graphene.Field(lambda: named("Checkout"))
    errors = graphene.List(graphene.NonNull(lambda: named("CheckoutError")), required=True)


def resolve(root, info, granted, id=None, token=None):
    try:
        checkout = checkout_from_args(info, id=id, token=token)
        checkout = checkout_services.checkout_privacy_consent(checkout=checkout, granted=granted)
    except ValidationError as exc:
        return CheckoutPrivacyConsentUpdate(checkout=None, errors=errors_from_validation(
            exc, allowed_codes=set(signatures()["CheckoutErrorCode"]["values"])))
    except PermissionDenied as exc:
        raise permission_error(exc) from None
    return CheckoutPrivacyConsentUpdate(checkout=checkout, errors=[])


MUTATIONS["checkout_privacy_consent_update"] = graphene.Field(
    CheckoutPrivacyConsentUpdate, id=graphene.ID(), token=named("UUID")(), granted=graphene.Boolean(required=True),
    resolver=resolve, name="checkoutPrivacyConsentUpdate",
    description="Extension: record the buyer's consent to processing their personal data (required by law).",
)
