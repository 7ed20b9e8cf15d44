from __future__ import annotations

from storefront.channel.models import Channel

from ..core.context import set_current_channel
from ..core.ids import try_decode
from . import types  # noqa: F401


class ChannelQueries:
    @staticmethod
    def resolve_channels(root, info):
        return list(Channel.objects.order_by("slug"))

    @staticmethod
    def resolve_channel(root, info, id=None, slug=None):
        channel = None
        if id:
            pk = try_decode(id, "Channel")
            channel = Channel.objects.filter(pk=int(pk)).first() if pk and pk.isdigit() else None
        elif slug:
            channel = Channel.objects.filter(slug=slug).first()
        set_current_channel(info, channel)
        return channel
