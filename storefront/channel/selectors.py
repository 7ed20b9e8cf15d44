"""Reads of sales channels."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import Channel

DEFAULT_CHANNEL_SLUG = "vietnam"


def channels_active() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True)


def channel_by_slug(slug: str) -> Channel | None:
    return Channel.objects.filter(slug=slug, is_active=True).first()
