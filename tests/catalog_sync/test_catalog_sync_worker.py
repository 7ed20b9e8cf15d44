"""A real Celery worker on Redis, against the test database and the sandbox over HTTP: killed mid-run with
SIGKILL and restarted, it leaves every selected product published exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from catalog_sync.models import Listing, SyncRun
from tests.catalog_sync.helpers import make_export, remote_products
from tests.prerequisites import missing_prerequisite

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL", "")

LOG = ROOT / "test-artifacts" / "catalog_sync_worker.log"
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, env: dict, log_path: Path) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "ab")
    return subprocess.Popen([str(celery), "-A", "storefront", "worker", "-Q", queue, "--pool=solo", "-c", "1",
                             "-l", "info", "--without-heartbeat", "--without-mingle", "--without-gossip",
                             "-n", f"{queue}@%h"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The task goes to a real worker process by name: the test settings' eager mode is meant not to apply.
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_worker_killed_mid_run_and_restarted_leaves_no_duplicates(coop, channel, trade_staff, sandbox, catalog,
                                                                   categories, tmp_path):
    if connection.vendor != "postgresql":
        missing_prerequisite("the worker process must see the test database: needs PostgreSQL (SQLite's test DB is in memory)")
    if not BROKER.startswith("redis://"):
        missing_prerequisite("needs CELERY_BROKER_URL=redis://… (CI sets it) for a real worker")
    from storefront.celery import app as celery_app

    from tests.factories import make_product

    products = [make_product(coop, channel, name=f"Gạo lô {i}", price=150_000 + i, stock=9) for i in range(16)]
    for p in products:
        make_export(p, trade_staff, title_en=f"Vietnam rice lot {p.pk}")
    sandbox.knobs(latency_ms=250)  # slow enough to kill the worker between two adds
    queue = f"catalog-sync-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": BROKER,
           "CELERY_TASK_ALWAYS_EAGER": "false", "HTX_VAR_DIR": str(tmp_path / "var"),
           "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
           "ALIBABA_GATEWAY_URL": sandbox.gateway, "ALIBABA_APP_SECRET": sandbox.secret,
           "ALIBABA_APP_KEY": django_settings.ALIBABA_APP_KEY, "ALIBABA_SESSION_KEY": django_settings.ALIBABA_SESSION_KEY,
           "CATALOG_SYNC_WORKERS": "1", "CATALOG_SYNC_CHUNK": "2", "CATALOG_SYNC_LEASE_SECONDS": "3",
           "CATALOG_SYNC_SETTLE_SECONDS": "2", "CATALOG_SYNC_MAX_QPS": "0", "CATALOG_SYNC_READ_TIMEOUT": "5"}
    send = lambda: celery_app.send_task("catalog_sync.tasks.sync_catalog_task",  # noqa: E731
                                         kwargs={"triggered_by": "worker-test"}, queue=queue)
    worker = _start_worker(queue, env, LOG)
    try:
        send()
        published = lambda: Listing.objects.exclude(remote_id="").count()  # noqa: E731
        _wait(lambda: published() >= 4, 60, "the first adds")
        _kill(worker)
        killed_at = published()
        assert killed_at < len(products), "the run finished before the kill; the test proves nothing"
        assert SyncRun.objects.filter(finished_at__isnull=True).exists()  # the killed run never finished
        time.sleep(3.5)  # the dead worker's lease and the settle window run out
        worker = _start_worker(queue, env, LOG)
        for _ in range(3):
            before = SyncRun.objects.filter(finished_at__isnull=False).count()
            send()
            _wait(lambda: SyncRun.objects.filter(finished_at__isnull=False).count() > before, 90, "a finished run")
            if Listing.objects.filter(state=Listing.State.LIVE).count() == len(products):
                break
            time.sleep(2.5)
    finally:
        _kill(worker)
    sandbox.knobs(latency_ms=0)
    remote = remote_products(catalog)
    models = sorted(p.red_model for p in remote)
    assert models == sorted(Listing.objects.values_list("model_number", flat=True))  # each exactly once
    assert set(Listing.objects.values_list("remote_id", flat=True)) == {p.product_id for p in remote}
    assert Listing.objects.filter(state=Listing.State.LIVE).count() == len(products)
