from __future__ import annotations

from . import types  # noqa: F401  (registers Shop)


class ShopQueries:
    @staticmethod
    def resolve_shop(root, info):
        return {}
