"""Benchmark of the B2B catalog sync against the sandbox (a separate process, over HTTP).

  .venv/bin/python -m bench.catalog_sync [--listings 10000] [--quota-listings 600]

1. full publish of N listings with the sandbox quota raised (time, calls, calls per listing, and the storage of the
   publish snapshots it keeps);
2. a no-op sync (write calls must be 0);
3. a sync after 1% of the listings changed;
4. a full publish of a smaller set at the sandbox's default quota (20 calls/s): share of the quota used,
   rate-limit errors left unretried.
Uses its own SQLite file under var/bench-catalog-sync/ unless DATABASE_URL is set.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMAGE_POOL = 50  # distinct product photos; images are uploaded once per distinct content


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_sandbox(db: Path, qps: float | None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    args = [sys.executable, "-m", "integrations.alibaba.sandbox", "--port", str(port), "--db", str(db),
            "--log-level", "WARNING"]
    if qps is not None:
        args += ["--qps", str(qps)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests

    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc, f"http://127.0.0.1:{port}"
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("sandbox did not start")


def _admin(base: str, route: str, body: dict | None = None, method: str = "POST") -> dict:
    import requests
    from django.conf import settings

    r = requests.request(method, f"{base}/sandbox/admin/{route}", json=body or {}, timeout=10,
                         headers={"X-Sandbox-Admin-Token": settings.ALIBABA_APP_SECRET})
    r.raise_for_status()
    return r.json()


def _seed_exports(n: int) -> list[int]:
    """Images, export profiles, tiers for the bench products (bulk, no per-row services: this is set-up)."""
    import hashlib
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from PIL import Image

    from catalog_sync.models import ExportProfile, Listing, PriceTier, RemoteCategory
    from catalog_sync.ports import model_number_for
    from storefront.product.models import Product, ProductMedia

    products = list(Product.objects.filter(slug__startswith="bench-p-").order_by("slug")
                    .values_list("pk", "cooperative_id")[:n])
    have_media = set(ProductMedia.objects.filter(product_id__in=[p for p, _ in products]).values_list(
        "product_id", flat=True))
    pool = []
    for i in range(IMAGE_POOL):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 800), (40 + i * 4, 120, 200 - i * 3)).save(buffer, "JPEG", quality=85)
        data = buffer.getvalue()
        media_name = f"bench-{i:02d}.jpg"
        pool.append((data, hashlib.sha256(data).hexdigest(), media_name))
    stored = {}
    media_rows = []
    for index, (pid, _coop) in enumerate(products):
        if pid in have_media:
            continue
        data, digest, name = pool[index % IMAGE_POOL]
        if digest not in stored:
            probe = ProductMedia(product_id=pid, width=800, height=800, content_hash=digest)
            probe.image.save(name, ContentFile(data), save=False)
            stored[digest] = probe.image.name
        media_rows.append(ProductMedia(product_id=pid, image=stored[digest], width=800, height=800,
                                       content_hash=digest))
    ProductMedia.objects.bulk_create(media_rows, batch_size=2000)
    rice = RemoteCategory.objects.get(pk=100000001)
    existing = set(ExportProfile.objects.values_list("product_id", flat=True))
    profiles = ExportProfile.objects.bulk_create([ExportProfile(
        product_id=pid, cooperative_id=coop, selected=True, title_en=f"Vietnam farm produce lot {pid}",
        description_en="Grown by a Vietnamese cooperative.", keywords=["vietnam rice", "st25 rice"],
        remote_category=rice, hs_code="100630", moq=100, moq_unit="Bag", supply_quantity=5000, supply_unit="Bag",
        port="Ho Chi Minh City", lead_time_days=15, payment_methods=["T/T"], certifications=["VietGAP"],
        prices_confirmed=True) for pid, coop in products if pid not in existing], batch_size=2000)
    PriceTier.objects.bulk_create([t for p in profiles for t in (
        PriceTier(profile=p, min_quantity=100, price_usd=Decimal("7.80")),
        PriceTier(profile=p, min_quantity=500, price_usd=Decimal("7.41")))], batch_size=4000)
    Listing.objects.bulk_create([Listing(profile=p, model_number=model_number_for(p.product_id)) for p in profiles],
                                batch_size=2000)
    return [pid for pid, _ in products]


def _run(label: str, **kwargs) -> dict:
    from catalog_sync.models import Listing
    from catalog_sync.remote import B2BCatalog
    from catalog_sync.source import shop_source
    from catalog_sync.sync import catalog_sync_run

    catalog = B2BCatalog()
    started = time.perf_counter()
    report = catalog_sync_run(source=shop_source(), catalog=catalog, triggered_by="bench", **kwargs)
    seconds = time.perf_counter() - started
    catalog.close()
    left = Listing.objects.filter(state__in=[Listing.State.RETRYING, Listing.State.FAILED, Listing.State.ADDING])
    out = {"scenario": label, "seconds": round(seconds, 2), "read_calls": report.read_calls,
           "write_calls": report.write_calls, "calls": report.read_calls + report.write_calls,
           "counts": dict(report.counts), "left_failed_or_retrying": left.count(),
           "rate_limit_errors_left": left.filter(last_error_code__icontains="limit").count()}
    print(json.dumps(out), flush=True)
    return out


def _snapshot_storage() -> dict:
    """Publish snapshots kept so far: rows, bytes of their content columns per row, and the table's size on disk
    (SQLite's dbstat or PostgreSQL's relation size, index included) per row."""
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Cast, Length
    from django.db.models import TextField

    from catalog_sync.models import PublishSnapshot

    rows = PublishSnapshot.objects.count()
    if not rows:
        return {"rows": 0}
    content = PublishSnapshot.objects.aggregate(n=Sum(Length(Cast("payload", TextField())))
                                                + Sum(Length(Cast("response", TextField()))))["n"]
    table = PublishSnapshot._meta.db_table
    on_disk = None
    with connection.cursor() as cursor:
        try:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            else:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR name LIKE %s",
                               [table, f"%{table}%"])
            on_disk = cursor.fetchone()[0]
        except Exception:  # dbstat is a compile-time option of SQLite
            on_disk = None
    return {"rows": rows, "content_bytes_per_snapshot": round(content / rows),
            "table_bytes_per_snapshot": round(on_disk / rows) if on_disk else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_sync")
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--quota-listings", type=int, default=600)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args(argv if argv is not None else [])
    var = Path(os.environ.get("BENCH_VAR_DIR") or ROOT / "var" / "bench-catalog-sync")
    var.mkdir(parents=True, exist_ok=True)
    from bench.common import django_setup, ensure_postgres_database, seed_bench_catalog

    django_setup(HTX_VAR_DIR=str(var), CELERY_TASK_ALWAYS_EAGER="true")
    ensure_postgres_database()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.CATALOG_SYNC_WORKERS = args.workers
    settings.CATALOG_SYNC_CHUNK = 256
    tmp = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    results = []
    sandbox, base = _start_sandbox(tmp / "raised.sqlite3", qps=100_000)
    try:
        settings.ALIBABA_GATEWAY_URL = f"{base}/router/rest"
        settings.CATALOG_SYNC_MAX_QPS = 0  # no client-side cap: the quota is raised
        from catalog_sync.models import ExportProfile, ImageUpload, Listing, PublishSnapshot, SyncRun
        from catalog_sync.remote import B2BCatalog
        from catalog_sync.services import remote_categories_refresh

        Listing.objects.all().delete()
        ImageUpload.objects.all().delete()
        PublishSnapshot.objects.all().delete()
        catalog = B2BCatalog()
        remote_categories_refresh(catalog=catalog)
        catalog.close()
        seeded = seed_bench_catalog(args.listings)
        ids = _seed_exports(args.listings)
        ExportProfile.objects.exclude(product_id__in=ids).update(selected=False)
        ExportProfile.objects.filter(product_id__in=ids).update(selected=True)
        print(json.dumps({"seeded_products": len(ids), "seed_seconds": round(seeded.seconds, 1)}), flush=True)
        full = _run(f"full publish of {len(ids)} listings, quota raised")
        full["calls_per_listing"] = round(full["calls"] / max(len(ids), 1), 3)
        full["snapshots"] = _snapshot_storage()
        results.append(full)
        results.append(_run("no-op sync"))
        changed = ids[:: 100]
        stamp = int(time.time())
        for pid in changed:
            ExportProfile.objects.filter(product_id=pid).update(title_en=f"Vietnam farm produce lot {pid} crop {stamp}")
        _admin(base, "stats/reset")
        one = _run(f"sync after {len(changed)} listings (1%) changed")
        one["changed"] = len(changed)
        one["snapshots"] = _snapshot_storage()
        results.append(one)
    finally:
        sandbox.terminate()
        sandbox.wait(10)
    sandbox, base = _start_sandbox(tmp / "default.sqlite3", qps=None)
    try:
        settings.ALIBABA_GATEWAY_URL = f"{base}/router/rest"
        settings.CATALOG_SYNC_MAX_QPS = 20  # the client spaces calls to the platform's default quota
        Listing.objects.all().delete()
        ImageUpload.objects.all().delete()
        SyncRun.objects.all().delete()
        subset = ids[: args.quota_listings]
        ExportProfile.objects.exclude(product_id__in=subset).update(selected=False)
        from catalog_sync.ports import model_number_for

        Listing.objects.bulk_create([Listing(profile_id=p, model_number=model_number_for(pid)) for p, pid in
                                     ExportProfile.objects.filter(product_id__in=subset).values_list("pk",
                                                                                                     "product_id")])
        stats_before = _admin(base, "stats", method="GET")
        quota = _run(f"full publish of {len(subset)} listings at the default quota (20 calls/s)")
        stats = _admin(base, "stats", method="GET")
        quota["calls_per_second"] = round(quota["calls"] / quota["seconds"], 2)
        quota["quota_used_percent"] = round(100 * quota["calls_per_second"] / 20, 1)
        quota["sandbox_stats"] = stats
        quota["sandbox_stats_before"] = stats_before
        results.append(quota)
    finally:
        sandbox.terminate()
        sandbox.wait(10)
    print(json.dumps({"results": results}, indent=1, default=str))
    return 0
