from __future__ import annotations

from storefront.menu import models as m

from ..core.dataloaders import BaseLoader, grouped


class MenuItemsByMenuIdLoader(BaseLoader):
    def batch_load(self, keys):
        rows = m.MenuItem.objects.filter(menu_id__in=keys).select_related("category", "collection")
        return grouped(keys, rows, lambda item: item.menu_id)
