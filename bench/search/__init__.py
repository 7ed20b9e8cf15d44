"""Catalog text search on a 100,000-product catalog (PostgreSQL): latency per query and its plan.

Each round runs what the search page asks of the database for a query: the first page's ids in
rank order with the count of every match beside them (`COUNT(*) OVER ()`), through
`storefront.product.selectors.products_filter` and so `storefront.product.search.listing_search`
(the shopper's cache is not involved). Then the same once more without the trigram index, in a
transaction rolled back, to show what the index is worth. Prints p50/p95 per query and the
EXPLAIN (ANALYZE) plan of each; writes its section of bench/RESULTS.md between its own markers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/htx_search .venv/bin/python -m bench.search
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

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench.search:start -->", "<!-- bench.search:end -->"
NOTES = "<!-- bench.search:notes -->"
PAGE_SIZE = 24
INDEX = "product_search_text_trgm"

# (query, what it exercises) on the bench catalog: twelve product names × twenty cooperatives.
QUERIES = [
    ("gao st25", "common words: one product in twelve matches"),
    ("mat ong rung bench 07", "every word needed: one in 240"),
    ("nuoc mam 4242", "a number inside the names"),
    ("gao st52", "typo: nothing matches as typed, near matches instead"),
    ("sau rieng", "nothing matches, nothing near"),
]


class Rollback(Exception):
    pass


def _first_page(channel, query: str) -> tuple[int, int]:
    from django.db.models import Count, Window

    from storefront.product.selectors import products_filter

    rows = list(products_filter(channel=channel, query=query).annotate(total=Window(Count("pk")))
                .values_list("pk", "total")[:PAGE_SIZE])
    return len(rows), (rows[0][1] if rows else 0)


def _explain(channel, query: str) -> str:
    from django.db import connection
    from django.db.models import Count, Window

    from storefront.product.selectors import products_filter

    queryset = (products_filter(channel=channel, query=query).annotate(total=Window(Count("pk")))
                .values_list("pk", "total")[:PAGE_SIZE])
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _measure(channel, rounds: int, *, label: str, verbosity: int) -> dict[str, dict]:
    from storefront.core.progress import progress_bar

    timings: dict[str, list[float]] = {q: [] for q, _ in QUERIES}
    matches: dict[str, int] = {}
    for query, _what in QUERIES:  # warm-up: plans cached, pages in memory
        _first_page(channel, query)
    with progress_bar(label, total=rounds * len(QUERIES), verbosity=verbosity) as advance:
        for _round in range(rounds):
            for query, _what in QUERIES:
                started = time.perf_counter()
                _rows, matches[query] = _first_page(channel, query)
                timings[query].append((time.perf_counter() - started) * 1000)
                advance()
    return {q: {"p50": statistics.median(t), "p95": statistics.quantiles(t, n=20)[18], "matches": matches[q]}
            for q, t in timings.items()}


def _plan_summary(plan: str) -> str:
    """The plan's scan nodes and execution time: where the index shows or does not."""
    keep = [line.rstrip() for line in plan.splitlines()
            if any(word in line for word in ("Scan", "Recheck", "Execution Time", "Index Cond", "Filter:"))]
    return "\n".join(line if len(line) <= 160 else line[:157] + "..." for line in keep)


def _section(rows, *, products, command, load_before, load_after, rounds, plans) -> str:
    lines = [
        START,
        "## Catalog search (bench.search)",
        "",
        "```",
        command,
        "```",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. {products:,} published products (twelve names × "
        f"twenty cooperatives, numbered), PostgreSQL, Python {platform.python_version()}, {os.cpu_count()} CPUs "
        f"shared with other work: 1-minute load average {load_before:.1f} before and {load_after:.1f} after. "
        f"Per query, what the search page asks of the database (the first {PAGE_SIZE} ids in rank order and the "
        f"count of every match, one statement, plus the check whether anything matches as typed), {rounds} "
        "rounds after a warm-up, in one process through the selectors (no HTTP, no cache). *Without index*: the "
        f"same with `{INDEX}` dropped inside a transaction that is rolled back.",
        "",
        "| query | what | matches | p50 ms | p95 ms | without index: p50 ms | p95 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for query, what in QUERIES:
        with_index, without = rows["index"][query], rows["no-index"][query]
        lines.append(f"| `{query}` | {what} | {with_index['matches']:,} | {with_index['p50']:.1f} | "
                     f"{with_index['p95']:.1f} | {without['p50']:.1f} | {without['p95']:.1f} |")
    lines += ["", "Plans (EXPLAIN ANALYZE, scan nodes only):", ""]
    for query, plan in plans.items():
        lines += [f"`{query}`:", "", "```", plan, "```", ""]
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
        text = text.rstrip("\n") + "\n\n" + section + END + "\n"
    RESULTS.write_text(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    parser.add_argument("-v", "--verbosity", type=int, default=1, help="0: no progress bars")
    args = parser.parse_args(argv)

    django_setup(DEBUG="false")
    ensure_postgres_database()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.common import seed_bench_catalog
    from storefront.channel.models import Channel

    if connection.vendor != "postgresql":
        print("bench.search measures PostgreSQL's search: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    catalog = seed_bench_catalog(args.products, verbosity=args.verbosity)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"catalog: {len(catalog.variant_ids):,} products ({catalog.created_products:,} created, "
          f"{catalog.seconds:.1f} s)", flush=True)
    channel = Channel.objects.get(pk=catalog.channel_id)

    load_before = os.getloadavg()[0]
    rows = {"index": _measure(channel, args.rounds, label="search, indexed", verbosity=args.verbosity)}
    plans = {query: _explain(channel, query) for query, _ in QUERIES}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX {INDEX}")
            rows["no-index"] = _measure(channel, max(args.rounds // 3, 5), label="search, no index",
                                        verbosity=args.verbosity)
            raise Rollback
    except Rollback:
        pass
    load_after = os.getloadavg()[0]

    for query, what in QUERIES:
        r, n = rows["index"][query], rows["no-index"][query]
        print(f"{query:24s} {r['matches']:7,d} matches  p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms   "
              f"without index: p50 {n['p50']:7.1f} ms  p95 {n['p95']:7.1f} ms   ({what})")
    summaries = {query: _plan_summary(plan) for query, plan in plans.items()}
    for query, plan in plans.items():
        print(f"\n-- EXPLAIN ANALYZE `{query}`\n{plan}")
    if not args.no_write:
        from bench.pages import _redacted_database_url

        command = (f"DATABASE_URL={_redacted_database_url()} .venv/bin/python -m bench.search "
                   f"--products {args.products} --rounds {args.rounds}")
        _write(_section(rows, products=len(catalog.variant_ids), command=command, load_before=load_before,
                        load_after=load_after, rounds=args.rounds, plans=summaries))
    return 0
