#!/usr/bin/env python3
"""Production smoke run: start the shop the production way, use it like a shopper and an API
client, export to the sandbox B2B catalog, stop everything and report. Exit status 0 only when
every step passed; a step that could not run is a failure and says why.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/htx REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python deploy/smoke.py [--keep]

The stack (deploy/localstack.py): a fresh PostgreSQL database, migrate + seed_demo + collectstatic
with storefront.settings_production as they are, gunicorn with several workers, a Celery worker,
Celery beat, the sandbox catalog, nginx in front with a self-signed certificate. The shopper talks
HTTPS to nginx and verifies that certificate.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import traceback
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from localstack import LocalStack, StackError  # noqa: E402
from shopper import Shopper  # noqa: E402

import requests  # noqa: E402

CHANNEL = os.environ.get("SMOKE_CHANNEL", "")


# --- the run ---------------------------------------------------------------------------------------
@dataclass
class Step:
    name: str
    ok: bool
    detail: str
    seconds: float


class Smoke:
    def __init__(self, stack: LocalStack):
        self.stack = stack
        self.steps: list[Step] = []

    def step(self, name: str, func) -> bool:
        started = time.monotonic()
        try:
            detail = func() or ""
            ok = True
        except Exception as exc:  # every failure is reported, the run goes on to the next step
            ok = False
            detail = f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, (AssertionError, StackError)):
                detail += "\n" + "".join(traceback.format_exception(exc)[-3:])
        elapsed = time.monotonic() - started
        self.steps.append(Step(name, ok, detail, elapsed))
        print(f"[{'PASS' if ok else 'FAIL'}] {name} ({elapsed:.1f}s){': ' + detail if detail else ''}", flush=True)
        return ok

    # A browser-like session: verifies our certificate, keeps cookies, sends Referer/Origin on
    # posts (Django's CSRF check over HTTPS insists on one of them).
    def session(self) -> requests.Session:
        sess = requests.Session()
        # Not from the environment: REQUESTS_CA_BUNDLE would override our certificate, and a
        # proxy setting must not catch loopback traffic.
        sess.trust_env = False
        sess.verify = str(self.stack.cert_path)
        sess.headers["User-Agent"] = "htx-smoke/1.0"
        sess.headers["Accept-Language"] = "vi"
        return sess

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.stack.base_url + "/", path)

    # --- checks -----------------------------------------------------------------------------------
    def check_health(self) -> str:
        resp = self.session().get(self.url("/healthz"), timeout=10)
        body = resp.json()
        assert resp.status_code == 200 and body.get("status") == "ok", f"{resp.status_code} {body}"
        return json.dumps(body, ensure_ascii=False)

    def check_processes(self) -> str:
        alive = self.stack.alive()
        assert all(alive.values()), f"not running: {[n for n, a in alive.items() if not a]}"
        master = self.stack.procs["web"].pid
        children = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == master]
        assert len(children) >= self.stack.web_workers, f"gunicorn has {len(children)} workers"
        return f"gunicorn master {master} with {len(children)} workers; worker, beat, sandbox, nginx running"

    def check_https_front(self) -> str:
        resp = self.session().get(f"{self.stack.http_url}/", allow_redirects=False, timeout=10)
        assert resp.status_code == 301 and resp.headers["Location"].startswith("https://"), \
            f"plain HTTP answered {resp.status_code} {resp.headers.get('Location')}"
        sess = self.session()
        home = sess.get(self.url("/"), timeout=30)
        assert home.status_code == 200, f"home page {home.status_code}"
        hsts = home.headers.get("Strict-Transport-Security", "")
        assert "max-age=" in hsts, f"no HSTS on the home page: {dict(home.headers)}"
        for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
            assert header in home.headers, f"home page lacks {header}"
        manifest = json.loads((self.stack.workdir / "static" / "staticfiles.json").read_text())
        css = sorted((k for k in manifest["paths"] if k.endswith(".css")), key=lambda k: (k != "css/site.css", k))
        hashed = manifest["paths"][css[0]]
        static = sess.get(self.url(f"/static/{hashed}"), timeout=10, headers={"Accept-Encoding": "gzip"})
        assert static.status_code == 200, f"static {hashed}: {static.status_code}"
        assert "max-age" in static.headers.get("Cache-Control", ""), f"static not cacheable: {static.headers}"
        assert static.headers.get("Content-Encoding") == "gzip" or len(static.content) < 512, "static not gzipped"
        assert "Strict-Transport-Security" in static.headers, "static lacks HSTS"
        big = sess.post(self.url("/graphql/"), data=b"x" * (14 * 1024 * 1024),
                        headers={"Content-Type": "application/json"}, timeout=30)
        assert big.status_code == 413, f"a 14 MiB body got {big.status_code}, not nginx's 413"
        return f"HTTP→HTTPS 301, HSTS {hsts!r}, /static/{hashed} cached+gzip, 14 MiB body refused (413)"

    def check_secure_cookies(self) -> str:
        sess = self.session()
        resp = sess.get(self.url("/tai-khoan/dang-nhap/"), timeout=30)
        assert resp.status_code == 200, f"login page {resp.status_code}"
        raw = resp.raw.headers.getlist("Set-Cookie") if hasattr(resp.raw.headers, "getlist") else []
        csrf = [c for c in raw if c.startswith("csrftoken=")]
        assert csrf and all("Secure" in c for c in csrf), f"csrftoken cookie not Secure: {raw}"
        return "csrftoken is Secure"

    def order_via_pages(self) -> str:
        token = Shopper(self.session(), self.stack.base_url).buy_one(email="smoke.pages@example.com")
        return f"order {token} placed through the pages (cart, address, delivery, cash on delivery)"

    def graphql(self, sess, query: str, variables: dict | None = None) -> dict:
        resp = sess.post(self.url("/graphql/"), json={"query": query, "variables": variables or {}},
                         headers={"Referer": self.url("/graphql/")}, timeout=30)
        assert resp.status_code == 200, f"GraphQL HTTP {resp.status_code}: {resp.text[:300]}"
        body = resp.json()
        assert not body.get("errors"), f"GraphQL errors: {body['errors']}"
        return body["data"]

    def order_via_api(self) -> str:
        sess = self.session()
        channel = CHANNEL or self.demo_channel()
        data = self.graphql(sess, """
            query($channel: String!) { products(first: 20, channel: $channel) { edges { node {
              name variants { id quantityAvailable } } } } }""", {"channel": channel})
        variant = next((v for e in data["products"]["edges"] for v in (e["node"]["variants"] or [])
                        if (v.get("quantityAvailable") or 0) > 0), None)
        assert variant, f"no product with stock in channel {channel!r}"
        address = {"firstName": "Bình", "lastName": "Trần Thị", "streetAddress1": "5 Lê Lợi",
                   "city": "Phường Ninh Kiều", "countryArea": "Cần Thơ", "country": "VN", "phone": "0912345679"}
        data = self.graphql(sess, """
            mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
              checkout { id token shippingMethods { id name } availablePaymentGateways { id } }
              errors { field code message } } }""",
            {"input": {"channel": channel, "email": "smoke.api@example.com",
                       "lines": [{"variantId": variant["id"], "quantity": 1}],
                       "shippingAddress": address, "billingAddress": address}})
        result = data["checkoutCreate"]
        assert not result["errors"], f"checkoutCreate: {result['errors']}"
        checkout = result["checkout"]
        assert checkout["shippingMethods"], "no shipping method offered for Cần Thơ"
        data = self.graphql(sess, """
            mutation($id: ID!, $method: ID!) { checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
              errors { field code message } } }""",
            {"id": checkout["id"], "method": checkout["shippingMethods"][0]["id"]})
        assert not data["checkoutDeliveryMethodUpdate"]["errors"], data
        # The shop's extension: Vietnamese law wants the buyer's consent before an order is placed.
        data = self.graphql(sess, """
            mutation($id: ID!) { checkoutPrivacyConsentUpdate(id: $id, granted: true) {
              errors { field code message } } }""", {"id": checkout["id"]})
        assert not data["checkoutPrivacyConsentUpdate"]["errors"], data
        gateways = [g["id"] for g in checkout["availablePaymentGateways"]]
        gateway = next((g for g in gateways if g.endswith(".cod")), gateways[0] if gateways else None)
        assert gateway, "no payment gateway offered"
        data = self.graphql(sess, """
            mutation($id: ID!, $gateway: String!) { checkoutPaymentCreate(id: $id, input: {gateway: $gateway}) {
              errors { field code message } } }""", {"id": checkout["id"], "gateway": gateway})
        assert not data["checkoutPaymentCreate"]["errors"], data
        data = self.graphql(sess, """
            mutation($id: ID!) { checkoutComplete(id: $id) { order { id number status }
              errors { field code message } } }""", {"id": checkout["id"]})
        result = data["checkoutComplete"]
        assert not result["errors"] and result["order"], f"checkoutComplete: {result}"
        return f"order #{result['order']['number']} ({result['order']['status']}) placed through the API with {gateway}"

    def demo_channel(self) -> str:
        result = self.stack.manage("shell", "-c", "from storefront.channel.models import Channel;"
                                   "print(Channel.objects.filter(is_active=True).order_by('pk').first().slug)")
        assert result.returncode == 0, result.stderr[-500:]
        return result.stdout.strip().splitlines()[-1]

    def export_sync(self) -> str:
        # The export demo selects the sample products that carry export terms; the sync must then
        # add them to the sandbox catalog (write calls), not merely read from it.
        seeded = self.stack.manage("seed_export_demo", "--wait-for-platform", "30", timeout=120)
        assert seeded.returncode == 0, f"seed_export_demo exited {seeded.returncode}:\n{seeded.stderr[-1500:]}"
        result = self.stack.manage("sync_catalog", "--full", timeout=240)
        output = (result.stdout + result.stderr).strip()
        assert result.returncode == 0, f"sync_catalog exited {result.returncode}:\n{output[-2000:]}"
        counts = {m.group(1): int(m.group(2)) for m in re.finditer(r"^[│┃|\s]*([a-z_ ]+?)\s*[│┃|]\s*(\d+)", output, re.M)}
        assert counts.get("read calls", 0) > 0, f"the sync made no call to the sandbox:\n{output[-1500:]}"
        assert counts.get("add", 0) > 0 and counts.get("write calls", 0) > 0, \
            f"the sync added no product to the sandbox:\n{seeded.stdout[-800:]}\n{output[-1500:]}"
        assert counts.get("failed", 0) == 0, f"listings failed:\n{output[-1500:]}"
        return ", ".join(f"{k} {v}" for k, v in counts.items())

    def check_worker_and_beat(self) -> str:
        ping = self.stack.celery("inspect", "ping", "--timeout", "5")
        assert ping.returncode == 0 and "pong" in ping.stdout, f"worker did not answer: {ping.stdout}{ping.stderr}"
        beat_log = self.stack.log_text("beat")
        assert "beat: Starting" in beat_log, f"beat log: {beat_log[-500:]}"
        return "worker answered ping over Redis; beat started"

    def check_json_logs(self) -> str:
        lines = [line for line in self.stack.log_text("web").splitlines() if line.strip()]
        bad = [line for line in lines if not _is_json(line)]
        assert lines and not bad, f"{len(bad)} of {len(lines)} web log lines are not JSON, e.g. {bad[:3]}"
        access = [line for line in (self.stack.workdir / "logs" / "nginx-access.log").read_text().splitlines()]
        assert access and all(_is_json(line) for line in access), "nginx access log is not JSON"
        return f"{len(lines)} gunicorn/Django lines and {len(access)} nginx access lines, all JSON"

    def run(self) -> None:
        self.step("healthz (database and broker) through nginx", self.check_health)
        self.step("processes: gunicorn workers, Celery worker and beat, sandbox, nginx", self.check_processes)
        self.step("nginx front: HTTPS redirect, security headers, static files, body limit", self.check_https_front)
        self.step("secure cookies", self.check_secure_cookies)
        self.step("order through the web pages", self.order_via_pages)
        self.step("order through the GraphQL API", self.order_via_api)
        self.step("export sync to the sandbox catalog (manage.py sync_catalog)", self.export_sync)
        self.step("Celery worker and beat on Redis", self.check_worker_and_beat)
        self.step("healthz after the run", self.check_health)
        self.step("JSON logs", self.check_json_logs)


def _ppid(proc_dir: Path) -> int:
    try:
        return int((proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _is_json(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs) afterwards")
    parser.add_argument("--web-workers", type=int, default=3)
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
    started = time.monotonic()
    stack = LocalStack(database_url=database_url, redis_url=redis_url, web_workers=args.web_workers,
                       keep_dir=True, log=lambda msg: print(msg, flush=True))
    smoke = None
    print("== starting the production stack", flush=True)
    try:
        with stack:
            print(stack.describe(), flush=True)
            smoke = Smoke(stack)
            smoke.run()
            failed = [s for s in smoke.steps if not s.ok]
            if failed:
                for name in ("web", "worker", "nginx", "sandbox"):
                    print(f"--- last lines of {name} log ---\n{stack.log_tail(name, 25)}", flush=True)
        print("== stopped: " + ", ".join(f"{n} exit {p.returncode}" for n, p in stack.procs.items()), flush=True)
        left = [n for n, p in stack.procs.items() if p.returncode is None]
        if left:
            smoke.steps.append(Step("stop everything", False, f"still running: {left}", 0))
    except StackError as exc:
        print(f"[FAIL] start the production stack: {exc}", flush=True)
        return 1
    finally:
        if not args.keep and getattr(stack, "workdir", None):
            import shutil

            shutil.rmtree(stack.workdir, ignore_errors=True)
        elif getattr(stack, "workdir", None):
            print(f"logs kept in {stack.workdir}/logs")
    failed = [s for s in smoke.steps if not s.ok]
    print(f"\n== smoke report ({time.monotonic() - started:.0f}s)")
    for s in smoke.steps:
        print(f"  {'PASS' if s.ok else 'FAIL'}  {s.name}")
    print(f"{len(smoke.steps) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
