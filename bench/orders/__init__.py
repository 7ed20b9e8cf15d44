"""Orders per second with 16 concurrent buyers, through the services (not HTTP), on PostgreSQL.

Each buyer is a process with its own database connection. A buyer repeatedly fills a checkout
with 1–3 products (a third of the lines from 20 "hot" products that every buyer wants, so the
row locks are contended), gives an address, picks delivery and cash on delivery, consents, and
completes it. The carts are filled first (reported as carts/s), then all buyers place their
orders at once: orders per second counts `checkout_complete` calls, which allocate stock under
row locks. Reported with latency percentiles, the seed time, the CPU time the buyers and their
PostgreSQL backends spent per order while placing (less sensitive than wall time to other work on
the machine) and the load average; then the run checks that nothing was oversold or lost and that
no buyer hit an error. Django runs with DEBUG off, as in production.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/htx .venv/bin/python -m bench.orders
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time

from bench.common import django_setup

ADDRESS = {"first_name": "An", "last_name": "Nguyễn Văn", "street_address_1": "12 Đường 30/4",
           "city": "Phường Ninh Kiều", "country": "VN", "country_area": "Cần Thơ", "phone": "0912345678"}
HOT_PRODUCTS = 20


def _buyer(index: int, variant_ids: list[int], hot: list[int], hot_share: float, channel_id: int, orders: int,
           barriers, results) -> None:
    from django.core.exceptions import ValidationError
    from django.db import connections

    from storefront.channel.models import Channel
    from storefront.checkout.selectors import checkout_shipping_methods
    from storefront.checkout.complete import checkout_complete
    from storefront.checkout.services import (checkout_create, checkout_delivery_method_update,
                                              checkout_payment_gateway_set, checkout_privacy_consent)
    from storefront.payment.gateways import COD

    connections.close_all()  # never share the parent's socket
    rng = random.Random(index)
    channel = Channel.objects.get(pk=channel_id)
    prepare, complete, errors, order_ids, checkouts = [], [], [], [], []

    def record(exc):
        errors.append(f"ValidationError {exc.message_dict}" if isinstance(exc, ValidationError)
                      else f"{type(exc).__name__}: {exc}")

    barriers[0].wait()
    for n in range(orders):  # phase 1: fill the carts
        lines = {}
        for _ in range(rng.randint(1, 3)):
            pool = hot if rng.random() < hot_share else variant_ids
            lines[rng.choice(pool)] = rng.randint(1, 3)
        started = time.perf_counter()
        try:
            checkout = checkout_create(channel=channel, email=f"buyer{index}-{n}@bench.example.com",
                                       lines=list(lines.items()), shipping_address=ADDRESS, billing_address=ADDRESS)
            method = checkout_shipping_methods(checkout=checkout)[0]
            checkout_delivery_method_update(checkout=checkout, shipping_method_id=method.method.pk)
            checkout_payment_gateway_set(checkout=checkout, gateway_id=COD)
            checkout_privacy_consent(checkout=checkout, granted=True)
            checkouts.append(checkout)
        except Exception as exc:  # counted and reported: the benchmark fails on any
            record(exc)
        prepare.append(time.perf_counter() - started)
    prepared = time.perf_counter()
    barriers[1].wait()
    cpu_started, db_cpu_started = time.process_time(), _backend_cpu_seconds()
    for checkout in checkouts:  # phase 2: everyone places their orders at once
        started = time.perf_counter()
        try:
            order_ids.append(checkout_complete(checkout=checkout).pk)
        except Exception as exc:
            record(exc)
        complete.append(time.perf_counter() - started)
    finished = time.perf_counter()
    cpu, db_cpu = time.process_time() - cpu_started, _backend_cpu_seconds()
    results.put({"prepare": prepare, "complete": complete, "errors": errors, "orders": order_ids,
                 "prepared": prepared, "finished": finished, "cpu": cpu,
                 "db_cpu": None if db_cpu is None or db_cpu_started is None else db_cpu - db_cpu_started})


def _backend_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, when the server runs on this
    machine (its /proc entry is readable); None otherwise."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _check_stock(order_ids) -> list[str]:
    from django.db.models import Sum

    from storefront.order.models import Order, OrderLine
    from storefront.warehouse.models import Allocation, OrderLineLot, Stock, StockLot

    problems = []
    held = dict(Allocation.objects.values("stock_id").annotate(n=Sum("quantity_allocated")).values_list("stock_id", "n"))
    for stock_id, quantity, allocated in Stock.objects.values_list("pk", "quantity", "quantity_allocated"):
        if allocated != held.get(stock_id, 0):
            problems.append(f"stock {stock_id}: counter {allocated} != allocations {held.get(stock_id, 0)}")
        if allocated > quantity:
            problems.append(f"stock {stock_id}: oversold ({allocated} > {quantity})")
    # Rows with lots are their lots' running total; each lot's holds are its order lines' lot records.
    lot_sums = {row["stock_id"]: row for row in StockLot.objects.values("stock_id").annotate(
        q=Sum("quantity"), a=Sum("quantity_allocated"))}
    for stock_id, quantity, allocated in Stock.objects.filter(pk__in=lot_sums).values_list(
            "pk", "quantity", "quantity_allocated"):
        if (quantity, allocated) != (lot_sums[stock_id]["q"], lot_sums[stock_id]["a"]):
            problems.append(f"stock {stock_id}: {quantity}/{allocated} != its lots' "
                            f"{lot_sums[stock_id]['q']}/{lot_sums[stock_id]['a']}")
    lot_held = dict(OrderLineLot.objects.values("lot_id").annotate(n=Sum("quantity_allocated"))
                    .values_list("lot_id", "n"))
    for lot_id, allocated in StockLot.objects.filter(quantity_allocated__gt=0).values_list("pk", "quantity_allocated"):
        if allocated != lot_held.get(lot_id, 0):
            problems.append(f"lot {lot_id}: held {allocated} != its order lines' {lot_held.get(lot_id, 0)}")
    placed = OrderLine.objects.filter(order_id__in=order_ids).aggregate(n=Sum("quantity"))["n"] or 0
    allocated = Allocation.objects.filter(order_line__order_id__in=order_ids).aggregate(
        n=Sum("quantity_allocated"))["n"] or 0
    if placed != allocated:
        problems.append(f"units ordered {placed} != units allocated {allocated}")
    if Order.objects.filter(pk__in=order_ids).count() != len(order_ids):
        problems.append("an order reported placed is missing")
    return problems


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.orders", description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=16)
    parser.add_argument("--orders-per-buyer", type=int, default=40)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--mail", choices=["queued", "inline"], default="queued")
    parser.add_argument("--hot-share", type=float, default=0.33, help="share of lines taken from the hot products")
    parser.add_argument("--lots-per-variant", type=int, default=0,
                        help="spread each variant's stock over this many dated harvest lots (FEFO over them)")
    args = parser.parse_args(argv)

    # As in production the confirmation mail is queued for a worker; the queue here is in memory so a
    # benchmark leaves no mail behind. `--mail inline` renders and "sends" each one in the buyer instead.
    # DEBUG off as in production: with DEBUG on Django times and keeps every statement in memory.
    if args.mail == "inline":
        django_setup(CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                     LOG_LEVEL="WARNING", DEBUG="false")
    else:
        os.environ["CELERY_BROKER_URL"] = "memory://localhost/"  # with a host: no kombu warning per buyer
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
        django_setup(LOG_LEVEL="WARNING", DEBUG="false")
    from django.core.management import call_command
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        print("bench.orders needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    from bench.common import ensure_postgres_database, seed_bench_catalog

    ensure_postgres_database()
    call_command("migrate", verbosity=0)

    catalog = seed_bench_catalog(n_products=args.products)
    print(f"seed: {len(catalog.variant_ids)} products ready, {catalog.created_products} created "
          f"in {catalog.seconds:.2f} s", flush=True)
    if args.lots_per_variant:
        from bench.common import seed_bench_lots

        lot_started = time.perf_counter()
        lots = seed_bench_lots(variant_ids=catalog.variant_ids, per_variant=args.lots_per_variant)
        print(f"seed: {lots} harvest lots created ({args.lots_per_variant} per variant) "
              f"in {time.perf_counter() - lot_started:.2f} s", flush=True)
    rng = random.Random(0)
    hot = rng.sample(catalog.variant_ids, HOT_PRODUCTS)
    connections.close_all()

    load_before = os.getloadavg()
    ctx = mp.get_context("fork")
    barriers = (ctx.Barrier(args.buyers + 1), ctx.Barrier(args.buyers + 1))
    results = ctx.Queue()
    buyers = [ctx.Process(target=_buyer, args=(i, catalog.variant_ids, hot, args.hot_share, catalog.channel_id,
                                               args.orders_per_buyer, barriers, results))
              for i in range(args.buyers)]
    for buyer in buyers:
        buyer.start()
    barriers[0].wait()
    fill_started = time.perf_counter()
    barriers[1].wait(timeout=900)
    started = time.perf_counter()
    collected = [results.get(timeout=900) for _ in buyers]
    for buyer in buyers:
        buyer.join()
    fill_elapsed = max(r["prepared"] for r in collected) - fill_started
    elapsed = max(r["finished"] for r in collected) - started

    prepare = [x for r in collected for x in r["prepare"]]
    complete = [x for r in collected for x in r["complete"]]
    errors = [e for r in collected for e in r["errors"]]
    order_ids = [o for r in collected for o in r["orders"]]
    problems = _check_stock(order_ids)
    options = connection.settings_dict.get("OPTIONS", {})
    print(f"mails: {args.mail}; DEBUG off; PostgreSQL server-side binding "
          f"{'on' if options.get('server_side_binding') else 'off'}, prepare threshold "
          f"{options.get('prepare_threshold', 'psycopg default') if options.get('server_side_binding') else '-'}")
    print("load average (1/5/15 min) before: {:.2f} / {:.2f} / {:.2f}, after: {:.2f} / {:.2f} / {:.2f}; {} CPUs".format(
        *load_before, *os.getloadavg(), os.cpu_count()))
    print(f"buyers: {args.buyers} processes, {args.orders_per_buyer} orders each, 1–3 lines, "
          f"{HOT_PRODUCTS} hot products in {args.hot_share:.0%} of the lines")
    print(f"carts filled (create, address, delivery, payment, consent): {len(prepare)} in {fill_elapsed:.2f} s = "
          f"{len(prepare) / fill_elapsed:.1f} carts/s; p50 {_pct(prepare, .5):.0f} ms, p95 {_pct(prepare, .95):.0f} ms")
    print(f"orders completed (checkout_complete): {len(order_ids)} in {elapsed:.2f} s = "
          f"{len(order_ids) / elapsed:.1f} orders/s; p50 {_pct(complete, .5):.0f} ms, p95 {_pct(complete, .95):.0f} ms, "
          f"p99 {_pct(complete, .99):.0f} ms")
    cpu = sum(r["cpu"] for r in collected)
    db_cpus = [r["db_cpu"] for r in collected]
    db_cpu = f"{1000 * sum(db_cpus) / len(order_ids):.1f} ms" if order_ids and None not in db_cpus else "not measured"
    if order_ids:
        print(f"CPU per order while placing: buyers {1000 * cpu / len(order_ids):.1f} ms, "
              f"their PostgreSQL backends {db_cpu}")
    print(f"errors: {len(errors)}; stock check: {'ok, nothing oversold or lost' if not problems else problems[:5]}")
    for error in errors[:5]:
        print("  ", error)
    return 0 if not errors and not problems else 1
