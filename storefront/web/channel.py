"""Which sales channel the pages sell in: one Vietnamese channel today, chosen by setting."""
from __future__ import annotations

from django.conf import settings
from django.http import Http404

from storefront.channel.models import Channel
from storefront.product.catalog_cache import cached


def _active_channel(slug: str) -> Channel | None:
    return (Channel.objects.filter(slug=slug, is_active=True).first()
            or Channel.objects.filter(is_active=True).order_by("pk").first())


def current_channel(request=None) -> Channel:
    known = getattr(request, "_htx_channel", None) if request is not None else None
    if known is not None:
        return known
    slug = getattr(settings, "STOREFRONT_CHANNEL_SLUG", "vietnam")
    channel = cached("storefront-channel", slug, lambda: _active_channel(slug))
    if channel is None:
        raise Http404("No active sales channel")
    if request is not None:
        request._htx_channel = channel
    return channel
