"""Request-scoped, promise-based DataLoaders (graphene-django's view is synchronous).

Each loader class is instantiated once per request and kept on the request, so one GraphQL
operation batches every `load` of the same kind into one query. Names follow Saleor: `XByYLoader`.
"""
from __future__ import annotations

from collections import defaultdict

from promise import Promise
from promise.dataloader import DataLoader


class BaseLoader(DataLoader):
    context_key: str | None = None

    def __init__(self, context):
        super().__init__()
        self.context = context

    def batch_load_fn(self, keys):
        try:
            return Promise.resolve(self.batch_load(keys))
        except Exception as exc:  # every waiting resolver gets the error, the batch keeps working
            return Promise.reject(exc)

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
