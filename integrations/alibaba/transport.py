"""HTTP transport: system parameters, signing, timeouts, client-side rate limit, retries, error mapping.

Retries (tenacity): exponential backoff with jitter, only for retryable errors; when the platform says
"This ban will last for N more seconds" the wait is at least N s (capped by ``max_ban_wait``). Every
attempt gets a fresh timestamp and signature. Writes that are not idempotent are not retried when the
outcome is unknown (read timeout, connection lost after sending).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any, Callable

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from . import errors
from .config import AlibabaSettings
from .signing import epoch_millis, sign, top_timestamp

log = logging.getLogger("integrations.alibaba")


class RateLimiter:
    """Spaces calls to at most ``rate`` per second (GCRA; ``burst`` calls may go back to back)."""

    def __init__(self, rate: float | None, burst: int = 1, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.rate = rate
        self.interval = 1.0 / rate if rate else 0.0
        self.burst = max(1, burst)
        self._tat = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> float:
        """Block until a call may go; returns the seconds waited."""
        if not self.rate:
            return 0.0
        with self._lock:
            now = self._clock()
            tat = max(self._tat, now)
            wait = max(0.0, tat - now - (self.burst - 1) * self.interval)
            self._tat = tat + self.interval
        if wait > 0:
            self._sleep(wait)
        return wait


def unwrap_lists(value: Any) -> Any:
    """Turn the TOP list wrappers ({"products": {"alibaba_product_brief_response": [...]}}) into lists.

    A wrapper is an object with exactly one key whose value is a JSON array (doc §1.5).
    """
    if isinstance(value, dict):
        if len(value) == 1:
            (only,) = value.values()
            if isinstance(only, list):
                return [unwrap_lists(v) for v in only]
        return {k: unwrap_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_lists(v) for v in value]
    return value


class Transport:
    def __init__(self, settings: AlibabaSettings, session: requests.Session | None = None):
        self.settings = settings
        self.http = session or requests.Session()
        self.limiter = RateLimiter(settings.max_calls_per_second, settings.rate_burst)

    def close(self) -> None:
        self.http.close()

    # -- one call with retries ---------------------------------------------------------------------
    def call(self, method: str, params: dict[str, str] | None = None, *,
             files: dict[str, tuple[str, bytes]] | None = None, idempotent: bool = True) -> dict[str, Any]:
        s = self.settings
        base_wait = wait_exponential_jitter(multiplier=s.backoff_initial, max=s.backoff_max, jitter=s.backoff_jitter)

        def wait(state: RetryCallState) -> float:
            delay = base_wait(state)
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, errors.RateLimited) and exc.retry_after:
                delay = max(delay, min(exc.retry_after, s.max_ban_wait))
            return delay

        def should_retry(exc: BaseException) -> bool:
            return (isinstance(exc, errors.AlibabaError) and exc.retryable
                    and (idempotent or not exc.outcome_unknown))

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.warning("alibaba %s: attempt %d failed (%s: %s); retrying in %.2fs", method, state.attempt_number,
                        type(exc).__name__, getattr(exc, "sub_code", "") or getattr(exc, "code", ""),
                        state.next_action.sleep if state.next_action else 0.0)

        retrying = Retrying(stop=stop_after_attempt(s.max_attempts), wait=wait,
                            retry=retry_if_exception(should_retry), before_sleep=before_sleep, reraise=True)
        return retrying(self._attempt, method, dict(params or {}), files)

    # -- a single attempt --------------------------------------------------------------------------
    def system_params(self, method: str) -> dict[str, str]:
        s = self.settings
        out = {"method": method, "app_key": s.app_key, "sign_method": s.effective_sign_method, "format": "json",
               "simplify": "true" if s.simplify else "false", "partner_id": s.partner_id}
        if s.protocol == "top":
            out.update({"v": "2.0", "timestamp": top_timestamp(), "session": s.session_key})
        else:
            out.update({"timestamp": epoch_millis(), "access_token": s.session_key})
        return out

    def _attempt(self, method: str, business: dict[str, str], files: dict[str, tuple[str, bytes]] | None
                 ) -> dict[str, Any]:
        s = self.settings
        params = {k: v for k, v in business.items() if v is not None and v != ""}
        params.update(self.system_params(method))
        params["sign"] = sign(params, s.app_secret, s.effective_sign_method)
        self.limiter.acquire()
        started = time.monotonic()
        try:
            if files:
                response = self.http.post(s.gateway_url, data=params, timeout=s.timeout,
                                          files={name: (fname, data, "application/octet-stream")
                                                 for name, (fname, data) in files.items()})
            else:
                response = self.http.post(s.gateway_url, data=params, timeout=s.timeout)
        except requests.exceptions.ConnectTimeout as exc:
            raise errors.Timeout(f"connect timeout after {s.connect_timeout}s", method=method,
                                 outcome_unknown=False) from exc
        except requests.exceptions.Timeout as exc:
            raise errors.Timeout(f"no answer within {s.read_timeout}s", method=method,
                                 outcome_unknown=True) from exc
        except requests.exceptions.ConnectionError as exc:
            refused = "NewConnectionError" in repr(exc) or "Connection refused" in str(exc)
            raise errors.ConnectionFailed(
                "connection refused" if refused else "connection lost before an answer arrived",
                method=method, outcome_unknown=not refused) from exc
        except requests.exceptions.RequestException as exc:
            raise errors.ConnectionFailed(f"transport error: {type(exc).__name__}", method=method,
                                          outcome_unknown=True) from exc
        elapsed = time.monotonic() - started
        body = self._decode(method, response)
        if "error_response" in body:
            err = errors.error_from_response(body["error_response"] or {}, method=method,
                                             http_status=response.status_code)
            log.info("alibaba %s: error %s %s (%.0f ms, request_id %s)", method, err.code, err.sub_code,
                     elapsed * 1000, err.request_id)
            raise err
        if str(body.get("code", "0")) not in ("0", "") and ("type" in body or "message" in body):
            raise errors.error_from_response(body, method=method, http_status=response.status_code)
        root = method.replace(".", "_") + "_response"
        if root in body and isinstance(body[root], dict):
            result = unwrap_lists(body[root])
        else:
            result = dict(body)
        log.debug("alibaba %s: ok (%.0f ms, request_id %s)", method, elapsed * 1000, result.get("request_id", ""))
        return result

    @staticmethod
    def _decode(method: str, response: requests.Response) -> dict[str, Any]:
        status = response.status_code
        if status >= 500:
            raise errors.ServerError(f"HTTP {status} from the gateway", method=method, http_status=status,
                                     outcome_unknown=True)
        if status == 429:
            raise errors.RateLimited("HTTP 429 from the gateway", method=method, http_status=status)
        if status != 200:
            raise errors.ProtocolError(f"HTTP {status} from the gateway", method=method, http_status=status)
        try:
            body = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise errors.ServerError("the gateway answered with something that is not JSON", method=method,
                                     http_status=status, outcome_unknown=True) from exc
        if not isinstance(body, dict):
            raise errors.ProtocolError("the gateway answered with JSON that is not an object", method=method)
        return body
