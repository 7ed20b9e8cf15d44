"""Two syncs at once against a slow platform with a short lease: the second takes the lease the first let expire,
and still every product is published exactly once (the lease is renewed before each write and fenced by its
generation, so the overtaken run stops before its next call; unconfirmed adds are looked up before re-adding)."""
from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from catalog_sync.models import Listing, SyncLease, SyncRun
from catalog_sync.sync import LeaseLost, SyncBusy, _lease_acquire, _lease_renew, catalog_sync_run
from tests.catalog_sync.helpers import make_export, remote_products
from tests.prerequisites import missing_prerequisite


@pytest.fixture
def slow_short_lease(sandbox, settings):
    # Each call takes longer than the lease, the adds go out one by one, and an add unconfirmed for a second
    # counts as lost when nothing on the platform carries its model number.
    settings.CATALOG_SYNC_LEASE_SECONDS = 0.5
    settings.CATALOG_SYNC_WORKERS = 1
    settings.CATALOG_SYNC_CHUNK = 6
    settings.CATALOG_SYNC_SETTLE_SECONDS = 1.0
    sandbox.knobs(latency_ms=700)
    yield sandbox
    sandbox.knobs(latency_ms=0)


def test_generation_fences_an_overtaken_holder(db, settings):
    settings.CATALOG_SYNC_LEASE_SECONDS = 1
    first = _lease_acquire("first")
    assert first is not None
    assert _lease_acquire("second") is None  # held
    SyncLease.objects.filter(name="sync").update(expires_at=SyncLease.objects.get().expires_at.replace(year=2000))
    second = _lease_acquire("second")
    assert second is not None and second.generation > first.generation
    with pytest.raises(LeaseLost):
        _lease_renew(first)
    _lease_renew(second)
    # Even the same holder name cannot write with an old generation.
    with pytest.raises(LeaseLost):
        _lease_renew(type(first)(holder="second", generation=first.generation))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_syncs_with_an_expiring_lease_publish_each_product_once(coop, channel, trade_staff, slow_short_lease,
                                                                    catalog, categories, source):
    if connection.vendor != "postgresql":
        missing_prerequisite("two syncs in two threads need a database both see: set DATABASE_URL=postgres://…")
    from tests.factories import make_product

    products = [make_product(coop, channel, name=f"Gạo lô {i}", price=150_000 + i, stock=9) for i in range(6)]
    for p in products:
        make_export(p, trade_staff, title_en=f"Vietnam rice lot {p.pk}")
    outcomes: dict[str, list] = {"first": [], "second": []}

    def run(name: str, delay: float) -> None:
        time.sleep(delay)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    outcomes[name].append(catalog_sync_run(source=source, triggered_by=name).counts)
                    return
                except SyncBusy:
                    time.sleep(0.1)
                except LeaseLost as exc:
                    outcomes[name].append(exc)
                    return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=("first", 0)), threading.Thread(target=run, args=("second", 2.5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    first, second = SyncRun.objects.get(triggered_by="first"), SyncRun.objects.get(triggered_by="second")
    assert second.started_at < first.finished_at, f"the runs did not overlap, the test proves nothing: {outcomes}"
    slow_short_lease.knobs(latency_ms=0)
    for _ in range(3):  # what the overtaken run left unconfirmed settles on the next runs
        catalog_sync_run(source=source, triggered_by="after")
        if Listing.objects.filter(state=Listing.State.LIVE).count() == len(products):
            break
    remote = remote_products(catalog)
    models = sorted(p.red_model for p in remote)
    assert models == sorted(Listing.objects.values_list("model_number", flat=True)), "duplicate remote products"
    assert Listing.objects.filter(state=Listing.State.LIVE).count() == len(products)
    assert isinstance(outcomes["first"][0], LeaseLost), outcomes  # overtaken, it stopped writing
