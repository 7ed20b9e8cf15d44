"""The GraphQL API on a 10,000-product catalog: requests per second and median latency.

A real server (gunicorn, one sync worker) answers a sequential HTTP client over loopback, so the
figures include Django, graphene and JSON on both sides, as a storefront would see them. SQL
query counts are taken in this process through the same view. Writes its section of
bench/RESULTS.md between its own markers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/htx .venv/bin/python -m bench.graphql
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import django_setup, ensure_postgres_database

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench.graphql:start -->", "<!-- bench.graphql:end -->"

# (median ms, SQL queries) the issue sets on a 2-core machine; None: no target given.
TARGETS = {
    "products(first: 20)": (25.0, 10),
    "products(first: 20), cold": (None, None),
    "products(first: 100)": (None, None),
    "products(first: 100), cold": (None, None),
    "product(slug:)": (25.0, 15),
    "product(slug:), cold": (None, None),
    "checkoutComplete": (70.0, 40),
    "whole checkout (6 calls)": (230.0, None),
}

# Requests per operation before timing, so a fresh worker's first requests (lazy imports, caches
# filling) are not counted: a storefront talks to a long-running server.
WARM_UP = 30

LISTING = """
query ProductList($first: Int!, $channel: String!) {
  products(first: $first, channel: $channel) {
    totalCount
    edges { node {
      id name slug
      thumbnail(size: 256, format: WEBP) { url alt }
      pricing { onSale priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
      category { id name slug }
      cooperative { name slug }
      variants { id name pricing { price { gross { amount currency } } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

PRODUCT_PAGE = """
query ProductDetails($slug: String!, $channel: String!) {
  product(slug: $slug, channel: $channel) {
    id name slug description seoTitle seoDescription isAvailableForPurchase
    thumbnail(size: 1024, format: WEBP) { url alt }
    media { url(size: 1024, format: WEBP) alt type }
    category { id name slug }
    cooperative { name slug province address }
    pricing { onSale priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
    variants { id name sku quantityAvailable
               pricing { onSale price { gross { amount currency } } priceUndiscounted { gross { amount currency } } }
               attributes { attribute { slug name } values { name } } }
    attributes { attribute { slug name } values { name } }
  }
}"""

CHECKOUT_CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) { checkout { id totalPrice { gross { amount currency } } } errors { field code } }
}"""
SHIPPING = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { id shippingMethods { id name price { amount } } } errors { field code } }
}"""
BILLING = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) { checkout { id } errors { field code } }
}"""
DELIVERY = """
mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { id totalPrice { gross { amount } } } errors { field code } }
}"""
PAYMENT = """
mutation($id: ID!) {
  checkoutPaymentCreate(id: $id, input: {gateway: "htx.payments.cod"}) { checkout { id } errors { field code } }
}"""
COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) { order { id number status total { gross { amount currency } } } errors { field code } }
}"""
ADDRESS = {"firstName": "An", "lastName": "Nguyễn Văn", "streetAddress1": "12 Đường 30/4", "city": "Phường Ninh Kiều",
           "country": "VN", "countryArea": "Cần Thơ", "phone": "0912345678"}


def _seed_media(product_slugs) -> int:
    """A first image with WEBP thumbnails for bench products that have none (URLs only: the
    listing reads rows, never the files)."""
    from storefront.product.models import Product, ProductMedia, ProductMediaThumbnail

    products = list(Product.objects.filter(slug__in=product_slugs, media__isnull=True).only("pk", "slug"))
    media = ProductMedia.objects.bulk_create(
        ProductMedia(product=p, image=f"products/{p.slug}.jpg", alt=p.slug, width=1600, height=1200)
        for p in products)
    ProductMediaThumbnail.objects.bulk_create(
        ProductMediaThumbnail(media=m, size=size, format="WEBP", image=f"thumbnails/{m.product_id}-{size}.webp")
        for m in media for size in (256, 512, 1024))
    if media:
        from storefront.product.catalog_cache import bump_catalog_version

        bump_catalog_version()  # bulk_create sends no signal
    return len(media)


class Server:
    """gunicorn with one sync worker on a free loopback port."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # DEBUG off as in production (no query log); a kept database connection, as production's
        # psycopg pool gives (storefront.settings alone opens one per request).
        env = {**os.environ, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "storefront.settings",
               "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "storefront.wsgi:application", "--workers", "1",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"], cwd=ROOT, env=env)
        self.url = f"http://127.0.0.1:{self.port}/graphql/"

    def wait(self, session) -> None:
        for _ in range(100):
            try:
                session.post(self.url, json={"query": "{ shop { name } }"}, timeout=2)
                return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def worker_cpu_ms(self) -> float:
        """CPU time (user + system) the worker has used so far: unlike wall time, barely moved by
        other processes competing for the cores."""
        total = 0.0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _post(session, url, query, variables) -> tuple[dict, float]:
    started = time.perf_counter()
    response = session.post(url, json={"query": query, "variables": variables}, timeout=30)
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"], elapsed


def _checkout_flow(session, url, variant_gid, timings: dict[str, list[float]]) -> None:
    total = 0.0
    data, ms = _post(session, url, CHECKOUT_CREATE, {"input": {
        "channel": "vietnam", "email": "bench@example.com", "privacyConsent": True,
        "lines": [{"quantity": 1, "variantId": variant_gid}]}})
    assert data["checkoutCreate"]["errors"] == [], data
    cid = data["checkoutCreate"]["checkout"]["id"]
    total += ms
    data, ms = _post(session, url, SHIPPING, {"id": cid, "address": ADDRESS})
    total += ms
    method = data["checkoutShippingAddressUpdate"]["checkout"]["shippingMethods"][0]["id"]
    for query, variables in ((BILLING, {"id": cid, "address": ADDRESS}), (DELIVERY, {"id": cid, "method": method}),
                             (PAYMENT, {"id": cid})):
        data, ms = _post(session, url, query, variables)
        assert all(not v["errors"] for v in data.values()), data
        total += ms
    data, ms = _post(session, url, COMPLETE, {"id": cid})
    assert data["checkoutComplete"]["errors"] == [], data
    timings["checkoutComplete"].append(ms)
    timings["whole checkout (6 calls)"].append(total + ms)


def _query_counts(slug, variant_gid) -> dict[str, int]:
    """SQL queries per operation, through the same view in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def run(query, variables):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables}),
                                   content_type="application/json")
        body = response.json()
        assert "errors" not in body, body
        return body["data"], len(ctx.captured_queries)

    from storefront.product.catalog_cache import _advance

    counts = {}
    for name, query, variables in (("products(first: 20)", LISTING, {"first": 20, "channel": "vietnam"}),
                                   ("products(first: 100)", LISTING, {"first": 100, "channel": "vietnam"}),
                                   ("product(slug:)", PRODUCT_PAGE, {"slug": slug, "channel": "vietnam"})):
        _advance()  # as right after a catalog write
        _, counts[f"{name}, cold"] = run(query, variables)
        _, counts[name] = run(query, variables)
    flow = 0
    data, n = run(CHECKOUT_CREATE, {"input": {"channel": "vietnam", "email": "bench@example.com",
                                              "privacyConsent": True,
                                              "lines": [{"quantity": 1, "variantId": variant_gid}]}})
    flow += n
    cid = data["checkoutCreate"]["checkout"]["id"]
    data, n = run(SHIPPING, {"id": cid, "address": ADDRESS})
    flow += n
    method = data["checkoutShippingAddressUpdate"]["checkout"]["shippingMethods"][0]["id"]
    for query, variables in ((BILLING, {"id": cid, "address": ADDRESS}), (DELIVERY, {"id": cid, "method": method}),
                             (PAYMENT, {"id": cid})):
        flow += run(query, variables)[1]
    _, counts["checkoutComplete"] = run(COMPLETE, {"id": cid})
    counts["whole checkout (6 calls)"] = flow + counts["checkoutComplete"]
    return counts


