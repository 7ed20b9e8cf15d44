"""Shopper-facing catalog reads cached under a catalog version.

Listing pages and the API's product lists ask the database the same questions over and over (which
products are on page 1 of a category, how many match a search); the answers change only when the
catalog does. Each answer is cached under the *catalog version*, a number that every write to a
catalog, cooperative or channel row changes, so a change is seen by the next request without
deleting any key: old entries are simply never asked for again and expire.

* The version is bumped by a signal receiver on every save, delete and many-to-many change of the
  models of the `product`, `cooperative` and `channel` apps (see `apps.ProductConfig.ready`), and by
  the services that write in bulk (bulk_create/bulk_update send no signals).
* It is bumped twice: at once (so the writer's own next read in the same transaction is fresh) and
  again when the transaction commits (a reader that took the first bump may have cached what it read
  before the commit; that entry is then under a version nobody asks for).
* Entries also expire after `CACHE_SECONDS`, which bounds what no write announces: a listing whose
  `published_at` passes, or, without Redis, a write made in another process (each process then has
  its own in-memory cache).
* Stock is never cached here: availability is read live, so orders do not invalidate listings.
* Only a shopper's view is cached: staff see unpublished products of their own, callers skip the cache
  for them (`is_shopper_view`).
* One request reads one catalog version: the version is read once, at the request's first cached read,
  and kept until the request ends (`request_started`/`request_finished`, connected in
  `apps.ProductConfig.ready`), so a page or an API answer is never assembled from two catalogs. A
  bump inside the request (the request wrote to the catalog) drops the kept version, so the
  writer's next read is fresh.
"""
from __future__ import annotations

import contextvars
import functools
import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from storefront.core.permissions import cooperative_ids_of, is_program_staff

VERSION_KEY = "catalog:version"
CACHE_SECONDS = 60
CATALOG_APPS = frozenset({"product", "cooperative", "channel"})

T = TypeVar("T")
_MISSING = object()


class _Pin:
    """The catalog version one request reads (None: not read yet, or dropped by a bump)."""
    __slots__ = ("version",)

    def __init__(self):
        self.version = None


_request_pin: contextvars.ContextVar[_Pin | None] = contextvars.ContextVar("catalog_version_pin", default=None)


def request_started(sender=None, **kwargs) -> None:
    _request_pin.set(_Pin())


def request_finished(sender=None, **kwargs) -> None:
    _request_pin.set(None)


def catalog_version() -> int:
    """The current catalog version; inside a request, the one the request first read."""
    pin = _request_pin.get()
    if pin is None:
        return _read_version()
    if pin.version is None:
        pin.version = _read_version()
    return pin.version


def _read_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Started from the clock, not 1: after the key is lost (a flushed cache), restarting at 1
        # would find entries cached under the earlier 1, 2, ….
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _advance() -> None:
    pin = _request_pin.get()
    if pin is not None:
        pin.version = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted or never set
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def bump_catalog_version() -> None:
    """Call after a write that changes what shoppers see of the catalog and sends no model signal."""
    _advance()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _advance for _, func, _ in connection.run_on_commit):
        return  # one bump at commit covers every write of the transaction
    transaction.on_commit(_advance)


def catalog_changed(sender, **kwargs) -> None:
    """Receiver for post_save, post_delete and m2m_changed of the catalog's models."""
    if kwargs.get("action", "post_").startswith("post_"):
        bump_catalog_version()


def is_shopper_view(actor) -> bool:
    """True when `actor` sees exactly what the public sees (no staff extras), so a cached answer fits."""
    return not is_program_staff(actor) and not cooperative_ids_of(actor)


@functools.cache
def _schema() -> str:
    """A digest of the catalog models' fields and of the read model's cached classes: cached values
    hold pickled instances of both, which a release that adds or drops a field must not read back
    (old and new code share Redis during a rolling deploy)."""
    import dataclasses

    from django.apps import apps

    from . import listing

    fields = sorted((model._meta.label, tuple(f.attname for f in model._meta.concrete_fields))
                    for app in CATALOG_APPS for model in apps.get_app_config(app).get_models())
    fields += [(cls.__qualname__, tuple(f.name for f in dataclasses.fields(cls))) for cls in listing.CACHED_CLASSES]
    return hashlib.blake2b(repr(fields).encode(), digest_size=6).hexdigest()


def _key(namespace: str, parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"catalog:{_schema()}:{namespace}:{catalog_version()}:{digest}"


def cached(namespace: str, parts, compute: Callable[[], T]) -> T:
    """`compute()`, cached for this catalog version under `namespace` and `parts` (anything with a
    stable repr: ints, strings, tuples, None)."""
    key = _key(namespace, parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
