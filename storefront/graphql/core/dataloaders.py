"""Request-scoped, promise-based DataLoaders (graphene-django's view is synchronous).

Each loader class is instantiated once per request and kept on the request, so one GraphQL
operation batches every `load` of the same kind into one query. Names follow Saleor: `XByYLoader`.
"""
from __future__ import annotations

from collections import defaultdict

from promise import Promise
from promise.dataloader import DataLoader


class BaseLoader(DataLoader):
    """A DataLoader that also keeps the values it knows (primed or loaded), so `value_or_promise`
    hands a resolver the value itself when it is at hand: a listing page's relations are primed
    from the catalog read model, and a promise per field of every node costs more than the fields."""
    context_key: str | None = None

    def __init__(self, context):
        super().__init__()
        self.context = context
        self.known: dict = {}

    def batch_load_fn(self, keys):
        try:
            values = self.batch_load(keys)
        except Exception as exc:  # every waiting resolver gets the error, the batch keeps working
            return Promise.reject(exc)
        self.known.update(zip(keys, values))
        return Promise.resolve(values)

    def prime(self, key, value):
        self.known.setdefault(key, value)
        return self

    def load(self, key=None):
        if key in self.known:
            return Promise.resolve(self.known[key])
        return super().load(key)

    def value_or_promise(self, key):
        """The value for `key` when known, else a promise of it (batched like `load`)."""
        known = self.known
        return known[key] if key in known else super().load(key)

    def batch_load(self, keys):
        raise NotImplementedError


def loader(info_or_context, loader_class):
    context = getattr(info_or_context, "context", info_or_context)
    loaders = getattr(context, "_htx_loaders", None)
    if loaders is None:
        loaders = {}
        setattr(context, "_htx_loaders", loaders)
    key = loader_class.context_key or loader_class.__name__
    if key not in loaders:
        loaders[key] = loader_class(context)
    return loaders[key]


def by_key(keys, rows, key_fn):
    found = {key_fn(row): row for row in rows}
    return [found.get(key) for key in keys]


def grouped(keys, rows, key_fn):
    groups = defaultdict(list)
    for row in rows:
        groups[key_fn(row)].append(row)
    return [groups.get(key, []) for key in keys]


def model_loader(model, *, select_related=()):
    """A loader of `model` rows by primary key."""

    class Loader(BaseLoader):
        context_key = f"{model._meta.label}ByIdLoader"

        def batch_load(self, keys):
            rows = model.objects.filter(pk__in=keys)
            if select_related:
                rows = rows.select_related(*select_related)
            return by_key(keys, rows, lambda row: row.pk)

    Loader.__name__ = f"{model.__name__}ByIdLoader"
    return Loader