def _section(rows, *, products, vendor, rounds, load_before, load_after, command) -> str:
    lines = [
        START,
        "## GraphQL API (bench.graphql)",
        "",
        f"gunicorn with one sync worker (DEBUG off as in production, so no query log; the database connection "
        f"kept between requests, as production's connection pool does), a sequential client over loopback "
        f"(`requests`), {products:,} published "
        f"products with thumbnails, {vendor}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{rounds} requests per operation after {WARM_UP} warm-up requests (checkout: {max(rounds // 5, 5)} whole flows). "
        f"1-minute load average {load_before:.1f} before and {load_after:.1f} after the run: with more than "
        f"{os.cpu_count()} the cores were shared with other work, which raises wall times. Queries: SQL statements per request, counted in-process through the same "
        "view. req/s = 1000 / mean latency for this one sequential client. Server CPU: user + system time "
        "of the gunicorn worker per request (per whole flow for the checkout), which other load on the machine "
        "moves far less than wall time; the database's own CPU is not in it.",
        "",
        "```",
        command,
        "```",
        "",
        "Rows marked *cold* are the same operation with the catalog version bumped before every request (as "
        "right after a catalog write: nothing of the catalog cached, every read goes to the database); the others "
        "are the usual case, the shopper-facing catalog reads served from the cache "
        "(`storefront/product/catalog_cache.py`; stock, checkout and prices at checkout are always read live). "
        "The cache is Redis, shared by the bench and the server, as in production.",
        "",
        "| operation | req/s | median ms | p95 ms | server CPU ms | SQL queries | target (median ms / queries) | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, rps, median, p95, cpu_ms, queries, target, met in rows:
        lines.append(f"| {name} | {rps:.1f} | {median:.1f} | {p95:.1f} | {cpu_ms} | {queries} | {target} | {met} |")
    lines.append(END)
    return "\n".join(lines) + "\n"


NOTES = "<!-- bench.graphql:notes -->"


def _write(section: str) -> None:
    """Replace our section; hand-written analysis after the NOTES marker survives a re-run."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        old_section, after = rest.split(END, 1)
        if NOTES in old_section:
            notes = old_section.split(NOTES, 1)[1].strip("\n")
            section = section.replace(END, f"{NOTES}\n{notes}\n{END}")
        text = before + section.rstrip("\n") + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args(argv)

    # The server caches a shopper's catalog reads under a catalog version; to measure the cold path
    # this process bumps the version, so both must share the cache, as production's processes share Redis.
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    django_setup(DEBUG="false")
    ensure_postgres_database()
    import requests

    from storefront.product.catalog_cache import _advance
    from django.core.management import call_command
    from django.db import connection

    from bench.common import seed_bench_catalog
    from storefront.graphql.core.ids import global_id
    from storefront.product.models import Product

    call_command("migrate", verbosity=0)
    catalog = seed_bench_catalog(args.products)
    slugs = [f"bench-p-{i:05d}" for i in range(args.products)]
    seeded = _seed_media(slugs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"catalog: {len(catalog.variant_ids)} products ({catalog.created_products} created, {seeded} images "
          f"added, {catalog.seconds:.1f} s)", flush=True)
    product = Product.objects.filter(slug__startswith="bench-p-").order_by("slug")[len(catalog.variant_ids) // 2]
    variant_gid = global_id("ProductVariant", product.variants.first().pk)
    counts = _query_counts(product.slug, variant_gid)
    connection.close()  # the server gets its own connections

    load_before = os.getloadavg()[0]
    server = Server()
    session = requests.Session()
    timings: dict[str, list[float]] = {name: [] for name in TARGETS}
    cpu: dict[str, float] = {}
    try:
        server.wait(session)
        reads = {
            "products(first: 20)": (LISTING, {"first": 20, "channel": "vietnam"}),
            "products(first: 100)": (LISTING, {"first": 100, "channel": "vietnam"}),
            "product(slug:)": (PRODUCT_PAGE, {"slug": product.slug, "channel": "vietnam"}),
        }
        for name, (query, variables) in reads.items():
            for _ in range(WARM_UP):
                _post(session, server.url, query, variables)
            cpu_before = server.worker_cpu_ms()
            for _ in range(args.rounds):
                timings[name].append(_post(session, server.url, query, variables)[1])
            cpu[name] = (server.worker_cpu_ms() - cpu_before) / args.rounds
            # Cold: the catalog version bumped (in the cache the server shares) before each request.
            cpu_before = server.worker_cpu_ms()
            for _ in range(args.rounds):
                _advance()
                timings[f"{name}, cold"].append(_post(session, server.url, query, variables)[1])
            cpu[f"{name}, cold"] = (server.worker_cpu_ms() - cpu_before) / args.rounds
        warm: dict[str, list[float]] = {name: [] for name in TARGETS}
        _checkout_flow(session, server.url, variant_gid, warm)
        flows = max(args.rounds // 5, 5)
        cpu_before = server.worker_cpu_ms()
        for _ in range(flows):
            _checkout_flow(session, server.url, variant_gid, timings)
        cpu["whole checkout (6 calls)"] = (server.worker_cpu_ms() - cpu_before) / flows
    finally:
        server.stop()

    rows, missed = [], []
    for name, (target_ms, target_queries) in TARGETS.items():
        values = timings[name]
        median = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]
        rps = 1000 / statistics.mean(values)
        ok = (target_ms is None or median <= target_ms) and (target_queries is None or counts[name] <= target_queries)
        target = " / ".join(["≤ %g ms" % target_ms if target_ms else "–",
                             "≤ %d" % target_queries if target_queries else "–"])
        cpu_ms = f"{cpu[name]:.1f}" if name in cpu else "–"
        rows.append((name, rps, median, p95, cpu_ms, counts[name], target, "yes" if ok else "**no**"))
        if not ok:
            missed.append(name)
        print(f"{name:28s} {rps:7.1f} req/s  median {median:6.1f} ms  p95 {p95:6.1f} ms  server CPU {cpu_ms} ms  "
              f"{counts[name]} queries", flush=True)
    db = connection.settings_dict
    database_url = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
                    if connection.vendor == "postgresql" else "sqlite:///…")
    command = (f"DATABASE_URL={database_url} .venv/bin/python -m bench.graphql"
               + (f" --products {args.products}" if args.products != 10_000 else "")
               + (f" --rounds {args.rounds}" if args.rounds != 100 else ""))
    if not args.no_write:
        _write(_section(rows, products=len(catalog.variant_ids), vendor=connection.vendor, rounds=args.rounds,
                        load_before=load_before, load_after=os.getloadavg()[0], command=command))
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0
