"""Server time of the shop's pages on a 10,000-product catalog: home, category, search, product, cart.

Requests go through Django's full stack (middleware, sessions, templates) with the test client, in
one process, so the figures are the server's share of a page view without network or browser.
Writes median and 95th percentile into bench/RESULTS.md between its own markers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/htx .venv/bin/python -m bench.pages
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from bench.common import django_setup, ensure_postgres_database

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
START, END = "<!-- bench.pages:start -->", "<!-- bench.pages:end -->"
NOTES = "<!-- bench.pages:notes -->"
TARGET_MS = 30.0


def _pages(catalog) -> dict[str, str]:
    from storefront.product.models import Product

    product = Product.objects.filter(slug__startswith="bench-p-").order_by("slug")[len(catalog.variant_ids) // 2]
    return {
        "home": "/",
        "category (24 per page)": "/danh-muc/bench/",
        "category (48 per page, sorted by price)": "/danh-muc/bench/?per_page=48&sort=price",
        "search `gao st25`": "/tim-kiem/?q=gao+st25",
        "product": f"/san-pham/{product.slug}/",
        "cart (3 lines)": "/gio-hang/",
    }


def _measure(client, url: str, *, warmup: int, rounds: int, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds per request. On a shared machine the wall time
    includes waiting for a core; the CPU time is the Python side's own work (PostgreSQL's is not in it).
    `before()` runs ahead of each request, outside the timing."""
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    timings, cpu = [], []
    for _ in range(rounds):
        if before is not None:
            before()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, url
    return timings, cpu


def _load_text(load: tuple[float, float, float]) -> str:
    return f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


def _section(rows, *, products: int, vendor: str, rounds: int, load_before, load_after, command: str) -> str:
    busy = max(load_before[0], load_after[0]) > (os.cpu_count() or 1)
    lines = [
        START,
        "## Shop pages (bench.pages)",
        "",
        "```",
        command,
        "```",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Server time per page view through Django's "
        f"whole stack (test client, one process, DEBUG off as in production: cached template loader, no query "
        f"log), {products:,} published products, {vendor}, Python {platform.python_version()}, {rounds} requests "
        f"per page after a warm-up; target: median under {TARGET_MS:.0f} ms. {os.cpu_count()} CPUs; load average "
        f"(1/5/15 min) {_load_text(load_before)} before and {_load_text(load_after)} after the run"
        + (": **the machine was busy with other work, so wall times include waiting for a core** and are "
           "higher than an idle machine gives; the CPU column is this process's own work per request."
           if busy else "."),
        "",
        "Two figures per page. **Cached**: the usual view, the catalog unchanged since the page's catalog reads "
        "were cached (`storefront/product/catalog_cache.py`; stock, cart and session are always read live). "
        "**Cold**: the catalog version bumped before every request, as right after a catalog write, so every "
        "catalog read goes to the database.",
        "",
        "| page | median ms | p95 ms | CPU ms (median) | SQL queries | cold: median ms | cold: p95 ms | cold: CPU ms | cold: SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, warm, cold in rows:
        lines.append(f"| {name} | {warm[0]:.1f} | {warm[1]:.1f} | {warm[2]:.1f} | {warm[3]} "
                     f"| {cold[0]:.1f} | {cold[1]:.1f} | {cold[2]:.1f} | {cold[3]} |")
    lines.append(NOTES)
    return "\n".join(lines) + "\n"


def _write(section: str) -> None:
    """Replaces the generated part of the section; hand-written notes after NOTES stay."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        body, after = rest.split(END, 1)
        notes = body.split(NOTES, 1)[1] if NOTES in body else "\n"
        text = before + section.rstrip("\n") + notes + END + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def _redacted_database_url() -> str:
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return "(unset: SQLite)"
    parts = urlsplit(url)
    netloc = parts.netloc.split("@", 1)
    if len(netloc) == 2 and ":" in netloc[0]:  # never write a password into the results
        netloc[0] = netloc[0].split(":", 1)[0] + ":…"
    return urlunsplit(parts._replace(netloc="@".join(netloc)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    django_setup(DEBUG="false")  # DEBUG keeps every query in memory: not what production runs
    ensure_postgres_database()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.common import seed_bench_catalog
    from storefront.product.catalog_cache import _advance

    call_command("migrate", verbosity=0)
    catalog = seed_bench_catalog(args.products)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh bulk loads have no planner statistics yet
            cursor.execute("ANALYZE")
    print(f"catalog: {len(catalog.variant_ids)} products ({catalog.created_products} created, "
          f"{catalog.seconds:.1f} s)", flush=True)

    import storefront.wsgi  # noqa: F401  (as a server process starts: the collector settled after start-up)

    client = Client()
    for variant_id in catalog.variant_ids[:3]:
        response = client.post("/gio-hang/them/", {"variant": variant_id, "quantity": 1})
        assert response.status_code == 302 and response["Location"] == "/gio-hang/", response

    def figures(url, before=None):
        timings, cpu = _measure(client, url, warmup=5, rounds=args.rounds, before=before)
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return (statistics.median(timings), statistics.quantiles(timings, n=20)[-1], statistics.median(cpu),
                len(queries))

    rows, slow = [], []
    for name, url in _pages(catalog).items():
        warm = figures(url)
        cold = figures(url, before=_advance)
        rows.append((name, warm, cold))
        print(f"{name:40s} cached: median {warm[0]:6.1f} ms  p95 {warm[1]:6.1f} ms  CPU {warm[2]:5.1f} ms  "
              f"{warm[3]:2d} queries | cold: median {cold[0]:6.1f} ms  p95 {cold[1]:6.1f} ms  CPU {cold[2]:5.1f} ms  "
              f"{cold[3]:2d} queries", flush=True)
        if warm[0] >= TARGET_MS or cold[0] >= TARGET_MS:
            slow.append(name)
    if not args.no_write:
        command = (f"DATABASE_URL={_redacted_database_url()} .venv/bin/python -m bench.pages"
                   + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:])))
        _write(_section(rows, products=len(catalog.variant_ids), vendor=connection.vendor, rounds=args.rounds,
                        load_before=load_before, load_after=os.getloadavg(), command=command))
    if slow:
        print(f"over {TARGET_MS:.0f} ms median: {', '.join(slow)}")
    return 1 if slow else 0
