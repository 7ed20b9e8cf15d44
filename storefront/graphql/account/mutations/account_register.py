from __future__ import annotations

from storefront.account import services as account_services
from storefront.account.models import ConsentRecord

from ...core.mutations import saleor_mutation
from ...checkout.inputs import enum_value


@saleor_mutation("accountRegister")
def account_register(root, info, input):
    language = str(enum_value(input.get("language_code")) or "VI").lower().split("_")[0]
    # Saleor's accountRegister has no consent field: a Saleor storefront shows its own consent, and
    # our privacyConsent extension records it when the client sends it.
    consents = {ConsentRecord.Purpose.DATA_PROCESSING: True} if input.get("privacy_consent") else {}
    user = account_services.account_register(
        email=input.get("email"), password=input.get("password"), first_name=input.get("first_name") or "",
        last_name=input.get("last_name") or "", consents=consents, source="api", language_code=language,
        require_privacy_consent=False,
    )
    return {"requiresConfirmation": False, "user": user}
