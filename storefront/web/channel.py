"""Which sales channel the pages sell in: one Vietnamese channel today, chosen by setting."""
from __future__ import annotations

from django.conf import settings
from django.http import Http404

from storefront.channel.models import Channel


def current_channel(request=None) -> Channel:
    cached = getattr(request, "_htx_channel", None) if request is not None else None
    if cached is not None:
        return cached
    slug = getattr(settings, "STOREFRONT_CHANNEL_SLUG", "vietnam")
    channel = (Channel.objects.filter(slug=slug, is_active=True).first()
               or Channel.objects.filter(is_active=True).order_by("pk").first())
    if channel is None:
        raise Http404("No active sales channel")
    if request is not None:
        request._htx_channel = channel
    return channel
