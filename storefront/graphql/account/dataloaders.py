from __future__ import annotations

from storefront.account.models import Address, User

from ..core.dataloaders import BaseLoader, grouped, model_loader

AddressByIdLoader = model_loader(Address)
UserByIdLoader = model_loader(User)


class AddressesByUserIdLoader(BaseLoader):
    def batch_load(self, keys):
        through = User.addresses.through.objects.filter(user_id__in=keys).select_related("address")
        return [[row.address for row in group] for group in grouped(keys, through, lambda r: r.user_id)]
