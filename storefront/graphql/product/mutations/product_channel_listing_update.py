from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from storefront.channel.models import Channel
from storefront.product import services as product_services

from ...core.mutations import saleor_mutation
from ..inputs import get_object, product_by_id, require_staff


@saleor_mutation("productChannelListingUpdate")
def product_channel_listing_update(root, info, id, input):
    user = require_staff(info)
    product = product_by_id(id, user=user)
    updates = input.get("update_channels") or []
    removals = input.get("remove_channels") or []
    with transaction.atomic():  # several channels: all or none
        for update in updates:
            channel = get_object(Channel, update.get("channel_id"), "Channel", "channelId")
            product_services.product_channel_listing_update(
                actor=user, product=product, channel=channel, is_published=bool(update.get("is_published")),
                visible_in_listings=update.get("visible_in_listings"),
                is_available_for_purchase=update.get("is_available_for_purchase"),
                available_for_purchase_at=update.get("available_for_purchase_at"),
                published_at=update.get("published_at"),
            )
        for channel_id in removals:
            channel = get_object(Channel, channel_id, "Channel", "removeChannels")
            product_services.product_channel_listing_update(actor=user, product=product, channel=channel,
                                                            is_published=False)
    if not updates and not removals:
        raise ValidationError({"updateChannels": ValidationError("Nothing to update.", code="required")})
    return {"product": product}
