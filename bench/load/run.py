#!/usr/bin/env python3
"""Load run: the production-mode shop on loopback (deploy/localstack.py: PostgreSQL, Redis,
gunicorn workers, Celery, nginx with TLS) under Locust shoppers who browse, add to cart and check
out; then the stock invariants. Writes its figures into bench/RESULTS.md between its own markers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/htx REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/load/run.py [--users 30] [--duration 60] [--stock 12]

Each stock row is cut to --stock units available before the run, so buyers race for the last units and the
run proves that no more is sold than there was. Exit status 1 on any error or oversold row.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
from localstack import LocalStack, StackError  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- load-run:start -->", "<!-- load-run:end -->"

# Run inside the stack's Django (production settings) to cut stock and, after the run, to check it.
CUT_STOCK = """
from django.db.models import F
from storefront.warehouse.models import Stock
n = Stock.objects.update(quantity=F("quantity_allocated") + {stock})
print("cut", n)
"""
INVARIANTS = """
import json
from django.db.models import Sum, F, Q
from storefront.warehouse.models import Stock, Allocation
from storefront.order.models import Order, OrderLine
bad_rows = list(Stock.objects.filter(Q(quantity__lt=0) | Q(quantity_allocated__lt=0)
                                     | Q(quantity_allocated__gt=F("quantity"))).values("pk", "quantity", "quantity_allocated"))
mismatch = []
for stock in Stock.objects.all():
    allocated = Allocation.objects.filter(stock=stock).aggregate(s=Sum("quantity_allocated"))["s"] or 0
    if allocated != stock.quantity_allocated:
        mismatch.append({"stock": stock.pk, "row": stock.quantity_allocated, "allocations": allocated})
print("INVARIANTS" + json.dumps({
    "stock_rows": Stock.objects.count(),
    "oversold_rows": bad_rows,
    "allocation_mismatches": mismatch,
    "orders": Order.objects.count(),
    "units_ordered": OrderLine.objects.aggregate(s=Sum("quantity"))["s"] or 0,
    "units_allocated": Stock.objects.aggregate(s=Sum("quantity_allocated"))["s"] or 0,
    "units_in_stock": Stock.objects.aggregate(s=Sum("quantity"))["s"] or 0,
}))
"""


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def server_errors(access_log: Path, skip: int) -> list[str]:
    """5xx answers in nginx's log after its first `skip` lines (the start-up health polls)."""
    found = []
    for line in access_log.read_text().splitlines()[skip:]:
        try:
            if json.loads(line)["status"] >= 500:
                found.append(line)
        except (ValueError, KeyError):
            found.append(line)
    return found


def render(args, stats: list[dict], invariants: dict, errors_5xx: int, elapsed: float) -> str:
    total = next(r for r in stats if r["Name"] == "Aggregated")
    rows = [r for r in stats if r["Name"] != "Aggregated"]
    lines = [
        START,
        "## Load run: browse, cart, checkout against the production-mode stack",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({platform.machine()}), "
        "load generator and shop on the same machine over loopback.",
        "",
        "```",
        f"DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/load/run.py "
        f"--users {args.users} --spawn-rate {args.spawn_rate} --duration {args.duration} --stock {args.stock} "
        f"--web-workers {args.web_workers}",
        "```",
        "",
        f"Stack: nginx (TLS, self-signed) → gunicorn {args.web_workers} sync workers with "
        "`storefront.settings_production` (psycopg pool, Redis cache and sessions), PostgreSQL, Redis, a Celery "
        "worker and beat. Locust: 3 browsing visitors to 1 buyer; each buyer starts a new session, adds a product "
        f"to the cart and checks out with cash on delivery. Every stock row was cut to {args.stock} units first.",
        "",
        f"**{float(total['Requests/s']):.1f} requests/s** over {elapsed:.0f} s, {total['Request Count']} requests, "
        f"**{total['Failure Count']} failures**, {errors_5xx} responses ≥ 500 in nginx's log during the run.",
        "",
        "| request | count | failures | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows + [total]:
        name = f"{r['Type']} {r['Name']}" if r["Name"] != "Aggregated" else "**all**"
        lines.append(f"| {name} | {r['Request Count']} | {r['Failure Count']} | {float(r['Requests/s']):.2f} | "
                     f"{r['50%']} | {r['90%']} | {r['95%']} | {r['99%']} | {float(r['Max Response Time']):.0f} |")
    lines += [
        "",
        "FLOW rows time a whole purchase (several page loads and posts); \"sold out\" is the shop refusing an "
        "order for lack of stock, which is the correct answer once the cut stock is gone.",
        "",
        f"Stock afterwards: {invariants['orders']} orders, {invariants['units_ordered']} units ordered, "
        f"{invariants['units_allocated']} allocated of {invariants['units_in_stock']} in stock over "
        f"{invariants['stock_rows']} rows; rows with allocated > quantity or negative: "
        f"**{len(invariants['oversold_rows'])}**; rows whose allocations do not add up: "
        f"**{len(invariants['allocation_mismatches'])}**.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_results(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--stock", type=int, default=12, help="units per stock row before the run")
    parser.add_argument("--web-workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
    try:
        with LocalStack(database_url=database_url, redis_url=redis_url, web_workers=args.web_workers,
                        log=lambda m: print(m, flush=True)) as stack:
            cut = stack.manage("shell", "-c", CUT_STOCK.format(stock=args.stock))
            if cut.returncode != 0:
                raise StackError(f"could not cut stock: {cut.stderr[-2000:]}")
            prefix = stack.workdir / "locust"
            access_log = stack.workdir / "logs" / "nginx-access.log"
            before = len(access_log.read_text().splitlines())
            env = dict(os.environ, HTX_LOAD_CA=str(stack.cert_path))
            started = time.monotonic()
            locust = subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                 "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s", "--stop-timeout", "20",
                 "--host", stack.base_url, "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=args.duration + 180,
            )
            elapsed = time.monotonic() - started
            print(locust.stderr[-6000:])
            if locust.returncode != 0:
                raise StackError(f"locust exited {locust.returncode}")
            stats = read_stats(prefix)
            check = stack.manage("shell", "-c", INVARIANTS)
            if check.returncode != 0:
                raise StackError(f"invariant check failed to run: {check.stderr[-2000:]}")
            invariants = json.loads(check.stdout.split("INVARIANTS", 1)[1])
            errors = server_errors(access_log, skip=before)
            errors_5xx = len(errors)
            for line in errors[:10]:
                print("5xx:", line)
            if errors:
                print(stack.log_tail("web", 60))
            failures_csv = Path(f"{prefix}_failures.csv")
            if failures_csv.exists():
                print(failures_csv.read_text()[-4000:])
    except StackError as exc:
        print(f"load run could not run: {exc}", file=sys.stderr)
        return 1
    section = render(args, stats, invariants, errors_5xx, elapsed)
    print(section)
    if not args.no_write:
        write_results(section)
    total = next(r for r in stats if r["Name"] == "Aggregated")
    placed = next((r for r in stats if r["Name"] == "checkout: placed"), None)
    problems = []
    if int(total["Failure Count"]) or errors_5xx:
        problems.append(f"{total['Failure Count']} failures, {errors_5xx} server errors")
    if invariants["oversold_rows"] or invariants["allocation_mismatches"]:
        problems.append("stock invariants broken")
    if not placed or int(placed["Request Count"]) == 0:
        problems.append("no order was placed")
    if problems:
        print("LOAD RUN FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
