"""What resolvers need from the request: the acting user and the channel of the operation."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from graphql import GraphQLError

from storefront.channel.models import Channel
from storefront.product.catalog_cache import cached


def actor(info):
    user = getattr(info.context, "user", None)
    return user if user is not None and user.is_authenticated else None


def _channels(context) -> dict[str, Channel]:
    cache = getattr(context, "_htx_channels", None)
    if cache is None:
        # Catalog data (a channel write bumps the catalog version): read once per catalog version.
        cache = cached("channels", (), lambda: {c.slug: c for c in Channel.objects.all()})
        context._htx_channels = cache
    return cache


def channel_by_slug(info, slug: str | None, *, required: bool = True) -> Channel | None:
    """The channel `slug` names; without a slug, the only active channel (as Saleor does)."""
    channels = _channels(info.context)
    if slug:
        channel = channels.get(slug)
        if channel is None and required:
            raise GraphQLError(f"Channel with '{slug}' slug does not exist.")
    else:
        active = [c for c in channels.values() if c.is_active]
        if len(active) == 1:
            channel = active[0]
        elif required:
            raise GraphQLError("More than one channel exists. Specify which channel to use.")
        else:
            channel = None
    if channel is not None:
        info.context._htx_current_channel = channel
    return channel


def current_channel(info) -> Channel | None:
    """The channel set by the root field of this operation (products(channel:), a checkout …)."""
    channel = getattr(info.context, "_htx_current_channel", None)
    if channel is None:
        channel = channel_by_slug(info, None, required=False)
    return channel


def set_current_channel(info, channel) -> None:
    if channel is not None:
        info.context._htx_current_channel = channel


def require_channel_for_mutation(info, slug, field="channel"):
    channels = _channels(info.context)
    if slug:
        channel = channels.get(slug)
        if channel is None:
            raise ValidationError({field: ValidationError(f"Channel with '{slug}' slug does not exist.",
                                                          code="not_found")})
        return channel
    active = [c for c in channels.values() if c.is_active]
    if len(active) == 1:
        return active[0]
    raise ValidationError({field: ValidationError("You need to provide channel slug.", code="missing_channel_slug")})
