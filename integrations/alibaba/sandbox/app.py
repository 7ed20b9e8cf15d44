"""The sandbox WSGI application: protocol gateways, admin endpoints and buyer pages.

Any failure is caught at the top: a protocol path answers in the platform's error shape (HTTP 200,
code 15 isp.*), never a bare 500; the traceback goes to the log (without parameters or secrets).
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import random
import threading
import time
from collections import Counter, defaultdict
from typing import Any, Callable, Iterable

from . import methods, pages, review
from .config import EXPIRED_SESSION, SECOND_SELLER_SESSION, SandboxConfig
from .protocol import (IOP_SIGN_METHODS, TOP_SIGN_METHODS, ApiError, BadBody, business, compute_sign,
                       error_body, parse_timestamp, read_params, request_id, server_fault, success_body)
from .store import Store

log = logging.getLogger("integrations.alibaba.sandbox")

GATEWAYS = {"/router/rest": "top", "/sync": "iop"}
DRAIN_LIMIT = 64 * 1024 * 1024


class TokenBucket:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: float | None = None
        self._stamp = time.monotonic()

    def take(self, rate: float, burst: float) -> float:
        """Take one token; returns 0 when granted, else seconds until one is available."""
        with self._lock:
            now = time.monotonic()
            if self._tokens is None:
                self._tokens = burst
            self._tokens = min(burst, self._tokens + (now - self._stamp) * rate)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / rate

    def reset(self) -> None:
        with self._lock:
            self._tokens = None


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)

    def record(self, method: str, outcome: str) -> None:
        with self._lock:
            self.calls[method] += 1
            self.outcomes[method][outcome] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"calls": dict(self.calls), "outcomes": {m: dict(c) for m, c in self.outcomes.items()},
                    "total": sum(self.calls.values())}

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.outcomes.clear()


class SandboxApp:
    def __init__(self, config: SandboxConfig):
        self.config = config
        self.store = Store(config.db_path)
        self.store.init(session_key=config.session_key, expired_session=EXPIRED_SESSION,
                        second_session=SECOND_SELLER_SESSION)
        self.bucket = TokenBucket()
        self.stats = Stats()
        self.rng = random.Random(config.knobs.seed)
        self._rng_lock = threading.Lock()
        self._drop_this: int | None = None  # thread whose reply the "drop" fault mode will lose

    # -- entry point -----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        gateway = GATEWAYS.get(path.rstrip("/") or "/")
        try:
            if gateway:
                return self.api(environ, start_response, gateway)
            if path.startswith("/sandbox/admin"):
                return self.admin(environ, start_response, path)
            if path == "/healthz":
                return self.json(start_response, {"ok": True})
            return pages.dispatch(self, environ, start_response, path)
        except Exception:
            log.exception("sandbox: unhandled error on %s %s", environ.get("REQUEST_METHOD"), path)
            if gateway:
                return self.json(start_response, error_body(server_fault(), gateway, request_id()))
            if path.startswith("/sandbox/admin"):
                return self.json(start_response, {"error": "internal error"}, "500 Internal Server Error")
            return pages.error_page(start_response, "503 Service Unavailable",
                                    "Something went wrong", "Please try again in a moment.")

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def json(start_response: Callable, body: Any, status: str = "200 OK") -> list[bytes]:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        start_response(status, [("Content-Type", "application/json;charset=utf-8"),
                                ("Content-Length", str(len(data)))])
        return [data]

    @staticmethod
    def base_url(environ: dict[str, Any]) -> str:
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT')}"
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"

    def random(self) -> float:
        with self._rng_lock:
            return self.rng.random()

    def choice(self, items: list[str]) -> str:
        with self._rng_lock:
            return self.rng.choice(items)

    # -- protocol gateway ------------------------------------------------------------------------
    def api(self, environ: dict[str, Any], start_response: Callable, gateway: str) -> Iterable[bytes]:
        rid = request_id()
        method = "?"
        if environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            self.stats.record(method, "9")
            return self.json(start_response, error_body(ApiError(9), gateway, rid))
        try:
            params, files = read_params(environ, self.config.max_body_bytes)
        except BadBody as exc:
            if str(exc) == "SIZE_TOO_LARGE":  # the body was not read: drain it so the client sees our answer
                self._drain(environ)
            err = (business("SIZE_TOO_LARGE", "The request body is too large.") if str(exc) == "SIZE_TOO_LARGE"
                   else ApiError(43, "isv.invalid-request", f"Malformed request: {exc}"))
            self.stats.record(method, str(err.code))
            return self.json(start_response, error_body(err, gateway, rid))
        method = params.get("method") or "?"
        knobs = self.config.knobs
        if knobs.latency_ms or knobs.latency_jitter_ms:
            delay = knobs.latency_ms + (self.random() * knobs.latency_jitter_ms if knobs.latency_jitter_ms else 0)
            time.sleep(delay / 1000.0)
        try:
            seller_id = self.authenticate(params, gateway)
            self.throttle_and_inject()
            methods.run_due_reviews(self.store, self.config)
            handler = methods.METHODS[params["method"]]
            call = methods.Call(self.store, self.config, seller_id, params, files, self.base_url(environ), method)
            result, context = handler(call)
        except ApiError as err:
            if err.code == -503:
                self.stats.record(method, "http503")
                page = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
                start_response("503 Service Unavailable", [("Content-Type", "text/html"),
                                                           ("Content-Length", str(len(page)))])
                return [page]
            self.stats.record(method, str(err.code) + (":" + err.sub_code if err.sub_code else ""))
            return self.json(start_response, error_body(err, gateway, rid))
        if self._lose_reply(method):
            self.stats.record(method, "reply-lost")
            log.info("sandbox: %s executed, reply deliberately lost", method)
            environ["sandbox.drop_reply"] = True
            return self.json(start_response, {"lost": True}, "500 Internal Server Error")
        self.stats.record(method, "ok")
        simplify = params.get("simplify", "false").lower() == "true"
        return self.json(start_response, success_body(method, result, simplify, rid, context))

    def _drain(self, environ: dict[str, Any]) -> None:
        try:
            remaining = min(int(environ.get("CONTENT_LENGTH") or 0), DRAIN_LIMIT)
            stream = environ["wsgi.input"]
            while remaining > 0:
                chunk = stream.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
        except (ValueError, OSError):
            pass

    def authenticate(self, params: dict[str, str], gateway: str) -> int:
        cfg = self.config
        method = params.get("method", "")
        if not method:
            raise ApiError(21, sub_msg="The method parameter is required.")
        if method not in methods.METHODS:
            raise ApiError(22, sub_msg=f"Unknown method {method[:80]}.")
        app_key = params.get("app_key", "")
        if not app_key:
            raise ApiError(28)
        if not hmac.compare_digest(app_key.encode(), cfg.app_key.encode()):
            raise ApiError(29, "isv.appkey-not-exists", "Unknown app_key.")
        stamp = params.get("timestamp", "")
        if not stamp:
            raise ApiError(30)
        when = parse_timestamp(stamp, allow_formatted=gateway == "top")
        if when is None:
            raise ApiError(31, sub_msg="timestamp must be yyyy-MM-dd HH:mm:ss (GMT+8) or epoch milliseconds.")
        if abs(time.time() - when) > cfg.timestamp_skew_seconds:
            raise ApiError(31, sub_msg="timestamp is more than 10 minutes away from the server time.")
        if gateway == "top":
            if not params.get("v"):
                raise ApiError(32)
            if params["v"] != "2.0":
                raise ApiError(34, sub_msg="Only v=2.0 is supported.")
            if params.get("format", "json") != "json":
                raise ApiError(23, sub_msg="Only format=json is supported by the sandbox.")
            sign_method, allowed = params.get("sign_method") or "md5", TOP_SIGN_METHODS
        else:
            sign_method, allowed = params.get("sign_method") or "sha256", IOP_SIGN_METHODS
        if sign_method not in allowed:
            raise ApiError(25, "isv.sign-method-not-supported",
                           f"sign_method must be one of {', '.join(allowed)} on this gateway.")
        sign = params.get("sign", "")
        if not sign:
            raise ApiError(24)
        expected = compute_sign(params, cfg.app_secret, sign_method)
        if not hmac.compare_digest(sign.encode("utf-8", "replace"), expected.encode()):
            raise ApiError(25, "isv.invalid-signature", "The signature does not match the parameters sent.")
        token = params.get("session", "") if gateway == "top" else (params.get("access_token")
                                                                      or params.get("session", ""))
        if not token:
            raise ApiError(26, "isv.missing-session", "This method needs the seller's session.")
        row = self.store.session(token)
        if row is None:
            raise ApiError(27, "invalid-sessionkey", "The session key is not valid.")
        if row["expires_at"] is not None and row["expires_at"] < time.time():
            raise ApiError(27, "session-expired", "The session has expired; ask the seller to authorise again.")
        return int(row["seller_id"])

    def throttle_and_inject(self) -> None:
        knobs = self.config.knobs
        if knobs.rate_limit_qps > 0:
            burst = knobs.rate_limit_burst or max(1.0, knobs.rate_limit_qps)
            wait = self.bucket.take(knobs.rate_limit_qps, burst)
            if wait > 0:
                raise self._rate_limited(math.ceil(wait))
        if knobs.rate_limit_share and self.random() < knobs.rate_limit_share:
            raise self._rate_limited(1)
        mode = None
        with self.config.knobs_lock:
            if knobs.fail_next > 0:
                knobs.fail_next -= 1
                mode = knobs.fail_next_mode
        if mode is None and knobs.fault_rate and self.random() < knobs.fault_rate:
            mode = self.choice(knobs.fault_modes)
        if mode == "ratelimit":
            raise self._rate_limited(1)
        if mode == "isp":
            raise server_fault()
        if mode == "unavailable":
            raise ApiError(10, "isp.service-unavailable", "Service currently unavailable; retry later.")
        if mode == "http503":
            raise ApiError(-503)
        if mode == "drop":
            with self.config.knobs_lock:
                self._drop_this = threading.get_ident()

    def _lose_reply(self, method: str) -> bool:
        knobs = self.config.knobs
        with self.config.knobs_lock:
            if self._drop_this == threading.get_ident():
                self._drop_this = None
                return True
            if knobs.lose_next_replies > 0 and method in knobs.lose_reply_methods:
                knobs.lose_next_replies -= 1
                return True
        return False

    @staticmethod
    def _rate_limited(seconds: int) -> ApiError:
        return ApiError(7, "accesscontrol.limited-by-app-access-count",
                        f"This ban will last for {max(1, seconds)} more seconds")

    # -- admin -----------------------------------------------------------------------------------
    def admin(self, environ: dict[str, Any], start_response: Callable, path: str) -> Iterable[bytes]:
        supplied = environ.get("HTTP_X_SANDBOX_ADMIN_TOKEN") or ""
        auth = environ.get("HTTP_AUTHORIZATION") or ""
        if auth.lower().startswith("bearer "):
            supplied = supplied or auth[7:].strip()
        if not hmac.compare_digest(supplied.encode("utf-8", "replace"), self.config.app_secret.encode()):
            return self.json(start_response, {"error": "admin token required (X-Sandbox-Admin-Token)"},
                             "401 Unauthorized")
        verb = environ.get("REQUEST_METHOD")
        body: dict[str, Any] = {}
        if verb == "POST":
            # Errors name what is wrong in the client's terms, never the parser's own message.
            length = str(environ.get("CONTENT_LENGTH") or "0").strip()
            if not length.isascii() or not length.isdigit() or int(length) > 1 << 20:
                return self.json(start_response, {"error": "the body must be a JSON object of at most 1 MiB"},
                                 "400 Bad Request")
            raw = environ["wsgi.input"].read(int(length)) if int(length) else b""
            try:
                body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError, RecursionError):
                body = None
            if not isinstance(body, dict):
                return self.json(start_response, {"error": "the body must be a JSON object"}, "400 Bad Request")
        route = path[len("/sandbox/admin"):].strip("/")
        if route == "knobs" and verb == "GET":
            return self.json(start_response, self.config.knobs.as_dict())
        if route == "knobs" and verb == "POST":
            try:
                with self.config.knobs_lock:
                    self.config.knobs.update(body)
            except ValueError as exc:  # Knobs.update's own words: which knob, and what it must be
                return self.json(start_response, {"error": str(exc)}, "400 Bad Request")
            if "seed" in body:
                with self._rng_lock:
                    self.rng = random.Random(self.config.knobs.seed)
            if "rate_limit_qps" in body or "rate_limit_burst" in body:
                self.bucket.reset()
            log.info("sandbox: knobs changed: %s", sorted(body))
            return self.json(start_response, self.config.knobs.as_dict())
        if route == "review" and verb == "POST":
            return self.json(start_response, *self.admin_review(body))
        if route == "pending" and verb == "GET":
            rows = self.store.all("SELECT product_id, subject, status, gmt_modified FROM products"
                                  " WHERE status IN ('new', 'modified') ORDER BY id")
            return self.json(start_response, {"pending": [dict(r) for r in rows]})
        if route == "stats" and verb == "GET":
            return self.json(start_response, self.stats.snapshot())
        if route == "stats/reset" and verb == "POST":
            self.stats.reset()
            return self.json(start_response, {"ok": True})
        if route == "reset" and verb == "POST":
            self.store.reset()
            self.stats.reset()
            self.bucket.reset()
            return self.json(start_response, {"ok": True})
        return self.json(start_response, {"error": f"no admin route {verb} {path}"}, "404 Not Found")

    def admin_review(self, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
        decision = body.get("decision")
        if decision not in ("approve", "reject", "rules"):
            return {"error": "decision must be approve, reject or rules"}, "400 Bad Request"
        if body.get("all_pending") is True:
            ids = [r["product_id"] for r in self.store.all(
                "SELECT product_id FROM products WHERE status IN ('new', 'modified') ORDER BY id")]
        else:
            ids = body.get("product_ids") or ([body["product_id"]] if body.get("product_id") else [])
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            return {"error": "product_id (a string), product_ids (a list of strings) or all_pending (true) is "
                             "required"}, "400 Bad Request"
        reasons = body.get("reasons") or []
        if not isinstance(reasons, (str, list)):
            return {"error": "reasons must be a string or a list"}, "400 Bad Request"
        if decision == "reject":
            if isinstance(reasons, str):
                reasons = [reasons]
            reasons = [r if isinstance(r, dict) else {"code": "REVIEW_REJECTED", "message": str(r), "field": ""}
                       for r in reasons] or [{"code": "REVIEW_REJECTED", "message": "Rejected by the reviewer.",
                                              "field": ""}]
            reasons = [{"code": str(r.get("code") or "REVIEW_REJECTED"), "message": str(r.get("message") or ""),
                        "field": str(r.get("field") or "")} for r in reasons]
        results: dict[str, str] = {}
        with self.store.write() as conn:
            for product_id in ids:
                row = conn.execute("SELECT * FROM products WHERE product_id=?", (product_id,)).fetchone()
                if row is None:
                    results[product_id] = "not_found"
                elif row["status"] not in ("new", "modified"):
                    results[product_id] = f"not_pending:{row['status']}"
                elif decision == "rules":
                    results[product_id] = review.run_rules(conn, row, self.config.knobs)
                else:
                    results[product_id] = review.decide(conn, row, reasons if decision == "reject" else [])
        return {"results": results}, "200 OK"


def make_app(config: SandboxConfig | None = None) -> SandboxApp:
    """The WSGI application (a callable object) for the given configuration."""
    return SandboxApp(config or SandboxConfig.from_env())


__all__ = ["SandboxApp", "make_app"]
